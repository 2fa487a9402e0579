import type { Invocation } from '../sql-snapshots.samples.ts'
import { load } from '../sql-snapshots.sources.ts'
import type { PageRequest, SortTable } from '../../src/http/pagination.ts'

// Partner integration: the change feed and its stored cursors (changes.queries.ts), key
// management (api-keys.queries.ts, beyond the foundation's samples) and webhooks.

const changes = await load<typeof import('../../src/modules/changes/changes.queries.ts')>('changes.queries.ts')
const apiKeys = await load<typeof import('../../src/modules/api-keys/api-keys.queries.ts')>('api-keys.queries.ts')
const webhooks = await load<typeof import('../../src/modules/webhooks/webhooks.queries.ts')>('webhooks.queries.ts')
const { resolveSort, idKey } = await load<typeof import('../../src/http/pagination.ts')>('pagination.ts')

const API_KEY = 'aaaaaaaa-aaaa-4aaa-8aaa-000000000001'
const SUBSCRIPTION = 'cccccccc-cccc-4ccc-8ccc-000000000001'
const DELIVERY = 'dddddddd-dddd-4ddd-8ddd-000000000001'
const JOB = 'eeeeeeee-eeee-4eee-8eee-000000000001'
const AT = '2026-01-15T09:30:00.000Z'
const PROVENANCE = JSON.stringify({
  origin: 'api',
  sources: [],
  inferred: [],
  doubtful: [],
  createdBy: { keyId: API_KEY },
})

const page = (sorts: SortTable, table: string, after?: unknown[]): PageRequest => ({
  sort: resolveSort('createdAt', sorts, idKey(table)),
  after,
  limit: 50,
  binding: 'sql-snapshots',
})
const call = (args: string, run: Invocation['run'], varying?: Record<number, string>): Invocation => ({
  call: args,
  run,
  ...(varying ? { varying } : {}),
})
const state = {
  url: 'https://partner.example.org/hook',
  eventTypes: ['activity', 'meeting.delete'],
  active: true,
  description: null,
}

export const samples: Record<string, Invocation[]> = {
  'changes.queries.ts:readFeed': [
    call('from the start, every type, limit 100', (db) =>
      changes.readFeed(db, { after: null, types: null, limit: 100, retentionDays: 90 }),
    ),
    call('after (txid, id), types: [2], limit 1000', (db) =>
      changes.readFeed(db, {
        after: { txid: '1480', id: 42 },
        types: ['activity', 'meeting'],
        limit: 1000,
        retentionDays: 90,
      }),
    ),
  ],
  'changes.queries.ts:newestExpiredChange': [call('retentionDays: 90', (db) => changes.newestExpiredChange(db, 90))],
  'changes.queries.ts:newestFeedPosition': [call('', (db) => changes.newestFeedPosition(db))],
  'changes.queries.ts:lastChangeId': [call('', (db) => changes.lastChangeId(db))],
  'changes.queries.ts:lockCursor': [call("name: 'webhooks'", (db) => changes.lockCursor(db, 'webhooks'))],
  'changes.queries.ts:saveCursor': [
    call("name: 'webhooks', position", (db) => changes.saveCursor(db, 'webhooks', { txid: '1480', id: 42 })),
  ],

  'api-keys.queries.ts:listApiKeys': [
    call('page: createdAt', (db) => apiKeys.listApiKeys(db, page(apiKeys.apiKeySortTable, 'api_keys'))),
    call('page: createdAt, after', (db) =>
      apiKeys.listApiKeys(db, page(apiKeys.apiKeySortTable, 'api_keys', [AT, API_KEY])),
    ),
  ],
  'api-keys.queries.ts:getApiKey': [call('id', (db) => apiKeys.getApiKey(db, API_KEY))],
  'api-keys.queries.ts:lockApiKey': [call('id', (db) => apiKeys.lockApiKey(db, API_KEY))],
  'api-keys.queries.ts:rotateApiKey': [
    call('id, overlapSeconds: 86400', (db) => apiKeys.rotateApiKey(db, API_KEY, 86400).catch(() => undefined)),
  ],
  'api-keys.queries.ts:touchApiKey': [call('id', (db) => apiKeys.touchApiKey(db, API_KEY))],

  'webhooks.queries.ts:insertSubscription': [
    call('state, secret, afterChangeId, provenance', (db) =>
      webhooks.insertSubscription(db, { ...state, secret: 'a-secret-of-sixteen', afterChangeId: 42 }, PROVENANCE),
    ),
  ],
  'webhooks.queries.ts:listSubscriptions': [
    call('page: createdAt', (db) =>
      webhooks.listSubscriptions(db, page(webhooks.subscriptionSortTable, 'webhook_subscriptions')),
    ),
  ],
  'webhooks.queries.ts:getSubscription': [call('id', (db) => webhooks.getSubscription(db, SUBSCRIPTION))],
  'webhooks.queries.ts:lockSubscription': [call('id', (db) => webhooks.lockSubscription(db, SUBSCRIPTION))],
  'webhooks.queries.ts:updateSubscription': [
    call('id, state', (db) => webhooks.updateSubscription(db, SUBSCRIPTION, state)),
    call('id, state, secret', (db) =>
      webhooks.updateSubscription(db, SUBSCRIPTION, { ...state, secret: 'another-secret-16' }),
    ),
  ],
  'webhooks.queries.ts:deleteSubscription': [call('id', (db) => webhooks.deleteSubscription(db, SUBSCRIPTION))],
  'webhooks.queries.ts:anyActiveSubscription': [call('', (db) => webhooks.anyActiveSubscription(db))],
  'webhooks.queries.ts:activeSubscriptions': [call('', (db) => webhooks.activeSubscriptions(db))],
  'webhooks.queries.ts:insertDeliveries': [
    call('deliveries: [1]', (db) =>
      webhooks.insertDeliveries(db, [
        {
          id: DELIVERY,
          subscriptionId: SUBSCRIPTION,
          changeId: 42,
          eventType: 'activity.update',
          payload: '{}',
          provenance: PROVENANCE,
        },
      ]),
    ),
  ],
  'webhooks.queries.ts:setDeliveryJob': [call('id, jobId', (db) => webhooks.setDeliveryJob(db, DELIVERY, JOB))],
  'webhooks.queries.ts:listDeliveries': [
    call('subscriptionId, page: createdAt', (db) =>
      webhooks.listDeliveries(db, SUBSCRIPTION, page(webhooks.deliverySortTable, 'webhook_deliveries')),
    ),
  ],
  'webhooks.queries.ts:getDelivery': [
    call('subscriptionId, id', (db) => webhooks.getDelivery(db, SUBSCRIPTION, DELIVERY)),
  ],
  'webhooks.queries.ts:deliveryForAttempt': [call('id', (db) => webhooks.deliveryForAttempt(db, DELIVERY))],
  'webhooks.queries.ts:recordAttempt': [
    call('id, failed attempt', (db) =>
      webhooks.recordAttempt(db, DELIVERY, {
        status: 'pending',
        responseStatus: 500,
        lastError: 'The receiver answered 500.',
      }),
    ),
    call('id, success', (db) =>
      webhooks.recordAttempt(db, DELIVERY, { status: 'succeeded', responseStatus: 204, lastError: null }),
    ),
  ],
  'webhooks.queries.ts:abandonDelivery': [
    call('id, reason', (db) => webhooks.abandonDelivery(db, DELIVERY, 'The subscription was deactivated.')),
  ],
}
