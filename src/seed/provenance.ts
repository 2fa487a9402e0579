import { readFileSync } from 'node:fs'
import type { ProvenanceValue } from '../schemas/provenance.ts'

// The seed's side of provenance: data files cite a document by key and a place in it; the
// record stores the citation expanded with the document's title, date and file (data/sources.json),
// so a client reads where a value came from without a second lookup.

export interface Citation {
  document: string
  locator: string
}
export interface FieldNote {
  field: string
  reason: string
}
export interface SeedProvenance {
  sources: Citation[]
  inferred?: FieldNote[]
  doubtful?: FieldNote[]
}

type Documents = Record<string, { title: string; date: string; file: string }>
const documents = JSON.parse(readFileSync(new URL('../../data/sources.json', import.meta.url), 'utf8')) as Documents

/** The stored provenance of a seeded record; throws on a document key data/sources.json lacks. */
export function sourceProvenance(p: SeedProvenance): ProvenanceValue {
  return {
    origin: 'source',
    sources: p.sources.map((c) => {
      const doc = documents[c.document]
      if (!doc) throw new Error(`provenance cites an unknown document "${c.document}" (see data/sources.json)`)
      return { document: c.document, ...doc, locator: c.locator }
    }),
    inferred: p.inferred ?? [],
    doubtful: p.doubtful ?? [],
    createdBy: null,
  }
}
