import type { Database } from '../db/database.ts'
import { insertChanges, type ChangeInput } from '../http/writes.queries.ts'
import { idsWrittenByKeys } from '../modules/changes/changes.queries.ts'
import { seedOrganizations } from './organizations.ts'
import { seedPlans } from './plans.ts'
import { seedMeetings } from './meetings.ts'
import { seedIndicators } from './indicators.ts'
import { seedTraining } from './training.ts'
import { SeedProvenanceData } from './provenance-data.ts'
import { fillMissingProvenance, type ProvenanceTable } from '../db/provenance.queries.ts'

// Loads data/ (transcribed from the seed documents) idempotently: rows keep name-based ids
// (seedId), an equal row is not touched, and only real inserts and updates reach the change log.
// A row someone has changed (or deleted) through the API is never overwritten or brought back:
// the change log says which rows an API key has written, and the seed leaves those alone and
// counts them as `kept`. Seeders run in order in one transaction; each later one may refer to
// rows of the earlier ones.

export interface SeedReport {
  created: number
  updated: number
  unchanged: number
  /** Seeded rows left as a user made them (edited or deleted through the API). */
  kept: number
}

export interface SeedContext {
  trx: Database
  report: SeedReport
  /** Ids of rows an API key has written: the seed does not touch them. */
  edited: ReadonlySet<string>
  /** Collects the change rows of what was really created or updated. */
  changes: ChangeInput[]
  /** What each seeded row stores as its provenance (data/provenance/). */
  provenance: SeedProvenanceData
}

export type Seeder = (ctx: SeedContext) => Promise<void>

const seeders: Seeder[] = [seedOrganizations, seedPlans, seedMeetings, seedIndicators, seedTraining]

export async function seedDatabase(db: Database): Promise<SeedReport> {
  const report: SeedReport = { created: 0, updated: 0, unchanged: 0, kept: 0 }
  const provenance = SeedProvenanceData.load()
  await db.transaction().execute(async (trx) => {
    const edited = new Set(await idsWrittenByKeys(trx))
    const ctx: SeedContext = { trx, report, changes: [], edited, provenance }
    for (const seeder of seeders) await seeder(ctx)
    await insertChanges(trx, null, ctx.changes)
  })
  provenance.warn()
  return report
}

/** The rows of `rows` no user has written; the others are counted as kept. */
export function unedited<R extends { id: string }>(ctx: SeedContext, rows: R[]): R[] {
  const fresh = rows.filter((r) => !ctx.edited.has(r.id))
  ctx.report.kept += rows.length - fresh.length
  return fresh
}

/**
 * Rows written before migration 0008 have no provenance: each gets the one its data cites, edited
 * or not (provenance is no user's value: the API never writes it). Filling it is no change of the
 * record: the version trigger keeps the version, nothing reaches the change log, and the upsert
 * that follows finds the row equal. Then, as unedited(): the rows no user has written.
 */
export async function seededRows<R extends { id: string; provenance: string }>(
  ctx: SeedContext,
  table: ProvenanceTable,
  rows: R[],
): Promise<R[]> {
  await fillMissingProvenance(ctx.trx, table, rows)
  return unedited(ctx, rows)
}

/** Join rows whose owner no user has written (an edited activity keeps its organizations). */
export const ofUnedited = <J extends { owner: string }>(ctx: SeedContext, rows: J[]) =>
  rows.filter((r) => !ctx.edited.has(r.owner))

/** Counts an upsert's outcome and records its change when something was written. */
export function tally(
  ctx: SeedContext,
  resource: string,
  id: string,
  outcome: 'created' | 'updated' | 'unchanged',
  version: number | undefined,
  fields: string[],
) {
  ctx.report[outcome]++
  if (outcome === 'unchanged' || version === undefined) return
  ctx.changes.push({
    resource,
    resourceId: id,
    operation: outcome === 'created' ? 'create' : 'update',
    version,
    fields,
  })
}
