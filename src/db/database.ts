import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { CamelCasePlugin, Kysely, PostgresDialect, type Dialect } from 'kysely'
import pg from 'pg'
import { PGlite } from '@electric-sql/pglite'
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm'
import { PGliteDialect } from 'kysely-pglite-dialect'
import type { Logger } from 'pino'
import type { DB } from './types.ts'
import { lockDataDir, type DataDirLock } from './data-dir-lock.ts'

export type Database = Kysely<DB>

export interface DatabaseHandle {
  db: Database
  kind: 'postgres' | 'pglite'
  close(): Promise<void>
  /** Embedded storage: the lock on DATA_DIR, which can say where this process serves. */
  lock?: DataDirLock
  /** Embedded storage made by this open: copied from a build template, or by initdb (undefined: it existed). */
  created?: EmbeddedTemplate | 'initdb'
  /**
   * Follows a notification channel: `notify` on each notification, `up(true)` once listening and
   * `up(false)` whenever the listener is lost (it reconnects by itself). Returns a stop function.
   */
  listen(channel: string, notify: () => void, up: (listening: boolean) => void): Promise<() => Promise<void>>
}

export interface DatabaseOptions {
  url?: string
  dataDir?: string // PGlite directory; 'memory://' for a throwaway database
  /** Who opens it, named in the message a second opener of the same DATA_DIR gets. */
  command?: string
  poolMax?: number
  connectTimeoutMs?: number
  statementTimeoutMs?: number
  log?: Logger
  /** Called for every statement run (tests count statements with it). */
  onQuery?: (sql: string) => void
  /** Embedded storage: which build template an empty DATA_DIR starts from ('migrated' unless said; false: initdb). */
  template?: EmbeddedTemplate | false
}

// OIDs whose default JS parsing would lose meaning: a DATE must stay a calendar day (no time
// zone shift), and counts (bigint) and numerics are numbers at the scale this service uses.
const DATE = 1082
const TIMESTAMPTZ = 1184
const INT8 = 20
const NUMERIC = 1700
const identity = (v: string) => v

/**
 * Timestamps are read as RFC 3339 strings ('2026-11-22T09:30:00.000Z'), which is what the API
 * sends: building a Date per value only to print it again cost a sixth of a list request. The
 * session time zone is UTC, so Postgres prints '2026-11-22 09:30:00.9+00'; anything else goes
 * the long way.
 */
export function isoTimestamp(text: string): string {
  if (text.length >= 22 && text.endsWith('+00') && text[10] === ' ' && text[4] === '-') {
    const fraction = text.slice(19, -3)
    return `${text.slice(0, 10)}T${text.slice(11, 19)}${(fraction || '.').padEnd(4, '0').slice(0, 4)}Z`
  }
  return new Date(text.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00')).toISOString()
}

export function openDatabase(opts: DatabaseOptions): DatabaseHandle {
  if (opts.url) return openPostgres(opts.url, opts)
  return openPGlite(opts.dataDir ?? './.data', opts)
}

function openPostgres(url: string, opts: DatabaseOptions): DatabaseHandle {
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.poolMax ?? 10,
    // Without these a restarting Postgres leaves requests hanging on a connect that never ends.
    connectionTimeoutMillis: opts.connectTimeoutMs ?? 5000,
    statement_timeout: opts.statementTimeoutMs || undefined,
    options: '-c TimeZone=UTC',
    idleTimeoutMillis: 30_000,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
        if (oid === DATE) return identity
        if (oid === TIMESTAMPTZ) return isoTimestamp
        if (oid === INT8 || oid === NUMERIC) return Number
        return pg.types.getTypeParser(oid, format as 'text')
      }) as typeof pg.types.getTypeParser,
    },
  })
  // A client whose server goes away emits 'error': on the pool while idle, on the client itself
  // while checked out. Either one unhandled kills the process. The query in flight fails on its
  // own (and becomes a 503); the broken client is not queryable any more, so pg-pool discards it
  // on release instead of handing it out again.
  const warn = (where: string) => (err: Error) =>
    opts.log?.warn(
      { err: { message: err.message, code: (err as { code?: string }).code } },
      `${where} database client failed`,
    )
  pool.on('error', warn('idle'))
  pool.on('connect', (client) => client.on('error', warn('busy')))
  const db = build(new PostgresDialect({ pool }), opts.onQuery)
  return {
    db,
    kind: 'postgres',
    close: () => db.destroy(),
    listen: (channel, notify, up) => listenPostgres(url, channel, notify, up),
  }
}

/** LISTEN on a connection of its own (outside the pool), reconnecting every second while lost. */
async function listenPostgres(url: string, channel: string, notify: () => void, up: (listening: boolean) => void) {
  let current: pg.Client | undefined
  let stopped = false
  let retry: NodeJS.Timeout | undefined
  const again = () => {
    if (!stopped) retry = setTimeout(() => void connect(), 1000)
  }
  const connect = async () => {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 })
    client.on('error', () => {}) // 'end' follows
    client.on('end', () => {
      if (current !== client) return
      current = undefined
      up(false)
      again()
    })
    client.on('notification', notify)
    try {
      await client.connect()
      await client.query(`listen ${pg.escapeIdentifier(channel)}`)
      // Stopped while connecting: this connection must not outlive the app.
      if (stopped) return void (await client.end())
      current = client
      up(true)
    } catch {
      await client.end().catch(() => {})
      again()
    }
  }
  await connect()
  return async () => {
    stopped = true
    clearTimeout(retry)
    const client = current
    current = undefined
    await client?.end().catch(() => {})
  }
}

// Clusters that `npm run build` (run by `npm start`) made with the installed PGlite, migrated to
// the newest migration ('migrated') and also seeded ('seeded'): copying one into an empty DATA_DIR
// takes a fraction of a second where initdb, the migrations and the seed take many.
export type EmbeddedTemplate = 'migrated' | 'seeded'
const templates: Record<EmbeddedTemplate, string> = {
  migrated: fileURLToPath(new URL('../../dist/pglite-template/', import.meta.url)),
  seeded: fileURLToPath(new URL('../../dist/pglite-template-seeded/', import.meta.url)),
}
// The build's stamps, not part of a cluster.
const stamps = new Set(['.pglite-version', '.inputs'])
// What a template is made from: one older than any of them (`npm run dev` or a test after an
// edit, before `npm start` rebuilt it) is not used.
const templateInputs = [
  new URL('../../migrations/', import.meta.url),
  new URL('../../data/', import.meta.url),
  new URL('../seed/', import.meta.url),
].map((url) => fileURLToPath(url))

function newestInput(): number {
  let newest = 0
  const visit = (p: string) => {
    const s = statSync(p)
    if (s.isDirectory()) for (const entry of readdirSync(p)) visit(path.join(p, entry))
    else newest = Math.max(newest, s.mtimeMs)
  }
  for (const input of templateInputs) visit(input)
  return newest
}
const pgliteManifest = new URL('../../node_modules/@electric-sql/pglite/package.json', import.meta.url)

/** How embedded storage in `dataDir` will come up: as it is, from the template, or by initdb. */
export function embeddedState(
  dataDir: string,
  variant: EmbeddedTemplate = 'migrated',
): 'existing' | 'template' | 'initdb' {
  if (existsSync(path.join(dataDir, 'PG_VERSION'))) return 'existing'
  try {
    const made = readFileSync(path.join(templates[variant], '.pglite-version'), 'utf8')
    const installed = (JSON.parse(readFileSync(pgliteManifest, 'utf8')) as { version: string }).version
    const current = statSync(path.join(templates[variant], '.inputs')).mtimeMs >= newestInput()
    if (made === installed && current) return 'template'
  } catch {
    // no template (not built, or built before its stamp existed), or PGlite not where npm puts it: initdb
  }
  return 'initdb'
}

function openPGlite(dataDir: string, opts: DatabaseOptions): DatabaseHandle {
  const memory = dataDir.startsWith('memory://')
  if (!memory) mkdirSync(dataDir, { recursive: true })
  const lock = memory ? undefined : lockDataDir(dataDir, opts.command ?? 'another process')
  // Under the lock, so two first starts cannot both copy.
  // (memory: nothing on disk to make; the caller sees an empty database)
  const variant = opts.template ?? 'migrated'
  let created: DatabaseHandle['created']
  if (!memory && embeddedState(dataDir) !== 'existing') {
    created = variant !== false && embeddedState(dataDir, variant) === 'template' ? variant : 'initdb'
    if (created !== 'initdb') {
      try {
        cpSync(templates[created], dataDir, { recursive: true, filter: (from) => !stamps.has(path.basename(from)) })
      } catch (err) {
        lock?.release()
        throw err
      }
    }
  }
  const client = new PGlite({
    ...(memory ? {} : { dataDir }),
    extensions: { pg_trgm },
    parsers: { [DATE]: identity, [TIMESTAMPTZ]: isoTimestamp, [INT8]: Number, [NUMERIC]: Number },
  })
  void client.exec(`set time zone 'UTC'`)
  const db = build(new PGliteDialect(client), opts.onQuery)
  return {
    db,
    kind: 'pglite',
    lock,
    created,
    async listen(channel, notify, up) {
      const unlisten = await client.listen(channel, notify)
      up(true)
      return () => unlisten()
    },
    async close() {
      await db.destroy()
      if (!client.closed) await client.close()
      lock?.release()
    },
  }
}

function build(dialect: Dialect, onQuery?: (sql: string) => void): Database {
  return new Kysely<DB>({
    dialect,
    plugins: [new CamelCasePlugin()],
    ...(onQuery ? { log: (event) => onQuery(event.query.sql) } : {}),
  })
}
