import { sql, type Insertable, type Selectable, type Updateable } from 'kysely'
import type { Database } from '../../db/database.ts'
import type { PlanTable } from '../../db/types.ts'
import { likePattern } from '../../db/text.ts'
import { keyset, type PageRequest, type SortTable } from '../../http/pagination.ts'
import { describeConstraint } from '../../http/db-errors.ts'
import type { PlanCreateT, PlanPatchT, PlanQueryT, PlanT } from './plans.schemas.ts'
import { upsertById } from '../../db/upsert.queries.ts'

export type PlanRow = Selectable<PlanTable>

describeConstraint('plans_period', '/body/endDate', 'must not be before startDate')
describeConstraint('plans_not_own_predecessor', '/body/supersedesId', 'a plan cannot supersede itself')

export const planSortTable: SortTable = {
  code: { column: 'plans.code', value: (r: PlanRow) => r.code },
  createdAt: { column: 'plans.created_at', value: (r: PlanRow) => r.createdAt },
  updatedAt: { column: 'plans.updated_at', value: (r: PlanRow) => r.updatedAt },
}

/** The one mapping between the table and the API shape (field by field: exports stream exactly this). */
export function toPlan(row: PlanRow): PlanT {
  const adopted = row.adoptionDate !== null || row.adoptionPlace !== null || row.adoptionMeeting !== null
  return {
    id: row.id,
    code: row.code,
    title: row.title,
    initiativeId: row.initiativeId,
    status: row.status as PlanT['status'],
    countries: row.countries,
    startDate: row.startDate,
    endDate: row.endDate,
    supersedesId: row.supersedesId,
    adoption: adopted ? { date: row.adoptionDate, place: row.adoptionPlace, meeting: row.adoptionMeeting } : null,
    description: row.description,
    documents: row.documents as PlanT['documents'],
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    version: row.version,
  }
}

/** API input → columns. A merge patch of `adoption` changes only the sub-fields it names. */
export function planColumns(input: PlanCreateT | PlanPatchT) {
  const { adoption, documents, ...rest } = input
  const out: Record<string, unknown> = { ...rest }
  if (documents !== undefined) out.documents = JSON.stringify(documents)
  if (adoption === null) Object.assign(out, { adoptionDate: null, adoptionPlace: null, adoptionMeeting: null })
  else if (adoption) {
    if (adoption.date !== undefined) out.adoptionDate = adoption.date
    if (adoption.place !== undefined) out.adoptionPlace = adoption.place
    if (adoption.meeting !== undefined) out.adoptionMeeting = adoption.meeting
  }
  return out
}

export function listPlans(db: Database, filters: Omit<PlanQueryT, 'limit' | 'cursor' | 'sort'>, page: PageRequest) {
  let q = db.selectFrom('plans').selectAll()
  if (filters.status) q = q.where('status', '=', filters.status)
  if (filters.country) q = q.where(sql<boolean>`plans.countries @> array[${filters.country}]::text[]`)
  if (filters.initiativeId) q = q.where('initiativeId', '=', filters.initiativeId)
  if (filters.updatedSince) q = q.where('updatedAt', '>=', filters.updatedSince)
  if (filters.q) q = q.where(sql<boolean>`(plans.code || ' ' || plans.title) ilike ${likePattern(filters.q)}`)
  return keyset(q, page.sort, page.after, page.limit).execute()
}

export function getPlan(db: Database, id: string) {
  return db.selectFrom('plans').selectAll().where('id', '=', id).executeTakeFirst()
}

export function lockPlan(db: Database, id: string) {
  return db.selectFrom('plans').selectAll().where('id', '=', id).forUpdate().executeTakeFirst()
}

/** For modules whose rows belong to a plan: the plan's id and countries, or undefined. */
export function getPlanSummary(db: Database, id: string) {
  return db.selectFrom('plans').select(['id', 'code', 'countries', 'version']).where('id', '=', id).executeTakeFirst()
}

export function insertPlan(db: Database, input: PlanCreateT) {
  return db.insertInto('plans').values(planColumns(input) as Insertable<PlanTable>).returningAll().executeTakeFirstOrThrow()
}

export function updatePlan(db: Database, id: string, patch: PlanPatchT) {
  const values = planColumns(patch) as Updateable<PlanTable>
  if (Object.keys(values).length === 0) return db.selectFrom('plans').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
  return db.updateTable('plans').set(values).where('id', '=', id).returningAll().executeTakeFirstOrThrow()
}

export function deletePlan(db: Database, id: string) {
  return db.deleteFrom('plans').where('id', '=', id).execute()
}

/** True when `candidate`'s chain of superseded plans reaches `id`: `id` superseding it would close a loop. */
export async function supersedesChainReaches(db: Database, candidate: string, id: string) {
  const row = await sql<{ found: boolean }>`
    with recursive chain as (
      select id, supersedes_id from plans where id = ${candidate}
      union
      select p.id, p.supersedes_id from plans p join chain c on p.id = c.supersedes_id
    )
    select exists (select 1 from chain where id = ${id}) as found`.execute(db)
  return row.rows[0]?.found ?? false
}

/** For the seed: upserts plan rows by id; returns those inserted or changed. */
export function upsertPlans(db: Database, rows: ({ id: string } & Record<string, unknown>)[], columnNames: string[]) {
  return upsertById(db, 'plans', rows, columnNames)
}
