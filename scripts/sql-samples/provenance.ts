import type { Invocation } from '../sql-snapshots.samples.ts'
import { load } from '../sql-snapshots.sources.ts'

// src/db/provenance.queries.ts: the seed's fill of rows written before migration 0008.

const provenance = await load<typeof import('../../src/db/provenance.queries.ts')>('provenance.queries.ts')

const ID = '5a5a5a5a-5a5a-45a5-85a5-000000000001'
const stored = JSON.stringify({
  origin: 'source',
  sources: [{ document: 'commit-spa', title: 'T', date: 'D', file: 'F', locator: 'line 7' }],
  inferred: [],
  doubtful: [],
  createdBy: null,
})

export const samples: Record<string, Invocation[]> = {
  'provenance.queries.ts:fillMissingProvenance': [
    {
      call: "table: 'activities', rows: [1]",
      run: (db) => provenance.fillMissingProvenance(db, 'activities', [{ id: ID, provenance: stored }]),
    },
  ],
}

export const ignore: Record<string, string> = {
  'provenance.queries.ts:inferredIs': 'builds the `inferred` condition of the lists (see their statements)',
}
