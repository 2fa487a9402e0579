import { readFileSync } from 'node:fs'
import type { Kysely } from 'kysely'

// ISO 3166-1 as of this migration, frozen beside it (a later change to the list is a new
// migration). Countries are reference data: every database has them from the start.
export async function up(db: Kysely<any>): Promise<void> {
  const rows = JSON.parse(readFileSync(new URL('./0002_countries.json', import.meta.url), 'utf8')) as {
    code: string
    name: string
    region: string | null
    subregion: string | null
  }[]
  await db
    .insertInto('countries')
    .values(rows)
    .onConflict((oc) => oc.column('code').doNothing())
    .execute()
}
