import t from 'tap'
import { json, setup, type TestContext } from '../helpers/app.ts'
import { monitoringPlan } from './monitoring.fixtures.ts'

// POST /v1/measurements/batch: 10 000 values across indicators, as a country's focal point or
// the secretariat imports them (DHIS2's dataValueSets).

const countries = ['KH', 'LA', 'TH', 'VN']
const quarters = ['2005Q1', '2005Q2', '2005Q3', '2005Q4', '2006Q1', '2006Q2', '2006Q3', '2006Q4', '2007Q1', '2007Q2']

async function indicators(ctx: TestContext, planId: string, n: number) {
  const rows = await ctx.database.db
    .insertInto('indicators')
    .values(
      Array.from({ length: n }, (_, i) => ({
        planId,
        code: `Q${String(i).padStart(4, '0')}`,
        title: `Indicator ${i}`,
        unit: 'count',
        frequency: 'quarterly',
      })),
    )
    .returning('id')
    .execute()
  return rows.map((r) => r.id)
}

/** 40 values per indicator: 4 countries × 10 quarters. */
function values(ids: string[], value = (i: number) => i % 97) {
  return ids.flatMap((indicatorId, n) =>
    countries.flatMap((country, c) =>
      quarters.map((period, p) => ({ indicatorId, period, country, value: value(n * 40 + c * 10 + p) })),
    ),
  )
}

const count = async (ctx: TestContext) =>
  Number(
    (
      await ctx.database.db
        .selectFrom('measurements')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  )

t.test('10 000 values with 3 invalid: atomic writes nothing, partial writes 9 997, again all unchanged', async (t) => {
  const ctx = await setup(t)
  const planId = await monitoringPlan(ctx)
  const ids = await indicators(ctx, planId, 250)
  const items: Record<string, unknown>[] = values(ids)
  t.equal(items.length, 10_000)
  items[17] = { ...items[17], value: -1 }
  items[5000] = { ...items[5000], period: '2006S1' }
  items[9999] = { ...items[9999], country: 'XX' }
  const post = (query: string, headers: Record<string, string> = {}) =>
    ctx.app.inject({
      method: 'POST',
      url: `/v1/measurements/batch${query}`,
      headers: { ...ctx.admin, ...headers },
      payload: { items },
    })

  const atomic = await post('')
  t.equal(atomic.statusCode, 422)
  const problem = json(atomic)
  t.same(
    problem.rejections.map((r: { index: number; reason: string; errors: { pointer: string }[] }) => [
      r.index,
      r.reason,
      r.errors[0]!.pointer,
    ]),
    [
      [17, 'invalid', '/body/items/17/value'],
      [5000, 'invalid', '/body/items/5000/period'],
      [9999, 'invalid', '/body/items/9999/country'],
    ],
  )
  t.equal(await count(ctx), 0, 'atomic: nothing written')

  const dry = json(await post('?mode=partial&dryRun=true'))
  t.same(dry.summary, { total: 10000, created: 9997, updated: 0, unchanged: 0, rejected: 3 })
  t.equal(await count(ctx), 0, 'dry run: nothing written')

  const partial = await post('?mode=partial', { 'idempotency-key': 'import-2007Q2' })
  t.equal(partial.statusCode, 200)
  t.same(json(partial).summary, { total: 10000, created: 9997, updated: 0, unchanged: 0, rejected: 3 })
  t.same(
    json(partial).rejections.map((r: { index: number }) => r.index),
    [17, 5000, 9999],
  )
  t.equal(await count(ctx), 9997)

  const replay = await post('?mode=partial', { 'idempotency-key': 'import-2007Q2' })
  t.equal(replay.headers['idempotent-replayed'], 'true', 'the same key replays the first answer')
  t.same(json(replay).summary, json(partial).summary)

  const again = json(await post('?mode=partial'))
  t.same(again.summary, { total: 10000, created: 0, updated: 0, unchanged: 9997, rejected: 3 })

  const changed = items.map((it, i) => (i < 10 ? { ...it, value: 1000 + i } : it))
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/v1/measurements/batch?mode=partial',
    headers: ctx.admin,
    payload: { items: changed },
  })
  t.same(json(res).summary, { total: 10000, created: 0, updated: 10, unchanged: 9987, rejected: 3 })
  const changes = await ctx.database.db
    .selectFrom('changes')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('resource', '=', 'measurement')
    .executeTakeFirstOrThrow()
  t.equal(Number(changes.n), 9997 + 10, 'one change record per value written')
})

t.test(
  'a batch reports each rule per item: forbidden country, locked period, unknown indicator, repeats, verified',
  async (t) => {
    const ctx = await setup(t)
    const planId = await monitoringPlan(ctx)
    const [a] = await indicators(ctx, planId, 1)
    const la = await ctx.key(['indicators:write'], { countries: ['LA'] })
    await ctx.app.inject({
      method: 'POST',
      url: `/v1/plans/${planId}/period-locks`,
      headers: ctx.admin,
      payload: { period: '2005' },
    })
    await ctx.app.inject({
      method: 'POST',
      url: '/v1/measurements/batch',
      headers: ctx.admin,
      payload: { items: [{ indicatorId: a, period: '2006Q2', country: 'LA', value: 5, status: 'verified' }] },
    })
    const items = [
      { indicatorId: a, period: '2006Q1', country: 'LA', value: 1 },
      { indicatorId: a, period: '2006Q1', country: 'TH', value: 1 },
      { indicatorId: a, period: '2006Q1', value: 1 },
      { indicatorId: a, period: '2005Q4', country: 'LA', value: 1 },
      { indicatorId: '00000000-0000-4000-8000-000000000000', period: '2006Q1', country: 'LA', value: 1 },
      { indicatorId: a, period: '2006Q1', country: 'LA', value: 2 },
      { indicatorId: a, period: '2006Q2', country: 'LA', value: 6, reason: 'x' },
      { indicatorId: a, period: '2006Q3', country: 'LA', value: 'three' },
      { indicatorId: a, period: '2006Q3', country: 'LA', value: 3, extra: true },
    ]
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/v1/measurements/batch?mode=partial',
      headers: la,
      payload: { items },
    })
    t.equal(res.statusCode, 200)
    const body = json(res)
    t.same(body.summary, { total: 9, created: 1, updated: 0, unchanged: 0, rejected: 8 })
    t.same(
      body.rejections.map((r: { index: number; reason: string }) => [r.index, r.reason]),
      [
        [1, 'forbidden'],
        [2, 'forbidden'],
        [3, 'locked'],
        [4, 'not-found'],
        [5, 'conflict'],
        [6, 'forbidden'],
        [7, 'invalid'],
        [8, 'invalid'],
      ],
    )
    t.equal(body.rejections[5].errors[0].pointer, '/body/items/6/value')
    t.equal(body.rejections[6].errors[0].pointer, '/body/items/7/value')
    t.equal(body.rejections[7].errors[0].pointer, '/body/items/8/extra')
    const stored = await ctx.database.db
      .selectFrom('measurements')
      .select(['period', 'value'])
      .orderBy('period')
      .execute()
    t.same(stored, [
      { period: '2006Q1', value: 1 },
      { period: '2006Q2', value: 5 },
    ])

    const tooMany = await ctx.app.inject({
      method: 'POST',
      url: '/v1/measurements/batch',
      headers: ctx.admin,
      payload: { items: Array.from({ length: 10_001 }, () => ({})) },
    })
    t.equal(tooMany.statusCode, 400)
    t.equal(json(tooMany).errors[0].pointer, '/body/items')
  },
)
