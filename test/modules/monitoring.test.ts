import t from 'tap'
import { json, setup } from '../helpers/app.ts'
import { createIndicator, monitoringPlan, postValue } from './monitoring.fixtures.ts'

// Indicators, targets and single values: the rules of DESIGN §2 "Monitoring and evaluation".

t.test('indicators: create, get, list with filters, patch, delete', async (t) => {
  const ctx = await setup(t)
  const planId = await monitoringPlan(ctx)
  const a = await createIndicator(ctx, planId, { code: 'PPC 1.1', title: 'Sub-regional training courses held' })
  await createIndicator(ctx, planId, {
    code: 'PPC 3.1',
    title: 'Countries with a national plan',
    unit: 'boolean',
    frequency: 'annual',
  })

  const got = await ctx.app.inject({ url: `/v1/indicators/${a.id}`, headers: ctx.admin })
  t.equal(got.statusCode, 200)
  t.match(json(got), {
    code: 'PPC 1.1',
    unit: 'count',
    direction: 'increase',
    aggregation: 'sum',
    frequency: 'six_monthly',
    disaggregations: ['country'],
  })
  t.equal(json(got).provenance.origin, 'api')

  const annual = json(
    await ctx.app.inject({ url: `/v1/indicators?planId=${planId}&frequency=annual`, headers: ctx.admin }),
  )
  t.same(
    annual.data.map((i: { code: string }) => i.code),
    ['PPC 3.1'],
  )
  const text = json(await ctx.app.inject({ url: '/v1/indicators?q=training', headers: ctx.admin }))
  t.same(
    text.data.map((i: { code: string }) => i.code),
    ['PPC 1.1'],
  )

  const dup = await ctx.app.inject({
    method: 'POST',
    url: '/v1/indicators',
    headers: ctx.admin,
    payload: { planId, code: 'PPC 1.1', title: 'again', unit: 'count' },
  })
  t.equal(dup.statusCode, 409, 'a code is unique within its plan')

  const otherPlan = await monitoringPlan(ctx, 'ASEAN APA')
  const project = await ctx.database.db
    .insertInto('projects')
    .values({ planId: otherPlan, code: 'PPC 1', title: 'x' })
    .returning('id')
    .executeTakeFirstOrThrow()
  const foreign = await ctx.app.inject({
    method: 'PATCH',
    url: `/v1/indicators/${a.id}`,
    headers: { ...ctx.admin, 'content-type': 'application/merge-patch+json' },
    payload: { projectId: project.id },
  })
  t.equal(foreign.statusCode, 422, 'the project must be of the indicator’s plan')
  t.equal(json(foreign).errors[0].pointer, '/body/projectId')

  const patched = await ctx.app.inject({
    method: 'PATCH',
    url: `/v1/indicators/${a.id}`,
    headers: { ...ctx.admin, 'content-type': 'application/merge-patch+json', 'if-match': '"1"' },
    payload: { title: 'Courses held' },
  })
  t.equal(patched.statusCode, 200)
  t.equal(json(patched).version, 2)

  t.equal((await postValue(ctx, a.id, { period: '2005S1', country: 'LA', value: 1 })).statusCode, 201)
  const unit = await ctx.app.inject({
    method: 'PATCH',
    url: `/v1/indicators/${a.id}`,
    headers: { ...ctx.admin, 'content-type': 'application/merge-patch+json' },
    payload: { unit: 'percent' },
  })
  t.equal(unit.statusCode, 422, 'the unit cannot change once there are values')
  const del = await ctx.app.inject({ method: 'DELETE', url: `/v1/indicators/${a.id}`, headers: ctx.admin })
  t.equal(del.statusCode, 409, 'an indicator with values is still referenced')
})

t.test('periods must match the frequency; values must fit the unit (422 naming the field)', async (t) => {
  const ctx = await setup(t)
  const planId = await monitoringPlan(ctx)
  const count = await createIndicator(ctx, planId, { code: 'C', unit: 'count' })
  const percent = await createIndicator(ctx, planId, { code: 'P', unit: 'percent', aggregation: 'mean' })
  const bool = await createIndicator(ctx, planId, { code: 'B', unit: 'boolean', frequency: 'annual' })
  const quarterly = await createIndicator(ctx, planId, { code: 'Q', unit: 'count', frequency: 'quarterly' })
  const monthly = await createIndicator(ctx, planId, { code: 'M', unit: 'count', frequency: 'monthly' })

  const cases: [string, Record<string, unknown>, string][] = [
    [count.id, { period: '2006', value: 1 }, '/body/period'],
    [count.id, { period: '2006Q3', value: 1 }, '/body/period'],
    [count.id, { period: '2006S1', value: 1.5 }, '/body/value'],
    [count.id, { period: '2006S1', value: -1 }, '/body/value'],
    [percent.id, { period: '2006S1', value: 100.5 }, '/body/value'],
    [percent.id, { period: '2006S1', value: -0.1 }, '/body/value'],
    [bool.id, { period: '2006', value: 2 }, '/body/value'],
    [bool.id, { period: '2006S2', value: 1 }, '/body/period'],
    [quarterly.id, { period: '2006-07', value: 1 }, '/body/period'],
    [monthly.id, { period: '2006Q1', value: 1 }, '/body/period'],
    [count.id, { period: '2006S1', sex: 'female', value: 1 }, '/body/sex'],
  ]
  for (const [id, payload, pointer] of cases) {
    const res = await postValue(ctx, id, payload)
    t.equal(res.statusCode, 422, JSON.stringify(payload))
    t.equal(json(res).errors[0].pointer, pointer, `${JSON.stringify(payload)} names ${pointer}`)
  }
  const bad = await postValue(ctx, count.id, { period: '2006S3', value: 1 })
  t.equal(bad.statusCode, 400, 'not a period at all: the schema')
  for (const [id, payload] of [
    [percent.id, { period: '2006S1', value: 100 }],
    [bool.id, { period: '2006', value: 0 }],
    [quarterly.id, { period: '2006Q3', value: 3 }],
    [monthly.id, { period: '2006-07', value: 3 }],
  ] as const)
    t.equal((await postValue(ctx, id, payload)).statusCode, 201, JSON.stringify(payload))
  t.equal(
    await ctx.database.db
      .selectFrom('measurements')
      .select('id')
      .execute()
      .then((r) => r.length),
    4,
  )
})

t.test('values upsert by (period, country, sex); targets by (period, country)', async (t) => {
  const ctx = await setup(t)
  const planId = await monitoringPlan(ctx)
  const i = await createIndicator(ctx, planId, { disaggregations: ['country', 'sex'] })
  const first = await postValue(ctx, i.id, { period: '2006S1', country: 'LA', sex: 'female', value: 10 })
  t.equal(first.statusCode, 201)
  t.match(first.headers.location, /^\/v1\/measurements\//)
  t.equal(json(first).status, 'draft')
  const again = await postValue(ctx, i.id, { period: '2006S1', country: 'LA', sex: 'female', value: 10 })
  t.equal(again.statusCode, 200)
  t.equal(json(again).version, 1, 'equal: unchanged')
  const upd = await postValue(ctx, i.id, {
    period: '2006S1',
    country: 'LA',
    sex: 'female',
    value: 12,
    status: 'submitted',
  })
  t.equal(json(upd).id, json(first).id)
  t.equal(json(upd).version, 2)
  await postValue(ctx, i.id, { period: '2006S1', country: 'LA', value: 20 })
  await postValue(ctx, i.id, { period: '2006S1', value: 50 })
  const list = json(
    await ctx.app.inject({ url: `/v1/indicators/${i.id}/measurements?country=LA&sex=none`, headers: ctx.admin }),
  )
  t.same(
    list.data.map((m: { value: number }) => m.value),
    [20],
  )
  const regional = json(
    await ctx.app.inject({ url: `/v1/indicators/${i.id}/measurements?country=none`, headers: ctx.admin }),
  )
  t.same(
    regional.data.map((m: { value: number }) => m.value),
    [50],
  )
  const ranged = json(
    await ctx.app.inject({ url: `/v1/indicators/${i.id}/measurements?from=2006S2`, headers: ctx.admin }),
  )
  t.equal(ranged.data.length, 0)
  const submitted = json(
    await ctx.app.inject({ url: `/v1/indicators/${i.id}/measurements?status=submitted`, headers: ctx.admin }),
  )
  t.equal(submitted.data.length, 1)

  const tgt = await ctx.app.inject({
    method: 'POST',
    url: `/v1/indicators/${i.id}/targets`,
    headers: ctx.admin,
    payload: { period: '2007S2', target: 6 },
  })
  t.equal(tgt.statusCode, 201)
  const tgt2 = await ctx.app.inject({
    method: 'POST',
    url: `/v1/indicators/${i.id}/targets`,
    headers: ctx.admin,
    payload: { period: '2007S2', target: 7, baseline: 0 },
  })
  t.equal(tgt2.statusCode, 200)
  t.equal(json(tgt2).id, json(tgt).id)
  const wrong = await ctx.app.inject({
    method: 'POST',
    url: `/v1/indicators/${i.id}/targets`,
    headers: ctx.admin,
    payload: { period: '2007', target: 7 },
  })
  t.equal(wrong.statusCode, 422)
  t.equal(json(wrong).errors[0].pointer, '/body/period')
  const targets = json(await ctx.app.inject({ url: `/v1/indicators/${i.id}/targets`, headers: ctx.admin }))
  t.same(
    targets.data.map((x: { target: number; baseline: number }) => [x.target, x.baseline]),
    [[7, 0]],
  )
})

t.test('verified values: only admin changes them, with a reason that is kept', async (t) => {
  const ctx = await setup(t)
  const planId = await monitoringPlan(ctx)
  const i = await createIndicator(ctx, planId, {})
  const writer = await ctx.key(['read', 'indicators:write'])
  const v = await postValue(ctx, i.id, { period: '2006S1', country: 'TH', value: 3, status: 'submitted' }, writer)
  t.equal(v.statusCode, 201)
  t.equal(
    (await postValue(ctx, i.id, { period: '2006S1', country: 'TH', value: 3, status: 'verified' }, writer)).statusCode,
    200,
  )

  const denied = await postValue(ctx, i.id, { period: '2006S1', country: 'TH', value: 4, reason: 'typo' }, writer)
  t.equal(denied.statusCode, 403, 'a verified value is changed only by admin')
  const noReason = await postValue(ctx, i.id, { period: '2006S1', country: 'TH', value: 4 })
  t.equal(noReason.statusCode, 422)
  t.equal(json(noReason).errors[0].pointer, '/body/reason')
  const same = await postValue(ctx, i.id, { period: '2006S1', country: 'TH', value: 3 }, writer)
  t.equal(same.statusCode, 200, 'posting the same verified value again is no change')
  const ok = await postValue(ctx, i.id, {
    period: '2006S1',
    country: 'TH',
    value: 4,
    reason: 'Task Force corrected its count',
  })
  t.equal(ok.statusCode, 200)
  t.equal(json(ok).value, 4)
  t.equal(json(ok).status, 'verified', 'absent status: kept')

  const history = json(await ctx.app.inject({ url: `/v1/measurements/${json(v).id}/history`, headers: writer }))
  t.match(history.data, [
    { valueBefore: 3, statusBefore: 'submitted', valueAfter: 3, statusAfter: 'verified', reason: null },
    {
      valueBefore: 3,
      statusBefore: 'verified',
      valueAfter: 4,
      statusAfter: 'verified',
      reason: 'Task Force corrected its count',
    },
  ])
  const del = await ctx.app.inject({ method: 'DELETE', url: `/v1/measurements/${json(v).id}`, headers: writer })
  t.equal(del.statusCode, 403, 'a verified value is deleted only by admin')
})

t.test('a country-limited key writes only its countries’ values; regional ones are read-only to it', async (t) => {
  const ctx = await setup(t)
  const planId = await monitoringPlan(ctx)
  const i = await createIndicator(ctx, planId, {})
  const la = await ctx.key(['read', 'indicators:write'], { countries: ['LA'] })
  t.equal((await postValue(ctx, i.id, { period: '2006S1', country: 'LA', value: 2 }, la)).statusCode, 201)
  const th = await postValue(ctx, i.id, { period: '2006S1', country: 'TH', value: 2 }, la)
  t.equal(th.statusCode, 403)
  t.equal(json(th).errors[0].pointer, '/body/country')
  t.equal((await postValue(ctx, i.id, { period: '2006S1', value: 2 }, la)).statusCode, 403)
  const rows = await ctx.database.db.selectFrom('measurements').select('country').execute()
  t.same(
    rows.map((r) => r.country),
    ['LA'],
    'nothing else was written',
  )
  const create = await ctx.app.inject({
    method: 'POST',
    url: '/v1/indicators',
    headers: la,
    payload: { planId, code: 'X', title: 'X', unit: 'count' },
  })
  t.equal(create.statusCode, 403, 'an indicator belongs to its plan’s countries, beyond LA')
  const tgt = await ctx.app.inject({
    method: 'POST',
    url: `/v1/indicators/${i.id}/targets`,
    headers: la,
    payload: { period: '2006S1', country: 'TH', target: 1 },
  })
  t.equal(tgt.statusCode, 403)
  const own = await ctx.app.inject({
    method: 'POST',
    url: `/v1/indicators/${i.id}/targets`,
    headers: la,
    payload: { period: '2006S1', country: 'LA', target: 1 },
  })
  t.equal(own.statusCode, 201)
})

t.test('period locks: writes into a locked period are 409 unless admin', async (t) => {
  const ctx = await setup(t)
  const planId = await monitoringPlan(ctx)
  const i = await createIndicator(ctx, planId, {})
  const q = await createIndicator(ctx, planId, { code: 'Q', frequency: 'quarterly' })
  const writer = await ctx.key(['read', 'indicators:write'])
  const denied = await ctx.app.inject({
    method: 'POST',
    url: `/v1/plans/${planId}/period-locks`,
    headers: writer,
    payload: { period: '2006S1' },
  })
  t.equal(denied.statusCode, 403, 'locking needs admin')
  const lock = await ctx.app.inject({
    method: 'POST',
    url: `/v1/plans/${planId}/period-locks`,
    headers: ctx.admin,
    payload: { period: '2006S1', reason: 'sent to the Governments' },
  })
  t.equal(lock.statusCode, 201)
  const twice = await ctx.app.inject({
    method: 'POST',
    url: `/v1/plans/${planId}/period-locks`,
    headers: ctx.admin,
    payload: { period: '2006S1' },
  })
  t.equal(twice.statusCode, 409)

  const locked = await postValue(ctx, i.id, { period: '2006S1', country: 'LA', value: 1 }, writer)
  t.equal(locked.statusCode, 409)
  t.equal(json(locked).errors[0].pointer, '/body/period')
  t.equal(
    (await postValue(ctx, q.id, { period: '2006Q2', country: 'LA', value: 1 }, writer)).statusCode,
    409,
    'a quarter within it',
  )
  t.equal(
    (await postValue(ctx, q.id, { period: '2006Q3', country: 'LA', value: 1 }, writer)).statusCode,
    201,
    'a quarter after it',
  )
  t.equal(
    (await postValue(ctx, i.id, { period: '2006S1', country: 'LA', value: 1 })).statusCode,
    201,
    'admin writes it',
  )

  const list = json(await ctx.app.inject({ url: `/v1/plans/${planId}/period-locks`, headers: writer }))
  t.same(
    list.data.map((l: { period: string }) => l.period),
    ['2006S1'],
  )
  const del = await ctx.app.inject({
    method: 'DELETE',
    url: `/v1/plans/${planId}/period-locks/${json(lock).id}`,
    headers: ctx.admin,
  })
  t.equal(del.statusCode, 204)
  t.equal(
    (await postValue(ctx, i.id, { period: '2006S1', country: 'TH', value: 1 }, writer)).statusCode,
    201,
    'unlocked',
  )
})
