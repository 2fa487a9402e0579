import { ApiError } from '../http/problems.ts'

// "Today" for rules about what has already happened. Without a place, the latest date anywhere:
// UTC+14, the first time zone to reach a new day, so a date reported from Kiribati is never
// refused as "future".

/** Today's date (YYYY-MM-DD) in an IANA time zone; without one, the latest date anywhere. */
export function todayIn(timeZone: string | null = null, now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: timeZone ?? 'Etc/GMT-14',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now)
}

/** The latest date that is not in the future anywhere. */
export const latestToday = (now = new Date()) => todayIn(null, now)

/** 422 when a date that records what happened (actualStart, actualEnd) lies in the future. */
export function assertNotFuture(values: Record<string, string | null | undefined>, prefix = '/body') {
  const today = latestToday()
  for (const [field, value] of Object.entries(values)) {
    if (value && value > today) {
      throw new ApiError('rule-violation', `${field} records what happened, so it cannot be in the future.`, {
        errors: [{ pointer: `${prefix}/${field}`, detail: `must not be after ${today}` }],
      })
    }
  }
}

/** The first day of the month or year a date (YYYY-MM-DD) falls in. */
export function firstDayOf(date: string, unit: 'month' | 'year'): string {
  return unit === 'month' ? `${date.slice(0, 7)}-01` : `${date.slice(0, 4)}-01-01`
}

/** The last day of the month or year a date (YYYY-MM-DD) falls in. */
export function lastDayOf(date: string, unit: 'month' | 'year'): string {
  if (unit === 'year') return `${date.slice(0, 4)}-12-31`
  // Day 0 of the next month is the last day of this one (UTC: no time zone shifts the day).
  const last = new Date(Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)), 0))
  return last.toISOString().slice(0, 10)
}
