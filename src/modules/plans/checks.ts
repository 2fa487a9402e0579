import type { Database } from '../../db/database.ts'
import { ApiError } from '../../plugins/problems.ts'
import { unknownCountries } from '../countries/countries.queries.ts'

// Checks shared by the planning modules (plans, activities, projects).

/** 422 naming each unknown code by its index, e.g. /body/countries/1. */
export async function assertKnownCountries(db: Database, codes: string[] | undefined, pointer: string) {
  if (!codes || codes.length === 0) return
  const unknown = new Set(await unknownCountries(db, codes))
  if (unknown.size === 0) return
  const errors = codes.flatMap((c, i) => (unknown.has(c) ? [{ pointer: `${pointer}/${i}`, detail: `${c} is not an ISO 3166-1 country code we know` }] : []))
  throw new ApiError('invalid-reference', `${[...unknown].join(', ')} ${unknown.size > 1 ? 'are not countries' : 'is not a country'}.`, { errors })
}

/**
 * The latest date that is not in the future anywhere: today in UTC+14, the first time zone to
 * reach a new day. An actual date reported from Kiribati is never refused as "future".
 */
export function latestToday(now = new Date()): string {
  return new Date(now.getTime() + 14 * 3600_000).toISOString().slice(0, 10)
}

/** 422 when a date that records what happened (actualStart, actualEnd) lies in the future. */
export function assertNotFuture(values: Record<string, string | null | undefined>, prefix = '/body') {
  const today = latestToday()
  for (const [field, value] of Object.entries(values)) {
    if (value && value > today) {
      throw new ApiError('rule-violation', `${field} records what happened, so it cannot be in the future.`, { errors: [{ pointer: `${prefix}/${field}`, detail: `must not be after ${today}` }] })
    }
  }
}
