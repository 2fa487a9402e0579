import t from 'tap'
import { json, setup } from '../helpers/app.ts'
import { testBackend } from '../helpers/database.ts'

t.test('the rate limit answers 429 with RateLimit-* and Retry-After, per API key', async (t) => {
  const { app, key } = await setup(t, { RATE_LIMIT_MAX: 3, RATE_LIMIT_WINDOW_MS: 60_000 })
  const a = await key(['read'])
  const b = await key(['read'])
  const first = await app.inject({ url: '/v1/countries', headers: a })
  t.equal(first.headers['ratelimit-limit'], '3')
  t.equal(first.headers['ratelimit-remaining'], '2')
  t.ok(Number(first.headers['ratelimit-reset']) > 0)
  await app.inject({ url: '/v1/countries', headers: a })
  await app.inject({ url: '/v1/countries', headers: a })
  const limited = await app.inject({ url: '/v1/countries', headers: a })
  t.equal(limited.statusCode, 429)
  t.equal(limited.headers['content-type'], 'application/problem+json; charset=utf-8')
  t.equal(json(limited).type, '/problems/rate-limited')
  t.ok(Number(limited.headers['retry-after']) > 0, 'Retry-After says when')
  t.equal((await app.inject({ url: '/v1/countries', headers: b })).statusCode, 200, 'another key has its own budget')
  t.equal((await app.inject({ url: '/health/live' })).statusCode, 200, 'probes are never limited')
})

/** Blocks the event loop: the fault load shedding exists for. */
const block = (ms: number) => {
  const until = Date.now() + ms
  while (Date.now() < until) {
    /* busy */
  }
}

t.test('the start-up is not taken for overload', async (t) => {
  const { app } = await setup(t, { MAX_EVENT_LOOP_DELAY_MS: 20, LOAD_SHED_WARMUP_MS: 60_000 })
  block(300)
  await new Promise((r) => setTimeout(r, 50))
  t.equal(
    (await app.inject({ url: '/v1/countries' })).statusCode,
    200,
    'within the warm-up a blocked loop sheds nothing',
  )
})

t.test('a saturated event loop sheds load with 503 and Retry-After', async (t) => {
  const { app } = await setup(t, { MAX_EVENT_LOOP_DELAY_MS: 20, LOAD_SHED_WARMUP_MS: 0 })
  // Block the loop well past the threshold, then let under-pressure take a sample.
  let res = await app.inject({ url: '/v1/countries' })
  for (let i = 0; i < 20 && res.statusCode !== 503; i++) {
    block(300)
    await new Promise((r) => setTimeout(r, 5))
    res = await app.inject({ url: '/v1/countries' })
  }
  if ((await testBackend()) === 'pglite') {
    // Embedded storage runs its queries on the loop: its delay is the database's work, not load.
    t.equal(res.statusCode, 200, 'on embedded storage a blocked loop sheds nothing')
    return
  }
  t.equal(res.statusCode, 503)
  t.equal(res.headers['retry-after'], '5')
  t.equal(json(res).type, '/problems/unavailable')
})
