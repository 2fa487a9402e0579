import t from 'tap'
import { json, setup } from '../helpers/app.ts'

// Key management over the API: rotation with an overlap (both secrets work, then only the new
// one) and revocation (401 at once on the node that revoked).

const bearer = (secret: string) => ({ authorization: `Bearer ${secret}` })
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

t.test('rotation: both secrets work during the overlap, only the new one after', async (t) => {
  const ctx = await setup(t, { AUTH_CACHE_TTL_MS: 0 })
  const key = json(
    await ctx.app.inject({
      method: 'POST',
      url: '/v1/api-keys',
      headers: ctx.admin,
      payload: { name: 'r', scopes: ['read'] },
    }),
  )
  const whoami = (secret: string) => ctx.app.inject({ url: '/v1/api-keys', headers: bearer(secret) })
  const read = (secret: string) => ctx.app.inject({ url: '/v1/organizations', headers: bearer(secret) })
  t.equal((await whoami(key.secret)).statusCode, 403, 'a read key may not manage keys')

  const rotated = await ctx.app.inject({
    method: 'POST',
    url: `/v1/api-keys/${key.id}/rotate`,
    headers: ctx.admin,
    payload: { overlapSeconds: 2 },
  })
  t.equal(rotated.statusCode, 200, rotated.body)
  const next = json(rotated)
  t.not(next.secret, key.secret)
  t.equal(next.prefix, key.prefix, 'the prefix stays')
  t.ok(next.previousSecretExpiresAt)
  t.equal((await read(key.secret)).statusCode, 200, 'the old secret works during the overlap')
  t.equal((await read(next.secret)).statusCode, 200, 'the new secret works')
  await sleep(2500)
  t.equal((await read(key.secret)).statusCode, 401, 'the old secret fails after the overlap')
  t.equal((await read(next.secret)).statusCode, 200, 'the new one still works')
  const feed = json(await ctx.app.inject({ url: '/v1/changes?types=api-key', headers: ctx.admin }))
  t.match(
    feed.items.map((i: { operation: string; fields: string[] }) => [i.operation, i.fields]),
    [['create'], ['update', ['rotatedAt', 'previousSecretExpiresAt']]],
  )
  t.notOk(JSON.stringify(feed).includes(next.secret.split('_')[2]), 'no secret in the change')

  const zero = await ctx.app.inject({
    method: 'POST',
    url: `/v1/api-keys/${key.id}/rotate`,
    headers: ctx.admin,
    payload: {},
  })
  t.equal(zero.statusCode, 200)
  t.equal((await read(json(zero).secret)).statusCode, 200)
  t.equal((await read(next.secret)).statusCode, 200, 'the default overlap keeps the previous secret')
  const tooLong = await ctx.app.inject({
    method: 'POST',
    url: `/v1/api-keys/${key.id}/rotate`,
    headers: ctx.admin,
    payload: { overlapSeconds: 365 * 86400 },
  })
  t.equal(tooLong.statusCode, 400)
})

t.test('revocation: 401 once the auth cache forgets the key', async (t) => {
  const ttl = 300
  const ctx = await setup(t, { AUTH_CACHE_TTL_MS: ttl })
  const key = json(
    await ctx.app.inject({
      method: 'POST',
      url: '/v1/api-keys',
      headers: ctx.admin,
      payload: { name: 'v', scopes: ['read'] },
    }),
  )
  const read = () => ctx.app.inject({ url: '/v1/organizations', headers: bearer(key.secret) })
  t.equal((await read()).statusCode, 200)
  const revoked = await ctx.app.inject({ method: 'DELETE', url: `/v1/api-keys/${key.id}`, headers: ctx.admin })
  t.equal(revoked.statusCode, 204)
  t.equal((await read()).statusCode, 401, 'this node forgets the key at once')
  // Another node (another app on the same database) trusts its cache for AUTH_CACHE_TTL_MS.
  const got = json(await ctx.app.inject({ url: `/v1/api-keys/${key.id}`, headers: ctx.admin }))
  t.ok(got.revokedAt, 'listed with revokedAt')
  t.equal(
    (await ctx.app.inject({ method: 'DELETE', url: `/v1/api-keys/${key.id}`, headers: ctx.admin })).statusCode,
    404,
  )
  t.equal(
    (await ctx.app.inject({ method: 'POST', url: `/v1/api-keys/${key.id}/rotate`, headers: ctx.admin, payload: {} }))
      .statusCode,
    404,
    'a revoked key cannot be rotated back to life',
  )
})
