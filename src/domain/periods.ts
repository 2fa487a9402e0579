// Reporting periods as DHIS2 writes them: `2006` (a year), `2006S1`/`2006S2` (half
// years), `2006Q3` (quarters), `2006-07` (months). One parser for the whole service: what kind a
// period is, the first and last day it covers, and an order (by first day, then the longer first).

export const periodKinds = ['annual', 'six_monthly', 'quarterly', 'monthly'] as const
export type PeriodKind = (typeof periodKinds)[number]

/** The indicator frequencies: a period kind, or `once` (a value measured one time, any period). */
export const frequencies = ['six_monthly', 'annual', 'quarterly', 'monthly', 'once'] as const
export type Frequency = (typeof frequencies)[number]

export interface Period {
  period: string
  kind: PeriodKind
  /** First day, YYYY-MM-DD. */
  start: string
  /** Last day, YYYY-MM-DD. */
  end: string
}

/** The pattern of a period string (JSON Schema); parsePeriod also rejects year 0000. */
export const periodPattern = '^[0-9]{4}(S[12]|Q[1-4]|-(0[1-9]|1[0-2]))?$'
const shape = /^([0-9]{4})(?:S([12])|Q([1-4])|-(0[1-9]|1[0-2]))?$/

const pad = (n: number, width = 2) => String(n).padStart(width, '0')
const lastDay = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate()
const range = (year: number, firstMonth: number, months: number) => {
  const lastMonth = firstMonth + months - 1
  return {
    start: `${pad(year, 4)}-${pad(firstMonth)}-01`,
    end: `${pad(year, 4)}-${pad(lastMonth)}-${pad(lastDay(year, lastMonth))}`,
  }
}

/** The period a string names, or undefined when it names none. */
export function parsePeriod(text: string): Period | undefined {
  const m = shape.exec(text)
  if (!m) return undefined
  const year = Number(m[1])
  if (year < 1) return undefined
  if (m[2]) return { period: text, kind: 'six_monthly', ...range(year, m[2] === '1' ? 1 : 7, 6) }
  if (m[3]) return { period: text, kind: 'quarterly', ...range(year, (Number(m[3]) - 1) * 3 + 1, 3) }
  if (m[4]) return { period: text, kind: 'monthly', ...range(year, Number(m[4]), 1) }
  return { period: text, kind: 'annual', ...range(year, 1, 12) }
}

/** Whether a period of this kind is what an indicator of this frequency reports. */
export const fitsFrequency = (kind: PeriodKind, frequency: Frequency) => frequency === 'once' || kind === frequency

const frequencyWords: Record<Frequency, string> = {
  six_monthly: 'a half year such as 2006S1',
  annual: 'a year such as 2006',
  quarterly: 'a quarter such as 2006Q3',
  monthly: 'a month such as 2006-07',
  once: 'any period',
}

/** Why a period string does not do for an indicator of this frequency, or undefined when it does. */
export function periodError(text: string, frequency: Frequency): string | undefined {
  const p = parsePeriod(text)
  if (!p) return 'must be a period: 2006, 2006S1, 2006Q3 or 2006-07'
  if (!fitsFrequency(p.kind, frequency))
    return `is a ${p.kind.replace('_', '-')} period; this indicator is ${frequency.replace('_', '-')}: send ${frequencyWords[frequency]}`
  return undefined
}

/** Periods in time order: by first day, then the longer first (2006 before 2006S1 before 2006Q1). */
export function comparePeriods(a: Pick<Period, 'start' | 'end'>, b: Pick<Period, 'start' | 'end'>): number {
  if (a.start !== b.start) return a.start < b.start ? -1 : 1
  if (a.end !== b.end) return a.end > b.end ? -1 : 1
  return 0
}

/** Whether two periods share at least one day. */
export const overlaps = (a: Pick<Period, 'start' | 'end'>, b: Pick<Period, 'start' | 'end'>) =>
  a.start <= b.end && b.start <= a.end
