import fp from 'fastify-plugin'
import { timingSafeEqual } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { ApiError } from '../http/problems.ts'
import { hasScope, hashToken, parseToken, type Principal, type Scope } from '../http/access.ts'

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null
  }
  interface FastifyContextConfig {
    /** The scope a route needs; 'public' routes need none. Every route must say. */
    scope?: Scope | 'public'
  }
}

/** What the plugin needs to know of a stored key (the api-keys module looks it up). */
export interface StoredKey {
  id: string
  organizationId: string | null
  scopes: string[]
  countries: string[] | null
  secretHash: string
  revokedAt: unknown
  /** After rotation, the previous secret's hash stays valid until previousExpiresAt (RFC 3339). */
  previousSecretHash?: string | null
  previousExpiresAt?: string | null
  /** The key stops working at this time (RFC 3339); null: never. */
  expiresAt?: string | null
}

export interface AuthOptions {
  /** Finds a key by its public prefix; the plugin never queries tables itself. */
  findKey: (prefix: string) => Promise<StoredKey | undefined>
  /** Records that a key was used; called at most once a minute per key and node, never awaited. */
  touchKey?: (keyId: string) => Promise<unknown>
  anonymousRead: boolean
  cacheTtlMs?: number
  /** Failed authentications per client address and window before 429. */
  failuresMax: number
  failureWindowMs: number
}

const challenge = { 'www-authenticate': 'Bearer realm="action-plan-api"' }

/** A map that forgets its least recently used entry beyond `max` (Map keeps insertion order). */
class Lru<K, V> {
  private readonly map = new Map<K, V>()
  constructor(private readonly max: number) {}
  get(key: K): V | undefined {
    const value = this.map.get(key)
    if (value !== undefined) {
      this.map.delete(key)
      this.map.set(key, value)
    }
    return value
  }
  set(key: K, value: V) {
    this.map.delete(key)
    this.map.set(key, value)
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value as K)
  }
  delete(key: K) {
    this.map.delete(key)
  }
}

async function auth(app: FastifyInstance, opts: AuthOptions) {
  // Verified keys are kept briefly so a busy client costs one lookup per TTL, not per request.
  // Unknown prefixes are kept too (negatively), so repeating a bad key costs no query either.
  // A revoked key therefore stops working on every node within the TTL (AUTH_CACHE_TTL_MS).
  const ttl = opts.cacheTtlMs ?? 10_000
  const cache = new Lru<
    string,
    {
      principal: Principal | null
      hash: string
      previous: string
      previousUntil: number
      until: number
      expires: number
    }
  >(10_000)
  const touched = new Lru<string, number>(10_000)
  // Failed attempts per client address in the current window: past the limit, 429 before any
  // lookup, so guessing keys (random prefixes defeat any cache) is slow and costs nothing.
  const failures = new Lru<string, { count: number; resetAt: number }>(50_000)

  app.decorateRequest('principal', null)
  app.decorate('forgetApiKey', (prefix: string) => void cache.delete(prefix))

  app.addHook('onRoute', (route) => {
    const url = route.url
    if (!route.config?.scope && url.startsWith('/v1') && !url.startsWith('/v1/openapi')) {
      throw new Error(`route ${route.method} ${url} declares no config.scope`)
    }
  })

  function assertNotLockedOut(ip: string, now: number) {
    const f = failures.get(ip)
    if (f && f.resetAt > now && f.count >= opts.failuresMax) {
      const seconds = Math.ceil((f.resetAt - now) / 1000)
      throw new ApiError('rate-limited', `Too many failed authentications from this address; retry in ${seconds} s.`, {
        headers: { 'retry-after': String(seconds) },
      })
    }
  }

  function failed(ip: string, now: number, detail: string): ApiError {
    const f = failures.get(ip)
    if (!f || f.resetAt <= now) failures.set(ip, { count: 1, resetAt: now + opts.failureWindowMs })
    else f.count++
    return new ApiError('unauthorized', detail, { headers: challenge })
  }

  async function authenticate(header: string, ip: string): Promise<Principal> {
    const now = Date.now()
    const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1]
    const prefix = token && parseToken(token)
    if (!token || !prefix) {
      assertNotLockedOut(ip, now)
      throw failed(ip, now, 'The Authorization header must be "Bearer <api key>".')
    }
    const hash = hashToken(token)
    let entry = cache.get(prefix)
    // A locked-out address gets no lookups; a key this node has verified recently still works
    // from it (clients behind one proxy address are not all locked out by one guesser).
    if (!entry?.principal) assertNotLockedOut(ip, now)
    if (!entry || entry.expires < now) {
      const row = await opts.findKey(prefix)
      const principal =
        row && !row.revokedAt
          ? { keyId: row.id, organizationId: row.organizationId, scopes: new Set(row.scopes), countries: row.countries }
          : null
      entry = {
        principal,
        hash: row?.secretHash ?? '',
        previous: row?.previousSecretHash ?? '',
        previousUntil: row?.previousExpiresAt ? Date.parse(row.previousExpiresAt) : 0,
        until: row?.expiresAt ? Date.parse(row.expiresAt) : Number.POSITIVE_INFINITY,
        expires: now + ttl,
      }
      cache.set(prefix, entry)
    }
    const same = (stored: string) => {
      const a = Buffer.from(stored, 'hex')
      const b = Buffer.from(hash, 'hex')
      return a.length === b.length && timingSafeEqual(a, b)
    }
    // The current secret, or the one before a rotation while its overlap lasts.
    const valid = same(entry.hash) || (entry.previousUntil > now && same(entry.previous))
    if (!entry.principal || !valid || entry.until <= now)
      throw failed(ip, now, 'The API key is not valid or has been revoked.')
    const keyId = entry.principal.keyId
    if (opts.touchKey && (touched.get(keyId) ?? 0) < now - 60_000) {
      touched.set(keyId, now)
      opts.touchKey(keyId).catch(() => touched.delete(keyId))
    }
    return entry.principal
  }

  app.addHook('onRequest', async (request) => {
    const scope = request.routeOptions.config?.scope
    // Public routes (health, docs, the contract) answer whatever credentials come along.
    if (!scope || scope === 'public') return
    const header = request.headers.authorization
    if (header) request.principal = await authenticate(header, request.ip)
    if (!request.principal) {
      if (scope === 'read' && opts.anonymousRead) return
      throw new ApiError('unauthorized', 'This operation needs an API key: send "Authorization: Bearer <api key>".', {
        headers: challenge,
      })
    }
    if (!hasScope(request.principal, scope)) throw new ApiError('forbidden', `This API key lacks the scope "${scope}".`)
  })
}

declare module 'fastify' {
  interface FastifyInstance {
    forgetApiKey(prefix: string): void
  }
}

export default fp(auth, { name: 'auth', dependencies: ['db'] })
