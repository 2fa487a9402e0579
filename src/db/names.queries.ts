import { sql } from 'kysely'
import type { Database } from './database.ts'

// The readable label of each kind of record another one refers to: what a CSV export writes in
// the column beside a bare id (src/http/export-names.ts).
export const labelSources = {
  plan: { table: 'plans', column: 'code' },
  area: { table: 'areas', column: 'code' },
  activity: { table: 'activities', column: 'code' },
  project: { table: 'projects', column: 'code' },
  meeting: { table: 'meetings', column: 'title' },
  organization: { table: 'organizations', column: 'name' },
  course: { table: 'training_courses', column: 'title' },
} as const

export type LabelKind = keyof typeof labelSources

/** id → label of the given records of one kind, in one statement (ids that do not exist are absent). */
export async function labelsOf(db: Database, kind: LabelKind, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map()
  const { table, column } = labelSources[kind]
  const { rows } = await sql<{ id: string; label: string }>`
    select id, ${sql.ref(column)} as label from ${sql.table(table)} where id = any(${[...ids]}::uuid[])
  `.execute(db)
  return new Map(rows.map((r) => [r.id, r.label]))
}
