import { sql } from 'kysely'
import type { Database } from '../../db/database.ts'
import { keyset, type PageRequest, type SortTable } from '../../http/pagination.ts'

// Webhook subscriptions and their deliveries. The secret is read only by the deliverer; the
// representation never carries it.

export const subscriptionColumns = [
  'id',
  'url',
  'eventTypes',
  'active',
  'description',
  'provenance',
  'createdAt',
  'updatedAt',
  'version',
] as const

export const subscriptionSortTable: SortTable = {
  createdAt: { column: 'webhook_subscriptions.created_at', value: (r: { createdAt: string }) => r.createdAt },
}

export const deliverySortTable: SortTable = {
  createdAt: { column: 'webhook_deliveries.created_at', value: (r: { createdAt: string }) => r.createdAt },
}

export interface SubscriptionState {
  url: string
  eventTypes: string[]
  active: boolean
  description: string | null
}

export function insertSubscription(
  db: Database,
  state: SubscriptionState & { secret: string; afterChangeId: number },
  provenance: string,
) {
  return db
    .insertInto('webhookSubscriptions')
    .values({ ...state, provenance })
    .returning(subscriptionColumns)
    .executeTakeFirstOrThrow()
}

export function listSubscriptions(db: Database, page: PageRequest) {
  return keyset(
    db.selectFrom('webhookSubscriptions').select(subscriptionColumns),
    page.sort,
    page.after,
    page.limit,
  ).execute()
}

export function getSubscription(db: Database, id: string) {
  return db.selectFrom('webhookSubscriptions').select(subscriptionColumns).where('id', '=', id).executeTakeFirst()
}

export function lockSubscription(db: Database, id: string) {
  return db
    .selectFrom('webhookSubscriptions')
    .select(subscriptionColumns)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst()
}

export function updateSubscription(db: Database, id: string, state: SubscriptionState & { secret?: string }) {
  return db
    .updateTable('webhookSubscriptions')
    .set(state)
    .where('id', '=', id)
    .returning(subscriptionColumns)
    .executeTakeFirstOrThrow()
}

export function deleteSubscription(db: Database, id: string) {
  return db.deleteFrom('webhookSubscriptions').where('id', '=', id).execute()
}

/** Whether any subscription is active (the queue starts with the service only then). */
export async function anyActiveSubscription(db: Database): Promise<boolean> {
  const row = await db
    .selectFrom('webhookSubscriptions')
    .select('id')
    .where('active', '=', true)
    .limit(1)
    .executeTakeFirst()
  return !!row
}

/** What the dispatcher matches changes against. */
export function activeSubscriptions(db: Database) {
  return db
    .selectFrom('webhookSubscriptions')
    .select(['id', 'eventTypes', 'afterChangeId'])
    .where('active', '=', true)
    .execute()
}

export interface NewDelivery {
  id: string
  subscriptionId: string
  changeId: number
  eventType: string
  payload: string
  provenance: string
}

/** The deliveries not recorded yet (a change is delivered once per subscription). */
export function insertDeliveries(db: Database, deliveries: NewDelivery[]) {
  if (deliveries.length === 0) return Promise.resolve([])
  return db
    .insertInto('webhookDeliveries')
    .values(deliveries)
    .onConflict((oc) => oc.columns(['subscriptionId', 'changeId']).doNothing())
    .returning(['id'])
    .execute()
}

export function setDeliveryJob(db: Database, id: string, jobId: string) {
  return db.updateTable('webhookDeliveries').set({ jobId, status: 'pending' }).where('id', '=', id).execute()
}

const deliveryColumns = [
  'webhookDeliveries.id',
  'webhookDeliveries.subscriptionId',
  'webhookDeliveries.changeId',
  'webhookDeliveries.eventType',
  'webhookDeliveries.status',
  'webhookDeliveries.attempts',
  'webhookDeliveries.responseStatus',
  'webhookDeliveries.lastError',
  'webhookDeliveries.lastAttemptAt',
  'webhookDeliveries.deliveredAt',
  'webhookDeliveries.createdAt',
  'webhookDeliveries.updatedAt',
] as const

/**
 * When the queue will try a pending delivery next: its pg-boss job's start time while the job
 * waits (created or retry). pg-boss keeps jobs in its own schema (pgboss.job).
 */
const nextAttempt = sql<
  string | null
>`(select case when j.state in ('created', 'retry') then to_char(j.start_after at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') end
  from pgboss.job j where j.name = 'webhook-delivery' and j.id = webhook_deliveries.job_id)`

export function listDeliveries(db: Database, subscriptionId: string, page: PageRequest) {
  return keyset(
    db
      .selectFrom('webhookDeliveries')
      .select(deliveryColumns)
      .select(nextAttempt.as('nextAttemptAt'))
      .where('subscriptionId', '=', subscriptionId),
    page.sort,
    page.after,
    page.limit,
  ).execute()
}

export function getDelivery(db: Database, subscriptionId: string, id: string) {
  return db
    .selectFrom('webhookDeliveries')
    .select(deliveryColumns)
    .select(nextAttempt.as('nextAttemptAt'))
    .where('subscriptionId', '=', subscriptionId)
    .where('id', '=', id)
    .executeTakeFirst()
}

/** What an attempt needs: the stored body and the subscription's target and secret. */
export function deliveryForAttempt(db: Database, id: string) {
  return db
    .selectFrom('webhookDeliveries')
    .innerJoin('webhookSubscriptions', 'webhookSubscriptions.id', 'webhookDeliveries.subscriptionId')
    .select([
      'webhookDeliveries.id',
      'webhookDeliveries.eventType',
      'webhookDeliveries.payload',
      'webhookDeliveries.status',
      'webhookSubscriptions.url',
      'webhookSubscriptions.secret',
      'webhookSubscriptions.active',
    ])
    .where('webhookDeliveries.id', '=', id)
    .executeTakeFirst()
}

export function recordAttempt(
  db: Database,
  id: string,
  outcome: { status: 'pending' | 'succeeded' | 'failed'; responseStatus: number | null; lastError: string | null },
) {
  return db
    .updateTable('webhookDeliveries')
    .set({
      status: outcome.status,
      responseStatus: outcome.responseStatus,
      lastError: outcome.lastError,
      attempts: sql<number>`attempts + 1`,
      lastAttemptAt: sql<string>`now()`,
      deliveredAt: outcome.status === 'succeeded' ? sql<string>`now()` : null,
      updatedAt: sql<string>`now()`,
    })
    .where('id', '=', id)
    .execute()
}

/** A delivery given up without an attempt (its subscription was deactivated meanwhile). */
export function abandonDelivery(db: Database, id: string, reason: string) {
  return db
    .updateTable('webhookDeliveries')
    .set({ status: 'failed', lastError: reason, updatedAt: sql<string>`now()` })
    .where('id', '=', id)
    .execute()
}
