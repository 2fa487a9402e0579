import t from 'tap'
import { json, setup, type TestContext } from '../helpers/app.ts'
import { createIndicator, monitoringPlan, setTarget } from './monitoring.fixtures.ts'

// Progress against targets, checked against figures worked out by hand (in the comments) for
// each aggregation (sum, mean, latest) and for a decreasing indicator.

async function values(ctx: TestContext, indicatorId: string, items: Record<string, unknown>[]) {
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/v1/measurements/batch',
    headers: ctx.admin,
    payload: { items: items.map((i) => ({ indicatorId, status: 'submitted', ...i })) },
  })
  if (res.statusCode !== 200) throw new Error(res.body)
}

const progress = async (ctx: TestContext, id: string, query = '') =>
  json(await ctx.app.inject({ url: `/v1/indicators/${id}/progress${query}`, headers: ctx.admin }))

const brief = (f: { actual: number | null; target: number | null; percentOfTarget: number | null; status: string }) => [
  f.actual,
  f.target,
  f.percentOfTarget,
  f.status,
]

t.test('sum: countries added, periods added', async (t) => {
  const ctx = await setup(t)
  const planId = await monitoringPlan(ctx)
  const s = await createIndicator(ctx, planId, { code: 'S', aggregation: 'sum' })
  await setTarget(ctx, s.id, { period: '2006S1', country: 'LA', target: 10 })
  await setTarget(ctx, s.id, { period: '2006S1', country: 'TH', target: 20 })
  await setTarget(ctx, s.id, { period: '2006S2', target: 40 })
  await values(ctx, s.id, [
    { period: '2006S1', country: 'LA', value: 8 },
    { period: '2006S1', country: 'TH', value: 12 },
    { period: '2006S2', country: 'LA', value: 15 },
    { period: '2006S2', country: 'TH', value: 25 },
  ])
  const p = await progress(ctx, s.id)
  // 2006S1: 8 + 12 = 20 against 10 + 20 = 30: 66.7 % (at risk); LA 8/10 = 80 % (on track), TH 12/20 = 60 % (at risk).
  t.same(brief(p.periods[0]), [20, 30, 66.7, 'at_risk'])
  t.same(p.periods[0].countries.map(brief), [
    [8, 10, 80, 'on_track'],
    [12, 20, 60, 'at_risk'],
  ])
  // 2006S2: 15 + 25 = 40 against the regional 40: achieved.
  t.same(brief(p.periods[1]), [40, 40, 100, 'achieved'])
  // Overall: 20 + 40 = 60 against 30 + 40 = 70: 85.7 % (on track).
  t.same(brief(p.overall), [60, 70, 85.7, 'on_track'])

  const plan = json(await ctx.app.inject({ url: `/v1/plans/${planId}/progress?period=2006S1`, headers: ctx.admin }))
  t.same(brief(plan.indicators[0]), [20, 30, 66.7, 'at_risk'], 'the plan’s progress for 2006S1')
  t.same(plan.summary, { achieved: 0, on_track: 0, at_risk: 1, off_track: 0, no_data: 0 })
  const whole = json(await ctx.app.inject({ url: `/v1/plans/${planId}/progress`, headers: ctx.admin }))
  t.equal(whole.period, 'final')
  t.same(brief(whole.indicators[0]), [60, 70, 85.7, 'on_track'])
})

t.test('mean: countries averaged, periods averaged; drafts only when asked', async (t) => {
  const ctx = await setup(t)
  const planId = await monitoringPlan(ctx)
  const m = await createIndicator(ctx, planId, { code: 'M', unit: 'percent', aggregation: 'mean' })
  await setTarget(ctx, m.id, { period: '2006S1', target: 75 })
  await setTarget(ctx, m.id, { period: '2006S2', target: 75 })
  await values(ctx, m.id, [
    { period: '2006S1', country: 'LA', value: 40 },
    { period: '2006S1', country: 'TH', value: 60 },
    { period: '2006S1', country: 'KH', value: 80 },
    { period: '2006S2', country: 'LA', value: 90 },
    { period: '2006S2', country: 'TH', value: 70 },
    { period: '2006S2', country: 'VN', value: 0, status: 'draft' },
  ])
  const p = await progress(ctx, m.id)
  // 2006S1: (40 + 60 + 80) / 3 = 60 against 75: 80 %. 2006S2: (90 + 70) / 2 = 80 against 75: 106.7 %.
  t.same(p.periods.map(brief), [
    [60, 75, 80, 'on_track'],
    [80, 75, 106.7, 'achieved'],
  ])
  // Overall: (60 + 80) / 2 = 70 against 75: 93.3 %.
  t.same(brief(p.overall), [70, 75, 93.3, 'on_track'])
  // With the draft VN 0: 2006S2 is (90 + 70 + 0) / 3 = 53.333333 against 75: 71.1 % (at risk).
  const drafts = await progress(ctx, m.id, '?includeDrafts=true')
  t.same(brief(drafts.periods[1]), [53.333333, 75, 71.1, 'at_risk'])
})

t.test('latest: each country’s last value carried forward, the last period over time', async (t) => {
  const ctx = await setup(t)
  const planId = await monitoringPlan(ctx)
  const l = await createIndicator(ctx, planId, {
    code: 'L',
    title: 'Countries with a national plan of action',
    unit: 'boolean',
    aggregation: 'latest',
  })
  await setTarget(ctx, l.id, { period: '2005S2', target: 2 })
  await setTarget(ctx, l.id, { period: '2007S2', target: 6 })
  await values(ctx, l.id, [
    { period: '2005S1', country: 'KH', value: 1 },
    { period: '2005S1', country: 'LA', value: 0 },
    { period: '2005S2', country: 'LA', value: 1 },
    { period: '2006S1', country: 'TH', value: 1 },
  ])
  const p = await progress(ctx, l.id)
  t.same(
    p.periods.map((x: { period: string }) => x.period),
    ['2005S1', '2005S2', '2006S1', '2007S2'],
  )
  t.same(p.periods.map(brief), [
    [1, null, null, 'no_data'], // KH 1 + LA 0; no target yet
    [2, 2, 100, 'achieved'], // KH 1 (carried) + LA 1
    [3, 2, 150, 'achieved'], // KH, LA carried + TH 1; the target 2 carried
    [3, 6, 50, 'at_risk'], // all carried, against 6
  ])
  t.same(brief(p.overall), [3, 6, 50, 'at_risk'], 'the last period’s')
  const plan = json(await ctx.app.inject({ url: `/v1/plans/${planId}/progress?period=2006S1`, headers: ctx.admin }))
  t.same(brief(plan.indicators[0]), [3, 2, 150, 'achieved'])
})

t.test('decrease: the share of the planned reduction achieved; sex totals', async (t) => {
  const ctx = await setup(t)
  const planId = await monitoringPlan(ctx)
  const d = await createIndicator(ctx, planId, {
    code: 'D',
    title: 'Days to repatriate a victim',
    unit: 'ratio',
    direction: 'decrease',
    aggregation: 'mean',
    disaggregations: [],
  })
  await setTarget(ctx, d.id, { period: '2005S1', baseline: 100 })
  await setTarget(ctx, d.id, { period: '2007S2', target: 60 })
  await values(ctx, d.id, [
    { period: '2006S2', value: 90 },
    { period: '2007S2', value: 70 },
  ])
  const p = await progress(ctx, d.id)
  // 2007S2: (100 − 70) / (100 − 60) = 75 %. 2006S2 has no target.
  t.same(p.periods.map(brief), [
    [null, null, null, 'no_data'],
    [90, null, null, 'no_data'],
    [70, 60, 75, 'on_track'],
  ])
  // Overall: mean actual (90 + 70) / 2 = 80 against 60: (100 − 80) / 40 = 50 %.
  t.same(brief(p.overall), [80, 60, 50, 'at_risk'])

  const d2 = await createIndicator(ctx, planId, { code: 'D2', direction: 'decrease', disaggregations: [] })
  await setTarget(ctx, d2.id, { period: '2006S1', target: 10 })
  await setTarget(ctx, d2.id, { period: '2006S2', target: 10 })
  await values(ctx, d2.id, [
    { period: '2006S1', value: 8 },
    { period: '2006S2', value: 20 },
  ])
  // Without a baseline: at or below the target is 100 %; above, target ÷ actual: 10 / 20 = 50 %.
  t.same((await progress(ctx, d2.id)).periods.map(brief), [
    [8, 10, 100, 'achieved'],
    [20, 10, 50, 'at_risk'],
  ])

  const x = await createIndicator(ctx, planId, { code: 'X', disaggregations: ['country', 'sex'] })
  await setTarget(ctx, x.id, { period: '2006S1', target: 13 })
  await values(ctx, x.id, [
    { period: '2006S1', country: 'LA', sex: 'female', value: 3 },
    { period: '2006S1', country: 'LA', sex: 'male', value: 4 },
    { period: '2006S1', country: 'TH', value: 5 },
    { period: '2006S1', country: 'TH', sex: 'female', value: 2 },
  ])
  // LA has no total: 3 + 4 = 7; TH's total 5 stands. 7 + 5 = 12 against 13: 92.3 %.
  const px = await progress(ctx, x.id)
  t.same(brief(px.periods[0]), [12, 13, 92.3, 'on_track'])
  t.same(
    px.periods[0].countries.map((c: { country: string; actual: number }) => [c.country, c.actual]),
    [
      ['LA', 7],
      ['TH', 5],
    ],
  )
  // Under 50 %: off track.
  const o = await createIndicator(ctx, planId, { code: 'O' })
  await setTarget(ctx, o.id, { period: '2006S1', target: 10 })
  await values(ctx, o.id, [{ period: '2006S1', value: 4, country: 'LA' }])
  t.same(brief((await progress(ctx, o.id)).overall), [4, 10, 40, 'off_track'])
})
