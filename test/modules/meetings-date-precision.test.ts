import t from 'tap'
import ical from 'node-ical'
import { json, setup } from '../helpers/app.ts'
import { createMeeting } from './meetings.fixtures.ts'
import { seedDatabase } from '../../src/seed/index.ts'
import { seedId } from '../../src/schemas/seed-ids.ts'
import { mapDatabaseError } from '../../src/http/db-errors.ts'

// Meetings whose dates are known to the month or the year, like the seven roundtables of
// "January and February 2005".

t.test('a meeting known to the month spans it, and the period filters find it', async (t) => {
  const ctx = await setup(t)
  const { app } = ctx
  const month = await createMeeting(ctx, {
    kind: 'roundtable',
    title: 'Roundtable',
    status: 'held',
    startDate: '2005-01-01',
    endDate: '2005-02-28',
    datePrecision: 'month',
  })
  t.match(month, { startDate: '2005-01-01', endDate: '2005-02-28', datePrecision: 'month' })
  const day = await createMeeting(ctx, {
    title: 'SOM 2',
    status: 'held',
    startDate: '2004-10-28',
    endDate: '2004-10-28',
  })
  t.equal(day.datePrecision, 'day', 'day is the default')
  const year = await createMeeting(ctx, {
    title: 'Some time in 2006',
    startDate: '2006-01-01',
    endDate: '2006-12-31',
    datePrecision: 'year',
  })

  const titles = async (query: string) =>
    json(await app.inject({ url: `/v1/meetings?${query}` })).data.map((m: { title: string }) => m.title)
  t.same(await titles('from=2005-01-15&to=2005-01-15'), ['Roundtable'], 'a day inside the months matches')
  t.same(await titles('from=2005-02-28&to=2005-03-31'), ['Roundtable'], 'a period overlapping the last day matches')
  t.same(await titles('from=2005-03-01&to=2005-12-31'), [], 'a period after the months does not')
  t.same(await titles('from=2004-12-01&to=2004-12-31'), [], 'nor one before')
  t.same(await titles('from=2004-10-28&to=2004-10-28'), ['SOM 2'], 'day meetings match as before')
  t.same(await titles('from=2004-10-29'), ['Roundtable', 'Some time in 2006'])
  t.same(await titles('to=2004-10-27'), [])
  t.same(
    await titles('from=2006-07-14&to=2006-07-14'),
    ['Some time in 2006'],
    'a year-precision meeting matches any day of the year',
  )

  const feed = await app.inject({ url: '/v1/meetings.ics' })
  const events = Object.values(ical.sync.parseICS(feed.body)).filter((c) => c?.type === 'VEVENT') as ical.VEvent[]
  t.same(
    events.map((e) => e.summary),
    ['SOM 2'],
    'the feed holds only meetings whose days are known',
  )

  // Precision can change with a PATCH; the dates are checked against it.
  const patch = (id: string, payload: object) =>
    app.inject({ method: 'PATCH', url: `/v1/meetings/${id}`, headers: ctx.admin, payload })
  const toMonth = await patch(day.id, { datePrecision: 'month' })
  t.equal(toMonth.statusCode, 422)
  t.match(json(toMonth), {
    type: '/problems/rule-violation',
    errors: [{ pointer: '/body/startDate', detail: /first day of a month.*2004-10-01/ }],
  })
  t.match(json(await patch(day.id, { datePrecision: 'month', startDate: '2004-10-01', endDate: '2004-10-31' })), {
    datePrecision: 'month',
    startDate: '2004-10-01',
    endDate: '2004-10-31',
  })
  t.match(
    json(await patch(year.id, { datePrecision: 'day' })),
    { datePrecision: 'day', startDate: '2006-01-01' },
    'back to day: the dates stay as they are',
  )
})

t.test('the dates must be the bounds of the months or years: 422 naming the field', async (t) => {
  const ctx = await setup(t)
  const post = (payload: object) =>
    ctx.app.inject({
      method: 'POST',
      url: '/v1/meetings',
      headers: ctx.admin,
      payload: { kind: 'roundtable', title: 'Roundtable', ...payload },
    })
  const problem = async (payload: object, pointer: string, detail: RegExp) => {
    const res = await post(payload)
    t.equal(res.statusCode, 422, JSON.stringify(payload))
    t.match(json(res), { type: '/problems/rule-violation', errors: [{ pointer, detail }] })
  }
  await problem(
    { datePrecision: 'month', startDate: '2005-01-15', endDate: '2005-02-28' },
    '/body/startDate',
    /first day of a month.*2005-01-01/,
  )
  await problem(
    { datePrecision: 'month', startDate: '2005-01-01', endDate: '2005-02-27' },
    '/body/endDate',
    /last day of a month.*2005-02-28/,
  )
  await problem(
    { datePrecision: 'month', startDate: '2004-02-01', endDate: '2004-02-28' },
    '/body/endDate',
    /2004-02-29/,
  )
  await problem({ datePrecision: 'month', startDate: '2005-01-01' }, '/body/endDate', /required/)
  await problem({ datePrecision: 'year' }, '/body/startDate', /required/)
  await problem(
    { datePrecision: 'year', startDate: '2005-02-01', endDate: '2005-12-31' },
    '/body/startDate',
    /2005-01-01/,
  )
  await problem(
    { datePrecision: 'year', startDate: '2005-01-01', endDate: '2006-06-30' },
    '/body/endDate',
    /2006-12-31/,
  )
  t.equal(
    (await post({ datePrecision: 'month', startDate: '2004-02-01', endDate: '2004-02-29' })).statusCode,
    201,
    'a leap February ends on the 29th',
  )
  t.equal(
    (await post({ datePrecision: 'year', startDate: '2005-01-01', endDate: '2006-12-31' })).statusCode,
    201,
    'several years',
  )
  const bad = await post({ datePrecision: 'week', startDate: '2005-01-01' })
  t.equal(bad.statusCode, 400)
  t.match(json(bad).errors, [{ pointer: '/body/datePrecision' }])

  // The database holds the same rule, whatever writes to it, and names the field too.
  const err = await ctx.database.db
    .insertInto('meetings')
    .values({
      kind: 'roundtable',
      title: 'Direct',
      startDate: '2005-01-02',
      endDate: '2005-02-28',
      startSort: '2005-01-02',
      datePrecision: 'month',
    })
    .execute()
    .then(
      () => undefined,
      (e: Error) => e,
    )
  t.ok(err, 'refused')
  t.match(mapDatabaseError(err!), {
    kind: 'rule-violation',
    extras: { errors: [{ pointer: '/body/startDate', detail: /first day of a month/ }] },
  })
})

t.test('the seeded roundtables of January and February 2005 are known to the month', async (t) => {
  const ctx = await setup(t)
  await seedDatabase(ctx.database.db)
  const rt1 = json(await ctx.app.inject({ url: `/v1/meetings/${seedId('meeting', 'commit-roundtable-2005-1')}` }))
  t.match(rt1, { startDate: '2005-01-01', endDate: '2005-02-28', datePrecision: 'month', status: 'held' })
  const february = json(
    await ctx.app.inject({ url: '/v1/meetings?kind=roundtable&from=2005-02-10&to=2005-02-10&limit=100' }),
  ).data
  t.same(
    february.map((m: { sequence: string }) => m.sequence).sort(),
    [1, 2, 3, 4, 5, 6, 7].map((n) => `Roundtable ${n}`),
    'a day in February finds the seven',
  )
  const debriefing = json(
    await ctx.app.inject({ url: `/v1/meetings/${seedId('meeting', 'commit-roundtable-2005-debriefing')}` }),
  )
  t.match(
    debriefing,
    { startDate: null, datePrecision: 'day' },
    'the debriefing’s month is not given: it stays undated',
  )
  const again = await seedDatabase(ctx.database.db)
  t.same(
    { created: again.created, updated: again.updated },
    { created: 0, updated: 0 },
    'seeding again changes nothing',
  )
})
