import t from 'tap'
import {
  compareSnapshots,
  coverageProblems,
  exportedDeclarations,
  generateSqlSnapshots,
  queryModules,
  readCommitted,
  takesDatabase,
  unifiedDiff,
} from '../scripts/sql-snapshots.ts'
import { ignore, samples } from '../scripts/sql-snapshots.samples.ts'

// sql/*.sql holds the SQL of every query function (see scripts/sql-snapshots.ts). This test
// regenerates it in memory: it fails when a query changed and sql/ was not regenerated, and when
// a query module exports a function the samples do not cover.

const hint = 'run `npm run sql` to regenerate sql/, and review the diff'

t.test('the SQL of every query function is committed under sql/ as it is generated now', async (t) => {
  const { files, problems, stats } = await generateSqlSnapshots()
  t.same(
    problems,
    [],
    `every export of src/**/*.queries.ts is sampled (or listed as issuing no SQL) and its samples run: fix scripts/sql-snapshots.samples.ts, then ${hint}`,
  )
  t.ok(stats.statements > 0, `${stats.modules} modules, ${stats.functions} functions, ${stats.statements} statements`)
  const diffs = compareSnapshots(files, readCommitted())
  if (diffs.length === 0) t.pass('sql/ is up to date')
  else {
    // tap prints the diagnostic's diff as a diff under the failure.
    t.fail(`sql/ does not match the query functions (${diffs.length} file(s)): ${hint}`, { diff: diffs.join('\n') })
  }
})

t.test('a query function without samples fails the test, named', async (t) => {
  const modules = await queryModules()
  t.same(coverageProblems(modules, samples, ignore), [])
  const { 'organizations.queries.ts:getOrganization': _dropped, ...fewer } = samples
  t.same(coverageProblems(modules, fewer, ignore), [
    'organizations.queries.ts:getOrganization has no sample: add its calls to scripts/sql-snapshots.samples.ts',
  ])
  const { 'organizations.queries.ts:toOrganization': _mapper, ...lessIgnored } = ignore
  t.match(coverageProblems(modules, samples, lessIgnored), [
    /^organizations\.queries\.ts:toOrganization has no sample: .* or list it in `ignore` if it issues no SQL \(its first parameter is row: OrganizationRow\)$/,
  ])
  t.same(coverageProblems(modules, samples, { ...ignore, 'organizations.queries.ts:countOrganizations': 'x' }), [
    'organizations.queries.ts:countOrganizations is both sampled and in `ignore`',
  ])
  t.same(coverageProblems(modules, { ...samples, 'organizations.queries.ts:gone': [] }, ignore), [
    'organizations.queries.ts:gone is in scripts/sql-snapshots.samples.ts but no src/**/*.queries.ts exports it: remove or rename the entry',
  ])
})

t.test('exported functions are found in file order with their first parameter', async (t) => {
  const source = [
    "import { x } from './x.ts'",
    'export async function listThings(db: Database, filters: { a?: string }, page: PageRequest) {}',
    'export const toThing = (row: ThingRow): Thing => ({ ...row })',
    'function helper(db: Database) {}',
    'export function syncRows<R extends { owner: string; f: (a: number) => void }>(db: Database, spec: Spec<R>) {}',
    'export const countThings = async (db: Kysely<DB>) => 1',
    'const local = (trx: Transaction<DB>, id: string) => 1',
    'export { local as renamed }',
    "export { other } from './other.ts'",
  ].join('\n')
  const found = [...exportedDeclarations(source).values()]
    .sort((a, b) => a.at - b.at)
    .map((f) => [f.name, f.firstParam])
  t.same(found, [
    ['listThings', 'db: Database'],
    ['toThing', 'row: ThingRow'],
    ['syncRows', 'db: Database'],
    ['countThings', 'db: Kysely<DB>'],
    ['renamed', 'trx: Transaction<DB>'],
  ])
  t.same(
    found.map(([, p]) => takesDatabase(p)),
    [true, false, true, true, true],
  )
})

t.test('the diff is unified-style with context', async (t) => {
  const before = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].join('\n') + '\n'
  const after = ['a', 'b', 'c', 'D', 'e', 'f', 'g', 'h', 'i'].join('\n') + '\n'
  t.equal(
    unifiedDiff('x.sql', before, after, 1),
    [
      '--- a/sql/x.sql',
      '+++ b/sql/x.sql',
      '@@ -3,3 +3,3 @@',
      ' c',
      '-d',
      '+D',
      ' e',
      '@@ -8,1 +8,2 @@',
      ' h',
      '+i',
    ].join('\n'),
  )
  t.equal(unifiedDiff('x.sql', before, before), '')
  t.match(unifiedDiff('new.sql', '', 'x\n'), /^--- a\/sql\/new\.sql\n\+\+\+ b\/sql\/new\.sql\n@@ -0,0 \+1,1 @@\n\+x$/)
})
