import t from 'tap'
import { json, setup } from '../helpers/app.ts'
import { listChangesOf } from '../../src/modules/changes/changes.queries.ts'
import { todayIn } from '../../src/domain/dates.ts'
import { createMeeting, planningFixture } from './meetings.fixtures.ts'

const som2 = {
  kind: 'senior_officials',
  title: 'Senior Officials Meeting II',
  sequence: 'SOM 2',
  status: 'held',
  startDate: '2004-10-28',
  endDate: '2004-10-28',
  timeZone: 'Asia/Yangon',
  venue: { city: 'Yangon', country: 'MM' },
  countries: ['KH', 'CN', 'LA', 'MM', 'TH', 'VN'],
}

const dayAfter = (date: string, days = 1) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10)

t.test('create, read, merge-patch and delete a meeting', async (t) => {
  const ctx = await setup(t)
  const { app, admin, database } = ctx
  const p = await planningFixture(ctx)
  const created = await app.inject({
    method: 'POST',
    url: '/v1/meetings',
    headers: admin,
    payload: {
      ...som2,
      planId: p.planId,
      organizerIds: [p.orgs.uniap],
      activityIds: p.activityIds,
      projectIds: [p.projectIds[1]],
      agenda: [{ title: 'Framework document' }],
      documents: [
        {
          title: 'Framework',
          url: 'http://no-trafficking.org/content/COMMIT_Process/COMMIT_background.html',
          type: 'framework',
        },
      ],
    },
  })
  t.equal(created.statusCode, 201)
  const m = json(created)
  t.match(m, {
    ...som2,
    planId: p.planId,
    organizerIds: [p.orgs.uniap],
    activityIds: p.activityIds,
    description: null,
    attendance: null,
    version: 1,
  })
  t.match(m.agenda, [{ title: 'Framework document', description: null }])
  t.match(m.documents, [{ type: 'framework', language: null, date: null }], 'document defaults are filled in')
  t.equal(created.headers.location, `/v1/meetings/${m.id}`)
  t.equal(created.headers.etag, '"1"')

  const read = await app.inject({ url: `/v1/meetings/${m.id}` })
  t.same(json(read), m)
  t.equal((await app.inject({ url: `/v1/meetings/${m.id}`, headers: { 'if-none-match': '"1"' } })).statusCode, 304)

  const patched = await app.inject({
    method: 'PATCH',
    url: `/v1/meetings/${m.id}`,
    headers: { ...admin, 'content-type': 'application/merge-patch+json', 'if-match': '"1"' },
    payload: { venue: { city: 'Naypyidaw' }, activityIds: [p.activityIds[2]], sequence: null },
  })
  t.equal(patched.statusCode, 200)
  t.match(
    json(patched),
    {
      venue: { city: 'Naypyidaw', country: 'MM' },
      activityIds: [p.activityIds[2]],
      sequence: null,
      title: som2.title,
      version: 2,
    },
    'the venue merges, arrays are replaced, null clears',
  )

  const stale = await app.inject({
    method: 'PATCH',
    url: `/v1/meetings/${m.id}`,
    headers: { ...admin, 'if-match': '"1"' },
    payload: { title: 'x' },
  })
  t.equal(stale.statusCode, 412)
  const same = await app.inject({
    method: 'PATCH',
    url: `/v1/meetings/${m.id}`,
    headers: admin,
    payload: { title: som2.title, countries: som2.countries },
  })
  t.equal(json(same).version, 2, 'a patch that changes nothing does not bump the version')

  const filtered = await app.inject({ url: `/v1/meetings?activityId=${p.activityIds[0]}` })
  t.same(json(filtered).data, [], 'the activity links follow the patch')

  t.equal((await app.inject({ method: 'DELETE', url: `/v1/meetings/${m.id}`, headers: admin })).statusCode, 204)
  t.equal((await app.inject({ url: `/v1/meetings/${m.id}` })).statusCode, 404)
  const changes = await listChangesOf(database.db, 'meeting', m.id)
  t.same(
    changes.map((c) => [c.operation, c.version]),
    [
      ['create', 1],
      ['update', 2],
      ['delete', 3],
    ],
  )
  t.same(changes[1]!.fields.sort(), ['activityIds', 'sequence', 'venue'], 'changed fields are named as in the API')
})

t.test('rules: dates, time zone, held only once started', async (t) => {
  const ctx = await setup(t)
  const { app, admin } = ctx
  const post = (payload: object) =>
    app.inject({
      method: 'POST',
      url: '/v1/meetings',
      headers: admin,
      payload: { kind: 'workshop', title: 'Workshop', ...payload },
    })

  const backwards = await post({ startDate: '2005-02-10', endDate: '2005-02-09' })
  t.equal(backwards.statusCode, 422)
  t.match(json(backwards), {
    type: '/problems/rule-violation',
    errors: [{ pointer: '/body/endDate', detail: 'must be on or after startDate' }],
  })
  t.equal(
    (await post({ startDate: '2005-02-10', endDate: '2005-02-10' })).statusCode,
    201,
    'a one-day meeting ends on its start day',
  )
  const endOnly = await post({ endDate: '2005-02-10' })
  t.equal(endOnly.statusCode, 422)
  t.match(json(endOnly).errors, [{ pointer: '/body/startDate' }])

  const badZone = await post({ timeZone: 'Mekong/Standard' })
  t.equal(badZone.statusCode, 400)
  t.match(json(badZone).errors, [{ pointer: '/body/timeZone' }])
  const badDate = await post({ startDate: '2005-02-30' })
  t.equal(badDate.statusCode, 400)
  t.match(json(badDate).errors, [{ pointer: '/body/startDate' }])

  const nextYear = `${new Date().getUTCFullYear() + 1}-03-01`
  const future = await post({ status: 'held', startDate: nextYear })
  t.equal(future.statusCode, 422)
  t.match(json(future), { type: '/problems/rule-violation', errors: [{ pointer: '/body/status' }] })

  // "Today" is the meeting's own: in Kiritimati (UTC+14) it may already be tomorrow in UTC terms.
  const today = todayIn('Pacific/Kiritimati')
  t.equal(
    (await post({ status: 'held', startDate: today, timeZone: 'Pacific/Kiritimati' })).statusCode,
    201,
    'held on its first day',
  )
  const tomorrowThere = await post({
    status: 'held',
    startDate: dayAfter(todayIn('Pacific/Pago_Pago')),
    timeZone: 'Pacific/Pago_Pago',
  })
  t.equal(tomorrowThere.statusCode, 422, 'not held before its day comes where it takes place')

  // The rules hold on the state a patch leaves, not only on the fields it sends.
  const planned = await createMeeting(ctx, { status: 'planned', startDate: nextYear })
  const early = await app.inject({
    method: 'PATCH',
    url: `/v1/meetings/${planned.id}`,
    headers: admin,
    payload: { status: 'held' },
  })
  t.equal(early.statusCode, 422)
  const shorter = await app.inject({
    method: 'PATCH',
    url: `/v1/meetings/${planned.id}`,
    headers: admin,
    payload: { endDate: dayAfter(nextYear, -1) },
  })
  t.equal(shorter.statusCode, 422)
  t.equal(json(await app.inject({ url: `/v1/meetings/${planned.id}` })).version, 1, 'refused patches change nothing')
  t.equal(
    (
      await app.inject({
        method: 'PATCH',
        url: `/v1/meetings/${planned.id}`,
        headers: admin,
        payload: { status: 'cancelled' },
      })
    ).statusCode,
    200,
  )
})

t.test('references: plan, organizers, activities, projects and countries must exist', async (t) => {
  const ctx = await setup(t)
  const p = await planningFixture(ctx)
  const nobody = '00000000-0000-4000-8000-000000000000'
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/v1/meetings',
    headers: ctx.admin,
    payload: {
      kind: 'workshop',
      title: 'W',
      planId: nobody,
      organizerIds: [p.orgs.uniap, nobody],
      activityIds: [nobody],
      projectIds: [p.projectIds[0], nobody],
      countries: ['LA', 'XX'],
      venue: { country: 'ZZ' },
    },
  })
  t.equal(res.statusCode, 422)
  t.equal(json(res).type, '/problems/invalid-reference')
  t.same(
    json(res)
      .errors.map((e: { pointer: string }) => e.pointer)
      .sort(),
    [
      '/body/activityIds/0',
      '/body/countries/1',
      '/body/organizerIds/1',
      '/body/planId',
      '/body/projectIds/1',
      '/body/venue/country',
    ],
  )
  const dup = await ctx.app.inject({
    method: 'POST',
    url: '/v1/meetings',
    headers: ctx.admin,
    payload: { kind: 'workshop', title: 'W', countries: ['LA', 'LA'] },
  })
  t.equal(dup.statusCode, 400)
  t.equal(
    (
      await ctx.app.inject({
        method: 'POST',
        url: '/v1/meetings',
        headers: ctx.admin,
        payload: { kind: 'workshop', title: 'W', planId: null },
      })
    ).statusCode,
    201,
    'a meeting needs no plan (a SOM governs the whole process)',
  )

  const m = await createMeeting(ctx, { activityIds: [p.activityIds[0]] })
  const blocked = await ctx.database.db
    .deleteFrom('activities')
    .where('id', '=', p.activityIds[0]!)
    .execute()
    .catch((e: { code: string }) => e.code)
  t.equal(blocked, '23503', 'an activity a meeting serves cannot be deleted')
  t.ok(m.id)
})

t.test('filters, sorts and pages', async (t) => {
  const ctx = await setup(t)
  const p = await planningFixture(ctx)
  await createMeeting(ctx, {
    title: 'SOM 2',
    sequence: 'SOM 2',
    kind: 'senior_officials',
    status: 'held',
    startDate: '2004-10-28',
    venue: { city: 'Yangon', country: 'MM' },
    countries: ['KH', 'LA'],
    planId: p.planId,
  })
  await createMeeting(ctx, {
    title: 'Roundtable on labour migration',
    kind: 'roundtable',
    status: 'held',
    startDate: '2005-01-20',
    endDate: '2005-01-21',
    countries: ['TH'],
    activityIds: [p.activityIds[1]],
  })
  await createMeeting(ctx, {
    title: 'Bilateral Lao-Thai training',
    kind: 'bilateral',
    status: 'planned',
    startDate: '2005-03-01',
    endDate: '2005-03-05',
    countries: ['LA', 'TH'],
    projectIds: [p.projectIds[0]],
    planId: p.planId,
  })
  await createMeeting(ctx, { title: 'Regional seminar on tourism', status: 'planned' })
  const titles = async (query: string) => {
    const res = await ctx.app.inject({ url: `/v1/meetings?${query}` })
    t.equal(res.statusCode, 200, query)
    return json(res).data.map((m: { title: string }) => m.title)
  }
  t.same(
    await titles(''),
    ['SOM 2', 'Roundtable on labour migration', 'Bilateral Lao-Thai training', 'Regional seminar on tourism'],
    'by start date, undated last',
  )
  t.same(await titles('sort=-startDate'), [
    'Regional seminar on tourism',
    'Bilateral Lao-Thai training',
    'Roundtable on labour migration',
    'SOM 2',
  ])
  t.same(await titles(`planId=${p.planId}`), ['SOM 2', 'Bilateral Lao-Thai training'])
  t.same(await titles('kind=roundtable'), ['Roundtable on labour migration'])
  t.same(await titles('status=planned'), ['Bilateral Lao-Thai training', 'Regional seminar on tourism'])
  t.same(await titles('country=MM'), ['SOM 2'], 'the venue country counts')
  t.same(await titles('country=LA'), ['SOM 2', 'Bilateral Lao-Thai training'], 'so do participating countries')
  t.same(await titles(`activityId=${p.activityIds[1]}`), ['Roundtable on labour migration'])
  t.same(await titles(`projectId=${p.projectIds[0]}`), ['Bilateral Lao-Thai training'])
  t.same(
    await titles('from=2005-01-21&to=2005-03-01'),
    ['Roundtable on labour migration', 'Bilateral Lao-Thai training'],
    'from/to keep meetings overlapping the period',
  )
  t.same(await titles('from=2005-03-05'), ['Bilateral Lao-Thai training'])
  t.same(await titles('to=2004-12-31'), ['SOM 2'])
  t.same(await titles('q=som%202'), ['SOM 2'])
  t.same(await titles('q=tourism&sort=title'), ['Regional seminar on tourism'])
  t.same(await titles(`updatedSince=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`), [])

  const seen: string[] = []
  let url: string | null = '/v1/meetings?limit=3'
  while (url) {
    const res: { body: string; headers: Record<string, unknown> } = await ctx.app.inject({ url })
    const page = json(res)
    seen.push(...page.data.map((m: { title: string }) => m.title))
    url = page.nextCursor ? `/v1/meetings?limit=3&cursor=${page.nextCursor}` : null
    if (url) t.match(res.headers.link, /rel="next"/)
  }
  t.equal(seen.length, 4, 'pages through undated meetings too')
  t.equal(new Set(seen).size, 4)
  t.equal((await ctx.app.inject({ url: '/v1/meetings?colour=red' })).statusCode, 400)
})

t.test('scopes and country-limited keys', async (t) => {
  const ctx = await setup(t)
  const reader = await ctx.key(['read'])
  const planner = await ctx.key(['plans:write'])
  const lao = await ctx.key(['meetings:write'], { countries: ['LA'] })
  const body = { kind: 'workshop', title: 'National workshop', countries: ['LA'] }
  t.equal(
    (await ctx.app.inject({ method: 'POST', url: '/v1/meetings', headers: reader, payload: body })).statusCode,
    403,
  )
  t.equal(
    (await ctx.app.inject({ method: 'POST', url: '/v1/meetings', headers: planner, payload: body })).statusCode,
    403,
    'meetings need meetings:write',
  )
  t.equal((await ctx.app.inject({ method: 'POST', url: '/v1/meetings', payload: body })).statusCode, 401)
  const mine = await ctx.app.inject({ method: 'POST', url: '/v1/meetings', headers: lao, payload: body })
  t.equal(mine.statusCode, 201)
  const thai = await ctx.app.inject({
    method: 'POST',
    url: '/v1/meetings',
    headers: lao,
    payload: { ...body, venue: { country: 'TH' } },
  })
  t.equal(thai.statusCode, 403)
  t.match(json(thai).errors, [{ pointer: '/body/countries' }])
  const regional = await createMeeting(ctx, { countries: ['LA', 'TH'] })
  t.equal(
    (
      await ctx.app.inject({
        method: 'PATCH',
        url: `/v1/meetings/${regional.id}`,
        headers: lao,
        payload: { title: 'x' },
      })
    ).statusCode,
    403,
    'a Lao key may not edit a Lao-Thai meeting',
  )
  t.equal(
    (await ctx.app.inject({ method: 'DELETE', url: `/v1/meetings/${regional.id}`, headers: lao })).statusCode,
    403,
  )
})
