import { randomUUID } from 'node:crypto'
import { CompiledQuery } from 'kysely'
import PgBoss from 'pg-boss'
import type { FastifyBaseLogger } from 'fastify'
import type { Database } from '../db/database.ts'
import { lockCursor, newestFeedPosition, readFeed, saveCursor } from '../modules/changes/changes.queries.ts'
import { encodeCursor } from '../modules/changes/changes.service.ts'
import * as q from '../modules/webhooks/webhooks.queries.ts'
import { apiProvenance } from '../schemas/provenance.ts'
import { attemptDelivery } from './deliver.ts'

// Webhook delivery on pg-boss (a Postgres-backed queue): the change log is the outbox. A
// dispatcher on each node reads the change feed from a cursor kept in the database (one node at
// a time: the cursor row is locked), records one delivery per matching subscription and change,
// and enqueues its job in the same transaction, then moves the cursor. Workers POST each
// delivery; a failed attempt throws, and pg-boss retries it with exponential backoff. Jobs and
// cursor live in Postgres, so a restart loses nothing: another start picks them up.

export const deliveryQueue = 'webhook-delivery'
const cursorName = 'webhooks'
const batch = 500

export interface WebhookSettings {
  enabled: boolean
  allowPrivate: boolean
  pollMs: number
  retryLimit: number
  retryDelaySeconds: number
  timeoutMs: number
  retentionDays: number
}

export class Webhooks {
  private boss: PgBoss | undefined
  private starting: Promise<void> | undefined
  private timer: NodeJS.Timeout | undefined
  private ticking: Promise<void> | undefined
  private stopped = false

  constructor(
    private readonly db: Database,
    private readonly url: string | undefined,
    private readonly kind: 'postgres' | 'pglite',
    readonly settings: WebhookSettings,
    private readonly log: FastifyBaseLogger,
  ) {}

  /** Why webhooks cannot run here (the 501's detail), or null. */
  get unavailable(): string | null {
    if (this.kind === 'pglite' || !this.url)
      return 'Webhooks need a Postgres database (DATABASE_URL): their deliveries are queued in it (pg-boss), which embedded storage cannot do. Follow the change feed (GET /v1/changes) instead.'
    if (!this.settings.enabled)
      return 'Webhooks are turned off on this server (WEBHOOKS_ENABLED=false). Follow the change feed (GET /v1/changes) instead.'
    return null
  }

  /** At start: the queue runs only when some subscription is active, so a service without any pays nothing. */
  async startIfSubscribed() {
    if (this.unavailable) return
    if (await q.anyActiveSubscription(this.db)) await this.start()
  }

  /** Starts the queue, the worker and the dispatcher once (further calls wait for the first). */
  start(): Promise<void> {
    if (this.unavailable) return Promise.reject(new Error(this.unavailable))
    this.starting ??= this.open().catch((err) => {
      this.starting = undefined
      throw err
    })
    return this.starting
  }

  private async open() {
    const boss = new PgBoss({
      connectionString: this.url as string,
      max: 4,
      schedule: false,
      // Archive finished jobs after a day; webhook_deliveries keeps the record.
      archiveCompletedAfterSeconds: 24 * 3600,
    })
    boss.on('error', (err) => this.log.warn({ err: { message: err.message } }, 'webhook queue error'))
    await boss.start()
    await this.initCursor()
    await boss.createQueue(deliveryQueue, { name: deliveryQueue, policy: 'standard' })
    this.boss = boss
    await boss.work(
      deliveryQueue,
      { batchSize: 1, pollingIntervalSeconds: Math.max(0.5, this.settings.pollMs / 1000), includeMetadata: true },
      async ([job]) => {
        if (job) await this.deliver(job.data as { deliveryId: string }, job.retryCount, job.retryLimit)
      },
    )
    this.schedule()
  }

  private schedule(delay = this.settings.pollMs) {
    if (this.stopped) return
    this.timer = setTimeout(() => {
      let full = false
      this.ticking = this.dispatch()
        .then((read) => void (full = read >= batch))
        .catch((err) => this.log.warn({ err: { message: err.message } }, 'webhook dispatch failed'))
        .finally(() => {
          this.ticking = undefined
          // A full batch: more changes wait, read on at once (catching up after a stop).
          this.schedule(full ? 0 : this.settings.pollMs)
        })
    }, delay)
    this.timer.unref()
  }

  /**
   * The first time the queue starts on a database, the dispatcher begins at the newest change:
   * subscriptions receive what follows their creation, not the log's history. (1, 0) marks a
   * cursor set on an empty log; (0, 0) one never set.
   */
  private async initCursor() {
    await this.db.transaction().execute(async (trx) => {
      const position = await lockCursor(trx, cursorName)
      if (position?.txid !== '0') return
      await saveCursor(trx, cursorName, (await newestFeedPosition(trx)) ?? { txid: '1', id: 0 })
    })
  }

  /** Enqueues a job for a delivery inside the caller's transaction (pg-boss's `db` option). */
  async enqueue(trx: Database, deliveryId: string): Promise<void> {
    const boss = this.boss
    if (!boss) throw new Error('the webhook queue is not started')
    const jobId = await boss.send(
      deliveryQueue,
      { deliveryId },
      {
        db: { executeSql: (text: string, values: unknown[]) => trx.executeQuery(CompiledQuery.raw(text, values)) },
        retryLimit: this.settings.retryLimit,
        retryDelay: this.settings.retryDelaySeconds,
        retryBackoff: true,
        expireInSeconds: Math.ceil(this.settings.timeoutMs / 1000) + 60,
      },
    )
    if (jobId) await q.setDeliveryJob(trx, deliveryId, jobId)
  }

  /** One pass of the dispatcher: up to `batch` changes past the cursor become deliveries; returns how many it read. */
  async dispatch(): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      const position = await lockCursor(trx, cursorName)
      if (!position) return 0 // another node is dispatching
      const after = position.txid === '0' ? null : position
      const rows = await readFeed(trx, { after, types: null, limit: batch, retentionDays: this.settings.retentionDays })
      const page = rows.slice(0, batch)
      const last = page.at(-1)
      if (!last) return 0
      const subscriptions = await q.activeSubscriptions(trx)
      const deliveries: q.NewDelivery[] = []
      for (const change of page) {
        const event = `${change.resource}.${change.operation}`
        for (const s of subscriptions) {
          if (change.id <= s.afterChangeId) continue
          if (!s.eventTypes.includes(event) && !s.eventTypes.includes(change.resource) && !s.eventTypes.includes('*'))
            continue
          const id = randomUUID()
          const body = {
            deliveryId: id,
            subscriptionId: s.id,
            event,
            change: {
              cursor: encodeCursor({ txid: change.txid, id: change.id }),
              resource: change.resource,
              id: change.resourceId,
              operation: change.operation,
              version: change.version,
              fields: change.fields,
              occurredAt: change.occurredAt,
            },
          }
          deliveries.push({
            id,
            subscriptionId: s.id,
            changeId: change.id,
            eventType: event,
            payload: JSON.stringify(body),
            provenance: JSON.stringify(apiProvenance(null)),
          })
        }
      }
      for (const { id } of await q.insertDeliveries(trx, deliveries)) await this.enqueue(trx, id)
      await saveCursor(trx, cursorName, { txid: last.txid, id: last.id })
      return page.length
    })
  }

  private async deliver(data: { deliveryId: string }, retryCount: number, retryLimit: number) {
    const d = await q.deliveryForAttempt(this.db, data.deliveryId)
    if (!d || d.status === 'succeeded') return
    if (!d.active) return void (await q.abandonDelivery(this.db, d.id, 'The subscription was deactivated.'))
    const result = await attemptDelivery(
      { url: d.url, secret: d.secret, deliveryId: d.id, eventType: d.eventType, body: d.payload },
      { allowPrivate: this.settings.allowPrivate, timeoutMs: this.settings.timeoutMs },
    )
    const last = result.refused || retryCount >= retryLimit
    await q.recordAttempt(this.db, d.id, {
      status: result.ok ? 'succeeded' : last ? 'failed' : 'pending',
      responseStatus: result.status,
      lastError: result.error,
    })
    // Thrown, the job is retried by pg-boss after its backoff (or failed once out of retries).
    if (!result.ok && !result.refused) throw new Error(result.error ?? 'delivery failed')
  }

  async stop() {
    this.stopped = true
    clearTimeout(this.timer)
    await this.ticking
    await this.starting?.catch(() => {})
    // Graceful: an attempt in flight finishes (or, cut off, its job expires and is retried).
    await this.boss?.stop({ graceful: true, wait: true, timeout: this.settings.timeoutMs + 1000 })
  }
}
