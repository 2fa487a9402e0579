import type { Selectable } from 'kysely'
import type { Database } from '../../db/database.ts'
import type { CountryTable } from '../../db/types.ts'
import { likePattern } from '../../db/text.ts'
import { keyset, type PageRequest, type SortTable } from '../../http/pagination.ts'
import type { CountryT } from './countries.schemas.ts'

type CountryRow = Selectable<CountryTable>

export const countrySortTable: SortTable = {
  code: { column: 'countries.code', value: (r: CountryRow) => r.code },
  name: { column: 'countries.name', value: (r: CountryRow) => r.name },
}

export const toCountry = (row: CountryRow): CountryT => ({ ...row, createdAt: row.createdAt, updatedAt: row.updatedAt })

export function listCountries(db: Database, filters: { q?: string; region?: string }, page: PageRequest) {
  let q = db.selectFrom('countries').selectAll()
  if (filters.region)
    q = q.where((eb) => eb.or([eb('region', '=', filters.region!), eb('subregion', '=', filters.region!)]))
  if (filters.q)
    q = q.where((eb) =>
      eb.or([eb('name', 'ilike', likePattern(filters.q!)), eb('code', '=', filters.q!.toUpperCase())]),
    )
  return keyset(q, page.sort, page.after, page.limit).execute()
}

export function getCountry(db: Database, code: string) {
  return db.selectFrom('countries').selectAll().where('code', '=', code).executeTakeFirst()
}
