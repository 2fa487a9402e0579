import { readFileSync } from 'node:fs'

// Every row the seed writes, named as src/seed names it: the kind and key it passes to
// seedId(kind, key). Computed from data/ exactly as src/seed/{organizations,plans,meetings}.ts
// walk it, so a record the seed loads and this list misses cannot exist. Agenda items are part
// of their meeting's representation (not resources of their own) and carry no provenance.

const dataDir = new URL('../../data/', import.meta.url)

export type Json = any

export function readData(path: string, fallback?: Json): Json {
  try {
    return JSON.parse(readFileSync(new URL(path, dataDir), 'utf8'))
  } catch (err) {
    if (fallback !== undefined && (err as NodeJS.ErrnoException).code === 'ENOENT') return fallback
    throw err
  }
}

export type Kind = 'organization' | 'plan' | 'area' | 'activity' | 'project' | 'result' | 'task' | 'meeting' | 'outcome'

/** Kinds whose rows carry their provenance inside their own data file rather than in data/provenance/. */
export type InlineKind = 'indicator' | 'indicator-target' | 'training-course'

export interface InlineRecord {
  kind: InlineKind
  key: string
  file: string
  /** The citations the seeder stores for the row. */
  sources: { document: string; locator: string }[]
}

/**
 * The rows of the seeders that keep provenance in their own files (data/indicators.json,
 * data/training.json), named as src/seed/indicators.ts and src/seed/training.ts name them.
 */
export function inlineRecords(): InlineRecord[] {
  const indicators = readData('indicators.json', { indicators: [] }).indicators as Json[]
  return [
    ...indicators.flatMap((i) => [
      { kind: 'indicator' as const, key: `${i.plan}/${i.code}`, file: 'indicators', sources: i.sources ?? [] },
      ...(i.targets ?? []).map((t: Json) => ({
        kind: 'indicator-target' as const,
        key: `${i.plan}/${i.code}/${t.period}`,
        file: 'indicators',
        sources: i.sources ?? [],
      })),
    ]),
    ...(readData('training.json', []) as Json[]).map((c) => ({
      kind: 'training-course' as const,
      key: c.key,
      file: 'training',
      sources: c.provenance?.sources ?? [],
    })),
  ]
}

export interface SeedRecord {
  kind: Kind
  /** What the seed passes to seedId(kind, key). */
  key: string
  /** The data file it comes from, which is also the provenance file it belongs in (data/provenance/<file>). */
  file: string
  /** The entry of the data file. */
  data: Json
  /** The plan key (plan records and everything under a plan). */
  plan?: string
  /** The project (results and tasks), the meeting (outcomes), the parent area (areas). */
  parent?: Json
  /** 1-based position among its siblings (results, tasks). */
  position?: number
}

export const planFiles = ['plans/commit-spa-1.json', 'plans/asean-apa.json', 'plans/catalogue.json'] as const

/** The plans in the seed's order, each with the data file it comes from. */
export function plans(): { plan: Json; file: string }[] {
  return [
    { plan: readData('plans/commit-spa-1.json'), file: 'commit-spa-1' },
    { plan: readData('plans/asean-apa.json'), file: 'asean-apa' },
    ...(readData('plans/catalogue.json') as Json[]).map((plan) => ({ plan, file: 'catalogue' })),
  ]
}

export function seededRecords(): SeedRecord[] {
  const out: SeedRecord[] = []
  for (const o of [...readData('organizations.json'), ...readData('organizations.extra.json', [])])
    out.push({ kind: 'organization', key: o.key, file: 'organizations', data: o })

  for (const { plan: p, file } of plans()) {
    out.push({ kind: 'plan', key: p.key, file, data: p, plan: p.key })
    const walk = (nodes: Json[], parent: Json) => {
      for (const n of nodes) {
        out.push({ kind: 'area', key: `${p.key}/${n.code}`, file, data: n, plan: p.key, parent })
        walk(n.children ?? [], n)
      }
    }
    walk(p.areas ?? [], null)
    for (const a of p.activities ?? [])
      out.push({ kind: 'activity', key: `${p.key}/${a.code}`, file, data: a, plan: p.key })
    for (const pr of p.projects ?? []) {
      out.push({ kind: 'project', key: `${p.key}/${pr.code}`, file, data: pr, plan: p.key })
      pr.results.forEach((r: Json, i: number) => {
        out.push({
          kind: 'result',
          key: `${p.key}/${pr.code}/${i + 1}`,
          file,
          data: r,
          plan: p.key,
          parent: pr,
          position: i + 1,
        })
      })
      pr.tasks.forEach((t: Json, i: number) => {
        out.push({
          kind: 'task',
          key: `${p.key}/${pr.code}/${i + 1}`,
          file,
          data: t,
          plan: p.key,
          parent: pr,
          position: i + 1,
        })
      })
    }
  }

  for (const m of readData('meetings.json') as Json[]) {
    out.push({ kind: 'meeting', key: m.key, file: 'meetings', data: m, plan: m.plan ?? undefined })
    for (const o of m.outcomes ?? [])
      out.push({ kind: 'outcome', key: `${m.key}/${o.externalRef}`, file: 'meetings', data: o, parent: m })
  }
  return out
}

export const recordName = (r: { kind: string; key: string }) => `${r.kind}:${r.key}`
