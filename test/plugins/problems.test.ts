import t from 'tap'
import { json, setup } from '../helpers/app.ts'

const problemType = 'application/problem+json; charset=utf-8'

t.test('every error is an RFC 9457 problem with the request id', async (t) => {
  const { app, admin } = await setup(t, { BODY_LIMIT: 2048 }, (app) => {
    // A handler failing the way a bug does: its message (with SQL in it) must not reach the client.
    app.get('/v1/test-boom', { config: { scope: 'public' } }, async () => {
      throw new Error('select secret from api_keys -- internal detail')
    })
  })

  const notFound = await app.inject({ url: '/v1/nothing-here', headers: { 'x-request-id': 'trace-123' } })
  t.equal(notFound.statusCode, 404)
  t.equal(notFound.headers['content-type'], problemType)
  t.equal(notFound.headers['x-request-id'], 'trace-123', 'a sane caller request id is kept')
  t.same(json(notFound), {
    type: '/problems/route-not-found',
    title: 'No such route.',
    status: 404,
    detail: 'GET /v1/nothing-here is not a route of this API.',
    instance: '/requests/trace-123',
  })

  const generated = await app.inject({ url: '/v1/nothing-here', headers: { 'x-request-id': 'bad id with spaces' } })
  t.match(generated.headers['x-request-id'], /^[0-9a-f-]{36}$/, 'an unusable request id is replaced')
  t.equal(json(generated).instance, `/requests/${generated.headers['x-request-id']}`)

  const malformed = await app.inject({
    method: 'POST',
    url: '/v1/organizations',
    headers: { ...admin, 'content-type': 'application/json' },
    payload: '{"name": ',
  })
  t.equal(malformed.statusCode, 400)
  t.equal(json(malformed).type, '/problems/malformed-json')

  const empty = await app.inject({
    method: 'POST',
    url: '/v1/organizations',
    headers: { ...admin, 'content-type': 'application/json' },
    payload: '',
  })
  t.equal(empty.statusCode, 400)
  t.equal(json(empty).type, '/problems/malformed-json')

  const media = await app.inject({
    method: 'POST',
    url: '/v1/organizations',
    headers: { ...admin, 'content-type': 'text/plain' },
    payload: 'hello',
  })
  t.equal(media.statusCode, 415)
  t.equal(json(media).type, '/problems/unsupported-media-type')
  t.equal(media.headers['content-type'], problemType)

  const big = await app.inject({
    method: 'POST',
    url: '/v1/organizations',
    headers: admin,
    payload: { name: 'x'.repeat(5000), kind: 'ngo' },
  })
  t.equal(big.statusCode, 413)
  t.equal(json(big).type, '/problems/payload-too-large')

  const boom = await app.inject({ url: '/v1/test-boom' })
  t.equal(boom.statusCode, 500)
  t.same(Object.keys(json(boom)).sort(), ['instance', 'status', 'title', 'type'], 'a 500 says nothing more')
  t.notMatch(boom.body, /secret|api_keys|Error|at /)
})

t.test('validation problems point at each field of each part of the request', async (t) => {
  const { app, admin } = await setup(t)
  const res = await app.inject({
    method: 'POST',
    url: '/v1/organizations',
    headers: { ...admin, 'idempotency-key': 'k'.repeat(300) },
    payload: { name: 'A', kind: 'ngo', country: null },
  })
  t.equal(res.statusCode, 400)
  t.same(
    json(res).errors,
    [{ pointer: '/headers/idempotency-key', detail: 'must NOT have more than 255 characters' }],
    'headers are validated too',
  )

  const body = await app.inject({
    method: 'POST',
    url: '/v1/organizations',
    headers: admin,
    payload: { name: 'A', kind: 'ngo', website: 'not a url', country: 'kh' },
  })
  t.same(
    json(body).errors.sort((a: { pointer: string }, b: { pointer: string }) => a.pointer.localeCompare(b.pointer)),
    [
      { pointer: '/body/country', detail: 'must match pattern "^[A-Z]{2}$" or be null' },
      { pointer: '/body/website', detail: 'must be an http(s) URL or be null' },
    ],
    'a nullable field says both what it accepts and that null is allowed',
  )
  t.match(json(body).detail, /^body\/(country|website) .* \(and 1 more\)$/)

  const wrongType = await app.inject({ method: 'POST', url: '/v1/organizations', headers: admin, payload: [1, 2] })
  t.equal(wrongType.statusCode, 400)
  t.same(json(wrongType).errors, [{ pointer: '/body', detail: 'must be object' }])

  const limit = await app.inject({ url: '/v1/organizations?limit=501' })
  t.same(json(limit).errors, [{ pointer: '/query/limit', detail: 'must be <= 500' }])
  const notNumber = await app.inject({ url: '/v1/organizations?limit=ten' })
  t.same(json(notNumber).errors, [{ pointer: '/query/limit', detail: 'must be integer' }])
})

t.test('Postgres errors map to 409 and 422 problems', async (t) => {
  const { app, admin } = await setup(t)
  const parent = json(
    await app.inject({
      method: 'POST',
      url: '/v1/organizations',
      headers: admin,
      payload: { name: 'ASEAN', kind: 'intergovernmental' },
    }),
  )
  await app.inject({
    method: 'POST',
    url: '/v1/organizations',
    headers: admin,
    payload: { name: 'ACWC', kind: 'sectoral_body', parentId: parent.id },
  })
  const del = await app.inject({ method: 'DELETE', url: `/v1/organizations/${parent.id}`, headers: admin })
  t.equal(del.statusCode, 409)
  t.match(json(del).detail, /still referenced by organizations \(parentId\)/)
  const bad = await app.inject({
    method: 'PATCH',
    url: `/v1/organizations/${parent.id}`,
    headers: admin,
    payload: { country: 'ZZ' },
  })
  t.equal(bad.statusCode, 422)
  t.same(json(bad).errors, [{ pointer: '/body/country', detail: 'no such country' }])
})

t.test('GET /problems-like types are documented in the OpenAPI description', async (t) => {
  const { app } = await setup(t)
  const doc = json(await app.inject({ url: '/v1/openapi.json' }))
  for (const kind of [
    'validation-error',
    'malformed-json',
    'precondition-failed',
    'idempotency-key-reuse',
    'rate-limited',
  ]) {
    t.match(doc.info.description, `/problems/${kind}`)
  }
})

t.test('a problem stays within the limits the Problem schema documents', async (t) => {
  const { app, admin } = await setup(t)
  const doc = json(await app.inject({ url: '/v1/openapi.json' }))
  const { errors: errorsSchema } = doc.components.schemas.Problem.properties
  const { pointer } = doc.components.schemas.ProblemFieldError.properties
  // 300 unknown properties, each with a name longer than a pointer may be.
  const body: Record<string, string> = { name: 'An organization', kind: 'ngo' }
  for (let i = 0; i < 300; i++) body[`unknown${i}${'x'.repeat(2000)}`] = 'x'
  const res = await app.inject({ method: 'POST', url: '/v1/organizations', headers: admin, payload: body })
  t.equal(res.statusCode, 400)
  const problem = json(res)
  t.equal(problem.errors.length, errorsSchema.maxItems, `the first ${errorsSchema.maxItems} errors`)
  t.match(problem.detail, /\(and 299 more; `errors` lists the first 100\)$/, 'the detail says how many there were')
  t.ok(
    problem.errors.every(
      (e: { pointer: string }) => Array.from(e.pointer).length <= pointer.maxLength && e.pointer.endsWith('…'),
    ),
    'a pointer longer than its maxLength is cut',
  )
})
