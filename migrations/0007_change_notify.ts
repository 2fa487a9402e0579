import { sql, type Kysely } from 'kysely'

// Every write to a watched table NOTIFYs `apa_changes` when its transaction commits (once per
// transaction: Postgres folds identical notifications). The API's read cache listens and empties
// itself, so no node serves a response older than a committed write — whoever made it: the API,
// the seed, a migration or someone with psql. Tables added later watch themselves with
// `select watch_table('…')` in their own migration.
const tables = [
  'countries',
  'organizations',
  'plans',
  'areas',
  'activities',
  'activity_organizations',
  'projects',
  'project_activities',
  'project_links',
  'project_results',
  'project_tasks',
  'meetings',
  'meeting_organizers',
  'meeting_activities',
  'meeting_projects',
  'outcomes',
  'outcome_responsible_organizations',
]

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create function notify_change() returns trigger language plpgsql as $$
    begin
      perform pg_notify('apa_changes', '');
      return null;
    end $$`.execute(db)
  await sql`
    create function watch_table(name text) returns void language plpgsql as $$
    begin
      execute format('create trigger %I after insert or update or delete or truncate on %I for each statement execute function notify_change()', name || '_notify', name);
    end $$`.execute(db)
  for (const name of tables) await sql`select watch_table(${name})`.execute(db)
}
