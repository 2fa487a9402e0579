import t from 'tap'
import { json, setup } from '../helpers/app.ts'
import { createCourse, enrol, person, seats } from './training.fixtures.ts'

// Courses and participants through the HTTP API: defaults, rules, warnings, quotas, seats and
// the waitlist (one request at a time; the races are in training-concurrency.test.ts).

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10)

t.test('a course: defaults, seats, ETag, list filters, export', async (t) => {
  const ctx = await setup(t)
  const course = await createCourse(ctx, { countries: ['LA', 'TH'], startDate: '2005-11-07', endDate: '2005-11-11' })
  t.match(course, {
    level: 'basic',
    scope: 'subregional',
    status: 'planned',
    minParticipants: 20,
    maxParticipants: 30,
    seats: { capacity: 30, confirmed: 0, waitlisted: 0, free: 30 },
    warnings: [],
    provenance: { origin: 'api' },
  })
  await createCourse(ctx, { title: 'Advanced justice course', topic: 'justice_legal', level: 'advanced' })
  const list = async (query: string) =>
    json(await ctx.app.inject({ url: `/v1/training-courses?${query}` })).data.map((c: { title: string }) => c.title)
  t.same(await list('topic=justice_legal'), ['Advanced justice course'])
  t.same(await list('level=basic'), [course.title])
  t.same(await list('country=LA'), [course.title])
  t.same(await list('from=2005-11-10&to=2005-12-01'), [course.title])
  t.same(await list('from=2005-11-12'), [])
  t.same(await list('q=justice'), ['Advanced justice course'])
  const page = await ctx.app.inject({ url: '/v1/training-courses?limit=1' })
  t.ok(json(page).nextCursor, 'keyset pages')
  const csv = await ctx.app.inject({ url: '/v1/training-courses/export?format=csv' })
  t.equal(csv.statusCode, 200)
  t.match(csv.body, /Advanced justice course/)
  const get = await ctx.app.inject({ url: `/v1/training-courses/${course.id}` })
  t.equal(get.headers.etag, '"1"')
  const again = await ctx.app.inject({ url: `/v1/training-courses/${course.id}`, headers: { 'if-none-match': '"1"' } })
  t.equal(again.statusCode, 304)
})

t.test('course rules: quotas within capacity, dates, min ≤ max, references', async (t) => {
  const ctx = await setup(t)
  const post = (payload: object) =>
    ctx.app.inject({
      method: 'POST',
      url: '/v1/training-courses',
      headers: ctx.admin,
      payload: { title: 'Course', topic: 'prevention', ...payload },
    })
  const over = await post({
    maxParticipants: 10,
    minParticipants: 5,
    quotas: [
      { country: 'LA', seats: 6 },
      { country: 'TH', seats: 5 },
    ],
  })
  t.equal(over.statusCode, 422, 'quotas adding up to more than the capacity')
  t.equal(json(over).errors[0].pointer, '/body/quotas')
  const twice = await post({
    quotas: [
      { country: 'LA', seats: 1 },
      { country: 'LA', seats: 2 },
    ],
  })
  t.equal(twice.statusCode, 400)
  t.equal(json(twice).errors[0].pointer, '/body/quotas/1/country')
  t.equal((await post({ startDate: '2005-11-07', endDate: '2005-11-01' })).statusCode, 422)
  t.equal((await post({ minParticipants: 31 })).statusCode, 422)
  const ref = await post({ activityId: '00000000-0000-4000-8000-00000000dead', quotas: [{ country: 'ZZ', seats: 1 }] })
  t.equal(ref.statusCode, 422)
  t.same(
    json(ref)
      .errors.map((e: { pointer: string }) => e.pointer)
      .sort(),
    ['/body/activityId', '/body/quotas/0'],
  )
  const ok = await post({
    maxParticipants: 30,
    quotas: ['KH', 'CN', 'LA', 'MM', 'TH', 'VN'].map((country) => ({ country, seats: 5 })),
  })
  t.equal(ok.statusCode, 201, 'five seats for each of six countries')
})

t.test('warnings: shorter than the plan’s minimum; short of participants within 14 days of the start', async (t) => {
  const ctx = await setup(t)
  const short = await createCourse(ctx, { startDate: '2005-11-07', endDate: '2005-11-09', minDurationDays: 5 })
  t.same(
    short.warnings.map((w: { code: string }) => w.code),
    ['shorter_than_minimum'],
  )
  t.match(short.warnings[0].detail, /3 days.*at least 5/)
  const fiveDays = await createCourse(ctx, { startDate: '2005-11-07', endDate: '2005-11-11', minDurationDays: 5 })
  t.same(fiveDays.warnings, [], 'five days is enough')
  const soon = await createCourse(ctx, { startDate: day(10), endDate: day(14), minParticipants: 2, maxParticipants: 5 })
  t.same(
    soon.warnings.map((w: { code: string }) => w.code),
    ['below_minimum_participants'],
  )
  const later = await createCourse(ctx, { startDate: day(30), endDate: day(34), minParticipants: 2 })
  t.same(later.warnings, [], 'a month away: not yet')
  await enrol(ctx, soon.id, person(1))
  await enrol(ctx, soon.id, person(2))
  const now = json(await ctx.app.inject({ url: `/v1/training-courses/${soon.id}` }))
  t.same(now.warnings, [], 'two confirmed of the two it needs')
  const cancelled = await createCourse(ctx, { startDate: day(3), status: 'cancelled' })
  t.same(cancelled.warnings, [], 'a cancelled course needs nobody')
})

t.test('seats: confirmed until full, then waitlisted; a withdrawal promotes the first', async (t) => {
  const ctx = await setup(t)
  const course = await createCourse(ctx, { maxParticipants: 3, minParticipants: 1 })
  const enrolled = []
  for (let i = 0; i < 5; i++) enrolled.push(await enrol(ctx, course.id, person(i)))
  t.same(
    enrolled.map((p) => p.status),
    ['confirmed', 'confirmed', 'confirmed', 'waitlisted', 'waitlisted'],
  )
  t.same(await seats(ctx, course.id), { capacity: 3, confirmed: 3, waitlisted: 2, free: 0 })
  const nominated = await enrol(ctx, course.id, { ...person(9), status: 'nominated' })
  t.equal(nominated.status, 'nominated', 'a nomination asks for no seat')

  const url = (p: { id: string }) => `/v1/training-courses/${course.id}/participants/${p.id}`
  const confirm = await ctx.app.inject({
    method: 'PATCH',
    url: url(nominated),
    headers: ctx.admin,
    payload: { status: 'confirmed' },
  })
  t.equal(confirm.statusCode, 422, 'no seat to confirm into')
  t.equal(json(confirm).errors[0].pointer, '/body/status')

  const withdraw = await ctx.app.inject({
    method: 'PATCH',
    url: url(enrolled[1]),
    headers: ctx.admin,
    payload: { status: 'withdrawn' },
  })
  t.equal(withdraw.statusCode, 200)
  const read = async (p: { id: string }) => json(await ctx.app.inject({ url: url(p), headers: ctx.admin })).status
  t.equal(await read(enrolled[3]), 'confirmed', 'the first on the waitlist is promoted')
  t.equal(await read(enrolled[4]), 'waitlisted', 'the second waits')
  t.same(await seats(ctx, course.id), { capacity: 3, confirmed: 3, waitlisted: 1, free: 0 })

  const del = await ctx.app.inject({ method: 'DELETE', url: url(enrolled[0]), headers: ctx.admin })
  t.equal(del.statusCode, 204)
  t.equal(await read(enrolled[4]), 'confirmed', 'a deletion frees its seat too')

  const raise = await ctx.app.inject({
    method: 'PATCH',
    url: `/v1/training-courses/${course.id}`,
    headers: ctx.admin,
    payload: { maxParticipants: 2 },
  })
  t.equal(raise.statusCode, 422, 'the capacity cannot drop below the seats taken')
  t.equal(json(raise).errors[0].pointer, '/body/maxParticipants')
})

t.test('quotas: a country’s seats hold; others share the unreserved ones; promotion respects them', async (t) => {
  const ctx = await setup(t)
  const course = await createCourse(ctx, {
    maxParticipants: 4,
    minParticipants: 1,
    quotas: [{ country: 'LA', seats: 2 }],
  })
  const la = []
  for (let i = 0; i < 3; i++) la.push(await enrol(ctx, course.id, person(i, { country: 'LA' })))
  t.same(
    la.map((p) => p.status),
    ['confirmed', 'confirmed', 'waitlisted'],
    'LA holds its two',
  )
  const th = []
  for (let i = 0; i < 3; i++) th.push(await enrol(ctx, course.id, person(10 + i, { country: 'TH' })))
  t.same(
    th.map((p) => p.status),
    ['confirmed', 'confirmed', 'waitlisted'],
    'TH (no quota) shares the two unreserved seats',
  )
  // A TH seat frees: the first waitlisted is LA's, but LA is at its quota, so TH's is promoted.
  await ctx.app.inject({
    method: 'PATCH',
    url: `/v1/training-courses/${course.id}/participants/${th[0].id}`,
    headers: ctx.admin,
    payload: { status: 'withdrawn' },
  })
  const status = async (p: { id: string }) =>
    json(await ctx.app.inject({ url: `/v1/training-courses/${course.id}/participants/${p.id}`, headers: ctx.admin }))
      .status
  t.equal(await status(la[2]), 'waitlisted')
  t.equal(await status(th[2]), 'confirmed')
  const lower = await ctx.app.inject({
    method: 'PATCH',
    url: `/v1/training-courses/${course.id}`,
    headers: ctx.admin,
    payload: { quotas: [{ country: 'LA', seats: 1 }] },
  })
  t.equal(lower.statusCode, 422, 'a quota cannot drop below the seats its country holds')
  t.equal(json(lower).errors[0].pointer, '/body/quotas')
})

t.test('batch: per-item summary, idempotent by externalRef and by Idempotency-Key', async (t) => {
  const ctx = await setup(t)
  const course = await createCourse(ctx, { maxParticipants: 3, minParticipants: 1 })
  const items = [0, 1, 2, 3].map((i) => ({ externalRef: `tf-la-${i}`, ...person(i, { country: 'LA' }) }))
  const post = (body: object, query = '', headers: Record<string, string> = {}) =>
    ctx.app.inject({
      method: 'POST',
      url: `/v1/training-courses/${course.id}/participants/batch${query}`,
      headers: { ...ctx.admin, ...headers },
      payload: body,
    })
  const first = await post({ items }, '', { 'idempotency-key': 'la-list-1' })
  t.equal(first.statusCode, 200)
  t.same(json(first).summary, { total: 4, created: 4, updated: 0, unchanged: 0, rejected: 0 })
  t.same(
    json(first).items.map((r: { status: string }) => r.status),
    ['confirmed', 'confirmed', 'confirmed', 'waitlisted'],
  )
  t.notMatch(first.body, /Secretname/, 'the summary carries no personal data')
  const replay = await post({ items }, '', { 'idempotency-key': 'la-list-1' })
  t.equal(replay.headers['idempotent-replayed'], 'true')
  const again = await post({ items })
  t.same(json(again).summary, { total: 4, created: 0, updated: 0, unchanged: 4, rejected: 0 })
  const changed = [{ ...items[0], occupationGroup: 'judge' }, ...items.slice(1)]
  const upd = await post({ items: changed })
  t.same(json(upd).summary, { total: 4, created: 0, updated: 1, unchanged: 3, rejected: 0 })
  const bad = [...changed, { externalRef: 'tf-la-9', name: 'Secretname Bad', sex: 'other' }, { ...items[0] }]
  const atomic = await post({ items: bad })
  t.equal(atomic.statusCode, 422)
  t.same(
    json(atomic)
      .errors.map((e: { pointer: string }) => e.pointer)
      .sort(),
    ['/body/items/4/sex', '/body/items/5/externalRef'],
  )
  t.notMatch(atomic.body, /Secretname/, 'the problem does not echo names')
  const partial = await post({ items: bad }, '?mode=partial')
  t.same(json(partial).summary, { total: 6, created: 0, updated: 0, unchanged: 4, rejected: 2 })
  const dry = await post(
    { items: [{ externalRef: 'tf-la-new', name: 'Secretname New', country: 'LA' }] },
    '?dryRun=true',
  )
  t.match(json(dry), { dryRun: true, summary: { created: 1 }, items: [{ id: null, status: 'waitlisted' }] })
  t.same(
    await seats(ctx, course.id),
    { capacity: 3, confirmed: 3, waitlisted: 1, free: 0 },
    'the dry run wrote nothing',
  )

  // Seats are counted once per batch and moved item by item: a confirmation beyond the seats is
  // refused naming its item, and one made possible by a withdrawal earlier in the batch is not.
  const over = await post({ items: [{ ...items[3], status: 'confirmed' }] })
  t.equal(over.statusCode, 422, over.body)
  t.equal(json(over).errors[0].pointer, '/body/items/0/status')
  t.same(await seats(ctx, course.id), { capacity: 3, confirmed: 3, waitlisted: 1, free: 0 }, 'nothing written')
  const swap = await post({
    items: [
      { ...changed[0], status: 'withdrawn' },
      { ...items[3], status: 'confirmed' },
    ],
  })
  t.equal(swap.statusCode, 200, swap.body)
  t.same(json(swap).summary, { total: 2, created: 0, updated: 2, unchanged: 0, rejected: 0 })
  t.same(await seats(ctx, course.id), { capacity: 3, confirmed: 3, waitlisted: 0, free: 0 })
})
