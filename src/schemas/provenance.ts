import { Type, type Static } from 'typebox'
import { nullable, ref } from './common.ts'

// Where a record's values come from (docs/provenance.md). A seeded record cites the
// source documents and the place in each, and names every field whose value was inferred rather
// than read, with the reason in one sentence. A record created through the API carries the key
// that created it instead. Every resource stores this in a `provenance jsonb` column and returns
// it as `provenance`; `?inferred=true` lists the records with at least one inferred field.

export const SourceCitation = Type.Object(
  {
    document: Type.String({
      maxLength: 64,
      description: 'Key of the source document (see `docs/provenance.md`).',
      examples: ['commit-spa'],
    }),
    title: Type.String({ maxLength: 500, description: 'The document’s title.' }),
    date: Type.String({ maxLength: 100, description: 'The document’s date, as precise as it is known.' }),
    file: Type.String({ maxLength: 200, description: 'The file the text was transcribed from.' }),
    locator: Type.String({
      maxLength: 200,
      description: 'Where in the document: lines, page or section.',
      examples: ['lines 137–138'],
    }),
  },
  { $id: 'SourceCitation', additionalProperties: false, description: 'A place in a source document.' },
)

export const FieldNote = Type.Object(
  {
    field: Type.String({ maxLength: 100, description: 'The field (a JSON property name of this resource).' }),
    reason: Type.String({ maxLength: 1000, description: 'Why, in one sentence.' }),
  },
  { $id: 'FieldNote', additionalProperties: false, description: 'A judgement about one field.' },
)

export const Provenance = Type.Object(
  {
    origin: Type.Union([Type.Literal('source'), Type.Literal('api')], {
      description: '`source`: transcribed from the source documents by the seed. `api`: created through the API.',
    }),
    sources: Type.Array(ref(SourceCitation), { maxItems: 50, description: 'The places the values were read from.' }),
    inferred: Type.Array(ref(FieldNote), {
      maxItems: 50,
      description: 'Fields whose value the documents do not give: placed by rule, assumed or chosen by this project.',
    }),
    doubtful: Type.Array(ref(FieldNote), {
      maxItems: 50,
      description: 'Fields kept as the document writes them although they look like a slip in the source.',
    }),
    createdBy: nullable(
      Type.Object(
        { keyId: Type.String({ format: 'uuid', maxLength: 36 }) },
        { additionalProperties: false, description: 'The API key that created the record.' },
      ),
    ),
  },
  { $id: 'Provenance', additionalProperties: false, description: 'Where this record’s values come from.' },
)
export type ProvenanceValue = Static<typeof Provenance>

/** What a record created through the API stores in its `provenance` column. */
export function apiProvenance(keyId: string | null): ProvenanceValue {
  return { origin: 'api', sources: [], inferred: [], doubtful: [], createdBy: keyId ? { keyId } : null }
}

/** A stored value (null for rows older than the column) as the API returns it. */
export function provenanceOf(stored: unknown): ProvenanceValue {
  const p = (stored ?? {}) as Partial<ProvenanceValue>
  return {
    origin: p.origin ?? 'api',
    sources: p.sources ?? [],
    inferred: p.inferred ?? [],
    doubtful: p.doubtful ?? [],
    createdBy: p.createdBy ?? null,
  }
}

export const provenanceSchemas = [SourceCitation, FieldNote, Provenance]

// Shared example values for the `provenance` property of every resource's documented example, so
// the examples cannot drift from the schema one by one. Title, date and file are those of
// `commit-spa` in data/sources.json; the locator is where PPC 2 is described.

/** The example provenance of a record transcribed from the source documents by the seed. */
export const exampleSourceProvenance: ProvenanceValue = {
  origin: 'source',
  sources: [
    {
      document: 'commit-spa',
      title: 'Coordinated Mekong Ministerial Initiative against Trafficking, Final COMMIT Sub-Regional Plan of Action',
      date: 'not given; written after the consultations of November 2004 – early 2005 it describes',
      file: '001_5a47ec7a16bd1325.txt',
      locator: 'lines 80–138',
    },
  ],
  inferred: [],
  doubtful: [],
  createdBy: null,
}

/** The example provenance of a record created through the API. */
export const exampleApiProvenance: ProvenanceValue = apiProvenance('6e2d9b4a-1c3f-4a5e-8b7d-0f1e2c3d4a5b')
