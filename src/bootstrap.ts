import type { Logger } from 'pino'
import type { Config } from './config.ts'
import { embeddedState, openDatabase, type DatabaseHandle } from './db/database.ts'
import { migrateToLatest } from './db/migrator.ts'
import { seedDatabase } from './seed/index.ts'
import { countOrganizations } from './modules/organizations/organizations.queries.ts'
import { insertApiKey } from './modules/api-keys/api-keys.queries.ts'

export interface Prepared {
  handle: DatabaseHandle
  /** The admin key made on the first start of embedded storage (shown once, by the banner). */
  firstKey?: string
  /** Milliseconds since the process started at the end of each step (the server logs them). */
  steps: Record<string, number>
}

/**
 * Opens the configured database, migrates it and seeds it when the configuration says so.
 * `say` narrates the slow steps to whoever started the process.
 */
export async function prepareDatabase(
  config: Config,
  log: Logger,
  say: (line: string) => void = () => {},
): Promise<Prepared> {
  // An empty DATA_DIR starts as a copy of the build's migrated cluster, seeded too unless the
  // configuration says never to seed.
  const template = config.SEED_ON_START === 'never' ? 'migrated' : 'seeded'
  if (!config.DATABASE_URL) {
    const state = embeddedState(config.DATA_DIR, template)
    say(
      state === 'existing'
        ? `opening embedded Postgres in ${config.DATA_DIR}…`
        : state === 'template'
          ? `creating embedded Postgres in ${config.DATA_DIR} from the prebuilt, migrated${template === 'seeded' ? ' and seeded' : ''} cluster…`
          : `creating embedded Postgres in ${config.DATA_DIR} (initdb: a few seconds, once)…`,
    )
  }
  const handle = openDatabase({
    url: config.DATABASE_URL,
    dataDir: config.DATA_DIR,
    poolMax: config.DB_POOL_MAX,
    connectTimeoutMs: config.DB_CONNECT_TIMEOUT_MS,
    statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS,
    log,
    command: 'the server (npm start)',
    template,
  })
  const steps: Record<string, number> = {}
  const step = (name: string) => {
    steps[name] = Math.round(performance.now())
  }
  log.info(
    { database: handle.kind, dataDir: handle.kind === 'pglite' ? config.DATA_DIR : undefined, created: handle.created },
    'database opened',
  )
  if (config.MIGRATE_ON_START) {
    const results = await migrateToLatest(handle.db)
    if (results?.length) say(`applied ${results.length} migration${results.length > 1 ? 's' : ''}`)
    for (const r of results ?? []) log.info({ migration: r.migrationName, status: r.status }, 'migration')
    step('migrated')
  }
  // Copied from the seeded template: already what migrating and seeding in place would make.
  const seededCopy = handle.created === 'seeded'
  const empty =
    !seededCopy && (config.SEED_ON_START === 'auto' || config.SEED_ON_START === 'empty')
      ? (await countOrganizations(handle.db)) === 0
      : false
  // Embedded storage is for trying the service out: give it the seed data on first start.
  const seed =
    !seededCopy &&
    (config.SEED_ON_START === 'always' || (empty && (config.SEED_ON_START === 'empty' || handle.kind === 'pglite')))
  if (seed) {
    say('loading the seed data (COMMIT, ASEAN and the catalogued plans)…')
    log.info({ seed: await seedDatabase(handle.db) }, 'seed data loaded')
    step('seeded')
  }
  // A newcomer on embedded storage gets a key without stopping the server to run the CLI (made
  // here, never in a template: each installation has its own).
  let firstKey: string | undefined
  if (handle.kind === 'pglite' && (empty || handle.created !== undefined))
    firstKey = (
      await insertApiKey(handle.db, {
        name: 'first start (admin)',
        organizationId: null,
        scopes: ['admin'],
        countries: null,
      })
    ).token
  return { handle, firstKey, steps }
}
