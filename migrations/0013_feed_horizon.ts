import { sql, type Kysely } from 'kysely'

// The change feed's horizon, per database (docs/integration.md, "Why it never skips a change").
//
// The feed serves a change only when every transaction that could still commit a change before
// it has ended. It used pg_snapshot_xmin: the oldest transaction running anywhere in the Postgres
// cluster, so a long transaction in another database (another application, a report, a parallel
// test file) held this database's feed back although it can never write here.
//
// feed_horizon() is the oldest transaction of the statement's snapshot that is not known to run
// in another database, or the snapshot's xmax when there is none. Skipping an xid needs positive
// proof that it belongs elsewhere (pg_stat_activity lists it under another database: a
// transaction never moves between databases); an xid it cannot place — one that ended after the
// snapshot, a prepared transaction, a session another role cannot see into — stays in the
// horizon, as it did before. STABLE, so it runs with the caller's snapshot.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create function feed_horizon() returns xid8 language sql stable as $$
      select coalesce(
        (select min(x)
           from pg_snapshot_xip(pg_current_snapshot()) as x
          where not exists (
            select 1
              from pg_stat_activity a
             where a.backend_xid = x::xid
               and a.datid is distinct from (select oid from pg_database where datname = current_database()))),
        pg_snapshot_xmax(pg_current_snapshot()))
    $$`.execute(db)
}
