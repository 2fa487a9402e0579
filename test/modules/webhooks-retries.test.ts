import t from 'tap'
import { json, setup } from '../helpers/app.ts'
import { testBackend } from '../helpers/database.ts'

const onPostgres = (await testBackend()) === 'postgres' ? false : 'needs Postgres'
import { receiver, until } from './webhooks.fixtures.ts'

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

t.test(
  'a failing receiver gets retries with growing delays, under one delivery id; redeliver',
  { skip: onPostgres },
  async (t) => {
    const ctx = await setup(t, fast)
    const hook = await receiver(() => 500)
    t.teardown(hook.close)
    const sub = json(
      await ctx.app.inject({
        method: 'POST',
        url: '/v1/webhook-subscriptions',
        headers: ctx.admin,
        payload: { url: hook.url, secret: 'sixteen-chars-at-least', eventTypes: ['organization.create'] },
      }),
    )
    await ctx.app.inject({
      method: 'POST',
      url: '/v1/organizations',
      headers: ctx.admin,
      payload: { name: 'Failing', kind: 'ngo' },
    })
    await until('the first attempt', () => hook.received.length >= 1)
    const pending = json(
      await ctx.app.inject({ url: `/v1/webhook-subscriptions/${sub.id}/deliveries`, headers: ctx.admin }),
    ).data[0]
    await until('the pending delivery to record its attempt', async () => {
      const d = json(
        await ctx.app.inject({ url: `/v1/webhook-subscriptions/${sub.id}/deliveries`, headers: ctx.admin }),
      ).data[0]
      return d.attempts >= 1 || hook.received.length > 1
    })
    t.equal(pending.status, 'pending')
    await until('four attempts (three retries)', () => hook.received.length >= 4, 60_000)
    const ids = new Set(hook.received.map((r) => r.deliveryId))
    t.equal(ids.size, 1, 'the same delivery id on every retry')
    t.same(new Set(hook.received.map((r) => r.body)).size, 1, 'the same body')
    const gaps = hook.received.slice(1).map((r, i) => r.at - (hook.received[i] as { at: number }).at)
    // pg-boss waits between DELAY·2^n/2 and DELAY·2^n seconds before retry n (DELAY = 1 s here).
    gaps.forEach((gap, i) =>
      t.ok(gap >= 2 ** (i + 1) * 500 - 100, `retry ${i + 1} waited ${gap} ms (≥ ${2 ** (i + 1) * 500})`),
    )
    t.ok((gaps[2] as number) > (gaps[0] as number), `the delays grow (${gaps.join(', ')} ms)`)

    let failed: Record<string, unknown> = {}
    await until('the delivery to be failed', async () => {
      failed = json(await ctx.app.inject({ url: `/v1/webhook-subscriptions/${sub.id}/deliveries`, headers: ctx.admin }))
        .data[0]
      return failed.status === 'failed'
    })
    t.match(failed, { status: 'failed', attempts: 4, responseStatus: 500, lastError: /500/, nextAttemptAt: null })

    hook.setAnswer(() => 200)
    const again = await ctx.app.inject({
      method: 'POST',
      url: `/v1/webhook-subscriptions/${sub.id}/deliveries/${failed.id}/redeliver`,
      headers: ctx.admin,
    })
    t.equal(again.statusCode, 202, again.body)
    t.equal(json(again).status, 'pending')
    await until('the redelivery', () => hook.received.length >= 5)
    t.equal(hook.received[4]?.deliveryId, failed.id, 'redelivered under the same delivery id')
    await until('succeeded', async () => {
      const d = json(
        await ctx.app.inject({ url: `/v1/webhook-subscriptions/${sub.id}/deliveries`, headers: ctx.admin }),
      ).data[0]
      return d.status === 'succeeded'
    })
    const missing = await ctx.app.inject({
      method: 'POST',
      url: `/v1/webhook-subscriptions/${sub.id}/deliveries/${sub.id}/redeliver`,
      headers: ctx.admin,
    })
    t.equal(missing.statusCode, 404)
  },
)
