import { randomBytes } from 'node:crypto'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { assertCountries } from '../../http/access.ts'
import { ApiError, ruleViolation } from '../../http/problems.ts'
import { provenanceOf } from '../../schemas/provenance.ts'
import { assertPublicTarget, RefusedUrl } from '../../jobs/ssrf.ts'
import { resourceTypes } from '../changes/changes.schemas.ts'

// Rules of webhook subscriptions: where they may point, what they may ask for, who may write them.

/** 501 on a server that cannot queue deliveries; otherwise the queue is running after this. */
export async function webhooksReady(app: FastifyInstance) {
  const reason = app.integration.webhooks.unavailable
  if (reason) throw new ApiError('not-implemented', reason)
  await app.integration.webhooks.start()
}

/** The URL may be delivered to (SSRF rules, after DNS resolution): 422 naming the pointer otherwise. */
export async function assertTarget(app: FastifyInstance, url: string, pointer: string) {
  try {
    await assertPublicTarget(url, app.integration.webhooks.settings.allowPrivate)
  } catch (err) {
    if (err instanceof RefusedUrl) throw ruleViolation(pointer, `${url} ${err.message}`)
    throw err
  }
}

export function assertEventTypes(eventTypes: string[], pointer: string) {
  eventTypes.forEach((e, i) => {
    const resource = e.split('.')[0] as string
    if (e !== '*' && !(resourceTypes as readonly string[]).includes(resource))
      throw ruleViolation(
        `${pointer}/${i}`,
        `"${resource}" is not a resource type of the change feed (${resourceTypes.join(', ')})`,
      )
  })
}

/** Subscriptions belong to no country: read-only to a country-limited key (they see every change). */
export const assertSubscriptionCountries = (request: FastifyRequest, pointer: string) =>
  assertCountries(request, [], pointer)

export const generateSecret = () => `whsec_${randomBytes(24).toString('base64url')}`

export function toSubscription<R extends { provenance: unknown }>(row: R) {
  return { ...row, provenance: provenanceOf(row.provenance) }
}

export function toDelivery(row: {
  id: string
  subscriptionId: string
  eventType: string
  status: 'pending' | 'succeeded' | 'failed'
  attempts: number
  responseStatus: number | null
  lastError: string | null
  lastAttemptAt: string | null
  nextAttemptAt: string | null
  deliveredAt: string | null
  createdAt: string
}) {
  return {
    id: row.id,
    subscriptionId: row.subscriptionId,
    event: row.eventType,
    status: row.status,
    attempts: row.attempts,
    responseStatus: row.responseStatus,
    lastError: row.lastError,
    lastAttemptAt: row.lastAttemptAt,
    nextAttemptAt: row.status === 'pending' ? row.nextAttemptAt : null,
    deliveredAt: row.deliveredAt,
    createdAt: row.createdAt,
  }
}
