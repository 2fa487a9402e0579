import fp from 'fastify-plugin'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { hasScope } from '../http/access.ts'
import { notModifiedTag } from '../http/conditional.ts'
import type { DatabaseHandle } from '../db/database.ts'

// A cache of whole GET responses (body, ETag, Link), emptied by every committed write. Partners
// pull the same pages and records over and over; between two writes the answer cannot change,
// so it is served without touching the database.
//
// Correctness rests on the database telling: triggers on every data table NOTIFY `apa_changes`
// when a write commits, whoever made it (migration 0007). Each node LISTENs
// and empties its cache on every notification, so several nodes stay correct; the node that
// wrote empties its own at once, before it answers (so a client never reads its own write
// stale from the node it wrote to). While the LISTEN connection is down the cache is bypassed,
// never trusted. An entry is only stored if no write was seen while it was being computed, and
// carries the ETag computed with it, so ETags stay exact.

declare module 'fastify' {
  interface FastifyInstance {
    /** Forget every cached response: called after this node commits a write. */
    invalidateReads(): void
  }
  interface FastifyRequest {
    readCacheEpoch: number | null
  }
  interface FastifyContextConfig {
    /** false: never cached (an answer that changes without a write, as the change feed's horizon). */
    readCache?: boolean
  }
}

export interface ReadCacheOptions {
  /** Entries kept (least recently used go first); 0 turns the cache off. */
  maxEntries: number
  /** Follows the database's change notifications (DatabaseHandle.listen). */
  listen: DatabaseHandle['listen']
}

interface Entry {
  epoch: number
  payload: string
  headers: Record<string, string>
}

const KEPT_HEADERS = ['content-type', 'etag', 'link', 'vary']
const CHANNEL = 'apa_changes'

async function readCache(app: FastifyInstance, opts: ReadCacheOptions) {
  let epoch = 0
  let trusted = false
  const entries = new Map<string, Entry>()
  const invalidate = () => {
    epoch++
    entries.clear()
  }
  app.decorate('invalidateReads', invalidate)
  app.decorateRequest('readCacheEpoch', null)
  if (opts.maxEntries <= 0) return

  // Everything a response can depend on: the URL, the host it was asked on (links and the
  // calendar carry absolute URLs), Accept, and whether the caller may see personal data.
  const keyOf = (request: FastifyRequest) =>
    `${request.protocol}://${request.host}${request.url}\n${request.headers.accept ?? ''}\n${hasScope(request.principal, 'participants:read') ? 'p' : ''}`
  // Only `read` routes are cached. Personal data (training participants) needs the
  // `participants:read` scope, so it is never cached: the key above tells apart who may see
  // personal data, not which countries a country-limited key may see, and a cached list could
  // otherwise reach a key of other countries. Those routes also say `readCache: false`.
  const cacheable = (request: FastifyRequest) =>
    request.method === 'GET' &&
    request.routeOptions.config?.scope === 'read' &&
    request.routeOptions.config.readCache !== false

  // preParsing: after every onRequest hook, the route-level ones too (the rate limiter's), so a
  // cached answer is still authenticated, counted and limited like any other.
  app.addHook('preParsing', async (request, reply) => {
    if (!trusted || !cacheable(request)) return
    const entry = entries.get(keyOf(request))
    request.readCacheEpoch = epoch
    if (!entry || entry.epoch !== epoch) return
    reply.headers(entry.headers)
    if (entry.headers.etag && notModifiedTag(request, reply, entry.headers.etag)) return reply.send()
    return reply.code(200).send(entry.payload)
  })

  app.addHook('onSend', async (request, reply, payload) => {
    const started = request.readCacheEpoch
    // Only a 200 computed entirely within one epoch: a write seen meanwhile may or may not be in it.
    if (started === null || started !== epoch || reply.statusCode !== 200 || typeof payload !== 'string' || !trusted)
      return payload
    const key = keyOf(request)
    if (entries.has(key)) return payload
    const headers: Record<string, string> = {}
    for (const name of KEPT_HEADERS) {
      const value = reply.getHeader(name)
      if (value !== undefined) headers[name] = String(value)
    }
    if (entries.size >= opts.maxEntries) entries.delete(entries.keys().next().value as string)
    entries.set(key, { epoch, payload, headers })
    return payload
  })

  // Trusted only while listening: a lost listener could miss a write, so the cache is bypassed
  // (and emptied) until it listens again.
  // Not awaited: the app starts (and answers, uncached) while the listener connects — on embedded
  // storage that waits for the database to open, which on a loaded machine outlasted Fastify's
  // plugin timeout.
  const stopping = opts
    .listen(CHANNEL, invalidate, (listening) => {
      invalidate()
      trusted = listening
    })
    .catch((err: unknown) => {
      app.log.warn({ err }, 'read cache: cannot listen for changes; reads are not cached')
      return async () => {}
    })
  app.addHook('onClose', async () => (await stopping)())
}

export default fp(readCache, { name: 'read-cache', dependencies: ['auth'] })
