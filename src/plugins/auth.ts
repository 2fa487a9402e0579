import fp from 'fastify-plugin'
import { timingSafeEqual } from 'node:crypto'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { ApiError } from './problems.ts'
import { findApiKeyByPrefix, hashToken, parseToken, type Scope } from '../modules/api-keys/api-keys.queries.ts'

export interface Principal {
  keyId: string
  organizationId: string | null
  scopes: ReadonlySet<string>
  countries: readonly string[] | null // null: any country
}

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null
  }
  interface FastifyContextConfig {
    /** The scope a route needs; 'public' routes need none. Every route must say. */
    scope?: Scope | 'public'
  }
}

export interface AuthOptions {
  anonymousRead: boolean
  cacheTtlMs?: number
  /** Failed authentications per client address and window before 429. */
  failuresMax: number
  failureWindowMs: number
}

const challenge = { 'www-authenticate': 'Bearer realm="action-plan-api"' }

export function hasScope(principal: Principal | null, scope: Scope): boolean {
  return !!principal && (principal.scopes.has(scope) || principal.scopes.has('admin'))
}

/**
 * 403 unless a country-limited key may write a row of these countries. Such a key writes only
 * what belongs to its countries: a row with no country, or with any country beyond the key's,
 * is read-only to it. Callers check the row as it is and as it will be. `allowNone` is for
 * parts of a row the key already owns (attendance counts of unknown country at its meeting).
 */
export function assertCountries(request: FastifyRequest, countries: Iterable<string | null | undefined>, pointer: string, options: { allowNone?: boolean } = {}) {
  const allowed = request.principal?.countries
  if (!allowed) return
  const list = [...countries].filter((c): c is string => !!c)
  const limited = `This API key is limited to ${allowed.join(', ')}`
  if (list.length === 0 && !options.allowNone) {
    throw new ApiError('forbidden', `${limited}; data that belongs to no country is read-only to it.`, { errors: [{ pointer, detail: 'belongs to no country, so a country-limited key may not write it' }] })
  }
  const outside = list.filter((c) => !allowed.includes(c))
  if (outside.length) {
    throw new ApiError('forbidden', `${limited}; it may not write data of ${[...new Set(outside)].join(', ')}.`, { errors: [{ pointer, detail: `country ${outside[0]} is outside this key's countries` }] })
  }
}

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
  // Revocation through this node clears the entry at once; other nodes see it within the TTL.
  const ttl = opts.cacheTtlMs ?? 10_000
  const cache = new Lru<string, { principal: Principal | null; hash: string; expires: number }>(10_000)
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
      throw new ApiError('rate-limited', `Too many failed authentications from this address; retry in ${seconds} s.`, { headers: { 'retry-after': String(seconds) } })
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
      const row = await findApiKeyByPrefix(app.db, prefix)
      const principal = row && !row.revokedAt ? { keyId: row.id, organizationId: row.organizationId, scopes: new Set(row.scopes), countries: row.countries } : null
      entry = { principal, hash: row?.secretHash ?? '', expires: now + ttl }
      cache.set(prefix, entry)
    }
    const a = Buffer.from(entry.hash, 'hex')
    const b = Buffer.from(hash, 'hex')
    if (!entry.principal || a.length !== b.length || !timingSafeEqual(a, b)) throw failed(ip, now, 'The API key is not valid or has been revoked.')
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
      throw new ApiError('unauthorized', 'This operation needs an API key: send "Authorization: Bearer <api key>".', { headers: challenge })
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
