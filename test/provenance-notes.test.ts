import t from 'tap'
import { json, setup } from './helpers/app.ts'
import { seedDatabase } from '../src/seed/index.ts'
import { seedId } from '../src/schemas/seed-ids.ts'
import { recordName, seededRecords } from '../scripts/provenance/records.ts'
import { notePointers, pointedRecords } from '../scripts/provenance/notes.ts'

// The notes and the data agree. data/README.md and data/README.seed-notes.md point at the
// records each note concerns as `<kind>:<key>` (the arguments the seed gives seedId) and, where
// the note is a judgement about a value, `<kind>:<key>#<field>`; a key ending in `*` stands for
// every seeded record of that kind whose key starts with what precedes it. Each pointer is
// followed through the HTTP API on a seeded database: the record exists, cites a source, and
// where a field is named, its provenance lists that field as inferred or doubtful.

const parentOf = (key: string) => key.slice(0, key.lastIndexOf('/'))

/** Where the API serves the record seedId(kind, key). */
function urlOf(kind: string, key: string): string {
  const id = seedId(kind, key)
  switch (kind) {
    case 'organization':
      return `/v1/organizations/${id}`
    case 'plan':
      return `/v1/plans/${id}`
    case 'area':
      return `/v1/plans/${seedId('plan', key.split('/')[0]!)}/areas/${id}`
    case 'activity':
      return `/v1/activities/${id}`
    case 'project':
      return `/v1/projects/${id}`
    case 'result':
      return `/v1/projects/${seedId('project', parentOf(key))}/results/${id}`
    case 'task':
      return `/v1/projects/${seedId('project', parentOf(key))}/tasks/${id}`
    case 'meeting':
      return `/v1/meetings/${id}`
    case 'outcome':
      return `/v1/outcomes/${id}`
  }
  throw new Error(`no URL for ${kind}`)
}

interface FieldNote {
  field: string
  reason: string
}
interface Provenance {
  origin: string
  sources: unknown[]
  inferred: FieldNote[]
  doubtful: FieldNote[]
}

t.test('every record the notes point at exists, cites a source and marks the field the note judges', async (t) => {
  const { app, database, admin } = await setup(t)
  await seedDatabase(database.db)

  const all = notePointers()
  // The notes are written to point: fewer pointers than this means they were lost, not that all is well.
  t.ok(all.length >= 80, `the notes hold ${all.length} pointers`)
  t.ok(all.filter((p) => p.field).length >= 60, 'most of them name the field the judgement is about')

  const records = seededRecords()
  const cache = new Map<string, Promise<{ statusCode: number; body: string }>>()
  const get = (url: string) => {
    if (!cache.has(url)) cache.set(url, app.inject({ url, headers: admin }))
    return cache.get(url)!
  }

  for (const p of all) {
    const where = `${p.file}:${p.line} ${p.text}`
    const targets = pointedRecords(p, records)
    if (!targets.length) {
      t.fail(`${where}: no seeded record matches`)
      continue
    }
    const failures: string[] = []
    for (const r of targets) {
      const res = await get(urlOf(r.kind, r.key))
      if (res.statusCode !== 200) {
        failures.push(`${recordName(r)}: GET answers ${res.statusCode}`)
        continue
      }
      const provenance = json(res).provenance as Provenance | undefined
      if (!provenance?.sources?.length) {
        failures.push(`${recordName(r)}: no source`)
        continue
      }
      if (p.field) {
        const notes = [...provenance.inferred, ...provenance.doubtful]
        if (!notes.some((n) => n.field === p.field))
          failures.push(
            `${recordName(r)}: "${p.field}" is not among its inferred or doubtful fields (${notes.map((n) => n.field).join(', ') || 'none'})`,
          )
      }
    }
    t.same(failures, [], `${where} (${targets.length} record${targets.length === 1 ? '' : 's'})`)
  }

  // The check reads the fields from the API: it tells a marked field from an unmarked one on the
  // same record (Activity 5's category is a judgement; its code is read from the framework).
  const five = json(await get(urlOf('activity', 'commit-spa-1/Activity 5'))).provenance as Provenance
  t.ok(
    five.inferred.some((n) => n.field === 'category'),
    'Activity 5: category is inferred',
  )
  t.notOk(
    [...five.inferred, ...five.doubtful].some((n) => n.field === 'code'),
    'Activity 5: code is not',
  )
})
