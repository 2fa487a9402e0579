import t from 'tap'
import { json } from '../helpers/app.ts'
import { createCourse, listening, person, post, statuses } from './training.fixtures.ts'

// Capacity under concurrency, over real sockets: the server listens, and 60 clients enrol at once
// (each its own connection: fetch with a fresh dispatcher per request would be the same; Node's
// global fetch keeps a pool that opens as many connections as there are requests in flight).
// Whatever the interleaving, confirmations never exceed the seats nor a country's quota.

t.test('60 concurrent enrolments into 30 seats: exactly 30 confirmed, 30 waitlisted', async (t) => {
  const { ctx, origin } = await listening(t)
  const course = await createCourse(ctx, { maxParticipants: 30 })
  const path = `/v1/training-courses/${course.id}/participants`
  const replies = await Promise.all(Array.from({ length: 60 }, (_, i) => post(origin, ctx, path, person(i))))
  t.same(
    replies.filter((r) => r.status !== 201),
    [],
    'every request succeeded',
  )
  t.equal(replies.filter((r) => r.body.status === 'confirmed').length, 30, '30 answered confirmed')
  t.equal(replies.filter((r) => r.body.status === 'waitlisted').length, 30, '30 answered waitlisted')
  const { count } = await statuses(ctx, course.id)
  t.equal(count('confirmed'), 30, '30 confirmed stored')
  t.equal(count('waitlisted'), 30, '30 waitlisted stored')

  // One withdrawal, raced by a second wave of 10 enrolments: exactly one is promoted or newly confirmed.
  const confirmed = replies.find((r) => r.body.status === 'confirmed')!.body
  const withdraw = fetch(`${origin}${path}/${confirmed.id}`, {
    method: 'PATCH',
    headers: { ...ctx.admin, 'content-type': 'application/merge-patch+json' },
    body: JSON.stringify({ status: 'withdrawn' }),
  })
  const wave = Array.from({ length: 10 }, (_, i) => post(origin, ctx, path, person(100 + i)))
  t.equal((await withdraw).status, 200)
  const waveReplies = await Promise.all(wave)
  const after = await statuses(ctx, course.id)
  t.equal(after.count('confirmed'), 30, 'still exactly 30 confirmed')
  t.equal(after.count('withdrawn'), 1)
  t.equal(after.count('waitlisted'), 39, 'the rest wait')
  t.equal(
    waveReplies.filter((r) => r.body.status === 'confirmed').length,
    0,
    'a new enrolment never jumps the waitlist: the freed seat went to the first waiting',
  )
  const seats = json(await ctx.app.inject({ url: `/v1/training-courses/${course.id}` })).seats
  t.same(seats, { capacity: 30, confirmed: 30, waitlisted: 39, free: 0 })
})

t.test('a withdrawal promotes exactly one', async (t) => {
  const { ctx, origin } = await listening(t)
  const course = await createCourse(ctx, { maxParticipants: 30 })
  const path = `/v1/training-courses/${course.id}/participants`
  const replies = await Promise.all(Array.from({ length: 60 }, (_, i) => post(origin, ctx, path, person(i))))
  const waitlistBefore = await ctx.database.db
    .selectFrom('trainingParticipants')
    .select('id')
    .where('courseId', '=', course.id)
    .where('status', '=', 'waitlisted')
    .orderBy('queuedAt')
    .orderBy('id')
    .execute()
  const confirmed = replies.filter((r) => r.body.status === 'confirmed')
  // Two withdrawals at once: two promotions, the first two of the waitlist.
  const res = await Promise.all(
    confirmed.slice(0, 2).map((r) =>
      fetch(`${origin}${path}/${r.body.id}`, {
        method: 'PATCH',
        headers: { ...ctx.admin, 'content-type': 'application/merge-patch+json' },
        body: JSON.stringify({ status: 'withdrawn' }),
      }),
    ),
  )
  t.same(
    res.map((r) => r.status),
    [200, 200],
  )
  const { rows, count } = await statuses(ctx, course.id)
  t.equal(count('confirmed'), 30)
  t.equal(count('waitlisted'), 28, 'two promoted, one per withdrawal')
  const promoted = await ctx.database.db
    .selectFrom('trainingParticipants')
    .select('id')
    .where('id', 'in', [waitlistBefore[0]!.id, waitlistBefore[1]!.id])
    .where('status', '=', 'confirmed')
    .execute()
  t.equal(promoted.length, 2, 'the first two on the waitlist, in order')
  t.equal(rows.length, 60)
  const changes = await ctx.database.db
    .selectFrom('changes')
    .select(['fields'])
    .where('resource', '=', 'trainingParticipant')
    .where('operation', '=', 'update')
    .execute()
  t.equal(
    changes.filter((c) => c.fields.length === 1 && c.fields[0] === 'status').length,
    4,
    'each change names the status field',
  )
})
