import { readFileSync } from 'node:fs'
import type { SeedRecord } from './records.ts'

// The pointers of data/README.md and data/README.seed-notes.md: `<kind>:<key>` names a record by
// the arguments the seed gives seedId, `<kind>:<key>#<field>` also the field a judgement is about,
// and a key ending in `*` every seeded record of that kind whose key starts with what precedes it.

export const noteFiles = ['data/README.md', 'data/README.seed-notes.md']

const pointer =
  /`(organization|plan|area|activity|project|result|task|meeting|outcome):([^`#]+?)(?:#([A-Za-z][A-Za-z0-9.[\]]*))?`/g

export interface Pointer {
  file: string
  line: number
  text: string
  kind: string
  key: string
  field?: string
}

export function notePointers(): Pointer[] {
  return noteFiles.flatMap((file) =>
    readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8')
      .split('\n')
      .flatMap((l, i) =>
        [...l.matchAll(pointer)].map((m) => ({
          file,
          line: i + 1,
          text: m[0],
          kind: m[1]!,
          key: m[2]!,
          field: m[3],
        })),
      ),
  )
}

/** The records a pointer names: one, or every one its `*` prefix matches (none if it matches nothing). */
export function pointedRecords(p: Pointer, records: SeedRecord[]): Pick<SeedRecord, 'kind' | 'key'>[] {
  return p.key.endsWith('*')
    ? records.filter((r) => r.kind === p.kind && r.key.startsWith(p.key.slice(0, -1)))
    : [{ kind: p.kind as SeedRecord['kind'], key: p.key }]
}
