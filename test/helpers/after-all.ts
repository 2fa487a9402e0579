import pg from 'pg'

// Runs once after the whole suite (tap's `after`): drops the migrated template the test files
// cloned and any database a killed test file left behind, so a run leaves Postgres as it found it.
const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 })
try {
  await client.connect()
  const { rows } = await client.query<{ datname: string }>(
    `select datname from pg_database where datname like 'apa\\_template\\_%' or datname like 'apa\\_test\\_%'`,
  )
  for (const { datname } of rows)
    await client.query(`drop database if exists ${pg.escapeIdentifier(datname)} with (force)`)
  await client.end()
} catch {
  // No Postgres (the suite ran on PGlite): nothing to clean.
}
