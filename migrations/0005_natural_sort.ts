import { sql, type Kysely } from 'kysely'

// Codes sort naturally: "Activity 2" before "Activity 10", "5.1" before "5.10", "PPC 2" before
// "PPC 12". Each table with a `code` gets code_sort, the code with every run of digits
// zero-padded to 10 digits, and the `code` sort of the lists walks (code_sort, id) on an index,
// so keyset pagination keeps costing what page 1 costs. Numbers longer than 10 digits keep their
// digits (they sort among themselves by their leading digits).
//
// code_sort is collated "C": byte order, the same on every Postgres and on PGlite, whatever the
// server's locale.
//
// It is a plain column that a BEFORE trigger fills, not a generated column: bump_version
// compares NEW with OLD in a BEFORE trigger, where a generated column is still null, so every
// update would look like a change. Triggers of one event fire in name order, so
// <table>_code_sort runs before <table>_version and the comparison sees the new key.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create function natural_sort_key(code text) returns text
    language sql immutable strict parallel safe
    as $$ select regexp_replace(regexp_replace(code, '[0-9]+', '0000000000\\&', 'g'), '0*([0-9]{10,})', '\\1', 'g') $$`.execute(
    db,
  )
  await sql`
    create function set_code_sort() returns trigger language plpgsql as $$
    begin
      new.code_sort := natural_sort_key(new.code);
      return new;
    end $$`.execute(db)

  for (const table of ['plans', 'areas', 'activities', 'projects']) {
    const t = sql.table(table)
    await sql`alter table ${t} add column code_sort text collate "C"`.execute(db)
    // Filling the column is no change of the resource: the version (the ETag) must not move.
    await sql`alter table ${t} disable trigger ${sql.raw(`${table}_version`)}`.execute(db)
    await sql`update ${t} set code_sort = natural_sort_key(code)`.execute(db)
    await sql`alter table ${t} enable trigger ${sql.raw(`${table}_version`)}`.execute(db)
    await sql`alter table ${t} alter column code_sort set not null`.execute(db)
    await sql`create trigger ${sql.raw(`${table}_code_sort`)} before insert or update of code on ${t} for each row execute function set_code_sort()`.execute(
      db,
    )
  }

  // The (code, id) indexes served only the code sort; the unique (plan_id, code) constraints
  // still serve lookups by code. activities_code_id and projects_code_id stay for the `code`
  // filter without a plan.
  for (const index of ['plans_code_id', 'areas_plan_code_id', 'activities_plan_code_id', 'projects_plan_code_id']) {
    await sql`drop index ${sql.raw(index)}`.execute(db)
  }
  await sql`create index plans_code_sort_id on plans (code_sort, id)`.execute(db)
  await sql`create index areas_plan_code_sort_id on areas (plan_id, code_sort, id)`.execute(db)
  await sql`create index activities_code_sort_id on activities (code_sort, id)`.execute(db)
  await sql`create index activities_plan_code_sort_id on activities (plan_id, code_sort, id)`.execute(db)
  await sql`create index projects_code_sort_id on projects (code_sort, id)`.execute(db)
  await sql`create index projects_plan_code_sort_id on projects (plan_id, code_sort, id)`.execute(db)
}
