import type { FastifyRequest } from 'fastify'
import { assertCountries } from '../../http/access.ts'
import { ApiError } from '../../http/problems.ts'
import type { apiKeyColumns } from './api-keys.queries.ts'
import type { Selectable } from 'kysely'
import type { ApiKeyTable } from '../../db/types.ts'

// Rules of key management: no key may grant more than its creator holds, and a country-limited
// admin manages only keys within its countries (a key of any country is beyond it).

type Row = Pick<Selectable<ApiKeyTable>, (typeof apiKeyColumns)[number]>

export function assertNoEscalation(request: FastifyRequest, wanted: { scopes: string[]; countries: string[] | null }) {
  const caller = request.principal
  if (!caller) return
  const missing = wanted.scopes.filter((s) => !caller.scopes.has(s) && !caller.scopes.has('admin'))
  if (missing.length)
    throw new ApiError('forbidden', `This API key cannot grant scopes it does not hold: ${missing.join(', ')}.`, {
      errors: [{ pointer: '/body/scopes', detail: `${missing[0]} is beyond this key's scopes` }],
    })
  if (caller.countries && wanted.countries === null)
    throw new ApiError(
      'forbidden',
      `This API key is limited to ${caller.countries.join(', ')}; it may not create a key for every country.`,
      { errors: [{ pointer: '/body/countries', detail: 'must list countries within this key’s countries' }] },
    )
  assertCountries(request, wanted.countries ?? [], '/body/countries')
}

/** A key of any country (countries null) is beyond every country-limited key. */
export const assertKeyCountries = (request: FastifyRequest, row: { countries: string[] | null }, pointer: string) =>
  assertCountries(request, row.countries ?? [], pointer)

export function toApiKey(row: Row) {
  const { previousExpiresAt, ...rest } = row
  const overlap = previousExpiresAt && Date.parse(previousExpiresAt) > Date.now() ? previousExpiresAt : null
  return { ...rest, scopes: rest.scopes as never, previousSecretExpiresAt: overlap }
}
