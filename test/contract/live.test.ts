import t from 'tap'
import { setup, type TestContext } from '../helpers/app.ts'
import { seedDatabase } from '../../src/seed/index.ts'
import {
  checkedHeaders,
  contract,
  declares,
  keyOf,
  Ledger,
  Live,
  loadWorld,
  type Scenario,
  type Server,
} from './scenarios.ts'
import { scenarios as reference } from './live/reference.ts'
import { scenarios as organizations } from './live/organizations.ts'
import { scenarios as plans } from './live/plans.ts'
import { scenarios as activities } from './live/activities.ts'
import { scenarios as projects } from './live/projects.ts'
import { scenarios as meetings } from './live/meetings.ts'
import { scenarios as outcomes } from './live/outcomes.ts'
import { scenarios as monitoring } from './live/monitoring.ts'
import { scenarios as training } from './live/training.ts'
import { scenarios as iati } from './live/iati.ts'
import { scenarios as integration } from './live/integration.ts'
import { crossCuttingPasses } from './live/cross-cutting.ts'

// Every operation of the committed OpenAPI document, called on a seeded server: each response is
// validated against the document (status, content type, body schema, headers) and its status
// compared with the one the scenario expects. A new route without a scenario fails the first
// test; so does a scenario for an operation the document no longer has.
//
//   one module:  npx tap test/contract/live.test.ts --grep=Plans   (no coverage check, no report)

const groups: Record<string, Scenario[]> = {
  'Health and countries': reference,
  Organizations: organizations,
  Plans: plans,
  Activities: activities,
  Projects: projects,
  Meetings: meetings,
  Outcomes: outcomes,
  Training: training,
  Monitoring: monitoring,
  IATI: iati,
  Integration: integration,
}
const all = Object.values(groups).flat()
const documented = contract.operations.map((o) => keyOf(o.method, o.path))

t.test('every operation of the document has a scenario, and every scenario an operation', async (t) => {
  const scenarioOps = all.map((s) => s.operation)
  t.strictSame(
    documented.filter((op) => !scenarioOps.includes(op)),
    [],
    'operations without a scenario',
  )
  t.strictSame(
    scenarioOps.filter((op) => !documented.includes(op)),
    [],
    'scenarios for operations the document lacks',
  )
  t.strictSame(
    scenarioOps.filter((op, i) => scenarioOps.indexOf(op) !== i),
    [],
    'one scenario per operation',
  )
  // A scenario may only expect what the document promises.
  for (const s of all.filter((s) => documented.includes(s.operation))) {
    t.strictSame(
      s.statuses.filter((status) => !declares(s.operation, status)),
      [],
      `${s.operation}: expected statuses are declared`,
    )
  }
})

// One seeded database for every scenario, run in order: a scenario creates what it deletes, and
// changes seeded rows only in ways no later scenario depends on.
const ledger = new Ledger()
const main = await setup(t)
await seedDatabase(main.database.db)
const world = await loadWorld(main.app)
// Listening too, for the requests that must go over a real connection.
const server = { ...(await serverOf(main)), origin: await main.app.listen({ host: '127.0.0.1', port: 0 }) }

for (const [group, scenarios] of Object.entries(groups)) {
  t.test(group, async (t) => {
    for (const scenario of scenarios) {
      await t.test(scenario.operation, async (t) => {
        const live = new Live(t, server, world, ledger)
        await scenario.run(live)
        const seen = [...(live.seen.get(scenario.operation) ?? [])].sort()
        t.strictSame(
          seen,
          [...scenario.statuses].sort(),
          `${scenario.operation}: the scenario got exactly the statuses it names`,
        )
      })
    }
  })
}

// The statuses every operation shares (401, 403, 413, 414, 415, 429), by replaying the request
// that succeeded in each scenario with the one thing changed that should be refused; and every
// read once more over a real connection.
t.test('Cross-cutting refusals', async (t) => {
  await crossCuttingPasses(t, {
    ledger,
    world,
    server,
    servers: { make: (overrides) => setup(t, overrides).then(serverOf) },
  })
})

t.test('report', async (t) => {
  const exercised = documented.filter((op) => ledger.statuses.has(op))
  t.strictSame(
    documented.filter((op) => !ledger.statuses.has(op)),
    [],
    'every operation was called',
  )
  const declared = contract.operations.reduce((n, o) => n + Object.keys(o.raw.responses).length, 0)
  t.comment(`operations covered: ${exercised.length} of ${documented.length}`)
  const undeclared = [...ledger.statuses].reduce(
    (n, [op, statuses]) => n + [...statuses].filter((s) => !declares(op, s)).length,
    0,
  )
  t.comment(
    `(operation × status) pairs exercised: ${ledger.pairs} (${ledger.pairs - undeclared} of the ${declared} declared, ${undeclared} undeclared)`,
  )
  t.comment(`headers checked: ${ledger.headersChecked} (present and declared, of ${checkedHeaders.join(', ')})`)
  t.comment(`responses validated: ${ledger.responses}`)
  const unexercised = contract.operations.flatMap((o) =>
    Object.keys(o.raw.responses).filter((s) => !ledger.statuses.get(keyOf(o.method, o.path))?.has(Number(s))),
  )
  const byStatus = Object.entries(
    unexercised.reduce<Record<string, number>>((m, s) => Object.assign(m, { [s]: (m[s] ?? 0) + 1 }), {}),
  ).map(([s, n]) => `${s}×${n}`)
  t.comment(`declared but not provoked: ${byStatus.join(' ')}`)
})

async function serverOf(ctx: TestContext): Promise<Server> {
  return {
    app: ctx.app,
    auth: { admin: ctx.admin, reader: await ctx.key(['read']), scopeless: await ctx.key(['indicators:write']) },
  }
}
