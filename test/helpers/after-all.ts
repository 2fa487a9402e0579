import pg from 'pg'

// Runs once after the whole suite (tap's `after`): drops the databases test files left behind
// and the migrated template they cloned, so a run leaves Postgres as it found it. Several runs
// may share one server (a developer's watch run beside a full one): a test database is dropped
// only when the process named in it (apa_test_<pid>_…) is gone, and the templates only when no
// live run holds a test database, under the lock that builds and clones them (database.ts).
const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 })

const alive = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

try {
  await client.connect()
  const drop = (name: string) => client.query(`drop database if exists ${pg.escapeIdentifier(name)} with (force)`)
  const names = async (like: string) =>
    (await client.query<{ datname: string }>('select datname from pg_database where datname like $1', [like])).rows.map(
      (r) => r.datname,
    )
  let live = 0
  for (const name of await names('apa\\_test\\_%')) {
    const pid = Number(/^apa_test_(\d+)_/.exec(name)?.[1])
    if (pid && alive(pid)) live++
    else await drop(name)
  }
  await client.query('select pg_advisory_lock(727001)')
  if (live === 0 && (await names('apa\\_test\\_%')).length === 0)
    for (const name of await names('apa\\_template\\_%')) await drop(name)
  await client.end()
} catch {
  // No Postgres (the suite ran on PGlite): nothing to clean.
}
