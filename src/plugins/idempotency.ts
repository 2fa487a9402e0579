import fp from 'fastify-plugin'
import { createHash } from 'node:crypto'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { ApiError, sendProblem } from './problems.ts'
import { claimKey, completeKey, findKey, purgeExpiredKeys, releaseKey } from './idempotency.queries.ts'

// Idempotency-Key on every POST (as Stripe): the first request with a key runs and its response
// is kept for 24 hours; a retry with the same body gets that response again without the work
// being done twice; another body under the same key is 422; a retry while the first still runs
// is 409. Keys are scoped per API key. The hook runs after validation, so requests that fail
// validation never claim a key. A 5xx releases the key so the client can retry.

declare module 'fastify' {
  interface FastifyRequest {
    idempotency: { scope: string; key: string } | null
  }
}

const REPLAYED_HEADERS = ['location', 'etag', 'content-type', 'link']

function requestHash(request: FastifyRequest) {
  return createHash('sha256').update(`${request.method} ${request.url}\n${JSON.stringify(request.body ?? null)}`).digest('hex')
}

async function idempotency(app: FastifyInstance) {
  app.decorateRequest('idempotency', null)

  app.addHook('onRoute', (route) => {
    const methods = [route.method].flat()
    if (!methods.includes('POST') || !route.url.startsWith('/v1')) return
    const schema = (route.schema ??= {}) as Record<string, any>
    const headers = (schema.headers ??= { type: 'object', properties: {} })
    headers.properties['idempotency-key'] = {
      type: 'string',
      minLength: 1,
      maxLength: 255,
      description: 'Makes the POST safe to retry: the same key with the same body within 24 hours returns the first response again.',
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
        throw new ApiError('idempotency-key-reuse', 'This Idempotency-Key was first used with a different request; use a new key for a new request.', {
          errors: [{ pointer: '/headers/idempotency-key', detail: 'was used with a different body or path' }],
        })
      }
      if (existing.state === 'in_flight') {
        return sendProblem(reply, 'idempotency-in-flight', 'The first request with this key has not finished; retry in a moment.', { headers: { 'retry-after': '1' } })
      }
      reply.headers({ ...(existing.responseHeaders ?? {}), 'idempotent-replayed': 'true' })
      return reply.code(existing.responseStatus!).send(existing.responseBody ?? undefined)
    }
    throw new ApiError('idempotency-in-flight', 'The Idempotency-Key is contended; retry in a moment.', { headers: { 'retry-after': '1' } })
  })

  app.addHook('onSend', async (request, reply, payload) => {
    const claim = request.idempotency
    if (!claim) return payload
    request.idempotency = null
    try {
      if (reply.statusCode >= 500) {
        await releaseKey(app.db, claim.scope, claim.key)
      } else {
        const headers: Record<string, string> = {}
        for (const name of REPLAYED_HEADERS) {
          const value = reply.getHeader(name)
          if (value !== undefined) headers[name] = String(value)
        }
        await completeKey(app.db, claim.scope, claim.key, { status: reply.statusCode, headers, body: typeof payload === 'string' ? payload : payload == null ? null : String(payload) })
      }
    } catch (err) {
      request.log.warn({ err }, 'could not store the idempotent response')
    }
    return payload
  })

  const timer = setInterval(() => purgeExpiredKeys(app.db).catch(() => {}), 10 * 60_000)
  timer.unref()
  app.addHook('onClose', async () => clearInterval(timer))
}

export default fp(idempotency, { name: 'idempotency', dependencies: ['db', 'auth'] })
