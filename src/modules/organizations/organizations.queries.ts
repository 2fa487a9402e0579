import { sql, type Selectable } from 'kysely'
import type { Database } from '../../db/database.ts'
import type { OrganizationTable } from '../../db/types.ts'
import { keyset, type PageRequest, type SortTable } from '../../http/pagination.ts'
import { likePattern } from '../../db/text.ts'
import type {
  OrganizationCreateT,
  OrganizationPatchT,
  OrganizationQueryT,
  OrganizationT,
} from './organizations.schemas.ts'
import { upsertRow } from '../../db/upsert.queries.ts'
import { inferredIs } from '../../db/provenance.queries.ts'
import { provenanceOf, type ProvenanceValue } from '../../schemas/provenance.ts'

export type OrganizationRow = Selectable<OrganizationTable>

export const organizationSortTable: SortTable = {
  name: { column: 'organizations.name', value: (r: OrganizationRow) => r.name },
  createdAt: { column: 'organizations.created_at', value: (r: OrganizationRow) => r.createdAt },
  updatedAt: { column: 'organizations.updated_at', value: (r: OrganizationRow) => r.updatedAt },
}

/** The one mapping between the table and the API shape. */
export function toOrganization(row: OrganizationRow): OrganizationT {
  return {
    id: row.id,
    name: row.name,
    acronym: row.acronym,
    kind: row.kind as OrganizationT['kind'],
    country: row.countryCode,
    parentId: row.parentId,
    website: row.website,
    description: row.description,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    version: row.version,
    provenance: provenanceOf(row.provenance),
  }
}

function toColumns<T extends OrganizationCreateT | OrganizationPatchT>(input: T) {
  const { country, ...rest } = input
  return { ...rest, ...(country !== undefined ? { countryCode: country } : {}) } as Omit<T, 'country'> & {
    countryCode?: string | null
  }
}

export function listOrganizations(
  db: Database,
  filters: Omit<OrganizationQueryT, 'limit' | 'cursor' | 'sort'>,
  page: PageRequest,
) {
  let q = db.selectFrom('organizations').selectAll()
  if (filters.kind) q = q.where('kind', '=', filters.kind)
  if (filters.country) q = q.where('countryCode', '=', filters.country)
  if (filters.parentId) q = q.where('parentId', '=', filters.parentId)
  if (filters.updatedSince) q = q.where('updatedAt', '>=', filters.updatedSince)
  if (filters.inferred !== undefined) q = q.where(inferredIs('organizations', filters.inferred))
  if (filters.q) q = q.where(sql<boolean>`(name || ' ' || coalesce(acronym, '')) ilike ${likePattern(filters.q)}`)
  return keyset(q, page.sort, page.after, page.limit).execute()
}

export function getOrganization(db: Database, id: string) {
  return db.selectFrom('organizations').selectAll().where('id', '=', id).executeTakeFirst()
}

export function lockOrganization(db: Database, id: string) {
  return db.selectFrom('organizations').selectAll().where('id', '=', id).forUpdate().executeTakeFirst()
}

export function insertOrganization(db: Database, input: OrganizationCreateT, provenance: ProvenanceValue) {
  return db
    .insertInto('organizations')
    .values({ ...toColumns(input), provenance: JSON.stringify(provenance) })
    .returningAll()
    .executeTakeFirstOrThrow()
}

export function updateOrganization(db: Database, id: string, patch: OrganizationPatchT) {
  const values = toColumns(patch)
  if (Object.keys(values).length === 0)
    return db.selectFrom('organizations').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
  return db.updateTable('organizations').set(values).where('id', '=', id).returningAll().executeTakeFirstOrThrow()
}

export function deleteOrganization(db: Database, id: string) {
  return db.deleteFrom('organizations').where('id', '=', id).execute()
}

/** True when `candidate` is `id` itself or lies below it: making it the parent would close a loop. */
export async function isSelfOrDescendant(db: Database, id: string, candidate: string) {
  const row = await sql<{ found: boolean }>`
    with recursive below as (
      select id from organizations where id = ${id}
      union
      select o.id from organizations o join below b on o.parent_id = b.id
    )
    select exists (select 1 from below where id = ${candidate}) as found`.execute(db)
  return row.rows[0]?.found ?? false
}

/** Organizations by id, for modules that show related organizations. */
export function getOrganizationsByIds(db: Database, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([])
  return db.selectFrom('organizations').selectAll().where('id', 'in', ids).execute()
}

/** Inserts or updates by id; a row whose values are already equal is left alone (no version bump). */
export function upsertOrganization(
  db: Database,
  id: string,
  input: Required<OrganizationCreateT>,
  provenance: ProvenanceValue,
) {
  return upsertRow(db, 'organizations', { id, ...toColumns(input), provenance: JSON.stringify(provenance) })
}

export async function countOrganizations(db: Database): Promise<number> {
  const row = await db
    .selectFrom('organizations')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

export function findOrganizationByIdOrAcronym(db: Database, idOrAcronym: string) {
  const isId = /^[0-9a-f-]{36}$/i.test(idOrAcronym)
  return db
    .selectFrom('organizations')
    .selectAll()
    .where(isId ? 'id' : 'acronym', '=', idOrAcronym)
    .executeTakeFirst()
}
