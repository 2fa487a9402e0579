import t, { type Test } from 'tap'
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { Migrator, sql, type Migration } from 'kysely'
import { json, setup, type TestContext } from './helpers/app.ts'
import { seedDatabase } from '../src/seed/index.ts'
import { loadProvenanceFiles } from '../src/seed/provenance-data.ts'
import { seedId } from '../src/schemas/seed-ids.ts'
import { openDatabase } from '../src/db/database.ts'
import { migrationsDir } from '../src/db/migrator.ts'
import { testBackend } from './helpers/database.ts'
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { type Provenance, type Rec, snapshot, tables } from './provenance.fixtures.ts'

/** A database with no migration applied: on Postgres a new one (dropped after), else embedded PGlite in memory. */
async function emptyDatabase(t: Test) {
  if ((await testBackend()) === 'pglite') {
    const handle = openDatabase({ dataDir: 'memory://' })
    t.teardown(() => handle.close())
    return handle
  }
  const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
  const name = `apa_test_${process.pid}_${randomBytes(4).toString('hex')}`
  const admin = new pg.Client({ connectionString: adminUrl })
  await admin.connect()
  await admin.query(`create database ${name}`)
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  const handle = openDatabase({ url: url.href, poolMax: 2 })
  t.teardown(async () => {
    await handle.close()
    await admin.query(`drop database if exists ${name} with (force)`)
    await admin.end()
  })
  return handle
}

// The seed's side of provenance (issue 14): the files are checked when loaded, a second seed
// changes nothing, a database from before the column gets it without a version moving, a
// user's edit keeps its provenance, and migration 0008 attributes the rows the API created.

t.test('the provenance files are checked when loaded: a slip names its file and key', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'provenance-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const url = pathToFileURL(`${dir}/`)
  const attempt = (content: unknown) => {
    writeFileSync(path.join(dir, 'plans.json'), JSON.stringify(content))
    try {
      loadProvenanceFiles(url)
      return ''
    } catch (err) {
      return (err as Error).message
    }
  }
  const good = { sources: [{ document: 'commit-spa', locator: 'line 7' }] }
  t.equal(attempt({ 'plan:commit-spa-1': good }), '', 'a good entry loads')
  t.match(attempt({ 'plan:commit-spa-1': { sourcse: good.sources } }), /plans\.json: "plan:commit-spa-1".*sourcse/)
  t.match(
    attempt({ 'activity:commit-spa-1/Activity 1': { sources: [{ document: 'commit-spaa', locator: 'line 7' }] } }),
    /plans\.json: "activity:commit-spa-1\/Activity 1"\/sources\/0\/document/,
  )
  t.match(
    attempt({
      'activity:commit-spa-1/Activity 1': { ...good, inferred: [{ field: 'catgory', reason: 'By the column rule.' }] },
    }),
    /"activity:commit-spa-1\/Activity 1"\/inferred\/0\/field: "catgory" is not a field/,
  )
  t.match(attempt({ 'activty:commit-spa-1/Activity 1': good }), /"activty:commit-spa-1\/Activity 1": the key must be/)
  t.match(attempt({ 'plan:commit-spa-1': { sources: [] } }), /plans\.json: "plan:commit-spa-1"\/sources/)
  writeFileSync(path.join(dir, 'other.json'), JSON.stringify({ 'plan:commit-spa-1': good }))
  t.match(attempt({ 'plan:commit-spa-1': good }), /also in data\/provenance\/other\.json/, 'a key in two files')
  rmSync(path.join(dir, 'other.json'))
  writeFileSync(path.join(dir, '_example.json'), JSON.stringify({ nonsense: true }))
  t.equal(attempt({ 'plan:commit-spa-1': good }), '', 'files starting with _ are examples, not loaded')
})

async function reseedChangesNothing(t: Test, ctx: TestContext) {
  const once = await snapshot(ctx)
  const second = await seedDatabase(ctx.database.db)
  t.same(
    { created: second.created, updated: second.updated },
    { created: 0, updated: 0 },
    'the second run writes nothing',
  )
  t.same(await snapshot(ctx), once, 'no version, update time, provenance or change differs')

  // The rows as migration 0008 finds them (provenance NULL), with the version trigger held off so
  // that emptying them is no change either.
  for (const table of tables) {
    await sql`alter table ${sql.table(table)} disable trigger ${sql.raw(`${table}_version`)}`.execute(ctx.database.db)
    await sql`update ${sql.table(table)} set provenance = null`.execute(ctx.database.db)
    await sql`alter table ${sql.table(table)} enable trigger ${sql.raw(`${table}_version`)}`.execute(ctx.database.db)
  }
  const emptied = await snapshot(ctx)
  const activity = seedId('activity', 'commit-spa-1/Activity 11')
  t.equal(
    (json(await ctx.app.inject({ url: `/v1/activities/${activity}`, headers: ctx.admin })) as Rec).provenance.origin,
    'api',
    'a row with no provenance reads as not attributed',
  )
  const fill = await seedDatabase(ctx.database.db)
  t.same({ created: fill.created, updated: fill.updated }, { created: 0, updated: 0 }, 'filling is no update')
  const filled = await snapshot(ctx)
  for (const table of tables) {
    const strip = (rows: unknown[]) => (rows as Record<string, unknown>[]).map(({ provenance: _p, ...r }) => r)
    t.same(strip(filled[table]!), strip(emptied[table]!), `${table}: no version or update time moved`)
  }
  t.same(filled.changes, emptied.changes, 'no change was recorded')
  t.same(filled, once, 'the provenance is what the first seed wrote')
}

async function editsSurviveReseed(t: Test, ctx: TestContext) {
  const url = `/v1/activities/${seedId('activity', 'commit-spa-1/Activity 11')}`
  const before = json(await ctx.app.inject({ url, headers: ctx.admin })) as Rec
  const edit = await ctx.app.inject({
    method: 'PATCH',
    url,
    headers: { ...ctx.admin, 'content-type': 'application/merge-patch+json' },
    payload: { title: 'Edited by a user' },
  })
  t.equal(edit.statusCode, 200)
  t.same(json(edit).provenance, before.provenance, 'the edit leaves the provenance as it was')
  const changes = (await snapshot(ctx)).changes
  await seedDatabase(ctx.database.db)
  const after = json(await ctx.app.inject({ url, headers: ctx.admin })) as Rec
  t.equal(after.title, 'Edited by a user', 'the seed keeps the user’s edit')
  t.equal(after.version, json(edit).version, 'and writes nothing to the row')
  t.same(after.provenance, before.provenance, 'its provenance stays as it was')
  t.same((await snapshot(ctx)).changes, changes, 'no change recorded')
}

t.test('reseeding', async (t) => {
  const ctx = await setup(t)
  await seedDatabase(ctx.database.db)
  await t.test(
    'a second seed changes nothing; a first one after the column fills it without a version or a change',
    (t) => reseedChangesNothing(t, ctx),
  )
  await t.test('an edited record keeps its provenance and its edit through a reseed', (t) => editsSurviveReseed(t, ctx))
})

t.test(
  'migration 0008: rows created through the API get their key from the change log, and no version moves',
  async (t) => {
    // An empty database of its own, migrated to 0007 as an existing installation is.
    const handle = await emptyDatabase(t)
    const files = readdirSync(migrationsDir)
      .filter((f) => /^\d{4}_[\w-]+\.ts$/.test(f) && f <= '0008_provenance.ts')
      .sort()
    const migrations: Record<string, Migration> = {}
    for (const f of files)
      migrations[f.replace(/\.ts$/, '')] = await import(pathToFileURL(path.join(migrationsDir, f)).href)
    const migrator = new Migrator({ db: handle.db, provider: { getMigrations: async () => migrations } })
    t.notOk((await migrator.migrateTo('0007_change_notify')).error)

    const db = handle.db
    const keyId = '0a0a0a0a-0a0a-40a0-80a0-000000000001'
    const ids = { api: seedId('t', 'api'), seed: seedId('t', 'seed'), psql: seedId('t', 'psql') }
    for (const [name, id] of Object.entries(ids))
      await sql`insert into organizations (id, name, kind) values (${id}, ${name}, 'ngo')`.execute(db)
    await sql`update organizations set name = 'api, renamed' where id = ${ids.api}`.execute(db)
    await sql`insert into changes (resource, resource_id, operation, version, actor_key_id) values
    ('organization', ${ids.api}, 'create', 1, ${keyId}), ('organization', ${ids.seed}, 'create', 1, null)`.execute(db)
    // to_jsonb(o): before 0008 the column does not exist.
    const rows = () =>
      sql<{ id: string; version: number; updated_at: string; provenance: Provenance | null }>`
      select id, version, updated_at::text, to_jsonb(o) -> 'provenance' as provenance from organizations o order by id`
        .execute(db)
        .then((r) => r.rows)
    const before = await rows()

    t.notOk((await migrator.migrateTo('0008_provenance')).error)
    const after = await rows()
    const of = (id: string) => after.find((r) => r.id === id)!
    t.same(
      of(ids.api).provenance,
      { origin: 'api', sources: [], inferred: [], doubtful: [], createdBy: { keyId } },
      'the row an API key created names it',
    )
    t.equal(of(ids.seed).provenance, null, 'a seeded row waits for the seed to fill it')
    t.equal(of(ids.psql).provenance, null, 'a row of unknown origin stays unattributed')
    t.same(
      after.map(({ provenance: _p, ...r }) => r),
      before.map(({ provenance: _p, ...r }) => r),
      'no version or update time moved',
    )

    // The version rule: a first provenance alone is no change; any other write is.
    const version = async (id: string) => (await rows()).find((r) => r.id === id)!.version
    const stored = JSON.stringify({ origin: 'source', sources: [], inferred: [], doubtful: [], createdBy: null })
    await sql`update organizations set provenance = ${stored}::jsonb where id = ${ids.seed}`.execute(db)
    t.equal(await version(ids.seed), 1, 'filling a missing provenance keeps the version')
    await sql`update organizations set provenance = jsonb_set(provenance, '{inferred}', '[{"field":"kind","reason":"r"}]') where id = ${ids.seed}`.execute(
      db,
    )
    t.equal(await version(ids.seed), 2, 'changing a provenance is a change')
    await sql`update organizations set name = 'psql, renamed', provenance = ${stored}::jsonb where id = ${ids.psql}`.execute(
      db,
    )
    t.equal(await version(ids.psql), 2, 'a first provenance with another change is a change')
  },
)
