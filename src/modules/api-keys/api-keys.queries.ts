import { createHash, randomBytes } from 'node:crypto'
import type { Database } from '../../db/database.ts'

export const scopes = ['read', 'plans:write', 'meetings:write', 'training:write', 'participants:read', 'indicators:write', 'admin'] as const
export type Scope = (typeof scopes)[number]

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex')

/** Tokens look like apk_<12 hex prefix>_<secret>; the prefix finds the row, the hash proves it. */
export function parseToken(token: string): string | undefined {
  return /^apk_([0-9a-f]{12})_[A-Za-z0-9_-]{20,}$/.exec(token)?.[1]
}

export async function insertApiKey(db: Database, input: { name: string; organizationId: string | null; scopes: Scope[]; countries: string[] | null }) {
  const prefix = randomBytes(6).toString('hex')
  const token = `apk_${prefix}_${randomBytes(24).toString('base64url')}`
  const row = await db
    .insertInto('apiKeys')
    .values({ ...input, prefix, secretHash: hashToken(token) })
    .returning(['id', 'name', 'prefix', 'organizationId', 'scopes', 'countries', 'createdAt'])
    .executeTakeFirstOrThrow()
  return { ...row, token }
}

export function findApiKeyByPrefix(db: Database, prefix: string) {
  return db.selectFrom('apiKeys').selectAll().where('prefix', '=', prefix).executeTakeFirst()
}

export async function revokeApiKey(db: Database, idOrPrefix: string) {
  const column = /^[0-9a-f]{12}$/.test(idOrPrefix) ? 'prefix' : 'id'
  const row = await db
    .updateTable('apiKeys')
    .set({ revokedAt: new Date() })
    .where(column, '=', idOrPrefix)
    .where('revokedAt', 'is', null)
    .returning(['id', 'prefix'])
    .executeTakeFirst()
  return row
}
