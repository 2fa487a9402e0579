import t from 'tap'
import { connect } from 'node:net'
import { randomBytes } from 'node:crypto'
import { json, setup } from '../helpers/app.ts'
import { loadConfig } from '../../src/config.ts'

// Defects 6, 7, 10 and 11 of the hardening issue: authentication that could be hammered for
// free, a forgeable default secret, errors outside the problem format, and protocol corners.

const randomKey = () => `Bearer apk_${randomBytes(6).toString('hex')}_${randomBytes(24).toString('base64url')}`

t.test('failed authentication meets a limit per address, and costs no query once it does', async (t) => {
  const { app, database } = await setup(t, { AUTH_FAILURES_MAX: 30 })
  const { result: statuses, statements } = await database.recordStatements(async () => {
    const out: number[] = []
    for (let i = 0; i < 150; i++)
      out.push((await app.inject({ url: '/v1/organizations', headers: { authorization: randomKey() } })).statusCode)
    return out
  })
  t.ok(
    statuses.slice(0, 30).every((s) => s === 401),
    'the first 30 are 401',
  )
  t.ok(
    statuses.slice(30).every((s) => s === 429),
    'then 429',
  )
  t.ok(
    statements.length <= 30,
    `at most one lookup per allowed failure (${statements.length} statements for 150 requests)`,
  )
  const limited = await app.inject({ url: '/v1/organizations', headers: { authorization: randomKey() } })
  t.equal(json(limited).type, '/problems/rate-limited')
  t.ok(Number(limited.headers['retry-after']) > 0, 'with Retry-After')
  const other = await app.inject({
    url: '/v1/organizations',
    remoteAddress: '10.1.2.3',
    headers: { authorization: randomKey() },
  })
  t.equal(other.statusCode, 401, 'another address is not locked out')
})

t.test('the same bad key repeated costs one lookup', async (t) => {
  const { app, database } = await setup(t)
  const key = randomKey()
  const { statements } = await database.recordStatements(async () => {
    for (let i = 0; i < 10; i++) await app.inject({ url: '/v1/organizations', headers: { authorization: key } })
  })
  t.equal(statements.length, 1)
})

t.test('production refuses a default, short or placeholder CURSOR_SECRET, naming it', async (t) => {
  for (const secret of [
    undefined,
    'development-cursor-secret-change-me',
    'short-but-random-Xy7',
    'change-me-to-a-long-random-string-please',
    'a'.repeat(40),
  ]) {
    t.throws(
      () => loadConfig({ NODE_ENV: 'production', ...(secret ? { CURSOR_SECRET: secret } : {}) }),
      /CURSOR_SECRET/,
      `refused: ${secret ?? 'unset'}`,
    )
  }
  const good = randomBytes(32).toString('base64')
  t.equal(loadConfig({ NODE_ENV: 'production', CURSOR_SECRET: good }).CURSOR_SECRET, good)
  t.doesNotThrow(() => loadConfig({ NODE_ENV: 'development' }), 'development keeps its default')
})

t.test('405 with Allow for a method the path lacks; CORS preflight allows editing methods', async (t) => {
  const { app } = await setup(t)
  for (const method of ['TRACE', 'PUT', 'DELETE'] as const) {
    const res = await app.inject({ method, url: '/v1/organizations' })
    t.equal(res.statusCode, 405, method)
    t.equal(res.headers.allow, 'GET, HEAD, POST')
    t.equal(json(res).type, '/problems/method-not-allowed')
  }
  t.equal((await app.inject({ method: 'GET', url: '/v1/nothing-here' })).statusCode, 404)
  const preflight = await app.inject({
    method: 'OPTIONS',
    url: '/v1/organizations/x',
    headers: {
      origin: 'https://partner.example',
      'access-control-request-method': 'PATCH',
      'access-control-request-headers': 'if-match,content-type',
    },
  })
  t.match(preflight.headers['access-control-allow-methods'], /PATCH/)
  t.match(preflight.headers['access-control-allow-methods'], /DELETE/)
  t.match(preflight.headers['access-control-allow-headers'], /if-match/)
})

t.test('cursors with anything appended are refused; a quoted ETag may hold a comma', async (t) => {
  const { app, admin } = await setup(t)
  for (let i = 0; i < 3; i++)
    await app.inject({
      method: 'POST',
      url: '/v1/organizations',
      headers: admin,
      payload: { name: `Org ${i}`, kind: 'ngo' },
    })
  const cursor = json(await app.inject({ url: '/v1/organizations?limit=1' })).nextCursor as string
  t.equal((await app.inject({ url: `/v1/organizations?limit=1&cursor=${cursor}` })).statusCode, 200)
  for (const tampered of [`${cursor}x`, `${cursor}!`, `${cursor}.x`, `${cursor}=`, ` ${cursor}`]) {
    const res = await app.inject({ url: `/v1/organizations?limit=1&cursor=${encodeURIComponent(tampered)}` })
    t.equal(res.statusCode, 400, `refused: ${JSON.stringify(tampered.slice(-3))}`)
  }
  const org = json(
    await app.inject({
      method: 'POST',
      url: '/v1/organizations',
      headers: admin,
      payload: { name: 'Tagged', kind: 'ngo' },
    }),
  )
  const patch = (ifMatch: string) =>
    app.inject({
      method: 'PATCH',
      url: `/v1/organizations/${org.id}`,
      headers: { ...admin, 'if-match': ifMatch, 'content-type': 'application/merge-patch+json' },
      payload: { acronym: 'T' },
    })
  t.equal((await patch('"a,b"')).statusCode, 412, 'one tag holding a comma: parsed, and it does not match')
  t.equal((await patch('"a,b", "1"')).statusCode, 200, 'a list whose second tag matches')
})

t.test('an overlong path segment is a 400 problem; oversized headers are a 431 problem', async (t) => {
  const { app } = await setup(t)
  const long = await app.inject({ url: `/v1/organizations/${'a'.repeat(150)}` })
  t.equal(long.statusCode, 400)
  t.equal(json(long).errors[0].pointer, '/params/id')
  t.ok(long.headers['x-request-id'])

  const address = await app.listen({ port: 0, host: '127.0.0.1' })
  const port = Number(new URL(address).port)
  const raw = await new Promise<string>((resolve, reject) => {
    const socket = connect(port, '127.0.0.1')
    let out = ''
    socket.on('data', (d) => (out += d))
    socket.on('close', () => resolve(out))
    socket.on('error', reject)
    socket.write(`GET /v1/organizations HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(20_000)}\r\n\r\n`)
  })
  t.match(raw, /^HTTP\/1\.1 431 /)
  t.match(raw, /content-type: application\/problem\+json/i)
  t.match(raw, /x-request-id: [0-9a-f-]{36}/i)
  t.match(raw, /"type":"\/problems\/headers-too-large"/)
})
