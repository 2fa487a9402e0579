import { sql, type Insertable, type Selectable, type Updateable } from 'kysely'
import type { Database } from '../../db/database.ts'
import type { ProjectResultTable } from '../../db/types.ts'
import { keyset, type PageRequest, type SortTable } from '../../http/pagination.ts'
import { upsertById } from '../../db/upsert.queries.ts'
import { inferredIs } from '../../db/provenance.queries.ts'
import { provenanceOf, type ProvenanceValue } from '../../schemas/provenance.ts'
import type { ProjectResultCreateT, ProjectResultPatchT, ProjectResultT } from './project-results.schemas.ts'

export type ProjectResultRow = Selectable<ProjectResultTable>

export const resultSortTable: SortTable = {
  position: { column: 'project_results.position', value: (r: ProjectResultRow) => r.position },
  createdAt: { column: 'project_results.created_at', value: (r: ProjectResultRow) => r.createdAt },
  updatedAt: { column: 'project_results.updated_at', value: (r: ProjectResultRow) => r.updatedAt },
}

/** The one mapping between the table and the API shape (field by field: exports stream exactly this). */
export const toProjectResult = (row: ProjectResultRow): ProjectResultT => ({
  id: row.id,
  projectId: row.projectId,
  position: row.position,
  statement: row.statement,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
  version: row.version,
  provenance: provenanceOf(row.provenance),
})

export function listResults(
  db: Database,
  projectId: string,
  filters: { updatedSince?: string; inferred?: boolean },
  page: PageRequest,
) {
  let q = db.selectFrom('projectResults').selectAll().where('projectId', '=', projectId)
  if (filters.updatedSince) q = q.where('updatedAt', '>=', filters.updatedSince)
  if (filters.inferred !== undefined) q = q.where(inferredIs('project_results', filters.inferred))
  return keyset(q, page.sort, page.after, page.limit).execute()
}

/** The statements of the given results, whatever their project (one query for a plan's IATI results). */
export function getResultStatements(db: Database, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([])
  return db.selectFrom('projectResults').select(['id', 'statement']).where('id', 'in', ids).execute()
}

export function getResult(db: Database, projectId: string, id: string) {
  return db
    .selectFrom('projectResults')
    .selectAll()
    .where('projectId', '=', projectId)
    .where('id', '=', id)
    .executeTakeFirst()
}

export function lockResult(db: Database, projectId: string, id: string) {
  return db
    .selectFrom('projectResults')
    .selectAll()
    .where('projectId', '=', projectId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst()
}

export function insertResult(
  db: Database,
  projectId: string,
  input: ProjectResultCreateT,
  provenance: ProvenanceValue,
) {
  // Without a position the result goes after the last one.
  const position =
    input.position ??
    sql<number>`(select least(coalesce(max(position) + 1, 1), 1000000) from project_results where project_id = ${projectId})`
  return db
    .insertInto('projectResults')
    .values({ ...input, projectId, position, provenance: JSON.stringify(provenance) } as Insertable<ProjectResultTable>)
    .returningAll()
    .executeTakeFirstOrThrow()
}

export function updateResult(db: Database, id: string, patch: ProjectResultPatchT) {
  if (Object.keys(patch).length === 0)
    return db.selectFrom('projectResults').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
  return db
    .updateTable('projectResults')
    .set(patch as Updateable<ProjectResultTable>)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow()
}

export function deleteResult(db: Database, id: string) {
  return db.deleteFrom('projectResults').where('id', '=', id).execute()
}

/** For the seed: upserts results by id; returns those inserted or changed. */
export function upsertResults(db: Database, rows: ({ id: string } & Record<string, unknown>)[], columnNames: string[]) {
  return upsertById(db, 'projectResults', rows, columnNames)
}
