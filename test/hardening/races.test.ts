import t from 'tap'
import { connect } from 'node:net'
import { setup } from '../helpers/app.ts'
import { createMeeting, planningFixture } from '../modules/meetings.fixtures.ts'

// Defects 9 and 10 of the hardening issue, over real sockets: identical outcome batches racing
// each other, and a request that arrives while the server drains.

t.test('two identical outcome batches at once: every item of both answers names the stored row', async (t) => {
  const ctx = await setup(t)
  await planningFixture(ctx)
  const m = await createMeeting(ctx, {
    kind: 'senior_officials',
    title: 'SOM 2',
    status: 'held',
    startDate: '2004-10-28',
    countries: ['LA', 'TH'],
  })
  const base = await ctx.app.listen({ port: 0, host: '127.0.0.1' })
  const items = Array.from({ length: 100 }, (_, i) => ({
    externalRef: `race-${i}`,
    kind: 'decision',
    text: `Decision ${i}`,
  }))
  for (let round = 0; round < 3; round++) {
    const batch = items.map((item) => ({ ...item, text: `${item.text} (round ${round})` }))
    const post = () =>
      fetch(`${base}/v1/meetings/${m.id}/outcomes/batch`, {
        method: 'POST',
        headers: { ...ctx.admin, 'content-type': 'application/json' },
        body: JSON.stringify({ items: batch }),
      }).then(async (r) => ({
        status: r.status,
        body: (await r.json()) as { items: { id: string | null; version: number | null; result: string }[] },
      }))
    const answers = await Promise.all([post(), post(), post()])
    t.same(
      answers.map((a) => a.status),
      [200, 200, 200],
      `round ${round}: all answered`,
    )
    const nulls = answers.flatMap((a) => a.body.items.filter((i) => i.id === null || i.version === null))
    t.equal(nulls.length, 0, `round ${round}: no item without its id and version`)
    const ids = new Set(answers.flatMap((a) => a.body.items.map((i) => i.id)))
    t.equal(ids.size, 100, `round ${round}: the three answers name the same 100 rows`)
  }
})

t.test('a request arriving while the server drains: a 503 problem with Retry-After and x-request-id', async (t) => {
  const { app, admin } = await setup(t)
  const base = await app.listen({ port: 0, host: '127.0.0.1' })
  const port = Number(new URL(base).port)
  // A POST sent in two halves keeps the server draining; a GET pipelined behind it on the same
  // connection arrives after the drain began, as a keep-alive client's next request would.
  const body = JSON.stringify({ name: 'In flight at shutdown', kind: 'ngo' })
  const socket = connect(port, '127.0.0.1')
  const answers = new Promise<string>((resolve) => {
    let out = ''
    socket.on('data', (d) => (out += d))
    socket.on('close', () => resolve(out))
  })
  await new Promise<void>((resolve) =>
    socket.write(
      `POST /v1/organizations HTTP/1.1\r\nHost: x\r\nAuthorization: ${admin.authorization}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 5)}`,
      () => resolve(),
    ),
  )
  await new Promise((r) => setTimeout(r, 100))
  const closing = app.close()
  await new Promise((r) => setTimeout(r, 100))
  socket.write(`${body.slice(5)}GET /v1/organizations HTTP/1.1\r\nHost: x\r\n\r\n`)
  const [post, get] = (await answers).split(/(?=HTTP\/1\.1 )/)
  t.match(post, /^HTTP\/1\.1 201 /, 'the request in flight completes')
  t.match(get, /^HTTP\/1\.1 503 /, 'the request after the drain began is refused')
  t.match(get, /content-type: application\/problem\+json/i)
  t.match(get, /retry-after: \d+/i)
  t.match(get, /x-request-id: \S+/i)
  t.match(get, /"type":"\/problems\/unavailable"/)
  await closing
})
