import t from 'tap'
import { json, setup } from '../helpers/app.ts'

const body = { name: 'Regional Training Centre', kind: 'training_centre', country: 'TH' }
const count = (app: Awaited<ReturnType<typeof setup>>['app'], name: string) =>
  app
    .inject({ url: `/v1/organizations?q=${encodeURIComponent(name)}&limit=500` })
    .then((r) => json(r).data.length as number)

t.test('a retried POST returns the first response and does the work once', async (t) => {
  const { app, admin } = await setup(t)
  const headers = { ...admin, 'idempotency-key': 'som2-org-1' }
  const first = await app.inject({ method: 'POST', url: '/v1/organizations', headers, payload: body })
  t.equal(first.statusCode, 201)
  t.notOk(first.headers['idempotent-replayed'])
  const again = await app.inject({ method: 'POST', url: '/v1/organizations', headers, payload: body })
  t.equal(again.statusCode, 201)
  t.equal(again.body, first.body, 'the same body')
  t.equal(again.headers.location, first.headers.location)
  t.equal(again.headers.etag, first.headers.etag)
  t.equal(again.headers['idempotent-replayed'], 'true')
  t.equal(again.headers['content-type'], 'application/json; charset=utf-8')
  t.equal(await count(app, body.name), 1)

  const other = await app.inject({
    method: 'POST',
    url: '/v1/organizations',
    headers,
    payload: { ...body, name: 'Something else' },
  })
  t.equal(other.statusCode, 422)
  t.match(json(other), { type: '/problems/idempotency-key-reuse', errors: [{ pointer: '/headers/idempotency-key' }] })
  t.equal(await count(app, 'Something else'), 0)

  const noKey = await app.inject({ method: 'POST', url: '/v1/organizations', headers: admin, payload: body })
  t.equal(noKey.statusCode, 201, 'without a key a POST is not deduplicated')
  t.equal(await count(app, body.name), 2)
})

t.test('20 concurrent POSTs with one key create one row', async (t) => {
  const { app, admin } = await setup(t)
  const headers = { ...admin, 'idempotency-key': 'burst' }
  const results = await Promise.all(
    Array.from({ length: 20 }, () => app.inject({ method: 'POST', url: '/v1/organizations', headers, payload: body })),
  )
  const codes = results.map((r) => r.statusCode)
  t.ok(
    codes.every((c) => c === 201 || c === 409),
    `only 201 or 409: ${codes.join(',')}`,
  )
  t.ok(codes.includes(201))
  for (const r of results.filter((r) => r.statusCode === 409)) {
    t.equal(json(r).type, '/problems/idempotency-in-flight')
    t.equal(r.headers['retry-after'], '1')
  }
  const created = results.filter((r) => r.statusCode === 201).map((r) => json(r).id)
  t.equal(new Set(created).size, 1, 'every 201 names the same organization')
  t.equal(await count(app, body.name), 1, 'one row exists')
  const retry = await app.inject({ method: 'POST', url: '/v1/organizations', headers, payload: body })
  t.equal(json(retry).id, created[0], 'a retry after the burst gets the stored response')
})

t.test('keys are per API key; failed validation and server errors are not stored', async (t) => {
  const { app, key } = await setup(t)
  const a = await key(['plans:write', 'read'])
  const b = await key(['plans:write', 'read'])
  const ra = await app.inject({
    method: 'POST',
    url: '/v1/organizations',
    headers: { ...a, 'idempotency-key': 'shared' },
    payload: body,
  })
  const rb = await app.inject({
    method: 'POST',
    url: '/v1/organizations',
    headers: { ...b, 'idempotency-key': 'shared' },
    payload: body,
  })
  t.equal(ra.statusCode, 201)
  t.equal(rb.statusCode, 201)
  t.not(json(ra).id, json(rb).id, 'two clients using the same key string do not collide')

  const invalid = await app.inject({
    method: 'POST',
    url: '/v1/organizations',
    headers: { ...a, 'idempotency-key': 'fix-and-retry' },
    payload: { ...body, kind: 'club' },
  })
  t.equal(invalid.statusCode, 400)
  const fixed = await app.inject({
    method: 'POST',
    url: '/v1/organizations',
    headers: { ...a, 'idempotency-key': 'fix-and-retry' },
    payload: { ...body, name: 'Fixed' },
  })
  t.equal(fixed.statusCode, 201, 'a request that failed validation did not take the key')

  const unknownParent = { ...body, name: 'Orphan', parentId: '00000000-0000-4000-8000-000000000000' }
  const refused = await app.inject({
    method: 'POST',
    url: '/v1/organizations',
    headers: { ...a, 'idempotency-key': 'orphan' },
    payload: unknownParent,
  })
  t.equal(refused.statusCode, 422)
  const replayed = await app.inject({
    method: 'POST',
    url: '/v1/organizations',
    headers: { ...a, 'idempotency-key': 'orphan' },
    payload: unknownParent,
  })
  t.equal(replayed.statusCode, 422, 'a 4xx the handler decided is replayed as it was')
  t.equal(replayed.headers['idempotent-replayed'], 'true')
})

t.test('a 5xx releases the key so the client can retry', async (t) => {
  let fail = true
  let runs = 0
  const { app, admin } = await setup(t, {}, (app) => {
    app.post('/v1/test-flaky', { config: { scope: 'plans:write' } }, async (_request, reply) => {
      runs++
      if (fail) throw new Error('database fell over')
      return reply.code(201).send({ ok: true })
    })
  })
  const headers = { ...admin, 'idempotency-key': 'flaky' }
  t.equal((await app.inject({ method: 'POST', url: '/v1/test-flaky', headers, payload: {} })).statusCode, 500)
  fail = false
  t.equal((await app.inject({ method: 'POST', url: '/v1/test-flaky', headers, payload: {} })).statusCode, 201)
  t.equal((await app.inject({ method: 'POST', url: '/v1/test-flaky', headers, payload: {} })).statusCode, 201)
  t.equal(runs, 2, 'the retry ran once more; the replay did not run')
})
