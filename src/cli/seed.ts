import { migrateToLatest } from '../db/migrator.ts'
import { seedDatabase } from '../seed/index.ts'
import { withDatabase } from './run.ts'

// Idempotent: a second run finds every row equal and changes nothing.
await withDatabase(async (db, log) => {
  await migrateToLatest(db)
  log.info({ seed: await seedDatabase(db) }, 'seed data loaded')
})
