import { Writable } from 'node:stream'
import { sql, type RawBuilder } from 'kysely'
import { pino } from 'pino'
import { buildApp, type App } from '../../src/app.ts'
import { loadConfig } from '../../src/config.ts'
import type { Database } from '../../src/db/database.ts'
import { insertApiKey } from '../../src/modules/api-keys/api-keys.queries.ts'
import { seedDatabase } from '../../src/seed/index.ts'
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts'
import type { Credentials } from './requests.ts'
import { tables, type Pools, type Table } from './values.ts'

// The service under fuzz: a fresh database with the seed data, the app on it (as test/helpers'
// setup() builds it, minus the tap teardown), two keys, and the server's own account of every
// 5xx (its error log, keyed by request id) so a report can say what broke, not just that it did.

export interface Harness {
  app: App
  database: TestDatabase
  credentials: Credentials
  pools: Pools
  /** Real path parameter sets for a path template, from the seed data. */
  realPaths(template: string): Promise<Record<string, string>[]>
  /** What the server logged for a failed request (by x-request-id), if anything. */
  serverError(requestId: string): string | undefined
  close(): Promise<void>
}

export async function startHarness(): Promise<Harness> {
  const database = await createTestDatabase()
  try {
    await seedDatabase(database.db)
    const errors = new Map<string, string>()
    const logger = pino({ level: 'error' }, errorSink(errors))
    // Limits off: the fuzzer sends thousands of requests, many with bad keys, from one address.
    // (AUTH_FAILURES_MAX goes in as environment so this builds on versions without the setting.)
    const config = loadConfig(
      { AUTH_FAILURES_MAX: '1000000000' },
      { NODE_ENV: 'test', LOG_LEVEL: 'error', RATE_LIMIT_MAX: 1_000_000_000, MAX_EVENT_LOOP_DELAY_MS: 0 },
    )
    const app = await buildApp({ config, database, logger })
    await app.ready()
    const key = async (scopes: ('admin' | 'read')[]) =>
      `Bearer ${(await insertApiKey(database.db, { name: 'fuzz', scopes, countries: null, organizationId: null })).token}`
    const credentials = { admin: await key(['admin']), read: await key(['read']) }
    // Pools are read once, right after seeding: seed ids are stable, so a seed replays the same requests.
    const pools = await readPools(database.db)
    return {
      app,
      database,
      credentials,
      pools,
      realPaths: (template) => realPaths(database.db, template),
      serverError: (id) => errors.get(id),
      async close() {
        await app.close()
        await database.drop()
      },
    }
  } catch (err) {
    await database.drop()
    throw err
  }
}

/** A pino destination that keeps each error line's message by request id. */
function errorSink(errors: Map<string, string>) {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        try {
          const entry = JSON.parse(line) as {
            reqId?: string
            msg?: string
            err?: { type?: string; message?: string; code?: string }
          }
          const err = entry.err
          if (entry.reqId)
            errors.set(
              entry.reqId,
              err ? `${err.type ?? 'Error'}${err.code ? ` ${err.code}` : ''}: ${err.message ?? ''}` : (entry.msg ?? ''),
            )
        } catch {
          // not JSON: nothing to keep
        }
      }
      done()
    },
  })
}

async function column(db: Database, query: RawBuilder<{ v: string }>) {
  return (await query.execute(db)).rows.map((r) => r.v)
}

async function readPools(db: Database): Promise<Pools> {
  const ids = {} as Record<Table, string[]>
  for (const t of tables)
    ids[t] = await column(db, sql<{ v: string }>`select id::text as v from ${sql.table(t)} order by id limit 200`)
  return { countries: await column(db, sql<{ v: string }>`select code as v from countries order by code`), ids }
}

const collectionTables: Record<string, Table | 'countries'> = {
  countries: 'countries',
  organizations: 'organizations',
  plans: 'plans',
  areas: 'areas',
  activities: 'activities',
  projects: 'projects',
  results: 'project_results',
  tasks: 'project_tasks',
  meetings: 'meetings',
  outcomes: 'outcomes',
}
const parentColumns: Record<string, string> = { plans: 'plan_id', projects: 'project_id', meetings: 'meeting_id' }

/**
 * Parameter sets naming rows that exist: `/v1/plans/{planId}/areas/{areaId}` gets an area and its
 * own plan. A parameter is named by the collection segment before it.
 */
async function realPaths(db: Database, template: string): Promise<Record<string, string>[]> {
  const parts = template.split('/')
  const params = parts.flatMap((p, i) =>
    p.startsWith('{') ? [{ name: p.slice(1, -1), collection: parts[i - 1] ?? '' }] : [],
  )
  const last = params.at(-1)
  const table = last && collectionTables[last.collection]
  if (!last || !table) return []
  const key = table === 'countries' ? 'code' : 'id'
  const parent = params.at(-2)
  const parentColumn = parent && parentColumns[parent.collection]
  if (params.length > 2 || (parent && !parentColumn)) return []
  const rows = parentColumn
    ? await sql<{
        a: string
        b: string
      }>`select ${sql.ref(parentColumn)}::text as a, ${sql.ref(key)}::text as b from ${sql.table(table)} order by ${sql.ref(key)} limit 50`.execute(
        db,
      )
    : await sql<{
        a: string
        b: string
      }>`select ${sql.ref(key)}::text as b from ${sql.table(table)} order by ${sql.ref(key)} limit 50`.execute(db)
  return rows.rows.map((r) => (parent ? { [parent.name]: r.a, [last.name]: r.b } : { [last.name]: r.b }))
}
