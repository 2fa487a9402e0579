import t from 'tap'
import { setup } from '../helpers/app.ts'
import { createMeeting } from './meetings.fixtures.ts'

// The iCalendar feed's ETag: calendar apps poll a subscription, and an unchanged feed is a 304.

t.test('the feed’s ETag changes exactly when a meeting it holds does', async (t) => {
  const ctx = await setup(t)
  const { app, admin } = ctx
  const thai = await createMeeting(ctx, {
    title: 'Bangkok seminar',
    status: 'planned',
    startDate: '2005-06-14',
    endDate: '2005-06-15',
    venue: { city: 'Bangkok', country: 'TH' },
  })
  const other = await createMeeting(ctx, {
    title: 'Hanoi seminar',
    status: 'planned',
    startDate: '2005-07-01',
    venue: { city: 'Hanoi', country: 'VN' },
  })
  const url = '/v1/meetings.ics?country=TH'
  const get = (etag?: string, at = url) => app.inject({ url: at, headers: etag ? { 'if-none-match': etag } : {} })

  const first = await get()
  t.equal(first.statusCode, 200)
  const tag = first.headers.etag as string
  t.match(tag, /^W\/"[\w-]+"$/)
  t.equal((await get()).headers.etag, tag, 'the same meetings give the same tag')
  const cached = await get(tag)
  t.equal(cached.statusCode, 304)
  t.equal(cached.body, '')
  t.not((await get(undefined, '/v1/meetings.ics?country=VN')).headers.etag, tag, 'other filters, another tag')
  t.not((await get(undefined, '/v1/meetings.ics')).headers.etag, tag)

  const patch = (id: string, payload: object) =>
    app.inject({ method: 'PATCH', url: `/v1/meetings/${id}`, headers: admin, payload })
  t.equal((await patch(other.id, { title: 'Hanoi seminar, moved' })).statusCode, 200)
  t.equal((await get(tag)).statusCode, 304, 'a change to a meeting the filters leave out leaves the tag alone')

  t.equal((await patch(thai.id, { status: 'confirmed' })).statusCode, 200)
  const changed = await get(tag)
  t.equal(changed.statusCode, 200, 'a change to a meeting in the feed changes the tag')
  t.match(changed.body, /STATUS:CONFIRMED/)
  const tag2 = changed.headers.etag as string

  await createMeeting(ctx, {
    title: 'Chiang Mai workshop',
    kind: 'workshop',
    startDate: '2005-08-01',
    countries: ['TH'],
  })
  const added = await get(tag2)
  t.equal(added.statusCode, 200, 'a new matching meeting changes the tag')
  const tag3 = added.headers.etag as string

  t.equal((await app.inject({ method: 'DELETE', url: `/v1/meetings/${thai.id}`, headers: admin })).statusCode, 204)
  const removed = await get(tag3)
  t.equal(removed.statusCode, 200, 'a deleted meeting changes the tag')
  t.notMatch(removed.body, /Bangkok seminar/)

  await createMeeting(ctx, {
    title: 'Thai roundtables',
    kind: 'roundtable',
    status: 'held',
    startDate: '2005-01-01',
    endDate: '2005-02-28',
    datePrecision: 'month',
    countries: ['TH'],
  })
  t.equal(
    (await get(removed.headers.etag as string)).statusCode,
    304,
    'a meeting known only to the month is not in the feed, so its tag is unchanged',
  )
})
