import { Type, type Static } from 'typebox'
import { CountryList, ListOf, nullable, PageQuery, Timestamp, Uuid } from '../../schemas/common.ts'
import { scopes } from '../../http/access.ts'
import { seedId } from '../../schemas/seed-ids.ts'

const apiKeyExample = {
  id: '7c2e9a41-5b3f-4d8e-a1c6-0f9b2d4e8a73',
  name: 'Lao PDR focal point',
  prefix: '4f9c2a7e1b3d',
  scopes: ['read', 'indicators:write'],
  countries: ['LA'],
  organizationId: seedId('organization', 'uniap'),
  createdAt: '2026-11-22T09:30:00.000Z',
  updatedAt: '2026-11-22T09:30:00.000Z',
  version: 1,
  lastUsedAt: null,
  expiresAt: '2027-11-22T00:00:00.000Z',
  rotatedAt: null,
  previousSecretExpiresAt: null,
  revokedAt: null,
}

const Scopes = Type.Array(Type.Enum(scopes), {
  minItems: 1,
  maxItems: scopes.length,
  uniqueItems: true,
  description:
    'What the key may do: `read`, `plans:write`, `meetings:write`, `training:write`, `participants:read`, `indicators:write`, `admin` (all).',
  examples: [['read', 'indicators:write']],
})
const Countries = nullable(
  CountryList(
    'The countries the key may write; null: any. A country-limited key creates keys within its own countries only.',
  ),
)
const maxOverlapSeconds = 30 * 24 * 3600

export const ApiKey = Type.Object(
  {
    id: Uuid,
    name: Type.String({ minLength: 1, maxLength: 200, examples: ['Lao PDR focal point'] }),
    prefix: Type.String({
      pattern: '^[0-9a-f]{12}$',
      maxLength: 12,
      description: 'The public part of the key (`apk_<prefix>_…`): it names the key in logs and here.',
      examples: ['4f9c2a7e1b3d'],
    }),
    scopes: Scopes,
    countries: Countries,
    organizationId: nullable(Uuid, 'The organization the key belongs to.'),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    version: Type.Integer({ minimum: 1, examples: [1] }),
    lastUsedAt: nullable(Timestamp, 'When the key last authenticated (recorded at most once a minute).'),
    expiresAt: nullable(Timestamp, 'After this the key no longer works; null: it does not expire.'),
    rotatedAt: nullable(Timestamp, 'When the secret was last replaced.'),
    previousSecretExpiresAt: nullable(
      Timestamp,
      'Until this time the secret before the last rotation still works (the overlap); null: it no longer does.',
    ),
    revokedAt: nullable(
      Timestamp,
      'When the key was revoked; a revoked key stops working on every node within the auth cache’s time (10 s).',
    ),
  },
  {
    $id: 'ApiKey',
    additionalProperties: false,
    examples: [apiKeyExample],
    description: 'An API key, without its secret (which is stored hashed and shown once).',
  },
)

export const ApiKeyWithSecret = Type.Object(
  {
    ...ApiKey.properties,
    secret: Type.String({
      maxLength: 100,
      description: 'The key itself (`apk_…`), for `Authorization: Bearer …`. Shown this once: store it now.',
      examples: ['apk_4f9c2a7e1b3d_Zq2v9hY3kT0cW8pXb1nR5sLmA6uE4dJg'],
    }),
  },
  {
    $id: 'ApiKeyWithSecret',
    additionalProperties: false,
    examples: [{ ...apiKeyExample, secret: 'apk_4f9c2a7e1b3d_Zq2v9hY3kT0cW8pXb1nR5sLmA6uE4dJg' }],
  },
)

export const ApiKeyCreate = Type.Object(
  {
    name: ApiKey.properties.name,
    scopes: Scopes,
    countries: Type.Optional(Countries),
    organizationId: Type.Optional(nullable(Uuid)),
    expiresAt: Type.Optional(nullable(Timestamp, 'When the key stops working; leave out for never.')),
  },
  {
    $id: 'ApiKeyCreate',
    additionalProperties: false,
    examples: [
      {
        name: 'Lao PDR focal point',
        scopes: ['read', 'indicators:write'],
        countries: ['LA'],
        organizationId: seedId('organization', 'uniap'),
        expiresAt: '2027-11-22T00:00:00.000Z',
      },
    ],
  },
)
export type ApiKeyCreate = Static<typeof ApiKeyCreate>

export const ApiKeyRotate = Type.Object(
  {
    overlapSeconds: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: maxOverlapSeconds,
        default: 86400,
        description: `How long the current secret keeps working beside the new one (default a day, at most ${maxOverlapSeconds / 86400} days; 0: it stops at once).`,
      }),
    ),
  },
  { $id: 'ApiKeyRotate', additionalProperties: false, examples: [{ overlapSeconds: 86400 }] },
)

export const ApiKeyList = ListOf(ApiKey, 'ApiKeyList')

export const ApiKeyListQuery = Type.Object(
  { sort: Type.Enum(['createdAt', '-createdAt'], { default: 'createdAt', description: 'Order.' }), ...PageQuery },
  { additionalProperties: false },
)

export const schemas = [ApiKey, ApiKeyWithSecret, ApiKeyCreate, ApiKeyRotate, ApiKeyList]
