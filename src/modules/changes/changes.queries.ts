import type { Database } from '../../db/database.ts'

/** For tests and the audit: the changes recorded against one resource, oldest first. */
export function listChangesOf(db: Database, resource: string, resourceId: string) {
  return db.selectFrom('changes').selectAll().where('resource', '=', resource).where('resourceId', '=', resourceId).orderBy('id').execute()
}
