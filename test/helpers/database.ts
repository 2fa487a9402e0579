import { createHash, randomBytes } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import pg from 'pg'
import { openDatabase, type DatabaseHandle } from '../../src/db/database.ts'
import { migrateToLatest, migrationsDir } from '../../src/db/migrator.ts'

// Each test file gets its own database. On Postgres it is cloned from a template that holds
// the migrated schema (named after a hash of the migrations, so a changed migration builds a new
// one); cloning takes milliseconds where migrating takes seconds. With no Postgres answering,
// each file gets an in-memory PGlite instead.

const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
const forced = process.env.TEST_DB // 'pglite' forces embedded storage

export interface TestDatabase extends DatabaseHandle {
  url?: string
  drop(): Promise<void>
  /** Runs fn and returns the SQL statements run through this database meanwhile (tests bound statement counts with it). */
  recordStatements<T>(fn: () => Promise<T>): Promise<{ result: T; statements: string[] }>
}

function statementRecorder() {
  let log: string[] | undefined
  return {
    onQuery: (sql: string) => void log?.push(sql),
    async recordStatements<T>(fn: () => Promise<T>) {
      const statements: string[] = []
      log = statements
      try {
        return { result: await fn(), statements }
      } finally {
        log = undefined
      }
    },
  }
}

let backend: Promise<'postgres' | 'pglite'> | undefined
export function testBackend() {
  backend ??= (async () => {
    if (forced === 'pglite') return 'pglite'
    const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 2000 })
    try {
      await client.connect()
      await client.end()
      return 'postgres'
    } catch {
      if (forced === 'postgres') throw new Error(`TEST_DB=postgres but ${adminUrl} does not answer`)
      process.stderr.write(`# no Postgres answers at ${adminUrl}: running on embedded PGlite\n`)
      return 'pglite'
    }
  })()
  return backend
}

function migrationsHash() {
  const h = createHash('sha256')
  for (const f of readdirSync(migrationsDir).sort()) h.update(f).update(readFileSync(path.join(migrationsDir, f)))
  return h.digest('hex').slice(0, 12)
}

const urlFor = (name: string) => {
  const u = new URL(adminUrl)
  u.pathname = `/${name}`
  return u.href
}

/** The migrated template of the current migrations, built if missing; the caller holds lock 727001. */
async function ensureTemplate(admin: pg.Client): Promise<string> {
  const name = `apa_template_${migrationsHash()}`
  const exists = await admin.query('select 1 from pg_database where datname = $1', [name])
  if (exists.rowCount === 0) {
    const building = `${name}_building`
    await admin.query(`drop database if exists ${building} with (force)`)
    await admin.query(`create database ${building}`)
    const handle = openDatabase({ url: urlFor(building), poolMax: 1 })
    await migrateToLatest(handle.db)
    await handle.close()
    await admin.query(`alter database ${building} rename to ${name}`)
  }
  return name
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const recorder = statementRecorder()
  if ((await testBackend()) === 'pglite') {
    const handle = openDatabase({ dataDir: 'memory://', onQuery: recorder.onQuery })
    await migrateToLatest(handle.db)
    return { ...handle, drop: () => handle.close(), recordStatements: recorder.recordStatements }
  }
  const admin = new pg.Client({ connectionString: adminUrl })
  await admin.connect()
  try {
    const name = `apa_test_${process.pid}_${randomBytes(4).toString('hex')}`
    // Built and cloned under one lock, which the suite's cleanup (after-all.ts) also takes, so a
    // parallel run's cleanup cannot drop the template between the two.
    await admin.query('select pg_advisory_lock(727001)')
    try {
      const template = await ensureTemplate(admin)
      await admin.query(`create database ${name} template ${template}`)
    } finally {
      await admin.query('select pg_advisory_unlock(727001)')
    }
    const url = urlFor(name)
    const handle = openDatabase({ url, poolMax: 10, connectTimeoutMs: 3000, onQuery: recorder.onQuery })
    let closed = false
    return {
      ...handle,
      url,
      recordStatements: recorder.recordStatements,
      async close() {
        if (!closed) await handle.close()
        closed = true
      },
      async drop() {
        if (!closed) await handle.close()
        closed = true
        const c = new pg.Client({ connectionString: adminUrl })
        await c.connect()
        await c.query(`drop database if exists ${name} with (force)`)
        await c.end()
      },
    }
  } finally {
    await admin.end()
  }
}
