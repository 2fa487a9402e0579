import { sql, type Kysely } from 'kysely'

// Indicator codes sort naturally too ("PPC 2.1" before "PPC 10.1", "1.2" before "1.10"), as the
// codes of plans, areas, activities and projects do since migration 0005, with the same
// natural_sort_key, the same BEFORE trigger (named so it runs before indicators_version) and a
// (code_sort, id) index for the keyset walk of the `code` sort.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table indicators add column code_sort text collate "C"`.execute(db)
  // Filling the column is no change of the resource: the version (the ETag) must not move.
  await sql`alter table indicators disable trigger indicators_version`.execute(db)
  await sql`update indicators set code_sort = natural_sort_key(code)`.execute(db)
  await sql`alter table indicators enable trigger indicators_version`.execute(db)
  await sql`alter table indicators alter column code_sort set not null`.execute(db)
  await sql`create trigger indicators_code_sort before insert or update of code on indicators for each row execute function set_code_sort()`.execute(
    db,
  )
  await sql`drop index indicators_code_id`.execute(db)
  await sql`create index indicators_code_sort_id on indicators (code_sort, id)`.execute(db)
  await sql`create index indicators_plan_code_sort_id on indicators (plan_id, code_sort, id)`.execute(db)
}
