import t from 'tap'
import { json, setup } from '../helpers/app.ts'

// Key management over the API (/v1/api-keys): the secret shown once and never again, rotation
// with an overlap, revocation, admin only, no key broader than its creator, every operation in
// the change feed without the secret.

const bearer = (secret: string) => ({ authorization: `Bearer ${secret}` })

t.test('create, list, get: the secret works and is never shown again', async (t) => {
  const ctx = await setup(t, { AUTH_CACHE_TTL_MS: 0 })
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/v1/api-keys',
    headers: ctx.admin,
    payload: { name: 'Lao focal point', scopes: ['read', 'meetings:write'], countries: ['LA'] },
  })
  t.equal(res.statusCode, 201, res.body)
  const key = json(res)
  t.match(key, { name: 'Lao focal point', scopes: ['read', 'meetings:write'], countries: ['LA'], lastUsedAt: null })
  t.match(key.secret, /^apk_[0-9a-f]{12}_/)
  t.equal(key.secret.slice(4, 16), key.prefix)
  t.equal(res.headers.location, `/v1/api-keys/${key.id}`)

  const used = await ctx.app.inject({
    method: 'POST',
    url: '/v1/meetings',
    headers: bearer(key.secret),
    payload: { kind: 'consultation', title: 'Lao consultation', countries: ['LA'] },
  })
  t.equal(used.statusCode, 201, `the created secret works: ${used.body}`)

  const hash = (
    await ctx.database.db.selectFrom('apiKeys').select('secretHash').where('id', '=', key.id).executeTakeFirstOrThrow()
  ).secretHash
  const secretPart = key.secret.split('_')[2]
  for (const url of ['/v1/api-keys', `/v1/api-keys/${key.id}`, '/v1/api-keys?limit=500', '/v1/changes?types=api-key']) {
    const r = await ctx.app.inject({ url, headers: ctx.admin })
    t.equal(r.statusCode, 200, url)
    t.notOk(r.body.includes(secretPart), `${url}: no secret`)
    t.notOk(r.body.includes(hash), `${url}: no hash`)
    t.notMatch(r.body, /secretHash|secret_hash|"secret"/, `${url}: no secret field`)
  }
  const listed = json(await ctx.app.inject({ url: '/v1/api-keys', headers: ctx.admin })).data
  const mine = listed.find((k: { id: string }) => k.id === key.id)
  t.match(mine, { prefix: key.prefix, name: 'Lao focal point', countries: ['LA'], organizationId: null })
  t.ok(mine.lastUsedAt, 'last use recorded')

  const feed = json(await ctx.app.inject({ url: '/v1/changes?types=api-key', headers: ctx.admin }))
  t.match(feed.items, [{ resource: 'api-key', id: key.id, operation: 'create' }], 'a change record')
})

t.test('admin only, and no key broader than its creator', async (t) => {
  const ctx = await setup(t)
  const writer = await ctx.key(['plans:write', 'meetings:write'])
  const denied = await ctx.app.inject({
    method: 'POST',
    url: '/v1/api-keys',
    headers: writer,
    payload: { name: 'x', scopes: ['read'] },
  })
  t.equal(denied.statusCode, 403)
  t.equal((await ctx.app.inject({ url: '/v1/api-keys', headers: writer })).statusCode, 403)

  const thai = await ctx.key(['admin'], { countries: ['TH'] })
  const create = (payload: object) => ctx.app.inject({ method: 'POST', url: '/v1/api-keys', headers: thai, payload })
  const everywhere = await create({ name: 'all', scopes: ['read'] })
  t.equal(everywhere.statusCode, 403, 'not a key of every country')
  t.match(json(everywhere), { type: '/problems/forbidden', errors: [{ pointer: '/body/countries' }] })
  const wider = await create({ name: 'th+kh', scopes: ['read'], countries: ['TH', 'KH'] })
  t.equal(wider.statusCode, 403, 'not beyond its countries')
  t.match(json(wider), { errors: [{ pointer: '/body/countries' }] })
  const own = await create({ name: 'th', scopes: ['read', 'meetings:write'], countries: ['TH'] })
  t.equal(own.statusCode, 201, `within its countries: ${own.body}`)

  const global = json(
    await ctx.app.inject({
      method: 'POST',
      url: '/v1/api-keys',
      headers: ctx.admin,
      payload: { name: 'g', scopes: ['read'] },
    }),
  )
  const revokeGlobal = await ctx.app.inject({ method: 'DELETE', url: `/v1/api-keys/${global.id}`, headers: thai })
  t.equal(revokeGlobal.statusCode, 403, 'a TH admin cannot revoke a key of every country')
  const rotateGlobal = await ctx.app.inject({
    method: 'POST',
    url: `/v1/api-keys/${global.id}/rotate`,
    headers: thai,
    payload: {},
  })
  t.equal(rotateGlobal.statusCode, 403, 'nor rotate it')
  const revokeOwn = await ctx.app.inject({ method: 'DELETE', url: `/v1/api-keys/${json(own).id}`, headers: thai })
  t.equal(revokeOwn.statusCode, 204)

  const unknownCountry = await ctx.app.inject({
    method: 'POST',
    url: '/v1/api-keys',
    headers: ctx.admin,
    payload: { name: 'zz', scopes: ['read'], countries: ['ZZ'] },
  })
  t.equal(unknownCountry.statusCode, 422)
  const expired = json(
    await ctx.app.inject({
      method: 'POST',
      url: '/v1/api-keys',
      headers: ctx.admin,
      payload: { name: 'e', scopes: ['read'], expiresAt: new Date(Date.now() - 1000).toISOString() },
    }),
  )
  t.equal(
    (await ctx.app.inject({ url: '/v1/organizations', headers: bearer(expired.secret) })).statusCode,
    401,
    'an expired key fails',
  )
})
