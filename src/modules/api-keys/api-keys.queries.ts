import { randomBytes } from 'node:crypto'
import { sql } from 'kysely'
import type { Database } from '../../db/database.ts'
import { hashToken, type Scope } from '../../http/access.ts'
import { keyset, type PageRequest, type SortTable } from '../../http/pagination.ts'

export { scopes, type Scope } from '../../http/access.ts'

const newToken = (prefix: string) => `apk_${prefix}_${randomBytes(24).toString('base64url')}`

/** What the API shows of a key: never the secret or its hash. */
export const apiKeyColumns = [
  'id',
  'name',
  'prefix',
  'organizationId',
  'scopes',
  'countries',
  'createdAt',
  'updatedAt',
  'version',
  'lastUsedAt',
  'expiresAt',
  'rotatedAt',
  'previousExpiresAt',
  'revokedAt',
] as const

export const apiKeySortTable: SortTable = {
  createdAt: { column: 'api_keys.created_at', value: (r: { createdAt: string }) => r.createdAt },
}

export async function insertApiKey(
  db: Database,
  input: {
    name: string
    organizationId: string | null
    scopes: Scope[]
    countries: string[] | null
    expiresAt?: string | null
    createdByKeyId?: string | null
  },
) {
  const prefix = randomBytes(6).toString('hex')
  const token = newToken(prefix)
  const row = await db
    .insertInto('apiKeys')
    .values({ ...input, prefix, secretHash: hashToken(token) })
    .returning(apiKeyColumns)
    .executeTakeFirstOrThrow()
  return { ...row, token }
}

export function listApiKeys(db: Database, page: PageRequest) {
  return keyset(db.selectFrom('apiKeys').select(apiKeyColumns), page.sort, page.after, page.limit).execute()
}

export function getApiKey(db: Database, id: string) {
  return db.selectFrom('apiKeys').select(apiKeyColumns).where('id', '=', id).executeTakeFirst()
}

export function lockApiKey(db: Database, id: string) {
  return db.selectFrom('apiKeys').select(apiKeyColumns).where('id', '=', id).forUpdate().executeTakeFirst()
}

/**
 * A new secret under the same prefix; the current one stays valid for `overlapSeconds` (as the
 * previous secret), so clients can switch without downtime.
 */
export async function rotateApiKey(db: Database, id: string, overlapSeconds: number) {
  const current = await db.selectFrom('apiKeys').select('prefix').where('id', '=', id).executeTakeFirstOrThrow()
  const token = newToken(current.prefix)
  const row = await db
    .updateTable('apiKeys')
    .set({
      previousSecretHash: sql<string>`secret_hash`,
      previousExpiresAt: sql<string>`now() + make_interval(secs => ${overlapSeconds})`,
      secretHash: hashToken(token),
      rotatedAt: sql<string>`now()`,
      updatedAt: sql<string>`now()`,
      version: sql<number>`version + 1`,
    })
    .where('id', '=', id)
    .returning(apiKeyColumns)
    .executeTakeFirstOrThrow()
  return { ...row, token }
}

/** Records a key's use; at most one write a minute per key (the auth plugin also limits its calls). */
export function touchApiKey(db: Database, id: string) {
  return db
    .updateTable('apiKeys')
    .set({ lastUsedAt: sql<string>`now()` })
    .where('id', '=', id)
    .where((eb) =>
      eb.or([eb('lastUsedAt', 'is', null), eb('lastUsedAt', '<', sql<string>`now() - interval '1 minute'`)]),
    )
    .execute()
}

export function findApiKeyByPrefix(db: Database, prefix: string) {
  return db.selectFrom('apiKeys').selectAll().where('prefix', '=', prefix).executeTakeFirst()
}

export async function revokeApiKey(db: Database, idOrPrefix: string) {
  const column = /^[0-9a-f]{12}$/.test(idOrPrefix) ? 'prefix' : 'id'
  const row = await db
    .updateTable('apiKeys')
    .set({ revokedAt: new Date(), version: sql<number>`version + 1`, updatedAt: sql<string>`now()` })
    .where(column, '=', idOrPrefix)
    .where('revokedAt', 'is', null)
    .returning(['id', 'prefix', 'version'])
    .executeTakeFirst()
  return row
}
