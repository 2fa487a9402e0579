import t from 'tap'
import { ContractDocument } from '../contract/document.ts'
import { formatReport } from './report.ts'
import { runFuzz } from './run.ts'

// The fuzzer in CI: a few generated requests per operation of openapi/openapi.json (a long run
// is `npm run fuzz -- --runs 300`). FUZZ_SEED and FUZZ_RUNS vary it; the seed is fixed by default
// so a red build is the same red build on every machine.

const seed = Number(process.env.FUZZ_SEED ?? 1)
const runs = Number(process.env.FUZZ_RUNS ?? 12)

t.test(
  'generated requests for every operation get answers the document declares (status, headers, body), and never a 5xx',
  async (t) => {
    const summary = await runFuzz({ seed, runs, checkHeaders: true })
    t.equal(summary.operations, ContractDocument.load().operations.length, 'every operation of the document is fuzzed')
    t.ok(summary.requests >= summary.operations * runs, `${summary.requests} requests sent`)
    if (summary.failures.length) t.comment(formatReport({ ...summary, warnings: [] }))
    t.equal(
      summary.failures.length,
      0,
      `no failures (seed ${seed}, ${runs} runs per operation: npm run fuzz -- --seed ${seed} --runs ${runs})`,
    )
  },
)
