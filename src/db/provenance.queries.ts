import { sql } from 'kysely'
import type { Database } from './database.ts'

// The SQL of provenance (migrations/0008_provenance.ts) that every resource shares: the
// `inferred` filter of the lists, and the seed's fill of rows written before the column.

/** The resource tables that carry a `provenance` column. */
export type ProvenanceTable =
  | 'organizations'
  | 'plans'
  | 'areas'
  | 'activities'
  | 'projects'
  | 'project_results'
  | 'project_tasks'
  | 'meetings'
  | 'outcomes'
  | 'training_courses'
  | 'indicators'

/**
 * The `inferred` filter: true keeps the rows with at least one inferred field, false the rows
 * with none (a row not attributed yet, NULL, has none). A scalar expression on the row itself:
 * it filters the rows the list's keyset index walks, with no join (see docs/provenance.md for
 * the measurement).
 */
export function inferredIs(table: ProvenanceTable, inferred: boolean) {
  const count = sql`coalesce(jsonb_array_length(${sql.ref(`${table}.provenance`)} -> 'inferred'), 0)`
  return inferred ? sql<boolean>`${count} > 0` : sql<boolean>`${count} = 0`
}

/**
 * For the seed: gives each row that has no provenance yet (written before migration 0008) the
 * one its data cites, in one statement per table; rows that have one are left alone. The version
 * trigger does not count this as a change (0008), so nothing is bumped and no change is recorded.
 * Returns the ids filled.
 */
export async function fillMissingProvenance(
  db: Database,
  table: ProvenanceTable,
  rows: { id: string /** JSON text */; provenance: string }[],
): Promise<string[]> {
  if (rows.length === 0) return []
  const input = JSON.stringify(rows.map((r) => ({ id: r.id, provenance: r.provenance })))
  const result = await sql<{ id: string }>`
    update ${sql.table(table)} t set provenance = x.provenance::jsonb
    from jsonb_to_recordset(${input}::jsonb) as x (id uuid, provenance text)
    where t.id = x.id and t.provenance is null
    returning t.id`.execute(db)
  return result.rows.map((r) => r.id)
}
