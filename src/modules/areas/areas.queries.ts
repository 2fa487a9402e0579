import { sql, type Insertable, type Selectable, type Updateable } from 'kysely'
import type { Database } from '../../db/database.ts'
import type { AreaTable } from '../../db/types.ts'
import { likePattern } from '../../db/text.ts'
import { keyset, type PageRequest, type SortTable } from '../../http/pagination.ts'
import { describeConstraint } from '../../http/db-errors.ts'
import type { AreaCreateT, AreaPatchT, AreaQueryT, AreaT } from './areas.schemas.ts'
import { upsertById } from '../../db/upsert.queries.ts'
import { inferredIs } from '../../db/provenance.queries.ts'
import { provenanceOf, type ProvenanceValue } from '../../schemas/provenance.ts'

export type AreaRow = Selectable<AreaTable>

describeConstraint('areas_not_own_parent', '/body/parentId', 'a node cannot be its own parent')

export const areaSortTable: SortTable = {
  // Natural order (5.1, 5.2 … 5.10): the cursor holds the sort key, not the code.
  code: { column: 'areas.code_sort', value: (r: AreaRow) => r.codeSort },
  position: { column: 'areas.position', value: (r: AreaRow) => r.position },
  createdAt: { column: 'areas.created_at', value: (r: AreaRow) => r.createdAt },
  updatedAt: { column: 'areas.updated_at', value: (r: AreaRow) => r.updatedAt },
}

/** The one mapping between the table and the API shape (field by field: exports stream exactly this). */
export function toArea(row: AreaRow): AreaT {
  return {
    id: row.id,
    planId: row.planId,
    parentId: row.parentId,
    code: row.code,
    title: row.title,
    kind: row.kind,
    position: row.position,
    description: row.description,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    version: row.version,
    provenance: provenanceOf(row.provenance),
  }
}

export function listAreas(
  db: Database,
  planId: string,
  filters: Omit<AreaQueryT, 'limit' | 'cursor' | 'sort'>,
  page: PageRequest,
) {
  let q = db.selectFrom('areas').selectAll().where('planId', '=', planId)
  if (filters.parentId) q = q.where('parentId', '=', filters.parentId)
  if (filters.kind) q = q.where('kind', '=', filters.kind)
  if (filters.updatedSince) q = q.where('updatedAt', '>=', filters.updatedSince)
  if (filters.inferred !== undefined) q = q.where(inferredIs('areas', filters.inferred))
  if (filters.q) q = q.where(sql<boolean>`(areas.code || ' ' || areas.title) ilike ${likePattern(filters.q)}`)
  return keyset(q, page.sort, page.after, page.limit).execute()
}

/** Every node of a plan, siblings in order (position, then natural code): one statement whatever the plan's size. */
export function listAreasOfPlan(db: Database, planId: string) {
  return db
    .selectFrom('areas')
    .selectAll()
    .where('planId', '=', planId)
    .orderBy('position')
    .orderBy('codeSort')
    .orderBy('id')
    .execute()
}

export function getArea(db: Database, planId: string, id: string) {
  return db.selectFrom('areas').selectAll().where('planId', '=', planId).where('id', '=', id).executeTakeFirst()
}

export function lockArea(db: Database, planId: string, id: string) {
  return db
    .selectFrom('areas')
    .selectAll()
    .where('planId', '=', planId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst()
}

/** Which plan each node belongs to (for activities, whose area must be in their plan). */
export function getAreaPlans(db: Database, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([])
  return db.selectFrom('areas').select(['id', 'planId']).where('id', 'in', ids).execute()
}

/** A subquery of the ids of a node and every node below it, to embed in another module's filter. */
export function areaSubtreeIds(areaId: string) {
  return sql<string>`(
    with recursive subtree as (
      select id from areas where id = ${areaId}
      union all
      select a.id from areas a join subtree s on a.parent_id = s.id
    )
    select id from subtree)`
}

export function insertArea(db: Database, planId: string, input: AreaCreateT, provenance: ProvenanceValue) {
  const parentId = input.parentId ?? null
  // Without a position the node goes after its last sibling.
  const position =
    input.position ??
    sql<number>`(select least(coalesce(max(position) + 1, 0), 1000000) from areas where plan_id = ${planId} and parent_id is not distinct from ${parentId})`
  return db
    .insertInto('areas')
    .values({ ...input, planId, parentId, position, provenance: JSON.stringify(provenance) } as Insertable<AreaTable>)
    .returningAll()
    .executeTakeFirstOrThrow()
}

export function updateArea(db: Database, id: string, patch: AreaPatchT) {
  if (Object.keys(patch).length === 0)
    return db.selectFrom('areas').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
  return db
    .updateTable('areas')
    .set(patch as Updateable<AreaTable>)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow()
}

export function deleteArea(db: Database, id: string) {
  return db.deleteFrom('areas').where('id', '=', id).execute()
}

/** True when `candidate` is `id` itself or lies below it: making it the parent would close a loop. */
export async function isSelfOrDescendant(db: Database, id: string, candidate: string) {
  const row = await sql<{ found: boolean }>`
    select exists (select 1 from ${areaSubtreeIds(id)} as below (id) where id = ${candidate}) as found`.execute(db)
  return row.rows[0]?.found ?? false
}

/** For the seed: upserts nodes by id (parents and children in one statement); returns those inserted or changed. */
export function upsertAreas(db: Database, rows: ({ id: string } & Record<string, unknown>)[], columnNames: string[]) {
  return upsertById(db, 'areas', rows, columnNames)
}
