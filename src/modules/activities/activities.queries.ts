import { sql, type Insertable, type Selectable, type SelectQueryBuilder, type Updateable } from 'kysely'
import type { Database } from '../../db/database.ts'
import type { ActivityTable, DB } from '../../db/types.ts'
import { likePattern } from '../../db/text.ts'
import { keyset, type PageRequest, type SortTable } from '../../http/pagination.ts'
import { describeConstraint } from '../../http/db-errors.ts'
import { areaSubtreeIds } from '../areas/areas.queries.ts'
import { syncJoinRows, upsertById } from '../../db/upsert.queries.ts'
import { inferredIs } from '../../db/provenance.queries.ts'
import { provenanceOf, type ProvenanceValue } from '../../schemas/provenance.ts'
import type {
  ActivityCreateT,
  ActivityOrganizationT,
  ActivityPatchT,
  ActivityQueryT,
  ActivityT,
} from './activities.schemas.ts'

export type ActivityRow = Selectable<ActivityTable> & { organizations: ActivityOrganizationT[] }

/** The countries an activity concerns, in SQL: its own, or its plan's when it names none. */
const activityCountries = (alias: string) =>
  sql`(case when cardinality(${sql.ref(`${alias}.countries`)}) > 0 then ${sql.ref(`${alias}.countries`)} else (select p.countries from plans p where p.id = ${sql.ref(`${alias}.plan_id`)}) end)`

describeConstraint('activities_planned_period', '/body/plannedEnd', 'must not be before plannedStart')
describeConstraint('activities_actual_period', '/body/actualEnd', 'must not be before actualStart')

export const activitySortTable: SortTable = {
  // Natural order (Activity 2 before Activity 10): the cursor holds the sort key, not the code.
  code: { column: 'activities.code_sort', value: (r: ActivityRow) => r.codeSort },
  createdAt: { column: 'activities.created_at', value: (r: ActivityRow) => r.createdAt },
  updatedAt: { column: 'activities.updated_at', value: (r: ActivityRow) => r.updatedAt },
}

/** The one mapping between the table and the API shape (field by field: exports stream exactly this). */
export function toActivity(row: ActivityRow): ActivityT {
  return {
    id: row.id,
    planId: row.planId,
    areaId: row.areaId,
    code: row.code,
    title: row.title,
    description: row.description,
    category: row.category as ActivityT['category'],
    status: row.status as ActivityT['status'],
    countries: row.countries,
    countriesSource: row.countries.length ? 'own' : 'plan',
    plannedStart: row.plannedStart,
    plannedEnd: row.plannedEnd,
    actualStart: row.actualStart,
    actualEnd: row.actualEnd,
    organizations: row.organizations,
    wordings: row.wordings as ActivityT['wordings'],
    documents: row.documents as ActivityT['documents'],
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    version: row.version,
    provenance: provenanceOf(row.provenance),
  }
}

/**
 * Activities with their organizations aggregated in the same statement: a page, a plan's
 * structure or one activity is one round trip whatever its size.
 */
function selectActivities(db: Database) {
  return db
    .selectFrom('activities')
    .selectAll('activities')
    .select([
      sql<ActivityOrganizationT[]>`coalesce((
      select json_agg(json_build_object('organizationId', ao.organization_id, 'role', ao.role) order by ao.position)
      from activity_organizations ao where ao.activity_id = activities.id), '[]'::json)`.as('organizations'),
    ])
}

type ActivityFilters = Omit<ActivityQueryT, 'limit' | 'cursor' | 'sort'>

function filtered<QB extends SelectQueryBuilder<DB, 'activities', any>>(q: QB, f: ActivityFilters): QB {
  if (f.planId) q = q.where('activities.planId', '=', f.planId) as QB
  if (f.areaId) q = q.where(sql<boolean>`activities.area_id in ${areaSubtreeIds(f.areaId)}`) as QB
  if (f.status) q = q.where('activities.status', '=', f.status) as QB
  if (f.category) q = q.where('activities.category', '=', f.category) as QB
  // An activity naming no countries concerns its plan's member countries.
  if (f.country) q = q.where(sql<boolean>`${activityCountries('activities')} @> array[${f.country}]::text[]`) as QB
  if (f.code) q = q.where('activities.code', '=', f.code) as QB
  if (f.updatedSince) q = q.where('activities.updatedAt', '>=', f.updatedSince) as QB
  if (f.inferred !== undefined) q = q.where(inferredIs('activities', f.inferred)) as QB
  if (f.q) q = q.where(sql<boolean>`(activities.code || ' ' || activities.title) ilike ${likePattern(f.q)}`) as QB
  if (f.organizationId || f.role) {
    q = q.where(sql<boolean>`exists (select 1 from activity_organizations ao where ao.activity_id = activities.id
      ${f.organizationId ? sql`and ao.organization_id = ${f.organizationId}` : sql``} ${f.role ? sql`and ao.role = ${f.role}` : sql``})`) as QB
  }
  return q
}

/** The page query, built but not run (the bench compiles it for pgbench). */
export function activitiesPage(db: Database, filters: ActivityFilters, page: PageRequest) {
  return keyset(filtered(selectActivities(db), filters), page.sort, page.after, page.limit)
}

export function listActivities(db: Database, filters: ActivityFilters, page: PageRequest): Promise<ActivityRow[]> {
  return activitiesPage(db, filters, page).execute()
}

/** Every activity of a plan (for its structure), in natural code order. */
export function listActivitiesOfPlan(db: Database, planId: string): Promise<ActivityRow[]> {
  return selectActivities(db)
    .where('activities.planId', '=', planId)
    .orderBy('activities.codeSort')
    .orderBy('activities.id')
    .execute()
}

export function getActivity(db: Database, id: string): Promise<ActivityRow | undefined> {
  return selectActivities(db).where('activities.id', '=', id).executeTakeFirst()
}

export function lockActivity(db: Database, id: string): Promise<ActivityRow | undefined> {
  return selectActivities(db).where('activities.id', '=', id).forUpdate().executeTakeFirst()
}

/** Which plan each activity belongs to (projects cover only activities of their own plan). */
export function getActivityPlans(db: Database, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([])
  return db.selectFrom('activities').select(['id', 'planId', 'countries']).where('id', 'in', ids).execute()
}

function columns(input: ActivityCreateT | ActivityPatchT) {
  const { organizations: _o, documents, wordings, ...rest } = input as ActivityCreateT
  return {
    ...rest,
    ...(documents !== undefined ? { documents: JSON.stringify(documents) } : {}),
    ...(wordings !== undefined ? { wordings: JSON.stringify(wordings) } : {}),
  }
}

export async function insertActivity(db: Database, input: ActivityCreateT, provenance: ProvenanceValue) {
  const row = await db
    .insertInto('activities')
    .values({ ...columns(input), provenance: JSON.stringify(provenance) } as Insertable<ActivityTable>)
    .returning('id')
    .executeTakeFirstOrThrow()
  if (input.organizations?.length) await replaceActivityOrganizations(db, row.id, input.organizations)
  return (await getActivity(db, row.id))!
}

/**
 * Writes the changed columns; a change of the organizations bumps related_revision, which
 * makes the version trigger count it as a change of the activity.
 */
export async function updateActivity(db: Database, id: string, patch: ActivityPatchT, organizationsChanged: boolean) {
  const values: Record<string, unknown> = columns(patch)
  if (organizationsChanged) values.relatedRevision = sql`related_revision + 1`
  if (Object.keys(values).length > 0)
    await db
      .updateTable('activities')
      .set(values as Updateable<ActivityTable>)
      .where('id', '=', id)
      .execute()
  return (await getActivity(db, id))!
}

/** Replaces an activity's organizations unless they are already these, in this order; true when they changed. */
export async function replaceActivityOrganizations(db: Database, id: string, organizations: ActivityOrganizationT[]) {
  const changed = await syncActivityOrganizations(
    db,
    [id],
    organizations.map((o) => ({ owner: id, target: o.organizationId, extra: o.role })),
  )
  return changed.size > 0
}

export function syncActivityOrganizations(
  db: Database,
  activityIds: string[],
  wanted: { owner: string; target: string; extra: string }[],
) {
  return syncJoinRows(
    db,
    { table: 'activityOrganizations', owner: 'activityId', target: 'organizationId', extra: 'role' },
    activityIds,
    wanted,
  )
}

export function deleteActivity(db: Database, id: string) {
  return db.deleteFrom('activities').where('id', '=', id).execute()
}

/** For the seed: upserts activity rows by id; returns those inserted or changed. */
export function upsertActivities(
  db: Database,
  rows: ({ id: string } & Record<string, unknown>)[],
  columnNames: string[],
) {
  return upsertById(db, 'activities', rows, columnNames)
}

/** For the seed: counts a change of organizations as a change of these activities (new version). */
export function touchActivities(db: Database, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([])
  return db
    .updateTable('activities')
    .set({ relatedRevision: sql`related_revision + 1` })
    .where('id', 'in', ids)
    .returning(['id', 'version'])
    .execute()
}

export type MatrixColumns = 'category' | 'organization' | 'country'

/**
 * The activities of a plan counted by (area, column) in one statement. An activity counts once
 * per cell; with organization or country columns it can sit in several cells of its row.
 */
export async function activityMatrixCells(
  db: Database,
  planId: string,
  by: MatrixColumns,
  filters: { role?: string; status?: string },
) {
  const column = { category: sql`a.category`, organization: sql`ao.organization_id::text`, country: sql`c.country` }[by]
  const join = {
    category: sql``,
    organization: sql`left join activity_organizations ao on ao.activity_id = a.id ${filters.role ? sql`and ao.role = ${filters.role}` : sql``}`,
    country: sql`left join lateral unnest(${activityCountries('a')}) as c (country) on true`,
  }[by]
  const result = await sql<{ row: string | null; column: string | null; count: number; activityIds: string[] }>`
    select row_key as row, column_key as column, count(*)::int as count, array_agg(id order by code_sort, id) as activity_ids
    from (
      select distinct a.id, a.code_sort, a.area_id as row_key, ${column} as column_key
      from activities a ${join}
      where a.plan_id = ${planId} ${filters.status ? sql`and a.status = ${filters.status}` : sql``}
    ) cells
    group by row_key, column_key`.execute(db)
  return result.rows
}
