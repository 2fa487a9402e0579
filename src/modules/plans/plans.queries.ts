import { sql, type Insertable, type Selectable, type Updateable } from 'kysely'
import type { Database } from '../../db/database.ts'
import type { PlanTable } from '../../db/types.ts'
import { likePattern, prefixPattern, wordStartPattern } from '../../db/text.ts'
import { keyset, type PageRequest, type SortTable } from '../../http/pagination.ts'
import { describeConstraint } from '../../http/db-errors.ts'
import type { AdoptionT, MilestoneT, PlanCreateT, PlanPatchT, PlanQueryT, PlanT } from './plans.schemas.ts'
import { upsertById } from '../../db/upsert.queries.ts'
import { inferredIs } from '../../db/provenance.queries.ts'
import { provenanceOf, type ProvenanceValue } from '../../schemas/provenance.ts'

export type PlanRow = Selectable<PlanTable>

describeConstraint('plans_period', '/body/endDate', 'must not be before startDate')
describeConstraint('plans_not_own_predecessor', '/body/supersedesId', 'a plan cannot supersede itself')
// The spans are filled in and checked before the write (plan-dates.ts); these name a field should one slip through.
describeConstraint('plans_adoption_period', '/body/adoption/endDate', 'must be on or after date')
describeConstraint('plans_adoption_end_needs_date', '/body/adoption/date', 'is required when endDate is given')
describeConstraint('plans_adoption_precision_needs_date', '/body/adoption/datePrecision', 'is given with date only')

export const planSortTable: SortTable = {
  // Natural order (SPA 2 before SPA 10): the cursor holds the sort key, not the code.
  code: { column: 'plans.code_sort', value: (r: PlanRow) => r.codeSort },
  // Only with q (listPlans computes search_key from it); the cursor is bound to q, so the key
  // of a row is the same on every page.
  relevance: { column: 'plans.search_key', value: (r: PlanRow & { searchKey: string }) => r.searchKey },
  createdAt: { column: 'plans.created_at', value: (r: PlanRow) => r.createdAt },
  updatedAt: { column: 'plans.updated_at', value: (r: PlanRow) => r.updatedAt },
}

/** The one mapping between the table and the API shape (field by field: exports stream exactly this). */
export function toPlan(row: PlanRow): PlanT {
  const adopted = row.adoptionDate !== null || row.adoptionPlace !== null || row.adoptionMeeting !== null
  const precision = row.adoptionDatePrecision as PlanT['milestones'][number]['datePrecision']
  return {
    id: row.id,
    code: row.code,
    title: row.title,
    initiativeId: row.initiativeId,
    status: row.status as PlanT['status'],
    countries: row.countries,
    region: row.region,
    startDate: row.startDate,
    endDate: row.endDate,
    supersedesId: row.supersedesId,
    adoption: adopted
      ? {
          date: row.adoptionDate,
          endDate: row.adoptionEndDate,
          datePrecision: precision,
          place: row.adoptionPlace,
          meeting: row.adoptionMeeting,
        }
      : null,
    milestones: row.milestones as PlanT['milestones'],
    description: row.description,
    documents: row.documents as PlanT['documents'],
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    version: row.version,
    provenance: provenanceOf(row.provenance),
  }
}

/** A write as the routes pass it: the adoption already merged and its span filled in (plan-dates.ts). */
export type PlanWrite = Omit<PlanCreateT | PlanPatchT, 'adoption' | 'milestones'> & {
  adoption?: AdoptionT | null
  milestones?: MilestoneT[]
}

/** API input → columns. */
export function planColumns(input: PlanWrite) {
  const { adoption, documents, milestones, ...rest } = input
  const out: Record<string, unknown> = { ...rest }
  if (documents !== undefined) out.documents = JSON.stringify(documents)
  if (milestones !== undefined) out.milestones = JSON.stringify(milestones)
  if (adoption !== undefined)
    Object.assign(out, {
      adoptionDate: adoption?.date ?? null,
      adoptionEndDate: adoption?.endDate ?? null,
      adoptionDatePrecision: adoption?.datePrecision ?? null,
      adoptionPlace: adoption?.place ?? null,
      adoptionMeeting: adoption?.meeting ?? null,
    })
  return out
}

/**
 * How well a plan matches the search term, best first: 0 its code is the term (any case),
 * 1 its code or title starts with it, 2 a word of either starts with it, 3 it is elsewhere in
 * them. The key is the tier followed by the natural code sort key, so ties read in code order
 * and (key, id) is a total order that keyset pagination can walk.
 */
function searchKey(term: string) {
  return sql<string>`((case
      when lower(plans.code) = lower(${term}) then '0'
      when plans.code ilike ${prefixPattern(term)} or plans.title ilike ${prefixPattern(term)} then '1'
      when (plans.code || ' ' || plans.title) ~* ${wordStartPattern(term)} then '2'
      else '3'
    end) || plans.code_sort) collate "C"`
}

export function listPlans(
  db: Database,
  filters: Omit<PlanQueryT, 'limit' | 'cursor' | 'sort'>,
  page: PageRequest,
): Promise<PlanRow[]> {
  let q = db.selectFrom('plans').selectAll()
  if (filters.code) q = q.where('code', '=', filters.code)
  if (filters.status) q = q.where('status', '=', filters.status)
  if (filters.region) q = q.where('region', '=', filters.region)
  if (filters.country) q = q.where(sql<boolean>`plans.countries @> array[${filters.country}]::text[]`)
  if (filters.initiativeId) q = q.where('initiativeId', '=', filters.initiativeId)
  if (filters.updatedSince) q = q.where('updatedAt', '>=', filters.updatedSince)
  if (filters.inferred !== undefined) q = q.where(inferredIs('plans', filters.inferred))
  if (filters.q) q = q.where(sql<boolean>`(plans.code || ' ' || plans.title) ilike ${likePattern(filters.q)}`)
  if (page.sort.column === planSortTable.relevance!.column) {
    if (!filters.q) throw new Error('the relevance sort needs q') // the route answers 400 before this
    // The key is an expression: computed in a subquery named like the table, so the keyset
    // condition and order can name it as a column.
    const ranked = q.select(searchKey(filters.q).as('searchKey'))
    return keyset(db.selectFrom(ranked.as('plans')).selectAll(), page.sort, page.after, page.limit).execute()
  }
  return keyset(q, page.sort, page.after, page.limit).execute()
}

export function getPlan(db: Database, id: string) {
  return db.selectFrom('plans').selectAll().where('id', '=', id).executeTakeFirst()
}

/** The plan with this code (codes are unique; the comparison is exact). */
export function getPlanByCode(db: Database, code: string) {
  return db.selectFrom('plans').selectAll().where('code', '=', code).executeTakeFirst()
}

/** Digest of a plan's rows of one table: how many, and each one's id, version and update time. */
const rowsDigest = (table: 'areas' | 'activities') =>
  sql`(select count(*) || ':' || md5(coalesce(string_agg(t.id || ':' || t.version || ':' || t.updated_at, ',' order by t.id), '')) from ${sql.table(table)} t where t.plan_id = plans.id)`

/**
 * The plan and the tag of its structure view: a digest of the plan's version and of every node
 * and activity of the plan (id, version, updated_at). Any write to one of them bumps its
 * version; a delete removes an id; a row deleted and created again with the same id (the seed's
 * name-based ids) has a new updated_at. So the tag changes whenever the view does.
 */
export function getPlanWithStructureTag(db: Database, id: string) {
  return db
    .selectFrom('plans')
    .selectAll()
    .select(
      sql<string>`md5(concat_ws('|', plans.version, plans.updated_at, ${rowsDigest('areas')}, ${rowsDigest('activities')}))`.as(
        'structureTag',
      ),
    )
    .where('id', '=', id)
    .executeTakeFirst()
}

export function lockPlan(db: Database, id: string) {
  return db.selectFrom('plans').selectAll().where('id', '=', id).forUpdate().executeTakeFirst()
}

/** For modules whose rows belong to a plan: the plan's id and countries, or undefined. */
export function getPlanSummary(db: Database, id: string) {
  return db.selectFrom('plans').select(['id', 'code', 'countries', 'version']).where('id', '=', id).executeTakeFirst()
}

export function insertPlan(
  db: Database,
  input: PlanWrite & Pick<PlanCreateT, 'code' | 'title'>,
  provenance: ProvenanceValue,
) {
  return db
    .insertInto('plans')
    .values({ ...planColumns(input), provenance: JSON.stringify(provenance) } as Insertable<PlanTable>)
    .returningAll()
    .executeTakeFirstOrThrow()
}

export function updatePlan(db: Database, id: string, patch: PlanWrite) {
  const values = planColumns(patch) as Updateable<PlanTable>
  if (Object.keys(values).length === 0)
    return db.selectFrom('plans').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
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
