import t from 'tap'
import { buildApp } from '../../src/app.ts'
import { loadConfig, type Config } from '../../src/config.ts'
import { insertApiKey } from '../../src/modules/api-keys/api-keys.queries.ts'
import { json } from '../helpers/app.ts'
import { createTestDatabase, testBackend } from '../helpers/database.ts'
import { receiver, sign, until } from './webhooks.fixtures.ts'

// Deliveries survive a restart of the service (their jobs are in Postgres), under the same
// delivery id; turned off, the webhook routes say why they cannot run (embedded storage:
// webhooks-embedded.test.ts).

const onPostgres = (await testBackend()) === 'postgres' ? false : 'needs Postgres'
const settings: Partial<Config> = {
  LOG_LEVEL: 'silent',
  MAX_EVENT_LOOP_DELAY_MS: 0,
  WEBHOOKS_ALLOW_PRIVATE: true,
  WEBHOOKS_POLL_MS: 200,
  WEBHOOKS_RETRY_DELAY_S: 2,
  WEBHOOKS_RETRY_LIMIT: 5,
  WEBHOOKS_TIMEOUT_MS: 2000,
}

t.test('a delivery pending when the service stops completes after it starts again', { skip: onPostgres }, async (t) => {
  const database = await createTestDatabase()
  t.teardown(() => database.drop())
  const config = loadConfig({}, settings)
  const hook = await receiver(() => 503)
  t.teardown(hook.close)
  const { token } = await insertApiKey(database.db, {
    name: 'admin',
    scopes: ['admin'],
    countries: null,
    organizationId: null,
  })
  const admin = { authorization: `Bearer ${token}` }
  const secret = 'restart-secret-0123456789'

  const first = await buildApp({ config, database, logger: false })
  await first.ready()
  const sub = await first.inject({
    method: 'POST',
    url: '/v1/webhook-subscriptions',
    headers: admin,
    payload: { url: hook.url, secret, eventTypes: ['organization.create'] },
  })
  t.equal(sub.statusCode, 201, sub.body)
  const org = await first.inject({
    method: 'POST',
    url: '/v1/organizations',
    headers: admin,
    payload: { name: 'Restart', kind: 'ngo' },
  })
  await until('a failed first attempt', () => hook.received.length >= 1)
  const deliveryId = hook.received[0]?.deliveryId as string
  await first.close() // the retry is queued in Postgres, not in this process

  hook.setAnswer(() => 200)
  const seen = hook.received.length
  const second = await buildApp({ config, database, logger: false })
  t.teardown(() => second.close())
  await second.ready() // an active subscription: the queue starts with the service
  await until('the delivery after the restart', () => hook.received.length > seen, 60_000)
  const last = hook.received.at(-1)
  t.equal(last?.deliveryId, deliveryId, 'the same delivery id after the restart')
  t.equal(last?.signature, sign(secret, last?.body ?? ''), 'signed')
  t.equal(JSON.parse(last?.body ?? '{}').change.id, json(org).id)
  await until('recorded as succeeded', async () => {
    const list = json(
      await second.inject({ url: `/v1/webhook-subscriptions/${json(sub).id}/deliveries`, headers: admin }),
    ).data
    return list.length === 1 && list[0].status === 'succeeded'
  })
  const [d] = json(
    await second.inject({ url: `/v1/webhook-subscriptions/${json(sub).id}/deliveries`, headers: admin }),
  ).data
  t.match(d, { id: deliveryId, status: 'succeeded', responseStatus: 200 })
  t.ok(d.attempts >= 2, `attempts across both runs (${d.attempts})`)
  t.equal(new Set(hook.received.map((r) => r.deliveryId)).size, 1, 'one delivery, however many attempts')
})

t.test('turned off on Postgres: 501 saying why', { skip: onPostgres }, async (t) => {
  const database = await createTestDatabase()
  t.teardown(() => database.drop())
  const app = await buildApp({
    config: loadConfig({}, { ...settings, WEBHOOKS_ENABLED: false }),
    database,
    logger: false,
  })
  t.teardown(() => app.close())
  const { token } = await insertApiKey(database.db, {
    name: 'admin',
    scopes: ['admin'],
    countries: null,
    organizationId: null,
  })
  const res = await app.inject({ url: '/v1/webhook-subscriptions', headers: { authorization: `Bearer ${token}` } })
  t.equal(res.statusCode, 501)
  t.match(json(res), { type: '/problems/not-implemented', status: 501, detail: /WEBHOOKS_ENABLED/ })
})
