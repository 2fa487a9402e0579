import { createHash } from 'node:crypto'
import type { FastifyRequest } from 'fastify'
import { ApiError } from './problems.ts'

// Who is calling and what they may do: the key format, the scopes, and the country rule. The
// auth plugin fills request.principal; handlers ask these functions.

export const scopes = [
  'read',
  'plans:write',
  'meetings:write',
  'training:write',
  'participants:read',
  'indicators:write',
  'admin',
] as const
export type Scope = (typeof scopes)[number]

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex')

/** Tokens look like apk_<12 hex prefix>_<secret>; the prefix finds the row, the hash proves it. */
export function parseToken(token: string): string | undefined {
  return /^apk_([0-9a-f]{12})_[A-Za-z0-9_-]{20,}$/.exec(token)?.[1]
}

export interface Principal {
  keyId: string
  organizationId: string | null
  scopes: ReadonlySet<string>
  countries: readonly string[] | null // null: any country
}

export function hasScope(principal: Principal | null, scope: Scope): boolean {
  return !!principal && (principal.scopes.has(scope) || principal.scopes.has('admin'))
}

/**
 * 403 unless a country-limited key may write a row of these countries. Such a key writes only
 * what belongs to its countries: a row with no country, or with any country beyond the key's,
 * is read-only to it. Callers check the row as it is and as it will be. `allowNone` is for
 * parts of a row the key already owns (attendance counts of unknown country at its meeting).
 */
export function assertCountries(
  request: FastifyRequest,
  countries: Iterable<string | null | undefined>,
  pointer: string,
  options: { allowNone?: boolean } = {},
) {
  const allowed = request.principal?.countries
  if (!allowed) return
  const list = [...countries].filter((c): c is string => !!c)
  const limited = `This API key is limited to ${allowed.join(', ')}`
  if (list.length === 0 && !options.allowNone) {
    throw new ApiError('forbidden', `${limited}; data that belongs to no country is read-only to it.`, {
      errors: [{ pointer, detail: 'belongs to no country, so a country-limited key may not write it' }],
    })
  }
  const outside = list.filter((c) => !allowed.includes(c))
  if (outside.length) {
    throw new ApiError('forbidden', `${limited}; it may not write data of ${[...new Set(outside)].join(', ')}.`, {
      errors: [{ pointer, detail: `country ${outside[0]} is outside this key's countries` }],
    })
  }
}
