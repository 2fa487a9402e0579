import { comparePeriods } from '../../domain/periods.ts'

// Progress: actual against target, per period and country, rolled up by the indicator's
// aggregation. Pure functions over rows already loaded, so a plan's progress is three queries
// and arithmetic. The rules (they are repeated in the OpenAPI descriptions):
//
// - A country's actual for a period is its total (no sex); without a total, its values by sex
//   added (count, currency) or averaged (other units). Drafts count only when asked.
// - `latest` indicators carry a country's last value (and target) forward to later periods.
// - The regional figure of a period is the regional value (no country) when there is one, or
//   else the countries' figures combined: sum adds, mean averages, min/max, latest adds (averages
//   for percent and ratio).
// - Over periods: sum adds, mean averages, min/max, latest takes the last period's.
// - Percent of target: increase and maintain, actual ÷ target × 100. Decrease, with a baseline
//   above the target: (baseline − actual) ÷ (baseline − target) × 100, the share of the planned
//   reduction achieved; without one: 100 when actual ≤ target, else target ÷ actual × 100.
// - Status: no_data without an actual or a target; achieved at 100 % or more; on_track from 75 %;
//   at_risk from 50 %; off_track below.

export type Status = 'achieved' | 'on_track' | 'at_risk' | 'off_track' | 'no_data'

export interface Figure {
  actual: number | null
  target: number | null
  baseline: number | null
  percentOfTarget: number | null
  status: Status
}

export interface IndicatorSpec {
  unit: string
  direction: string
  aggregation: string
}
export interface TargetInput {
  period: string
  periodStart: string
  periodEnd: string
  country: string | null
  baseline: number | null
  target: number | null
}
export interface ValueInput {
  period: string
  periodStart: string
  periodEnd: string
  country: string | null
  sex: string | null
  value: number
}

export interface PeriodProgress extends Figure {
  period: string
  countries: ({ country: string } & Figure)[]
}
export interface Progress {
  periods: PeriodProgress[]
  overall: Figure & { countries: ({ country: string } & Figure)[] }
}

export const statusThresholds = { on_track: 75, at_risk: 50 } as const

const round = (n: number) => Math.round(n * 1e6) / 1e6
const additive = (unit: string) => unit === 'count' || unit === 'currency' || unit === 'boolean'
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0)
const mean = (xs: number[]) => sum(xs) / xs.length

/** Combines the figures of several countries of one period. */
export function acrossCountries(spec: IndicatorSpec, xs: number[]): number | null {
  if (xs.length === 0) return null
  switch (spec.aggregation) {
    case 'mean':
      return round(mean(xs))
    case 'min':
      return Math.min(...xs)
    case 'max':
      return Math.max(...xs)
    case 'latest':
      return round(additive(spec.unit) ? sum(xs) : mean(xs))
    default:
      return round(sum(xs))
  }
}

/** Combines the figures of several periods, in time order. */
export function overTime(spec: IndicatorSpec, xs: (number | null)[]): number | null {
  const known = xs.filter((x): x is number => x !== null)
  if (known.length === 0) return null
  switch (spec.aggregation) {
    case 'mean':
      return round(mean(known))
    case 'min':
      return Math.min(...known)
    case 'max':
      return Math.max(...known)
    case 'latest':
      return known[known.length - 1]!
    default:
      return round(sum(known))
  }
}

export function percentOf(spec: IndicatorSpec, actual: number, target: number, baseline: number | null): number {
  if (spec.direction === 'decrease') {
    if (baseline !== null && baseline > target) return ((baseline - actual) / (baseline - target)) * 100
    if (actual <= target) return 100
    return (target / actual) * 100
  }
  if (target === 0) return actual >= 0 ? 100 : 0
  return (actual / target) * 100
}

export function figure(
  spec: IndicatorSpec,
  actual: number | null,
  target: number | null,
  baseline: number | null,
): Figure {
  if (actual === null || target === null) return { actual, target, baseline, percentOfTarget: null, status: 'no_data' }
  const percent = Math.round(percentOf(spec, actual, target, baseline) * 10) / 10
  const status: Status =
    percent >= 100
      ? 'achieved'
      : percent >= statusThresholds.on_track
        ? 'on_track'
        : percent >= statusThresholds.at_risk
          ? 'at_risk'
          : 'off_track'
  return { actual, target, baseline, percentOfTarget: percent, status }
}

interface Slot {
  actual: number | null
  target: number | null
}

/**
 * The progress of one indicator over the periods whose last day is on or before `until` (all when
 * absent); `overall` combines the periods whose last day is on or after `since`.
 */
export function computeProgress(
  spec: IndicatorSpec,
  targets: TargetInput[],
  values: ValueInput[],
  window: { since?: string; until?: string } = {},
): Progress {
  const inRange = (p: { periodEnd: string }) => !window.until || p.periodEnd <= window.until
  const ts = targets.filter(inRange)
  const vs = values.filter(inRange)
  const periodsByName = new Map<string, { period: string; start: string; end: string }>()
  for (const r of [...ts, ...vs])
    periodsByName.set(r.period, { period: r.period, start: r.periodStart, end: r.periodEnd })
  const periods = [...periodsByName.values()].sort(comparePeriods)
  const countries = [...new Set([...ts, ...vs].map((r) => r.country).filter((c): c is string => c !== null))].sort()

  // Totals per (period, country); '' is regional.
  const totals = new Map<string, number>()
  const bySex = new Map<string, number[]>()
  for (const v of vs) {
    const key = `${v.period}|${v.country ?? ''}`
    if (v.sex === null) totals.set(key, v.value)
    else bySex.set(key, [...(bySex.get(key) ?? []), v.value])
  }
  for (const [key, xs] of bySex)
    if (!totals.has(key)) totals.set(key, round(spec.unit === 'count' || spec.unit === 'currency' ? sum(xs) : mean(xs)))
  const targetAt = new Map(
    ts.filter((t) => t.target !== null).map((t) => [`${t.period}|${t.country ?? ''}`, t.target!]),
  )
  const baselineOf = new Map<string, number>()
  for (const t of [...ts].sort(comparePeriodsOf))
    if (t.baseline !== null && !baselineOf.has(t.country ?? '')) baselineOf.set(t.country ?? '', t.baseline)

  const carry = spec.aggregation === 'latest'
  const last = new Map<string, Slot>()
  const slotOf = (period: string, who: string): Slot => {
    const key = `${period}|${who}`
    const prev = last.get(who) ?? { actual: null, target: null }
    const slot = {
      actual: totals.get(key) ?? (carry ? prev.actual : null),
      target: targetAt.get(key) ?? (carry ? prev.target : null),
    }
    last.set(who, slot)
    return slot
  }

  const countryBaseline = (c: string) => baselineOf.get(c) ?? null
  const regionalBaseline =
    baselineOf.get('') ??
    acrossCountries(
      spec,
      countries.flatMap((c) => (baselineOf.has(c) ? [baselineOf.get(c)!] : [])),
    )

  const out: PeriodProgress[] = []
  const perCountry = new Map<string, Slot[]>(countries.map((c) => [c, []]))
  const regional: Slot[] = []
  for (const p of periods) {
    const slots = countries.map((c) => ({ c, slot: slotOf(p.period, c) }))
    const own = slotOf(p.period, '')
    const actual =
      totals.get(`${p.period}|`) ??
      acrossCountries(
        spec,
        slots.flatMap(({ slot }) => (slot.actual !== null ? [slot.actual] : [])),
      ) ??
      own.actual
    const target =
      targetAt.get(`${p.period}|`) ??
      acrossCountries(
        spec,
        slots.flatMap(({ slot }) => (slot.target !== null ? [slot.target] : [])),
      ) ??
      own.target
    const inWindow = !window.since || p.end >= window.since
    if (inWindow) {
      regional.push({ actual, target })
      for (const { c, slot } of slots) perCountry.get(c)!.push(slot)
    }
    if (!inWindow) continue
    out.push({
      period: p.period,
      ...figure(spec, actual, target, regionalBaseline),
      countries: slots
        .filter(({ slot }) => slot.actual !== null || slot.target !== null)
        .map(({ c, slot }) => ({ country: c, ...figure(spec, slot.actual, slot.target, countryBaseline(c)) })),
    })
  }
  const combine = (slots: Slot[]) => ({
    actual: overTime(
      spec,
      slots.map((s) => s.actual),
    ),
    target: overTime(
      spec,
      slots.map((s) => s.target),
    ),
  })
  const all = combine(regional)
  return {
    periods: out,
    overall: {
      ...figure(spec, all.actual, all.target, regionalBaseline),
      countries: countries
        .map((c) => ({ c, f: combine(perCountry.get(c)!) }))
        .filter(({ f }) => f.actual !== null || f.target !== null)
        .map(({ c, f }) => ({ country: c, ...figure(spec, f.actual, f.target, countryBaseline(c)) })),
    },
  }
}

const comparePeriodsOf = (a: TargetInput, b: TargetInput) =>
  comparePeriods({ start: a.periodStart, end: a.periodEnd }, { start: b.periodStart, end: b.periodEnd })
