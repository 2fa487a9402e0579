import { migrateToLatest } from '../db/migrator.ts'
import { withDatabase } from './run.ts'

await withDatabase(async (db, log) => {
  const results = await migrateToLatest(db)
  if (!results?.length) log.info('database already at the latest migration')
  for (const r of results ?? []) log.info({ migration: r.migrationName, status: r.status }, 'migration')
})
