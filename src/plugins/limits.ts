import fp from 'fastify-plugin'
import rateLimit from '@fastify/rate-limit'
import underPressure from '@fastify/under-pressure'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { problemBody, ApiError } from '../http/problems.ts'

export interface LimitsOptions {
  rateLimitMax: number
  rateLimitWindowMs: number
  maxEventLoopDelayMs: number
  /** How long after start the loop's delay is not taken for load (schema compilation blocks it). */
  warmUpMs: number
}

// Request rate per API key (or per address for anonymous callers), with the IETF RateLimit-*
// headers; and load shedding: when the event loop lags, answer 503 at once rather than queue.
// With several nodes the rate limiter needs a shared store (Redis); see the README.
async function limits(app: FastifyInstance, opts: LimitsOptions) {
  await app.register(rateLimit, {
    global: true,
    max: opts.rateLimitMax,
    timeWindow: opts.rateLimitWindowMs,
    enableDraftSpec: true,
    keyGenerator: (request) => {
      const auth = request.headers.authorization
      const prefix = auth && /^Bearer\s+apk_([0-9a-f]{12})_/i.exec(auth)?.[1]
      return prefix ? `key:${prefix}` : `ip:${request.ip}`
    },
    allowList: (request) => request.url.startsWith('/health'),
    errorResponseBuilder: (_request, context) => {
      const err = new ApiError(
        'rate-limited',
        `At most ${context.max} requests per ${context.after === '1 minute' ? 'minute' : 'window'}; retry in ${Math.ceil(context.ttl / 1000)} s.`,
      )
      ;(err as unknown as { statusCode: number }).statusCode = 429
      return err
    },
  })

  if (opts.maxEventLoopDelayMs > 0) {
    // Building the app (compiling every schema) blocks the loop for a while; the first samples
    // measure that, not load. Shed nothing until the loop has been sampled after start.
    let warmUntil = Number.POSITIVE_INFINITY
    app.addHook('onReady', async () => {
      warmUntil = Date.now() + opts.warmUpMs
    })
    await app.register(underPressure, {
      maxEventLoopDelay: opts.maxEventLoopDelayMs,
      retryAfter: 5,
      exposeStatusRoute: false,
      // Returning a body makes under-pressure send it and stop there; undefined lets the request on.
      // (its types say void, its code sends what the handler returns)
      pressureHandler: ((request: FastifyRequest, reply: FastifyReply) => {
        if (Date.now() < warmUntil) return undefined
        reply.code(503).type('application/problem+json; charset=utf-8').header('retry-after', '5')
        return problemBody('unavailable', request, 'The service is overloaded; retry after Retry-After seconds.')
      }) as unknown as () => void,
    })
  }
}

export default fp(limits, { name: 'limits' })
