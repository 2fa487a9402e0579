import { sql, type Insertable, type Selectable, type Updateable } from 'kysely'
import type { Database } from '../../db/database.ts'
import type { ProjectTable } from '../../db/types.ts'
import { likePattern } from '../../db/text.ts'
import { keyset, type PageRequest, type SortTable } from '../../http/pagination.ts'
import { syncJoinRows, upsertById } from '../../db/upsert.queries.ts'
import { inferredIs } from '../../db/provenance.queries.ts'
import { provenanceOf, type ProvenanceValue } from '../../schemas/provenance.ts'
import type { ProjectCreateT, ProjectPatchT, ProjectQueryT, ProjectT } from './projects.schemas.ts'

export type ProjectRow = Selectable<ProjectTable> & { activityIds: string[]; linkedProjectIds: string[] }

export const projectSortTable: SortTable = {
  // Natural order (PPC 2 before PPC 12): the cursor holds the sort key, not the code.
  code: { column: 'projects.code_sort', value: (r: ProjectRow) => r.codeSort },
  createdAt: { column: 'projects.created_at', value: (r: ProjectRow) => r.createdAt },
  updatedAt: { column: 'projects.updated_at', value: (r: ProjectRow) => r.updatedAt },
}

/** The one mapping between the table and the API shape (field by field: exports stream exactly this). */
export function toProject(row: ProjectRow): ProjectT {
  return {
    id: row.id,
    planId: row.planId,
    code: row.code,
    title: row.title,
    name: row.name,
    objective: row.objective,
    countries: row.countries,
    notes: row.notes,
    activityIds: row.activityIds,
    linkedProjectIds: row.linkedProjectIds,
    documents: row.documents as ProjectT['documents'],
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    version: row.version,
    provenance: provenanceOf(row.provenance),
  }
}

/** Projects with their covered activities and links aggregated in the same statement. */
function selectProjects(db: Database) {
  return db
    .selectFrom('projects')
    .selectAll('projects')
    .select([
      sql<
        string[]
      >`coalesce((select array_agg(pa.activity_id order by pa.position) from project_activities pa where pa.project_id = projects.id), '{}')`.as(
        'activityIds',
      ),
      sql<
        string[]
      >`coalesce((select array_agg(pl.linked_project_id order by pl.position) from project_links pl where pl.project_id = projects.id), '{}')`.as(
        'linkedProjectIds',
      ),
    ])
}

/** The page query, built but not run (the bench compiles it for pgbench). */
export function projectsPage(
  db: Database,
  filters: Omit<ProjectQueryT, 'limit' | 'cursor' | 'sort'>,
  page: PageRequest,
) {
  let q = selectProjects(db)
  if (filters.planId) q = q.where('projects.planId', '=', filters.planId)
  if (filters.activityId)
    q = q.where(
      sql<boolean>`exists (select 1 from project_activities pa where pa.project_id = projects.id and pa.activity_id = ${filters.activityId})`,
    )
  if (filters.country) q = q.where(sql<boolean>`projects.countries @> array[${filters.country}]::text[]`)
  if (filters.updatedSince) q = q.where('projects.updatedAt', '>=', filters.updatedSince)
  if (filters.inferred !== undefined) q = q.where(inferredIs('projects', filters.inferred))
  if (filters.q) q = q.where(sql<boolean>`(projects.code || ' ' || projects.title) ilike ${likePattern(filters.q)}`)
  return keyset(q, page.sort, page.after, page.limit)
}

export function listProjects(
  db: Database,
  filters: Omit<ProjectQueryT, 'limit' | 'cursor' | 'sort'>,
  page: PageRequest,
): Promise<ProjectRow[]> {
  return projectsPage(db, filters, page).execute()
}

export function getProject(db: Database, id: string): Promise<ProjectRow | undefined> {
  return selectProjects(db).where('projects.id', '=', id).executeTakeFirst()
}

export function lockProject(db: Database, id: string): Promise<ProjectRow | undefined> {
  return selectProjects(db).where('projects.id', '=', id).forUpdate().executeTakeFirst()
}

/** For the sub-collections (results, tasks): the project's plan and countries, or undefined. */
export function getProjectSummary(db: Database, id: string) {
  return db.selectFrom('projects').select(['id', 'planId', 'countries']).where('id', '=', id).executeTakeFirst()
}

function columns(input: ProjectCreateT | ProjectPatchT) {
  const { activityIds: _a, linkedProjectIds: _l, documents, ...rest } = input as ProjectCreateT
  return { ...rest, ...(documents !== undefined ? { documents: JSON.stringify(documents) } : {}) }
}

export async function insertProject(db: Database, input: ProjectCreateT, provenance: ProvenanceValue) {
  const row = await db
    .insertInto('projects')
    .values({ ...columns(input), provenance: JSON.stringify(provenance) } as Insertable<ProjectTable>)
    .returning('id')
    .executeTakeFirstOrThrow()
  await replaceProjectRelations(db, row.id, input)
  return (await getProject(db, row.id))!
}

/** Writes the changed columns; a change of covered activities or links bumps the version too. */
export async function updateProject(db: Database, id: string, patch: ProjectPatchT, relationsChanged: boolean) {
  const values: Record<string, unknown> = columns(patch)
  if (relationsChanged) values.relatedRevision = sql`related_revision + 1`
  if (Object.keys(values).length > 0)
    await db
      .updateTable('projects')
      .set(values as Updateable<ProjectTable>)
      .where('id', '=', id)
      .execute()
  return (await getProject(db, id))!
}

/** Replaces the covered activities and links that were sent, unless equal; true when any changed. */
export async function replaceProjectRelations(
  db: Database,
  id: string,
  input: { activityIds?: string[]; linkedProjectIds?: string[] },
) {
  let changed = false
  if (input.activityIds)
    changed =
      (
        await syncProjectActivities(
          db,
          [id],
          input.activityIds.map((a) => ({ owner: id, target: a })),
        )
      ).size > 0 || changed
  if (input.linkedProjectIds)
    changed =
      (
        await syncProjectLinks(
          db,
          [id],
          input.linkedProjectIds.map((p) => ({ owner: id, target: p })),
        )
      ).size > 0 || changed
  return changed
}

export function syncProjectActivities(db: Database, projectIds: string[], wanted: { owner: string; target: string }[]) {
  return syncJoinRows(db, { table: 'projectActivities', owner: 'projectId', target: 'activityId' }, projectIds, wanted)
}

export function syncProjectLinks(db: Database, projectIds: string[], wanted: { owner: string; target: string }[]) {
  return syncJoinRows(db, { table: 'projectLinks', owner: 'projectId', target: 'linkedProjectId' }, projectIds, wanted)
}

export function deleteProject(db: Database, id: string) {
  return db.deleteFrom('projects').where('id', '=', id).execute()
}

/** For the seed: upserts project rows by id; returns those inserted or changed. */
export function upsertProjects(
  db: Database,
  rows: ({ id: string } & Record<string, unknown>)[],
  columnNames: string[],
) {
  return upsertById(db, 'projects', rows, columnNames)
}

/** For the seed: counts a change of covered activities or links as a change of these projects. */
export function touchProjects(db: Database, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([])
  return db
    .updateTable('projects')
    .set({ relatedRevision: sql`related_revision + 1` })
    .where('id', 'in', ids)
    .returning(['id', 'version'])
    .execute()
}
