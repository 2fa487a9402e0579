import type { Invocation } from '../sql-snapshots.samples.ts'
import { load } from '../sql-snapshots.sources.ts'

// The CSV name columns' lookups (src/db/names.queries.ts): one statement per kind and batch.
const names = await load<typeof import('../../src/db/names.queries.ts')>('names.queries.ts')

const PLAN = '11111111-1111-4111-8111-000000000001'
const ORGANIZATION = '99999999-9999-4999-8999-000000000001'

export const samples: Record<string, Invocation[]> = {
  'names.queries.ts:labelsOf': [
    { call: `'plan', ['${PLAN}']`, run: (db) => names.labelsOf(db, 'plan', [PLAN]) },
    { call: `'organization', ['${ORGANIZATION}']`, run: (db) => names.labelsOf(db, 'organization', [ORGANIZATION]) },
  ],
}
