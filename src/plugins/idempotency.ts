import fp from 'fastify-plugin'
import { createHash } from 'node:crypto'
import type { ControlledTransaction } from 'kysely'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { DB } from '../db/types.ts'
import { ApiError, problemBody, sendProblem } from '../http/problems.ts'
import { claimKey, completeKey, findKey, purgeExpiredKeys, releaseKey } from './idempotency.queries.ts'

// Idempotency-Key on every POST (as Stripe): the first request with a key runs and its response
// is kept for 24 hours; a retry with the same body gets that response again without the work
// being done twice; another body under the same key is 422; a retry while the first still runs
// is 409. Keys are scoped per API key. The hook runs after validation, so requests that fail
// validation never claim a key.
//
// The claim is its own statement, so a concurrent retry sees it at once (409). The response is
// stored inside the write's own transaction (writes.ts leaves it open for this), so the write
// and its replay commit together or not at all: a dropped connection can never leave a written
// row whose key would let a retry write it again. A 5xx rolls back and releases the key.

declare module 'fastify' {
  interface FastifyRequest {
    idempotency: IdempotencyClaim | null
  }
}

export interface IdempotencyClaim {
  scope: string
  key: string
  /** The write's transaction, open until the response is stored (set by writes.ts). */
  transaction?: ControlledTransaction<DB>
}

const REPLAYED_HEADERS = ['location', 'etag', 'content-type', 'link']

function requestHash(request: FastifyRequest) {
  return createHash('sha256')
    .update(`${request.method} ${request.url}\n${JSON.stringify(request.body ?? null)}`)
    .digest('hex')
}

function storedResponse(reply: FastifyReply, payload: unknown) {
  const headers: Record<string, string> = {}
  for (const name of REPLAYED_HEADERS) {
    const value = reply.getHeader(name)
    if (value !== undefined) headers[name] = String(value)
  }
  return {
    status: reply.statusCode,
    headers,
    body: typeof payload === 'string' ? payload : payload == null ? null : String(payload),
  }
}

async function idempotency(app: FastifyInstance) {
  app.decorateRequest('idempotency', null)

  // A key whose release failed (the database was down) is released as soon as it answers
  // again, so the client's retry is not held off by a claim on a write that never happened.
  const pending = new Set<string>()
  function release(claim: IdempotencyClaim, attempt = 0): void {
    const id = `${claim.scope}\n${claim.key}`
    releaseKey(app.db, claim.scope, claim.key).then(
      () => pending.delete(id),
      () => {
        pending.add(id)
        if (attempt < 120) setTimeout(() => release(claim, attempt + 1), 1000).unref()
      },
    )
  }

  app.addHook('onRoute', (route) => {
    const methods = [route.method].flat()
    if (!methods.includes('POST') || !route.url.startsWith('/v1')) return
    const schema = (route.schema ??= {}) as Record<string, any>
    const headers = (schema.headers ??= { type: 'object', properties: {} })
    headers.properties['idempotency-key'] = {
      type: 'string',
      minLength: 1,
      maxLength: 255,
      description:
        'Makes the POST safe to retry: the same key with the same body within 24 hours returns the first response again.',
    }
  })

  app.addHook('preHandler', async (request, reply) => {
    const key = request.headers['idempotency-key']
    if (request.method !== 'POST' || typeof key !== 'string' || !request.routeOptions.url?.startsWith('/v1')) return
    const scope = request.principal?.keyId ?? 'anonymous'
    const hash = requestHash(request)
    for (let attempt = 0; attempt < 3; attempt++) {
      if (await claimKey(app.db, scope, key, hash)) {
        request.idempotency = { scope, key }
        return
      }
      const existing = await findKey(app.db, scope, key)
      if (!existing) continue // released between our two statements: try to claim again
      if (existing.requestHash !== hash) {
        throw new ApiError(
          'idempotency-key-reuse',
          'This Idempotency-Key was first used with a different request; use a new key for a new request.',
          {
            errors: [{ pointer: '/headers/idempotency-key', detail: 'was used with a different body or path' }],
          },
        )
      }
      if (existing.state === 'in_flight') {
        return sendProblem(
          reply,
          'idempotency-in-flight',
          'The first request with this key has not finished; retry in a moment.',
          { headers: { 'retry-after': '1' } },
        )
      }
      reply.headers({ ...(existing.responseHeaders ?? {}), 'idempotent-replayed': 'true' })
      return reply.code(existing.responseStatus!).send(existing.responseBody ?? undefined)
    }
    throw new ApiError('idempotency-in-flight', 'The Idempotency-Key is contended; retry in a moment.', {
      headers: { 'retry-after': '1' },
    })
  })

  app.addHook('onSend', async (request, reply, payload) => {
    const claim = request.idempotency
    if (!claim) return payload
    request.idempotency = null
    const trx = claim.transaction
    if (reply.statusCode >= 500) {
      await trx
        ?.rollback()
        .execute()
        .catch(() => {})
      release(claim)
      return payload
    }
    try {
      await completeKey(trx ?? app.db, claim.scope, claim.key, storedResponse(reply, payload))
      await trx?.commit().execute()
      if (trx) app.invalidateReads()
      return payload
    } catch (err) {
      // The write and its replay did not commit together (or we cannot know that they did): the
      // client is told to retry, and the retry either replays the committed response or runs.
      request.log.warn({ err: { message: (err as Error).message } }, 'could not commit the idempotent write')
      await trx
        ?.rollback()
        .execute()
        .catch(() => {})
      release(claim)
      reply.code(503).type('application/problem+json; charset=utf-8').header('retry-after', '2')
      for (const name of ['location', 'etag']) reply.removeHeader(name)
      return JSON.stringify(
        problemBody(
          'unavailable',
          request,
          'The database connection was lost while saving; retry with the same Idempotency-Key.',
        ),
      )
    }
  })

  // A request that ends without a response (the client went away mid-handler) must not leave
  // its transaction open.
  app.addHook('onResponse', async (request) => {
    const claim = request.idempotency
    if (!claim?.transaction) return
    request.idempotency = null
    await claim.transaction
      .rollback()
      .execute()
      .catch(() => {})
    release(claim)
  })

  const timer = setInterval(() => purgeExpiredKeys(app.db).catch(() => {}), 10 * 60_000)
  timer.unref()
  app.addHook('onClose', async () => clearInterval(timer))
}

export default fp(idempotency, { name: 'idempotency', dependencies: ['db', 'auth', 'read-cache'] })
