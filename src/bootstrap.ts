import type { Logger } from 'pino'
import type { Config } from './config.ts'
import { openDatabase, type DatabaseHandle } from './db/database.ts'
import { migrateToLatest } from './db/migrator.ts'
import { seedDatabase } from './seed/index.ts'
import { countOrganizations } from './modules/organizations/organizations.queries.ts'

/** Opens the configured database, migrates it and seeds it when the configuration says so. */
export async function prepareDatabase(config: Config, log: Logger): Promise<DatabaseHandle> {
  const handle = openDatabase({
    url: config.DATABASE_URL,
    dataDir: config.DATA_DIR,
    poolMax: config.DB_POOL_MAX,
    connectTimeoutMs: config.DB_CONNECT_TIMEOUT_MS,
    statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS,
    log,
  })
  log.info({ database: handle.kind, dataDir: handle.kind === 'pglite' ? config.DATA_DIR : undefined }, 'database opened')
  if (config.MIGRATE_ON_START) {
    const results = await migrateToLatest(handle.db)
    for (const r of results ?? []) log.info({ migration: r.migrationName, status: r.status }, 'migration')
  }
  // Embedded storage is for trying the service out: give it the seed data on first start.
  const seed = config.SEED_ON_START === 'always' || (config.SEED_ON_START === 'auto' && handle.kind === 'pglite' && (await countOrganizations(handle.db)) === 0)
  if (seed) log.info({ seed: await seedDatabase(handle.db) }, 'seed data loaded')
  return handle
}
