import type { Database } from '../db/database.ts'
import { labelsOf, type LabelKind } from '../db/names.queries.ts'

// A CSV export is read by people in a spreadsheet, where a bare UUID says nothing. A list route
// names its reference fields and the kind of record each points at:
//   config: { export: true, exportNames: { planId: 'plan', organizerIds: 'organization' } }
// and its CSV gets, right after each of them, a column with the records' labels (`planCode`,
// `organizerNames`): looked up once per kind for each batch of rows, never per row. NDJSON keeps
// the representation as it is.

export type ExportNames = Record<string, LabelKind>

declare module 'fastify' {
  interface FastifyContextConfig {
    /** On a list route with `export`: reference fields whose labels the CSV export writes beside them. */
    exportNames?: ExportNames
  }
}

const label: Record<LabelKind, { suffix: string; what: string }> = {
  plan: { suffix: 'Code', what: 'code of the plan' },
  area: { suffix: 'Code', what: 'code of the area' },
  activity: { suffix: 'Code', what: 'code of the activity' },
  project: { suffix: 'Code', what: 'code of the project' },
  meeting: { suffix: 'Title', what: 'title of the meeting' },
  organization: { suffix: 'Name', what: 'name of the organization' },
  course: { suffix: 'Title', what: 'title of the course' },
}

/** The name column of a reference field: planId → planCode, organizerIds → organizerNames. */
export function nameColumn(field: string, kind: LabelKind): string {
  return `${field.replace(/Ids?$/, '')}${label[kind].suffix}${/Ids$/.test(field) ? 's' : ''}`
}

/** What the export operation's description says about the name columns. */
export function exportNamesDescription(names: ExportNames | undefined): string {
  const entries = Object.entries(names ?? {})
  if (entries.length === 0) return ''
  const columns = entries.map(([field, kind]) => {
    const many = /Ids$/.test(field)
    return `\`${nameColumn(field, kind)}\` after \`${field}\` (the ${label[kind].what}${many ? ' of each, in the same order' : ''})`
  })
  return ` In CSV, a readable column follows each reference: ${columns.join(', ')}; empty where the reference is.`
}

/**
 * The batch with each named reference followed by its label column, as a CSV row should read.
 * One query per kind of record for the whole batch.
 */
export async function withNames(
  db: Database,
  names: ExportNames,
  batch: readonly unknown[],
): Promise<Record<string, unknown>[]> {
  const rows = batch as Record<string, unknown>[]
  const wanted = new Map<LabelKind, Set<string>>()
  for (const [field, kind] of Object.entries(names)) {
    const ids = wanted.get(kind) ?? new Set<string>()
    wanted.set(kind, ids)
    for (const row of rows) {
      const value = row[field]
      if (typeof value === 'string') ids.add(value)
      else if (Array.isArray(value)) for (const id of value) if (typeof id === 'string') ids.add(id)
    }
  }
  const labels = new Map<LabelKind, Map<string, string>>()
  for (const [kind, ids] of wanted) labels.set(kind, await labelsOf(db, kind, [...ids]))
  return rows.map((row) => {
    const out: Record<string, unknown> = {}
    for (const [field, value] of Object.entries(row)) {
      out[field] = value
      const kind = names[field]
      if (!kind) continue
      const of = labels.get(kind)!
      out[nameColumn(field, kind)] = Array.isArray(value)
        ? value.map((id) => of.get(id as string) ?? '')
        : typeof value === 'string'
          ? (of.get(value) ?? null)
          : null
    }
    return out
  })
}
