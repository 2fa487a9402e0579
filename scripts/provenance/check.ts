import { readdirSync, readFileSync } from 'node:fs'
import { doc, documentKeys, type DocumentKey } from './locate.ts'
import { recordName, seededRecords } from './records.ts'

// Every seeded row has a provenance entry with at least one source, and every entry belongs to a
// seeded row: `node --import tsx scripts/provenance/check.ts`. The rows are computed from data/
// as src/seed computes them (scripts/provenance/records.ts); entries are read from
// data/provenance/*.json (not _example.json). Locators must name lines the document has.

const dir = new URL('../../data/provenance/', import.meta.url)
const entries = new Map<string, { file: string; entry: { sources?: { document: string; locator: string }[] } }>()
for (const file of readdirSync(dir).filter((f) => f.endsWith('.json') && !f.startsWith('_'))) {
  const content = JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as Record<string, never>
  for (const [name, entry] of Object.entries(content)) {
    if (entries.has(name)) console.error(`${name}: in ${entries.get(name)!.file} and ${file}`)
    entries.set(name, { file, entry })
  }
}

const records = seededRecords()
const byKind = new Map<string, number>()
const missing: string[] = []
const unsourced: string[] = []
const badPlaces: string[] = []
for (const r of records) {
  byKind.set(r.kind, (byKind.get(r.kind) ?? 0) + 1)
  const name = recordName(r)
  const e = entries.get(name)
  if (!e) {
    missing.push(name)
    continue
  }
  if (!e.entry.sources?.length) unsourced.push(name)
  for (const s of e.entry.sources ?? []) {
    if (!documentKeys.includes(s.document as DocumentKey)) {
      badPlaces.push(`${name}: unknown document ${s.document}`)
      continue
    }
    const m = /^lines? (\d+)(?:–(\d+))?$/.exec(s.locator)
    const length = doc(s.document as DocumentKey).lines.length
    if (!m || Number(m[1]) < 1 || Number(m[2] ?? m[1]) > length || Number(m[2] ?? m[1]) < Number(m[1]))
      badPlaces.push(`${name}: ${s.document} ${s.locator} is not a line range of a ${length}-line document`)
  }
}
const seeded = new Set(records.map(recordName))
const orphans = [...entries.keys()].filter((n) => !seeded.has(n))

console.log(
  `${records.length} seeded records (${[...byKind].map(([k, n]) => `${n} ${k}`).join(', ')}); ${records.length - missing.length - unsourced.length} have an entry with a source`,
)
for (const [label, list] of [
  ['no entry', missing],
  ['an entry without a source', unsourced],
  ['a bad place', badPlaces],
  ['an entry for a record the seed does not write', orphans],
] as const)
  if (list.length) console.log(`${list.length} with ${label}: ${list.join('; ')}`)
if (missing.length || unsourced.length || badPlaces.length || orphans.length) process.exitCode = 1
