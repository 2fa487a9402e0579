import t from 'tap'
import ical from 'node-ical'
import { json, setup } from '../helpers/app.ts'
import { createMeeting } from './meetings.fixtures.ts'

// The feed is read back with node-ical, a parser independent of the library that writes it.

const pad = (n: number) => String(n).padStart(2, '0')
/** node-ical gives DATE values as local midnight. */
const day = (d: Date | undefined) => d && `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`

function events(body: string) {
  return Object.values(ical.sync.parseICS(body)).filter((c) => c?.type === 'VEVENT') as ical.VEvent[]
}

t.test('the iCalendar feed holds the filtered meetings with their days', async (t) => {
  const ctx = await setup(t)
  const som2 = await createMeeting(ctx, {
    kind: 'senior_officials',
    title: 'Senior Officials Meeting II',
    sequence: 'SOM 2',
    status: 'held',
    startDate: '2004-10-28',
    endDate: '2004-10-28',
    timeZone: 'Asia/Yangon',
    venue: { city: 'Yangon', country: 'MM' },
    countries: ['MM'],
  })
  const seminar = await createMeeting(ctx, {
    title: 'Regional seminar on tourism; sex tourism, and trafficking',
    status: 'confirmed',
    startDate: '2005-12-30',
    endDate: '2006-01-02',
    timeZone: 'Asia/Bangkok',
    venue: { city: 'Bangkok', country: 'TH' },
    countries: ['TH', 'LA'],
  })
  await createMeeting(ctx, {
    title: 'Cancelled workshop',
    kind: 'workshop',
    status: 'cancelled',
    startDate: '2005-05-05',
    countries: ['VN'],
  })
  await createMeeting(ctx, { title: 'Undated roundtable', kind: 'roundtable', status: 'planned', countries: ['TH'] })

  const res = await ctx.app.inject({ url: '/v1/meetings.ics' })
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /^text\/calendar/)
  const all = events(res.body)
  t.equal(all.length, 3, 'every dated meeting; an undated one cannot be an event')
  const bySummary = new Map(all.map((e) => [String(e.summary), e]))

  const som = bySummary.get('SOM 2: Senior Officials Meeting II')!
  t.ok(som, 'the sequence label leads the summary')
  t.equal(som.uid, `${som2.id}@action-plan-api`)
  t.equal(som.datetype, 'date', 'a whole-day event')
  t.equal(day(som.start), '2004-10-28')
  t.equal(day(som.end), '2004-10-29', 'DTEND is the day after the last day')
  t.equal(som.location, 'Yangon, Myanmar')
  t.equal(som.status, 'CONFIRMED')
  const url = som.url as unknown as string | { val: string } // URL;VALUE=URI comes with its parameter
  t.match(typeof url === 'string' ? url : url.val, new RegExp(`/v1/meetings/${som2.id}$`))

  const sem = bySummary.get(seminar.title)!
  t.ok(sem, 'text with ; and , survives escaping')
  t.equal(day(sem.start), '2005-12-30')
  t.equal(day(sem.end), '2006-01-03', 'a meeting over the new year spans four days')
  t.equal(sem.status, 'CONFIRMED')
  t.equal(bySummary.get('Cancelled workshop')!.status, 'CANCELLED')

  const thai = events((await ctx.app.inject({ url: '/v1/meetings.ics?country=TH' })).body)
  t.same(
    thai.map((e) => e.summary),
    [seminar.title],
    'the list filters apply',
  )
  const y2004 = events(
    (await ctx.app.inject({ url: '/v1/meetings.ics?from=2004-01-01&to=2004-12-31&status=held' })).body,
  )
  t.same(
    y2004.map((e) => e.summary),
    ['SOM 2: Senior Officials Meeting II'],
  )
  t.equal((await ctx.app.inject({ url: '/v1/meetings.ics?cursor=abc' })).statusCode, 400, 'the feed is not paged')

  const negotiated = await ctx.app.inject({ url: '/v1/meetings?country=TH', headers: { accept: 'text/calendar' } })
  t.equal(negotiated.statusCode, 406, 'the list is JSON only: the feed has its own path')
  t.match(json(negotiated).detail, /\/v1\/meetings\/export/)
  t.match(negotiated.headers.vary, /\bAccept\b/, 'caches are told the list varies by Accept')
  const preferJson = await ctx.app.inject({
    url: '/v1/meetings',
    headers: { accept: 'text/calendar;q=0.5, application/json' },
  })
  t.match(preferJson.headers['content-type'], /^application\/json/)
  t.equal(json(preferJson).data.length, 4)
  const csv = await ctx.app.inject({ url: '/v1/meetings/export?status=held', headers: { accept: 'text/csv' } })
  t.match(csv.headers['content-type'], /^text\/csv/, 'the list still exports as the other lists do')
  t.equal(csv.body.trim().split('\r\n').length, 2, 'a header and the one held meeting')
  t.equal((await ctx.app.inject({ url: '/v1/meetings', headers: { accept: 'image/png' } })).statusCode, 406)
  t.equal((await ctx.app.inject({ url: '/v1/meetings.ics?kind=party' })).statusCode, 400)
  t.equal(
    (await ctx.app.inject({ url: `/v1/meetings/${som2.id}` })).statusCode,
    200,
    '/v1/meetings.ics does not shadow /v1/meetings/{id}',
  )
})
