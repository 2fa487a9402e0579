import { sql } from 'kysely'
import type { Database } from './database.ts'
import { ApiError, type FieldError } from '../http/problems.ts'

// "Every id in this request exists": one statement for all the references of a request, and one
// way to say which do not — a 422 with a pointer per offending index. Every module that takes
// references checks them here (countries by code, the rest by id).

export type ReferenceKind = 'plans' | 'organizations' | 'activities' | 'projects' | 'countries'

const nouns: Record<ReferenceKind, string> = {
  plans: 'plan',
  organizations: 'organization',
  activities: 'activity',
  projects: 'project',
  countries: 'country',
}

/** The ids (codes, for countries) among those given that do not exist, by kind; one statement. */
export async function missingReferences(
  db: Database,
  refs: Partial<Record<ReferenceKind, string[]>>,
): Promise<Record<ReferenceKind, Set<string>>> {
  const wanted = Object.entries(refs).filter(([, ids]) => ids?.length) as [ReferenceKind, string[]][]
  const missing = {
    plans: new Set<string>(),
    organizations: new Set<string>(),
    activities: new Set<string>(),
    projects: new Set<string>(),
    countries: new Set<string>(),
  }
  if (wanted.length === 0) return missing
  const parts = wanted.map(([kind, ids]) => {
    const unique = [...new Set(ids)]
    return kind === 'countries'
      ? sql`select 'countries' as kind, code::text as key from countries where code = any(${unique}::text[])`
      : sql`select ${kind} as kind, id::text as key from ${sql.table(kind)} where id = any(${unique}::uuid[])`
  })
  const found = await sql<{ kind: ReferenceKind; key: string }>`${sql.join(parts, sql` union all `)}`.execute(db)
  const seen = new Set(found.rows.map((r) => `${r.kind}:${r.key}`))
  for (const [kind, ids] of wanted) for (const id of ids) if (!seen.has(`${kind}:${id}`)) missing[kind].add(id)
  return missing
}

/** A reference to check: what it is, the value, and where the client put it. */
export interface Reference {
  kind: ReferenceKind
  id: string
  pointer: string
}

/** The errors for the references that do not exist (one per pointer), after one lookup. */
export async function referenceErrors(db: Database, refs: Reference[]): Promise<FieldError[]> {
  const byKind: Partial<Record<ReferenceKind, string[]>> = {}
  for (const r of refs) (byKind[r.kind] ??= []).push(r.id)
  const missing = await missingReferences(db, byKind)
  return refs
    .filter((r) => missing[r.kind].has(r.id))
    .map((r) => ({
      pointer: r.pointer,
      detail: r.kind === 'countries' ? `${r.id} is not an ISO 3166-1 country code we know` : `no such ${nouns[r.kind]}`,
    }))
}

/** 422 invalid-reference naming every reference that does not exist. */
export async function assertReferences(db: Database, refs: Reference[]) {
  const errors = await referenceErrors(db, refs)
  if (errors.length === 0) return
  const what =
    errors.length === 1
      ? `${errors[0]!.pointer.replace(/^\/body\//, '')} refers to something that does not exist`
      : `${errors.length} references do not exist`
  throw new ApiError('invalid-reference', `${what}.`, { errors })
}

/** The references of a list field: `/body/countries/0`, `/body/countries/1`, … */
export const each = (kind: ReferenceKind, ids: readonly string[] | undefined | null, pointer: string): Reference[] =>
  (ids ?? []).map((id, i) => ({ kind, id, pointer: `${pointer}/${i}` }))

/** The reference of a single field, when set. */
export const one = (kind: ReferenceKind, id: string | null | undefined, pointer: string): Reference[] =>
  id ? [{ kind, id, pointer }] : []
