import { readdirSync, readFileSync } from 'node:fs'
import { doc, documentKeys, type DocumentKey } from './locate.ts'
import { inlineRecords, recordName, seededRecords } from './records.ts'
import { notePointers, pointedRecords } from './notes.ts'

// Every seeded row has a provenance entry with at least one source, and every entry belongs to a
// seeded row: `node --import tsx scripts/provenance/check.ts`. The rows are computed from data/
// as src/seed computes them (scripts/provenance/records.ts); entries are read from
// data/provenance/*.json (not _example.json). Locators must name lines the document has. Rows
// whose seeders keep their provenance in their own data file (data/indicators.json,
// data/training.json) are checked the same way there.

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
  for (const s of e.entry.sources ?? []) checkPlace(name, s)
}

function checkPlace(name: string, s: { document: string; locator: string }) {
  if (!documentKeys.includes(s.document as DocumentKey)) {
    badPlaces.push(`${name}: unknown document ${s.document}`)
    return
  }
  // "line 137", "lines 137–138", or a list of them ("lines 63, 66").
  const length = doc(s.document as DocumentKey).lines.length
  const m = /^lines? (.+)$/.exec(s.locator)
  const ranges = (m?.[1] ?? '').split(', ').map((r) => /^(\d+)(?:–(\d+))?$/.exec(r))
  const ok =
    m &&
    ranges.every(
      (r) => r && Number(r[1]) >= 1 && Number(r[2] ?? r[1]) <= length && Number(r[2] ?? r[1]) >= Number(r[1]),
    )
  if (!ok) badPlaces.push(`${name}: ${s.document} ${s.locator} is not a line range of a ${length}-line document`)
}
for (const r of inlineRecords()) {
  byKind.set(r.kind, (byKind.get(r.kind) ?? 0) + 1)
  if (!r.sources.length) unsourced.push(`${recordName(r)} (data/${r.file}.json)`)
  for (const s of r.sources) checkPlace(recordName(r), s)
}
const inline = inlineRecords().length
const seeded = new Set(records.map(recordName))
const orphans = [...entries.keys()].filter((n) => !seeded.has(n))

console.log(
  `${records.length + inline} seeded records (${[...byKind].map(([k, n]) => `${n} ${k}`).join(', ')}); ${records.length + inline - missing.length - unsourced.length} cite a source (${records.length - missing.length} through data/provenance/, ${inline} in their own data file)`,
)
for (const [label, list] of [
  ['no entry', missing],
  ['an entry without a source', unsourced],
  ['a bad place', badPlaces],
  ['an entry for a record the seed does not write', orphans],
] as const)
  if (list.length) console.log(`${list.length} with ${label}: ${list.join('; ')}`)
// The other way round from test/provenance-notes.test.ts: how many of the records' judgements a
// note points at (reported, not required: a judgement particular to one record may stand alone).
const pointed = new Set<string>()
for (const p of notePointers())
  for (const r of pointedRecords(p, records)) pointed.add(`${recordName(r)}#${p.field ?? ''}`)
const judgements = [...entries].flatMap(([name, { entry }]) =>
  [
    ...((entry as { inferred?: { field: string }[] }).inferred ?? []),
    ...((entry as { doubtful?: { field: string }[] }).doubtful ?? []),
  ].map((n) => `${name}#${n.field}`),
)
const unexplained = judgements.filter((j) => !pointed.has(j))
console.log(
  `${judgements.length} judgements (inferred or doubtful fields) in data/provenance/; ${judgements.length - unexplained.length} of them pointed at by a note in data/README*.md${unexplained.length ? `; not: ${unexplained.join('; ')}` : ''}`,
)

if (missing.length || unsourced.length || badPlaces.length || orphans.length) process.exitCode = 1
