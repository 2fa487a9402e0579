import { Type, type Static } from 'typebox'
import { ListOf, nullable, PageQuery, ref, ResourceMeta, Timestamp, Uuid } from '../../schemas/common.ts'
import { Provenance } from '../../schemas/provenance.ts'

const EventType = Type.String({
  maxLength: 100,
  pattern: '^(\\*|[a-z][a-z-]*(\\.(create|update|delete))?)$',
  description:
    'A resource type (`activity`: all its changes), a type and operation (`activity.delete`), or `*` (every change).',
  examples: ['activity.update'],
})
const EventTypes = Type.Array(EventType, {
  minItems: 1,
  maxItems: 50,
  uniqueItems: true,
  examples: [['activity', 'meeting.create']],
})
const Url = Type.String({
  format: 'uri',
  maxLength: 2000,
  description:
    'Where deliveries are POSTed: http(s), resolving to a public address (no loopback, private, link-local or metadata address unless the server allows it). Redirects are not followed.',
  examples: ['https://partner.example.org/hooks/action-plans'],
})
const Secret = Type.String({
  minLength: 16,
  maxLength: 200,
  description:
    'The key of the HMAC-SHA256 signature (`X-Signature-256: sha256=<hex>` of the raw body). Write-only: never sent back. Leave it out on create to get a generated one (shown once).',
})
const subscriptionExample = {
  id: '5d8b1f3a-9c2e-4a7b-8e61-3f0a9c7d2b14',
  url: 'https://partner.example.org/hooks/action-plans',
  eventTypes: ['activity', 'meeting.create'],
  active: true,
  description: 'Mirror of activities and new meetings for the partner portal',
  provenance: {
    origin: 'api',
    sources: [],
    inferred: [],
    doubtful: [],
    createdBy: { keyId: '7c2e9a41-5b3f-4d8e-a1c6-0f9b2d4e8a73' },
  },
  createdAt: '2026-11-22T09:30:00.000Z',
  updatedAt: '2026-11-22T09:30:00.000Z',
  version: 1,
}
const Description = nullable(Type.String({ maxLength: 1000 }), 'What the subscription is for.')

export const WebhookSubscription = Type.Object(
  {
    id: Uuid,
    url: Url,
    eventTypes: EventTypes,
    active: Type.Boolean({ description: 'Inactive subscriptions get no deliveries.' }),
    description: Description,
    provenance: ref(Provenance),
    ...ResourceMeta,
  },
  {
    $id: 'WebhookSubscription',
    additionalProperties: false,
    examples: [subscriptionExample],
    description: 'Changes of the given types are POSTed to the URL, signed with the secret (which is never shown).',
  },
)

export const WebhookSubscriptionCreated = Type.Object(
  {
    ...WebhookSubscription.properties,
    secret: Type.Optional({
      ...Secret,
      description: 'The generated secret: shown this once, only when you sent none.',
    }),
  },
  {
    $id: 'WebhookSubscriptionCreated',
    additionalProperties: false,
    examples: [{ ...subscriptionExample, secret: 'whs_b6Qy2nR8tK1vX4mZ9cL3pW7s' }],
  },
)

export const WebhookSubscriptionCreate = Type.Object(
  {
    url: Url,
    secret: Type.Optional(Secret),
    eventTypes: EventTypes,
    active: Type.Optional(Type.Boolean({ default: true })),
    description: Type.Optional(Description),
  },
  {
    $id: 'WebhookSubscriptionCreate',
    additionalProperties: false,
    examples: [
      {
        url: 'https://partner.example.org/hooks/action-plans',
        eventTypes: ['activity', 'meeting.create'],
        description: 'Mirror of activities and new meetings for the partner portal',
      },
    ],
  },
)
export type WebhookSubscriptionCreate = Static<typeof WebhookSubscriptionCreate>

export const WebhookSubscriptionPatch = Type.Object(
  {
    url: Type.Optional(Url),
    secret: Type.Optional({ ...Secret, description: 'A new secret (write-only).' }),
    eventTypes: Type.Optional(EventTypes),
    active: Type.Optional(Type.Boolean()),
    description: Type.Optional(Description),
  },
  {
    $id: 'WebhookSubscriptionPatch',
    additionalProperties: false,
    minProperties: 1,
    examples: [{ active: false }],
  },
)
export type WebhookSubscriptionPatch = Static<typeof WebhookSubscriptionPatch>

export const WebhookDelivery = Type.Object(
  {
    id: { ...Uuid, description: 'The delivery id: the `X-Delivery-Id` header, the same on every attempt.' },
    subscriptionId: Uuid,
    event: Type.String({
      maxLength: 100,
      description: 'The `X-Event-Type` header: resource.operation.',
      examples: ['activity.update'],
    }),
    status: Type.Enum(['pending', 'succeeded', 'failed'], {
      description: '`pending`: queued or waiting for a retry; `failed`: out of retries, or the URL was refused.',
    }),
    attempts: Type.Integer({ minimum: 0, examples: [1] }),
    responseStatus: nullable(
      Type.Integer({ minimum: 0, maximum: 999 }),
      'The receiver’s status code at the last attempt.',
    ),
    lastError: nullable(Type.String({ maxLength: 2000 }), 'What went wrong at the last attempt.'),
    lastAttemptAt: nullable(Timestamp),
    nextAttemptAt: nullable(Timestamp, 'When the queue tries again (pending deliveries).'),
    deliveredAt: nullable(Timestamp),
    createdAt: Timestamp,
  },
  {
    $id: 'WebhookDelivery',
    additionalProperties: false,
    description: 'One change sent to one subscription.',
    examples: [
      {
        id: '9a4c7e2b-1d5f-4b8a-b3e6-2c0f8d1a7e59',
        subscriptionId: '5d8b1f3a-9c2e-4a7b-8e61-3f0a9c7d2b14',
        event: 'activity.update',
        status: 'pending',
        attempts: 0,
        responseStatus: null,
        lastError: null,
        lastAttemptAt: null,
        nextAttemptAt: '2026-11-22T09:31:00.000Z',
        deliveredAt: null,
        createdAt: '2026-11-22T09:30:00.000Z',
      },
    ],
  },
)

export const WebhookSubscriptionList = ListOf(WebhookSubscription, 'WebhookSubscriptionList')
export const WebhookDeliveryList = ListOf(WebhookDelivery, 'WebhookDeliveryList')

export const WebhookListQuery = Type.Object(
  { sort: Type.Enum(['createdAt', '-createdAt'], { default: 'createdAt', description: 'Order.' }), ...PageQuery },
  { additionalProperties: false },
)

export const DeliveryParams = Type.Object({ id: Uuid, deliveryId: Uuid }, { additionalProperties: false })

export const schemas = [
  WebhookSubscription,
  WebhookSubscriptionCreated,
  WebhookSubscriptionCreate,
  WebhookSubscriptionPatch,
  WebhookDelivery,
  WebhookSubscriptionList,
  WebhookDeliveryList,
]
