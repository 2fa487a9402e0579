import type { Database } from '../../db/database.ts'

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

/** For tests and the audit: the changes recorded against one resource, oldest first. */
export function listChangesOf(db: Database, resource: string, resourceId: string) {
  return db.selectFrom('changes').selectAll().where('resource', '=', resource).where('resourceId', '=', resourceId).orderBy('id').execute()
}
