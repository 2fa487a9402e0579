import { sql, type Insertable, type Selectable, type Updateable } from 'kysely'
import type { Database } from '../../db/database.ts'
import type { ProjectTaskTable } from '../../db/types.ts'
import { keyset, type PageRequest, type SortTable } from '../../http/pagination.ts'
import { upsertById } from '../../db/upsert.queries.ts'
import { inferredIs } from '../../db/provenance.queries.ts'
import { provenanceOf, type ProvenanceValue } from '../../schemas/provenance.ts'
import type { ProjectTaskCreateT, ProjectTaskPatchT, ProjectTaskQueryT, ProjectTaskT } from './project-tasks.schemas.ts'

export type ProjectTaskRow = Selectable<ProjectTaskTable>

export const taskSortTable: SortTable = {
  position: { column: 'project_tasks.position', value: (r: ProjectTaskRow) => r.position },
  createdAt: { column: 'project_tasks.created_at', value: (r: ProjectTaskRow) => r.createdAt },
  updatedAt: { column: 'project_tasks.updated_at', value: (r: ProjectTaskRow) => r.updatedAt },
}

/** The one mapping between the table and the API shape (field by field: exports stream exactly this). */
export const toProjectTask = (row: ProjectTaskRow): ProjectTaskT => ({
  id: row.id,
  projectId: row.projectId,
  phase: row.phase as ProjectTaskT['phase'],
  title: row.title,
  status: row.status as ProjectTaskT['status'],
  dueDate: row.dueDate,
  responsibleOrganizationId: row.responsibleOrganizationId,
  quantity: row.quantity,
  durationDays: row.durationDays,
  participants: row.participants,
  position: row.position,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
  version: row.version,
  provenance: provenanceOf(row.provenance),
})

export function listTasks(
  db: Database,
  projectId: string,
  filters: Omit<ProjectTaskQueryT, 'limit' | 'cursor' | 'sort'>,
  page: PageRequest,
) {
  let q = db.selectFrom('projectTasks').selectAll().where('projectId', '=', projectId)
  if (filters.phase) q = q.where('phase', '=', filters.phase)
  if (filters.status) q = q.where('status', '=', filters.status)
  if (filters.responsibleOrganizationId)
    q = q.where('responsibleOrganizationId', '=', filters.responsibleOrganizationId)
  if (filters.updatedSince) q = q.where('updatedAt', '>=', filters.updatedSince)
  if (filters.inferred !== undefined) q = q.where(inferredIs('project_tasks', filters.inferred))
  return keyset(q, page.sort, page.after, page.limit).execute()
}

export function getTask(db: Database, projectId: string, id: string) {
  return db
    .selectFrom('projectTasks')
    .selectAll()
    .where('projectId', '=', projectId)
    .where('id', '=', id)
    .executeTakeFirst()
}

export function lockTask(db: Database, projectId: string, id: string) {
  return db
    .selectFrom('projectTasks')
    .selectAll()
    .where('projectId', '=', projectId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst()
}

/** API input → columns: the ranges are jsonb. */
function taskColumns(input: ProjectTaskCreateT | ProjectTaskPatchT) {
  const { durationDays, participants, ...rest } = input
  const json = (v: object | null) => (v === null ? null : JSON.stringify(v))
  return {
    ...rest,
    ...(durationDays !== undefined ? { durationDays: json(durationDays) } : {}),
    ...(participants !== undefined ? { participants: json(participants) } : {}),
  }
}

export function insertTask(db: Database, projectId: string, input: ProjectTaskCreateT, provenance: ProvenanceValue) {
  // Without a position the task goes after the last one.
  const position =
    input.position ??
    sql<number>`(select least(coalesce(max(position) + 1, 1), 1000000) from project_tasks where project_id = ${projectId})`
  return db
    .insertInto('projectTasks')
    .values({
      ...taskColumns(input),
      projectId,
      position,
      provenance: JSON.stringify(provenance),
    } as Insertable<ProjectTaskTable>)
    .returningAll()
    .executeTakeFirstOrThrow()
}

export function updateTask(db: Database, id: string, patch: ProjectTaskPatchT) {
  if (Object.keys(patch).length === 0)
    return db.selectFrom('projectTasks').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
  return db
    .updateTable('projectTasks')
    .set(taskColumns(patch) as Updateable<ProjectTaskTable>)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow()
}

export function deleteTask(db: Database, id: string) {
  return db.deleteFrom('projectTasks').where('id', '=', id).execute()
}

/** For the seed: upserts tasks by id; returns those inserted or changed. */
export function upsertTasks(db: Database, rows: ({ id: string } & Record<string, unknown>)[], columnNames: string[]) {
  return upsertById(db, 'projectTasks', rows, columnNames)
}
