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
}

const challenge = { 'www-authenticate': 'Bearer realm="action-plan-api"' }

export function hasScope(principal: Principal | null, scope: Scope): boolean {
  return !!principal && (principal.scopes.has(scope) || principal.scopes.has('admin'))
}

/** 403 unless the key may act on every one of these countries (country-limited keys). */
export function assertCountries(request: FastifyRequest, countries: Iterable<string | null | undefined>, pointer: string) {
  const allowed = request.principal?.countries
  if (!allowed) return
  for (const c of countries) {
    if (c && !allowed.includes(c)) {
      throw new ApiError('forbidden', `This API key is limited to ${allowed.join(', ')}; it may not write data of ${c}.`, { errors: [{ pointer, detail: `country ${c} is outside this key's countries` }] })
    }
  }
}

async function auth(app: FastifyInstance, opts: AuthOptions) {
  // Verified keys are kept briefly so a busy client costs one lookup per TTL, not per request.
  // Revocation through this node clears the entry at once; other nodes see it within the TTL.
  const ttl = opts.cacheTtlMs ?? 10_000
  const cache = new Map<string, { principal: Principal | null; hash: string; expires: number }>()

  app.decorateRequest('principal', null)
  app.decorate('forgetApiKey', (prefix: string) => void cache.delete(prefix))

  app.addHook('onRoute', (route) => {
    const url = route.url
    if (!route.config?.scope && url.startsWith('/v1') && !url.startsWith('/v1/openapi')) {
      throw new Error(`route ${route.method} ${url} declares no config.scope`)
    }
  })

  async function authenticate(header: string): Promise<Principal> {
    const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1]
    const prefix = token && parseToken(token)
    if (!token || !prefix) throw new ApiError('unauthorized', 'The Authorization header must be "Bearer <api key>".', { headers: challenge })
    const hash = hashToken(token)
    const now = Date.now()
    let entry = cache.get(prefix)
    if (!entry || entry.expires < now) {
      const row = await findApiKeyByPrefix(app.db, prefix)
      const principal = row && !row.revokedAt ? { keyId: row.id, organizationId: row.organizationId, scopes: new Set(row.scopes), countries: row.countries } : null
      entry = { principal, hash: row?.secretHash ?? '', expires: now + ttl }
      if (cache.size > 10_000) cache.clear()
      cache.set(prefix, entry)
    }
    const a = Buffer.from(entry.hash, 'hex')
    const b = Buffer.from(hash, 'hex')
    if (!entry.principal || a.length !== b.length || !timingSafeEqual(a, b)) {
      throw new ApiError('unauthorized', 'The API key is not valid or has been revoked.', { headers: challenge })
    }
    return entry.principal
  }

  app.addHook('onRequest', async (request) => {
    const header = request.headers.authorization
    if (header) request.principal = await authenticate(header)
    const scope = request.routeOptions.config?.scope
    if (!scope || scope === 'public') return
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
