import type { Live, Scenario } from '../scenarios.ts'

// Partner integration: the change feed, webhook subscriptions and their deliveries, and key
// management. The server here allows no private webhook targets, so subscriptions point at a
// documentation address (TEST-NET-3) and stay inactive: nothing is sent anywhere.

const target = 'http://203.0.113.10/hooks/action-plans'
const admin = { as: 'admin' as const }

const subscription = async (live: Live, body: object = {}) =>
  (
    await live.call('POST /v1/webhook-subscriptions', 201, {
      body: { url: target, eventTypes: ['activity', 'meeting.delete'], active: false, ...body },
    })
  ).json

/** A delivery on record for a subscription (the dispatcher makes them for active ones). */
async function delivery(live: Live, subscriptionId: string): Promise<string> {
  const row = await live.server.app.db
    .insertInto('webhookDeliveries')
    .values({ subscriptionId, changeId: 1, eventType: 'activity.update', payload: '{}', provenance: '{}' })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

const apiKey = async (live: Live) =>
  (
    await live.call('POST /v1/api-keys', 201, {
      body: { name: 'Live contract key', scopes: ['read'], countries: ['TH'] },
    })
  ).json

export const scenarios: Scenario[] = [
  {
    operation: 'GET /v1/changes',
    statuses: [200, 400, 410],
    async run(live) {
      const first = await live.call('GET /v1/changes', 200, {
        query: { limit: 2 },
        note: 'from the oldest change kept',
      })
      await live.call('GET /v1/changes', 200, {
        query: { after: first.json.nextCursor, types: 'activity,meeting', limit: 1000 },
        note: 'resumed, filtered',
      })
      await live.call('GET /v1/changes', 400, {
        query: { after: 'bm90LWEtY3Vyc29y' },
        note: 'not a cursor of the feed',
      })
      await live.call('GET /v1/changes', 400, { query: { limit: 0 }, offContract: true, note: 'limit below 1' })
      // A cursor before the newest change older than the retention (made old here).
      await live.server.app.db
        .insertInto('changes')
        .values({
          resource: 'activity',
          resourceId: live.world.activities.activity11,
          operation: 'update',
          version: 1,
          fields: [],
        })
        .execute()
      await live.server.app.db
        .updateTable('changes')
        .set({ occurredAt: '2000-01-01T00:00:00.000Z' } as never)
        .where('resourceId', '=', live.world.activities.activity11)
        .where('version', '=', 1)
        .where('operation', '=', 'update')
        .execute()
      await live.call('GET /v1/changes', 410, { query: { after: 'MC4w' }, note: 'a cursor older than the retention' })
    },
  },
  {
    operation: 'GET /v1/webhook-subscriptions',
    statuses: [200, 400, 406],
    async run(live) {
      await subscription(live)
      await live.call('GET /v1/webhook-subscriptions', 200, { ...admin, query: { limit: 1, sort: '-createdAt' } })
      await live.call('GET /v1/webhook-subscriptions', 406, {
        ...admin,
        headers: { accept: 'text/csv' },
        note: 'JSON only',
      })
      await live.call('GET /v1/webhook-subscriptions', 400, {
        ...admin,
        query: { sort: 'url' },
        offContract: true,
        note: 'unknown sort',
      })
    },
  },
  {
    operation: 'POST /v1/webhook-subscriptions',
    statuses: [201, 400, 422],
    async run(live) {
      const made = await subscription(live, { secret: 'a-partner-secret-0123' })
      live.t.notOk('secret' in made, 'a given secret is not sent back')
      const generated = await subscription(live)
      live.t.match(generated.secret, /^whsec_/, 'a generated one is, once')
      await live.call('POST /v1/webhook-subscriptions', 422, {
        body: { url: 'http://169.254.169.254/latest/meta-data/', eventTypes: ['activity'] },
        note: 'the metadata address',
      })
      await live.call('POST /v1/webhook-subscriptions', 400, {
        body: { url: target, eventTypes: [] },
        offContract: true,
        note: 'no event type',
      })
    },
  },
  {
    operation: 'GET /v1/webhook-subscriptions/{id}',
    statuses: [200, 304, 404],
    async run(live) {
      const made = await subscription(live)
      const full = await live.call('GET /v1/webhook-subscriptions/{id}', 200, { ...admin, params: { id: made.id } })
      await live.call('GET /v1/webhook-subscriptions/{id}', 304, {
        ...admin,
        params: { id: made.id },
        headers: { 'if-none-match': String(full.headers.etag) },
      })
      await live.missing('GET /v1/webhook-subscriptions/{id}', {}, 'id', admin)
    },
  },
  {
    operation: 'PATCH /v1/webhook-subscriptions/{id}',
    statuses: [200, 404, 412, 422],
    async run(live) {
      const made = await subscription(live)
      await live.call('PATCH /v1/webhook-subscriptions/{id}', 200, {
        params: { id: made.id },
        body: { eventTypes: ['*'], description: 'Everything' },
      })
      await live.call('PATCH /v1/webhook-subscriptions/{id}', 412, {
        params: { id: made.id },
        headers: { 'if-match': '"1"' },
        body: { description: 'stale' },
      })
      await live.call('PATCH /v1/webhook-subscriptions/{id}', 422, {
        params: { id: made.id },
        body: { url: 'http://10.0.0.8/hook' },
      })
      await live.missing('PATCH /v1/webhook-subscriptions/{id}', {}, 'id', { body: { description: 'x' } })
    },
  },
  {
    operation: 'DELETE /v1/webhook-subscriptions/{id}',
    statuses: [204, 404],
    async run(live) {
      const made = await subscription(live)
      await live.call('DELETE /v1/webhook-subscriptions/{id}', 204, { params: { id: made.id } })
      await live.call('DELETE /v1/webhook-subscriptions/{id}', 404, { params: { id: made.id }, note: 'gone' })
    },
  },
  {
    operation: 'GET /v1/webhook-subscriptions/{id}/deliveries',
    statuses: [200, 404],
    async run(live) {
      const made = await subscription(live)
      await delivery(live, made.id)
      await live.call('GET /v1/webhook-subscriptions/{id}/deliveries', 200, { ...admin, params: { id: made.id } })
      await live.missing('GET /v1/webhook-subscriptions/{id}/deliveries', {}, 'id', admin)
    },
  },
  {
    operation: 'POST /v1/webhook-subscriptions/{id}/deliveries/{deliveryId}/redeliver',
    statuses: [202, 404],
    async run(live) {
      const made = await subscription(live)
      const deliveryId = await delivery(live, made.id)
      await live.call('POST /v1/webhook-subscriptions/{id}/deliveries/{deliveryId}/redeliver', 202, {
        params: { id: made.id, deliveryId },
      })
      await live.missing(
        'POST /v1/webhook-subscriptions/{id}/deliveries/{deliveryId}/redeliver',
        { id: made.id },
        'deliveryId',
      )
    },
  },
  {
    operation: 'GET /v1/api-keys',
    statuses: [200, 400, 406],
    async run(live) {
      await apiKey(live)
      await live.call('GET /v1/api-keys', 200, { ...admin, query: { limit: 2 } })
      await live.call('GET /v1/api-keys', 406, { ...admin, headers: { accept: 'text/csv' }, note: 'JSON only' })
      await live.call('GET /v1/api-keys', 400, { ...admin, query: { limit: 501 }, offContract: true, note: 'limit' })
    },
  },
  {
    operation: 'POST /v1/api-keys',
    statuses: [201, 400, 422],
    async run(live) {
      const made = await apiKey(live)
      live.t.match(made.secret, /^apk_/, 'the secret, once')
      await live.call('POST /v1/api-keys', 422, {
        body: { name: 'Unknown country', scopes: ['read'], countries: ['ZZ'] },
        note: 'a country that does not exist',
      })
      await live.call('POST /v1/api-keys', 400, {
        body: { name: 'No scope', scopes: ['superuser'] },
        offContract: true,
        note: 'an unknown scope',
      })
    },
  },
  {
    operation: 'GET /v1/api-keys/{id}',
    statuses: [200, 304, 404],
    async run(live) {
      const made = await apiKey(live)
      const full = await live.call('GET /v1/api-keys/{id}', 200, { ...admin, params: { id: made.id } })
      await live.call('GET /v1/api-keys/{id}', 304, {
        ...admin,
        params: { id: made.id },
        headers: { 'if-none-match': String(full.headers.etag) },
      })
      await live.missing('GET /v1/api-keys/{id}', {}, 'id', admin)
    },
  },
  {
    operation: 'POST /v1/api-keys/{id}/rotate',
    statuses: [200, 400, 404],
    async run(live) {
      const made = await apiKey(live)
      await live.call('POST /v1/api-keys/{id}/rotate', 200, { params: { id: made.id }, body: { overlapSeconds: 3600 } })
      await live.call('POST /v1/api-keys/{id}/rotate', 400, {
        params: { id: made.id },
        body: { overlapSeconds: -1 },
        offContract: true,
        note: 'a negative overlap',
      })
      await live.missing('POST /v1/api-keys/{id}/rotate', {}, 'id', { body: {} })
    },
  },
  {
    operation: 'DELETE /v1/api-keys/{id}',
    statuses: [204, 404],
    async run(live) {
      const made = await apiKey(live)
      await live.call('DELETE /v1/api-keys/{id}', 204, { params: { id: made.id } })
      await live.call('DELETE /v1/api-keys/{id}', 404, { params: { id: made.id }, note: 'already revoked' })
    },
  },
]
