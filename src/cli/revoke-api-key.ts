import { revokeApiKey } from '../modules/api-keys/api-keys.queries.ts'
import { withDatabase } from './run.ts'

// npm run key:revoke -- <key id or 12-character prefix>
const target = process.argv[2]
await withDatabase(async (db) => {
  if (!target) throw new Error('Usage: npm run key:revoke -- <key id or prefix>')
  const row = await revokeApiKey(db, target)
  if (!row) throw new Error(`No active key ${target}`)
  console.log(`Revoked ${row.id} (apk_${row.prefix}_…). Running nodes stop accepting it within 10 s.`)
})
