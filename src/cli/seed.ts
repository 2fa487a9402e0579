import { migrateToLatest } from '../db/migrator.ts'
import { seedDatabase } from '../seed/index.ts'
import { withDatabase } from './run.ts'
import { seedSampleMeasurements } from '../seed/indicators.ts'

// Idempotent: a second run finds every row equal and changes nothing.
await withDatabase(async (db, log) => {
  await migrateToLatest(db)
  log.info({ seed: await seedDatabase(db) }, 'seed data loaded')
  // Only when asked: clearly labelled sample values (draft, "sample value, not data") for a demo.
  if (process.argv.includes('--sample-measurements'))
    log.info({ sampleMeasurements: await seedSampleMeasurements(db) }, 'sample measurements written (not data)')
})
