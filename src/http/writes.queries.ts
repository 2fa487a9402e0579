import type { Database } from '../db/database.ts'

// The change log's write side: every write appends its changes in its own transaction (writes.ts).
// The changes module reads them (the audit, the feed).

export interface ChangeInput {
  resource: string
  resourceId: string
  operation: 'create' | 'update' | 'delete'
  version: number
  fields: string[]
}

export async function insertChanges(db: Database, actorKeyId: string | null, changes: ChangeInput[]) {
  if (changes.length === 0) return
  await db
    .insertInto('changes')
    .values(changes.map((c) => ({ ...c, actorKeyId })))
    .execute()
}
