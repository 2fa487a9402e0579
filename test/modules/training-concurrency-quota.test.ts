import t from 'tap'
import { createCourse, countries, listening, person, post, statuses } from './training.fixtures.ts'

// Capacity under concurrency, over real sockets (quotas and batches; see training-concurrency.test.ts): the server listens, and 60 clients enrol at once
// (each its own connection: fetch with a fresh dispatcher per request would be the same; Node's
// global fetch keeps a pool that opens as many connections as there are requests in flight).
// Whatever the interleaving, confirmations never exceed the seats nor a country's quota.

t.test('a country quota of 5 holds under the same load', async (t) => {
  const { ctx, origin } = await listening(t)
  const course = await createCourse(ctx, {
    maxParticipants: 30,
    quotas: countries.map((country) => ({ country, seats: 5 })),
  })
  const path = `/v1/training-courses/${course.id}/participants`
  // 60 at once: 20 from LA, 40 across the five others.
  const others = countries.filter((c) => c !== 'LA')
  const bodies = Array.from({ length: 60 }, (_, i) => person(i, { country: i < 20 ? 'LA' : others[i % others.length] }))
  const replies = await Promise.all(bodies.map((b) => post(origin, ctx, path, b)))
  t.equal(replies.filter((r) => r.status !== 201).length, 0)
  const { count } = await statuses(ctx, course.id)
  t.equal(count('confirmed', 'LA'), 5, 'LA: exactly its 5 seats')
  t.equal(count('waitlisted', 'LA'), 15)
  for (const c of others) t.equal(count('confirmed', c), 5, `${c}: 8 asked, exactly 5 confirmed`)
  t.equal(count('confirmed'), 30)
})

t.test('a batch racing single enrolments: never more than the seats', async (t) => {
  const { ctx, origin } = await listening(t)
  const course = await createCourse(ctx, { maxParticipants: 30, quotas: [{ country: 'LA', seats: 5 }] })
  const path = `/v1/training-courses/${course.id}/participants`
  const batch = (n: number) => ({
    items: Array.from({ length: 15 }, (_, i) => ({ externalRef: `list-${n}-${i}`, ...person(n * 100 + i) })),
  })
  const singles = Array.from({ length: 30 }, (_, i) => post(origin, ctx, path, person(1000 + i)))
  const batches = [1, 2, 3].map((n) => post(origin, ctx, `${path}/batch`, batch(n)))
  const replies = await Promise.all([...singles, ...batches])
  t.same(
    replies.map((r) => r.status).filter((s) => s !== 201 && s !== 200),
    [],
  )
  const { count, rows } = await statuses(ctx, course.id)
  t.equal(rows.length, 75)
  t.equal(count('confirmed'), 30, 'exactly 30 confirmed')
  t.equal(count('waitlisted'), 45)
  t.ok(count('confirmed', 'LA') <= 5, 'LA within its quota')
})
