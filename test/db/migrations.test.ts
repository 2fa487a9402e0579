import t from 'tap'
import pg from 'pg'
import { randomBytes } from 'node:crypto'
import { sql } from 'kysely'
import { openDatabase } from '../../src/db/database.ts'
import { migrateToLatest, pendingMigrations } from '../../src/db/migrator.ts'
import { testBackend } from '../helpers/database.ts'

const skip = (await testBackend()) === 'postgres' ? false : 'needs a Postgres server: PGlite has a single connection'

t.test('two instances starting at once migrate once, one after the other', { skip }, async (t) => {
  const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
  const name = `apa_migrate_${randomBytes(4).toString('hex')}`
  const admin = new pg.Client({ connectionString: adminUrl })
  await admin.connect()
  await admin.query(`create database ${name}`)
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  const a = openDatabase({ url: url.href })
  const b = openDatabase({ url: url.href })
  t.teardown(async () => {
    await a.close()
    await b.close()
    await admin.query(`drop database if exists ${name} with (force)`)
    await admin.end()
  })

  const [ra, rb] = await Promise.all([migrateToLatest(a.db), migrateToLatest(b.db)])
  const ran = [...(ra ?? []), ...(rb ?? [])].filter((r) => r.status === 'Success').map((r) => r.migrationName)
  t.same(ran, [...new Set(ran)], 'no migration ran twice')
  t.ok(ran.length >= 3, 'every migration ran')
  t.same(await pendingMigrations(a.db), [])
  const countries = await sql<{ n: number }>`select count(*)::int as n from countries`.execute(a.db)
  t.ok(countries.rows[0]!.n >= 249, 'reference data is loaded once')
  t.same(await migrateToLatest(a.db), [], 'a later start finds nothing to do')
})

t.test('the same migrations run on embedded PGlite', async (t) => {
  const handle = openDatabase({ dataDir: 'memory://' })
  t.teardown(() => handle.close())
  await migrateToLatest(handle.db)
  t.same(await pendingMigrations(handle.db), [])
})
