import t from 'tap'
import { json, setup } from '../helpers/app.ts'
import { testBackend } from '../helpers/database.ts'

const onPostgres = (await testBackend()) === 'postgres' ? false : 'needs Postgres'
import { receiver, sign, until } from './webhooks.fixtures.ts'

// Webhooks: every change of the subscribed types reaches the receiver once per delivery id,
// signed; failures are retried with growing delays under the same id; a delivery can be sent
// again; URLs that point inside the network are refused. (Restart and embedded storage:
// webhooks-restart.test.ts.)

const fast = {
  WEBHOOKS_ALLOW_PRIVATE: true,
  WEBHOOKS_POLL_MS: 200,
  WEBHOOKS_RETRY_DELAY_S: 1,
  WEBHOOKS_RETRY_LIMIT: 3,
  WEBHOOKS_TIMEOUT_MS: 2000,
}

t.test('every change once per delivery id, signed', { skip: onPostgres }, async (t) => {
  const ctx = await setup(t, fast)
  const hook = await receiver()
  t.teardown(hook.close)
  const secret = 'a-shared-secret-of-the-partner'
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/v1/webhook-subscriptions',
    headers: ctx.admin,
    payload: { url: hook.url, secret, eventTypes: ['organization'], description: 'Partner copy' },
  })
  t.equal(res.statusCode, 201, res.body)
  const sub = json(res)
  t.notOk('secret' in sub, 'a given secret is never sent back')
  t.match(sub, { url: hook.url, eventTypes: ['organization'], active: true, provenance: { origin: 'api' } })
  const generated = await ctx.app.inject({
    method: 'POST',
    url: '/v1/webhook-subscriptions',
    headers: ctx.admin,
    payload: { url: hook.url, eventTypes: ['plan.delete'], active: false },
  })
  t.match(json(generated).secret, /^whsec_/, 'a generated secret is shown once')
  const again = await ctx.app.inject({ url: `/v1/webhook-subscriptions/${json(generated).id}`, headers: ctx.admin })
  t.notMatch(again.body, /whsec_|"secret"/, 'and never again')
  const listed = await ctx.app.inject({ url: '/v1/webhook-subscriptions', headers: ctx.admin })
  t.equal(json(listed).data.length, 2)
  t.notOk(listed.body.includes(secret), 'not in the list either')

  const ids: string[] = []
  for (const name of ['Hook A', 'Hook B', 'Hook C']) {
    const r = await ctx.app.inject({
      method: 'POST',
      url: '/v1/organizations',
      headers: ctx.admin,
      payload: { name, kind: 'ngo' },
    })
    ids.push(json(r).id)
  }
  await ctx.app.inject({
    method: 'PATCH',
    url: `/v1/organizations/${ids[0]}`,
    headers: { ...ctx.admin, 'content-type': 'application/merge-patch+json' },
    payload: { acronym: 'HA' },
  })
  await ctx.app.inject({ method: 'DELETE', url: `/v1/organizations/${ids[1]}`, headers: ctx.admin })
  await ctx.app.inject({
    method: 'POST',
    url: '/v1/plans',
    headers: ctx.admin,
    payload: { code: 'HOOK 1', title: 'Not subscribed', countries: [] },
  })

  await until('five deliveries', () => hook.received.length >= 5)
  await new Promise((r) => setTimeout(r, 1000)) // nothing more comes
  t.equal(hook.received.length, 5, 'one request per change')
  t.equal(new Set(hook.received.map((r) => r.deliveryId)).size, 5, 'each delivery id once')
  for (const r of hook.received) t.equal(r.signature, sign(secret, r.body), `${r.deliveryId}: a valid signature`)
  const bodies = hook.received.map((r) => JSON.parse(r.body))
  t.same(
    bodies.map((b) => [b.event, b.change.id]).sort(),
    [
      ['organization.create', ids[0]],
      ['organization.create', ids[1]],
      ['organization.create', ids[2]],
      ['organization.update', ids[0]],
      ['organization.delete', ids[1]],
    ].sort(),
  )
  for (const [i, r] of hook.received.entries()) {
    t.equal(bodies[i].deliveryId, r.deliveryId)
    t.equal(r.event, bodies[i].event, 'X-Event-Type')
    t.equal(bodies[i].subscriptionId, sub.id)
  }

  const deliveries = json(
    await ctx.app.inject({ url: `/v1/webhook-subscriptions/${sub.id}/deliveries`, headers: ctx.admin }),
  )
  t.equal(deliveries.data.length, 5)
  for (const d of deliveries.data)
    t.match(d, { status: 'succeeded', attempts: 1, responseStatus: 204, lastError: null, nextAttemptAt: null })
})

t.test('URLs inside the network are refused unless allowed', { skip: onPostgres }, async (t) => {
  const ctx = await setup(t, { WEBHOOKS_ALLOW_PRIVATE: false })
  const create = (url: string) =>
    ctx.app.inject({
      method: 'POST',
      url: '/v1/webhook-subscriptions',
      headers: ctx.admin,
      payload: { url, eventTypes: ['activity'] },
    })
  for (const url of [
    'http://127.0.0.1:8080/hook',
    'http://10.1.2.3/hook',
    'http://192.168.1.10/hook',
    'http://172.20.0.5/hook',
    'http://169.254.169.254/latest/meta-data/',
    'http://[::1]/hook',
    'http://[fd00::1]/hook',
    'http://[::ffff:127.0.0.1]/hook',
    'http://0.0.0.0/hook',
    'http://localhost:3000/hook',
  ]) {
    const res = await create(url)
    t.equal(res.statusCode, 422, `${url}: 422`)
    t.match(
      json(res),
      { type: '/problems/rule-violation', errors: [{ pointer: '/body/url' }] },
      `${url}: names /body/url`,
    )
  }
  const ftp = await create('ftp://203.0.113.10/hook')
  t.equal(ftp.statusCode, 400, 'http(s) only')
  t.match(json(ftp), { errors: [{ pointer: '/body/url' }] })
  const ok = await create('http://203.0.113.10/hook')
  t.equal(ok.statusCode, 201, 'a public address is accepted')
  const moved = await ctx.app.inject({
    method: 'PATCH',
    url: `/v1/webhook-subscriptions/${json(ok).id}`,
    headers: { ...ctx.admin, 'content-type': 'application/merge-patch+json' },
    payload: { url: 'http://127.0.0.1/hook' },
  })
  t.equal(moved.statusCode, 422, 'nor by an update')
  t.match(json(moved), { errors: [{ pointer: '/body/url' }] })
  const unknownType = await create('http://203.0.113.10/other')
  t.equal(unknownType.statusCode, 201)
  const badType = await ctx.app.inject({
    method: 'POST',
    url: '/v1/webhook-subscriptions',
    headers: ctx.admin,
    payload: { url: 'http://203.0.113.10/hook', eventTypes: ['unicorn.create'] },
  })
  t.equal(badType.statusCode, 422)
  t.match(json(badType), { errors: [{ pointer: '/body/eventTypes/0' }] })
  const reader = await ctx.key(['read', 'plans:write'])
  t.equal((await ctx.app.inject({ url: '/v1/webhook-subscriptions', headers: reader })).statusCode, 403, 'admin only')
})
