import { randomBytes } from 'node:crypto'
import type { Database } from '../../db/database.ts'
import { hashToken, type Scope } from '../../http/access.ts'

export { scopes, type Scope } from '../../http/access.ts'

export async function insertApiKey(
  db: Database,
  input: { name: string; organizationId: string | null; scopes: Scope[]; countries: string[] | null },
) {
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
