import { sql, type Kysely } from 'kysely'

// Provenance (issue 14): every record says where its values come from. A `provenance jsonb`
// column on each resource table holds { origin, sources, inferred, doubtful, createdBy } (the
// `Provenance` schema): the seed writes the citations of the source documents, the API writes
// the key that created the row. NULL means "written before this column and not attributed yet".
//
// Rows that exist now:
// - created through the API (a 'create' change with an actor key): their provenance is known
//   from the change log, and written here;
// - created by the seed: only the seed knows their citations (data/provenance/), so it fills
//   them in on its next run (src/seed/provenance-data.ts);
// - anything else (written with psql): stays NULL, returned as origin `api` with no key.
//
// Neither fill is a change of the record: the values were always these, only the column is new.
// So the version (the ETag), updated_at and the change log stay as they are. Here the version
// trigger is disabled for the backfill (as in 0005); for the seed, bump_version learns one rule:
// a row whose provenance goes from NULL to a value, with nothing else changed, keeps its version.
// No API write can take that branch: provenance is not writable, so a PATCH leaves it as it is.
const tables: [table: string, resource: string][] = [
  ['organizations', 'organization'],
  ['plans', 'plan'],
  ['areas', 'area'],
  ['activities', 'activity'],
  ['projects', 'project'],
  ['project_results', 'project-result'],
  ['project_tasks', 'project-task'],
  ['meetings', 'meeting'],
  ['outcomes', 'outcome'],
]

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create or replace function bump_version() returns trigger language plpgsql as $$
    begin
      new.version := old.version;
      new.created_at := old.created_at;
      new.updated_at := old.updated_at;
      if row(new.*) is distinct from row(old.*) then
        -- A first provenance on a row that had none (migration 0008) is not a change of the record.
        if coalesce(to_jsonb(old) -> 'provenance' = 'null'::jsonb
            and to_jsonb(new) - 'provenance' = to_jsonb(old) - 'provenance', false) then
          return new;
        end if;
        new.version := old.version + 1;
        new.updated_at := now();
      end if;
      return new;
    end $$`.execute(db)

  for (const [table, resource] of tables) {
    const t = sql.table(table)
    await sql`alter table ${t} add column provenance jsonb
      constraint ${sql.raw(`${table}_provenance_object`)} check (jsonb_typeof(provenance) = 'object')`.execute(db)
    await sql`alter table ${t} disable trigger ${sql.raw(`${table}_version`)}`.execute(db)
    await sql`
      update ${t} r set provenance = jsonb_build_object('origin', 'api', 'sources', '[]'::jsonb, 'inferred', '[]'::jsonb,
        'doubtful', '[]'::jsonb, 'createdBy', jsonb_build_object('keyId', c.actor_key_id))
      from changes c
      where c.resource = ${resource} and c.resource_id = r.id::text and c.operation = 'create' and c.actor_key_id is not null`.execute(
      db,
    )
    await sql`alter table ${t} enable trigger ${sql.raw(`${table}_version`)}`.execute(db)
  }

  // `?inferred=true` on the flat lists, in their default order: a partial index holding only the
  // rows with an inferred field (seeded ones; the API writes none), so a page costs what a page
  // costs however many rows the API adds. Measured on 100 000 activities, 2 % inferred: 0.6 ms a
  // page with it, 10 ms without (docs/provenance.md). `inferred=false` keeps nearly every row and
  // walks the sort index as the unfiltered list does; the lists under a parent (areas of a plan,
  // results and tasks of a project, outcomes of a meeting) are bounded by the parent.
  const inferred = sql.raw(`coalesce(jsonb_array_length(provenance -> 'inferred'), 0) > 0`)
  for (const [table, columns] of [
    ['organizations', 'name, id'],
    ['plans', 'code_sort, id'],
    ['activities', 'code_sort, id'],
    ['projects', 'code_sort, id'],
    ['meetings', 'start_sort, id'],
    ['outcomes', 'due_sort, id'],
  ]) {
    await sql`create index ${sql.raw(`${table}_inferred`)} on ${sql.table(table!)} (${sql.raw(columns!)}) where ${inferred}`.execute(
      db,
    )
  }
}
