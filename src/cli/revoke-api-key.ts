import { revokeApiKey } from '../modules/api-keys/api-keys.queries.ts'
import { insertChanges } from '../http/writes.queries.ts'
import { withDatabase } from './run.ts'

// npm run key:revoke -- <key id or 12-character prefix>
const target = process.argv[2]
await withDatabase(async (db) => {
  if (!target) throw new Error('Usage: npm run key:revoke -- <key id or prefix>')
  const row = await db.transaction().execute(async (trx) => {
    const revoked = await revokeApiKey(trx, target)
    if (revoked)
      await insertChanges(trx, null, [
        {
          resource: 'api-key',
          resourceId: revoked.id,
          operation: 'update',
          version: revoked.version,
          fields: ['revokedAt'],
        },
      ])
    return revoked
  })
  if (!row) throw new Error(`No active key ${target}`)
  console.log(`Revoked ${row.id} (apk_${row.prefix}_…). Running nodes stop accepting it within 10 s.`)
})
