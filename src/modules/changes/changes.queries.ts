import type { Database } from '../../db/database.ts'

/** For tests and the audit: the changes recorded against one resource, oldest first. */
export function listChangesOf(db: Database, resource: string, resourceId: string) {
  return db
    .selectFrom('changes')
    .selectAll()
    .where('resource', '=', resource)
    .where('resourceId', '=', resourceId)
    .orderBy('id')
    .execute()
}

/** Every resource id an API key has created, changed or deleted (the seed leaves those alone). */
export async function idsWrittenByKeys(db: Database): Promise<string[]> {
  const rows = await db
    .selectFrom('changes')
    .select('resourceId')
    .distinct()
    .where('actorKeyId', 'is not', null)
    .execute()
  return rows.map((r) => r.resourceId)
}
