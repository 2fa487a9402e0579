import t from 'tap'
import type { Test } from 'tap'
import { randomBytes } from 'node:crypto'
import { Attacks, freshAddress, json, seeded, type Res } from './support.ts'
import { bodies, fixtures } from './targets.ts'

// OWASP API8:2023 Security Misconfiguration, the parts a test can see: every response, of every
// status the API sends, carries x-request-id; every error is an RFC 9457 problem
// (application/problem+json, instance /requests/<x-request-id>) that says nothing of the
// implementation; browsers are told not to sniff types; CORS never grants credentials to any
// origin; methods the API does not serve are problems too.

const total = { count: 0 }

t.test('every status the API sends carries x-request-id; every error is a problem', async (t) => {
  const ctx = await seeded(t)
  const a = new Attacks(ctx.app)
  const f = await fixtures(ctx)
  const reader = await ctx.key(['read'])
  const thai = await ctx.key(['plans:write'], { countries: ['TH'] })
  const plan = json(await ctx.app.inject({ url: `/v1/plans/${f.plan.own}` }))
  const cases: [number, string, Parameters<Attacks['send']>[2]][] = [
    [200, 'a read', { url: '/v1/plans' }],
    [
      201,
      'a create',
      { method: 'POST', url: '/v1/organizations', headers: ctx.admin, payload: bodies.organization('own') },
    ],
    [204, 'a delete', { method: 'DELETE', url: `/v1/organizations/${await f.fresh.org('own')}`, headers: ctx.admin }],
    [
      304,
      'a read with a current ETag',
      { url: `/v1/plans/${f.plan.own}`, headers: { 'if-none-match': `"${plan.version}"` } },
    ],
    [400, 'a bad filter', { url: '/v1/plans?country=Thailand' }],
    [
      400,
      'malformed JSON',
      {
        method: 'POST',
        url: '/v1/plans',
        headers: { ...ctx.admin, 'content-type': 'application/json' },
        payload: '{"code":',
      },
    ],
    [
      401,
      'a bad key',
      { url: '/v1/plans', headers: { authorization: 'Bearer apk_zz_' }, remoteAddress: freshAddress() },
    ],
    [403, 'a missing scope', { method: 'POST', url: '/v1/plans', headers: reader, payload: bodies.plan('own') }],
    [
      403,
      'another country',
      { method: 'PATCH', url: `/v1/plans/${f.plan.beyond}`, headers: thai, payload: { description: 'x' } },
    ],
    [404, 'an unknown row', { url: '/v1/plans/00000000-0000-4000-8000-000000000000' }],
    [404, 'an unknown route', { url: '/v1/nothing-here' }],
    [404, 'a path outside /v1', { url: '/../../etc/passwd' }],
    [406, 'an unavailable media type', { url: '/v1/meetings', headers: { accept: 'image/png' } }],
    [
      409,
      'a code already taken',
      { method: 'POST', url: '/v1/plans', headers: ctx.admin, payload: { code: plan.code, title: 'dup' } },
    ],
    [
      412,
      'a stale If-Match',
      {
        method: 'PATCH',
        url: `/v1/plans/${f.plan.own}`,
        headers: { ...ctx.admin, 'if-match': '"999"' },
        payload: { description: 'x' },
      },
    ],
    [
      413,
      'a body too large',
      { method: 'POST', url: '/v1/plans', headers: ctx.admin, payload: { code: 'BIG', title: 'x'.repeat(2_000_000) } },
    ],
    [
      415,
      'a form body',
      {
        method: 'POST',
        url: '/v1/plans',
        headers: { ...ctx.admin, 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'code=x',
      },
    ],
    [
      422,
      'a reference to nothing',
      {
        method: 'POST',
        url: '/v1/plans',
        headers: ctx.admin,
        payload: { ...bodies.plan('own'), initiativeId: '00000000-0000-4000-8000-000000000000' },
      },
    ],
  ]
  for (const [status, what, opts] of cases) {
    const res = await a.send(t, what, opts)
    t.equal(res.statusCode, status, `${what}: ${status}`)
    checkHeaders(t, what, res)
  }
  // Methods the API does not serve: a problem, not a framework page.
  for (const method of ['TRACE', 'PUT', 'DELETE', 'PATCH'] as const) {
    const res = await a.send(t, `${method} /v1/plans`, { method, url: '/v1/plans', headers: ctx.admin })
    t.ok(res.statusCode === 404 || res.statusCode === 405, `${method} /v1/plans: ${res.statusCode}`)
    checkHeaders(t, `${method} /v1/plans`, res)
  }
  // Failed authentication from one address, until it is limited: the 429 is a problem too.
  let limited: Res | undefined
  for (let i = 0; i < 200 && !limited; i++) {
    const res = await a.send(t, `guess ${i}`, {
      url: '/v1/plans',
      headers: {
        authorization: `Bearer apk_${randomBytes(6).toString('hex')}_${randomBytes(24).toString('base64url')}`,
      },
      remoteAddress: '198.51.100.7',
    })
    if (res.statusCode === 429) limited = res
  }
  t.ok(limited, 'guessing is limited (429)')
  if (limited) checkHeaders(t, '429', limited)
  total.count += a.count
})

t.test('CORS and browser headers', async (t) => {
  const ctx = await seeded(t)
  const a = new Attacks(ctx.app)
  const origin = 'https://evil.example'
  const preflight = await a.send(t, 'a preflight from any origin', {
    method: 'OPTIONS',
    url: '/v1/plans',
    headers: {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'authorization, content-type',
    },
  })
  t.ok(preflight.statusCode < 300, `preflight answered (${preflight.statusCode})`)
  for (const res of [preflight, await a.send(t, 'a read from any origin', { url: '/v1/plans', headers: { origin } })]) {
    t.not(res.headers['access-control-allow-credentials'], 'true', 'credentials are never allowed cross-origin')
    t.not(
      res.headers['access-control-allow-origin'],
      origin,
      'the origin is not reflected (the key travels in a header, not a cookie)',
    )
  }
  const res = await a.send(t, 'a read', { url: '/v1/plans' })
  t.equal(res.headers['x-content-type-options'], 'nosniff', 'X-Content-Type-Options: nosniff')
  t.notOk(res.headers['x-powered-by'], 'no X-Powered-By')
  t.notOk(res.headers.server, 'no Server banner')
  t.notOk(res.headers['set-cookie'], 'no cookie')
  total.count += a.count
})

function checkHeaders(t: Test, what: string, res: Res) {
  const id = res.headers['x-request-id']
  t.ok(id, `${what}: x-request-id`)
  t.equal(res.headers['x-content-type-options'], 'nosniff', `${what}: nosniff`)
  if (res.statusCode < 400) return
  t.match(res.headers['content-type'], /^application\/problem\+json/, `${what}: application/problem+json`)
  const problem = json(res)
  t.match(
    problem,
    { type: /^\/problems\/[a-z-]+$/, title: String, status: res.statusCode },
    `${what}: type, title and status`,
  )
  t.equal(problem.instance, `/requests/${id}`, `${what}: instance is the request id`)
  t.notMatch(res.body, /fastify|node_modules|kysely|FST_|ERR_/i, `${what}: no framework names or error codes`)
}

t.test('attacks tried', async (t) => {
  t.comment(`security headers and problems: ${total.count} attacks tried`)
  t.ok(total.count > 0)
})
