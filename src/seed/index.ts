import type { Database } from '../db/database.ts'
import { insertChanges, type ChangeInput } from '../http/writes.queries.ts'
import { seedOrganizations } from './organizations.ts'
import { seedPlans } from './plans.ts'
import { seedMeetings } from './meetings.ts'

// Loads data/ (transcribed from the seed documents) idempotently: rows keep name-based ids
// (seedId), an equal row is not touched, and only real inserts and updates reach the change log.
// Seeders run in order in one transaction; each later one may refer to rows of the earlier ones.

export interface SeedReport {
  created: number
  updated: number
  unchanged: number
}

export interface SeedContext {
  trx: Database
  report: SeedReport
  /** Collects the change rows of what was really created or updated. */
  changes: ChangeInput[]
}

export type Seeder = (ctx: SeedContext) => Promise<void>

const seeders: Seeder[] = [seedOrganizations, seedPlans, seedMeetings]

export async function seedDatabase(db: Database): Promise<SeedReport> {
  const report: SeedReport = { created: 0, updated: 0, unchanged: 0 }
  await db.transaction().execute(async (trx) => {
    const ctx: SeedContext = { trx, report, changes: [] }
    for (const seeder of seeders) await seeder(ctx)
    await insertChanges(trx, null, ctx.changes)
  })
  return report
}

/** Counts an upsert's outcome and records its change when something was written. */
export function tally(ctx: SeedContext, resource: string, id: string, outcome: 'created' | 'updated' | 'unchanged', version: number | undefined, fields: string[]) {
  ctx.report[outcome]++
  if (outcome === 'unchanged' || version === undefined) return
  ctx.changes.push({ resource, resourceId: id, operation: outcome === 'created' ? 'create' : 'update', version, fields })
}
