import t from 'tap'
import { json, setup } from '../helpers/app.ts'
import { insertApiKey, revokeApiKey } from '../../src/modules/api-keys/api-keys.queries.ts'

const org = { name: 'COMMIT Task Force Thailand', kind: 'national_task_force', country: 'TH' }

t.test('authentication: missing, malformed, unknown, wrong secret and revoked keys are 401', async (t) => {
  const { app, database } = await setup(t)
  const post = (authorization?: string) =>
    app.inject({
      method: 'POST',
      url: '/v1/organizations',
      headers: authorization ? { authorization } : {},
      payload: org,
    })

  const none = await post()
  t.equal(none.statusCode, 401)
  t.equal(none.headers['www-authenticate'], 'Bearer realm="action-plan-api"')
  t.equal(json(none).type, '/problems/unauthorized')
  t.equal((await post('Basic dXNlcjpwYXNz')).statusCode, 401)
  t.equal((await post('Bearer not-a-key')).statusCode, 401)
  t.equal((await post('Bearer apk_0123456789ab_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')).statusCode, 401, 'unknown prefix')

  const key = await insertApiKey(database.db, {
    name: 'writer',
    scopes: ['plans:write'],
    countries: null,
    organizationId: null,
  })
  const wrongSecret = key.token.slice(0, -4) + (key.token.endsWith('AAAA') ? 'BBBB' : 'AAAA')
  t.equal((await post(`Bearer ${wrongSecret}`)).statusCode, 401, 'a right prefix with a wrong secret')
  t.equal((await post(`Bearer ${key.token}`)).statusCode, 201)

  t.ok(await revokeApiKey(database.db, key.id))
  app.forgetApiKey(key.prefix)
  t.equal((await post(`Bearer ${key.token}`)).statusCode, 401, 'a revoked key no longer works')

  const bad = await app.inject({ url: '/v1/organizations', headers: { authorization: 'Bearer nonsense' } })
  t.equal(bad.statusCode, 401, 'a bad key is refused even where anonymous reading is allowed')

  const row = await database.db
    .selectFrom('apiKeys')
    .select('secretHash')
    .where('id', '=', key.id)
    .executeTakeFirstOrThrow()
  t.not(row.secretHash, key.token, 'keys are stored hashed')
  t.notMatch(row.secretHash, key.token.split('_')[2]!)
})

t.test('authorization: scopes, admin, anonymous reading as a setting', async (t) => {
  const { app, key } = await setup(t)
  const reader = await key(['read'])
  const writer = await key(['plans:write'])
  const meetings = await key(['meetings:write'])
  const admin = await key(['admin'])

  const forbidden = await app.inject({ method: 'POST', url: '/v1/organizations', headers: reader, payload: org })
  t.equal(forbidden.statusCode, 403)
  t.match(json(forbidden), { type: '/problems/forbidden', detail: 'This API key lacks the scope "plans:write".' })
  t.equal(
    (await app.inject({ method: 'POST', url: '/v1/organizations', headers: meetings, payload: org })).statusCode,
    403,
  )
  t.equal(
    (await app.inject({ method: 'POST', url: '/v1/organizations', headers: writer, payload: org })).statusCode,
    201,
  )
  t.equal(
    (await app.inject({ method: 'POST', url: '/v1/organizations', headers: admin, payload: org })).statusCode,
    201,
    'admin implies every scope',
  )

  t.equal((await app.inject({ url: '/v1/organizations' })).statusCode, 200, 'anonymous reading is on by default')
  t.equal((await app.inject({ url: '/v1/organizations', headers: reader })).statusCode, 200)
  t.equal(
    (await app.inject({ url: '/v1/organizations', headers: writer })).statusCode,
    403,
    'a key without read may not read',
  )
})

t.test('anonymous reading can be switched off', async (t) => {
  const { app, key } = await setup(t, { ANONYMOUS_READ: false })
  const res = await app.inject({ url: '/v1/organizations' })
  t.equal(res.statusCode, 401)
  t.equal((await app.inject({ url: '/v1/organizations', headers: await key(['read']) })).statusCode, 200)
  t.equal((await app.inject({ url: '/health/live' })).statusCode, 200, 'probes stay public')
  t.equal((await app.inject({ url: '/v1/openapi.json' })).statusCode, 200, 'the contract stays public')
})

t.test('country-limited keys may not write other countries’ data', async (t) => {
  const { app, key, admin } = await setup(t)
  const lao = await key(['plans:write', 'read'], { countries: ['LA'] })
  const thai = await app.inject({ method: 'POST', url: '/v1/organizations', headers: lao, payload: org })
  t.equal(thai.statusCode, 403)
  t.match(json(thai), { type: '/problems/forbidden', errors: [{ pointer: '/body/country' }] })
  const own = await app.inject({
    method: 'POST',
    url: '/v1/organizations',
    headers: lao,
    payload: { ...org, name: 'COMMIT Task Force Lao PDR', country: 'LA' },
  })
  t.equal(own.statusCode, 201)

  const thaiOrg = json(await app.inject({ method: 'POST', url: '/v1/organizations', headers: admin, payload: org }))
  const patch = await app.inject({
    method: 'PATCH',
    url: `/v1/organizations/${thaiOrg.id}`,
    headers: lao,
    payload: { website: 'https://example.org' },
  })
  t.equal(patch.statusCode, 403, 'nor change them')
  const move = await app.inject({
    method: 'PATCH',
    url: `/v1/organizations/${json(own).id}`,
    headers: lao,
    payload: { country: 'TH' },
  })
  t.equal(move.statusCode, 403, 'nor move their own data to another country')
  const del = await app.inject({ method: 'DELETE', url: `/v1/organizations/${thaiOrg.id}`, headers: lao })
  t.equal(del.statusCode, 403, 'nor delete them')
  t.equal(json(await app.inject({ url: `/v1/organizations/${thaiOrg.id}` })).version, 1, 'nothing changed')
  t.equal(
    (await app.inject({ url: `/v1/organizations/${thaiOrg.id}`, headers: lao })).statusCode,
    200,
    'reading is not country-limited',
  )
})
