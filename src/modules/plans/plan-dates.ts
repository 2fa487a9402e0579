import { firstDayOf, lastDayOf } from '../../domain/dates.ts'
import { ApiError } from '../../http/problems.ts'
import { invertedRange } from '../../schemas/range.ts'
import type { AdoptionInputT, AdoptionT, MilestoneInputT, MilestoneT } from './plans.schemas.ts'

// A plan's dates as known: the adoption and each milestone are a span (date … endDate) of days,
// months or a year, as meetings are (migrations/0006): "20 and 21 December 2001" is two days,
// "September 2005" the whole month, "2002" the year. A span given without endDate is one day (or
// one month, one year); without datePrecision it is known to the day.

type Precision = 'day' | 'month' | 'year'

function span(
  date: string | null | undefined,
  endDate: string | null | undefined,
  precision: Precision | null | undefined,
  pointer: string,
) {
  if (!date) {
    if (endDate) throw rule(`${pointer}/date`, 'is required when endDate is given')
    return { date: null, endDate: null, datePrecision: null }
  }
  const unit = precision ?? 'day'
  const end = endDate ?? (unit === 'day' ? date : lastDayOf(date, unit))
  if (end < date) throw rule(`${pointer}/endDate`, 'must be on or after date')
  if (unit !== 'day') {
    if (date !== firstDayOf(date, unit))
      throw rule(`${pointer}/date`, `must be the first day of a ${unit} when datePrecision is ${unit}`)
    if (end !== lastDayOf(end, unit))
      throw rule(`${pointer}/endDate`, `must be the last day of a ${unit} when datePrecision is ${unit}`)
  }
  return { date, endDate: end, datePrecision: unit }
}

function rule(
  pointer: string,
  detail: string,
  title = 'A date known to the month or year spans whole months or years: date is the first day, endDate the last.',
) {
  return new ApiError('rule-violation', title, { errors: [{ pointer, detail }] })
}

/** The adoption as stored, with its span filled in; null when nothing about it is known. */
export function adoptionOf(input: AdoptionInputT | null, pointer = '/body/adoption'): AdoptionT | null {
  if (!input) return null
  const out = {
    ...span(input.date, input.endDate, input.datePrecision, pointer),
    place: input.place ?? null,
    meeting: input.meeting ?? null,
  }
  return out.date === null && out.place === null && out.meeting === null ? null : out
}

/** Milestones as stored: every field present, spans filled in. */
export function milestonesOf(input: MilestoneInputT[], pointer = '/body/milestones'): MilestoneT[] {
  return input.map((m, i) => {
    const at = `${pointer}/${i}`
    const inverted = invertedRange({ participatingOrganizations: m.participatingOrganizations }, at)
    if (inverted) throw rule(inverted, 'must not be less than min', 'A range’s max is not less than its min.')
    return {
      kind: m.kind,
      ...span(m.date, m.endDate, m.datePrecision, at),
      place: m.place ?? null,
      meeting: m.meeting ?? null,
      description: m.description ?? null,
      participatingOrganizations: m.participatingOrganizations ?? null,
    }
  })
}

/**
 * A merge patch of the adoption on the stored one (RFC 7396, field by field). A new date sent
 * alone starts a new span: the old endDate and precision belonged to the old date.
 */
export function mergeAdoption(before: AdoptionT | null, patch: AdoptionInputT | null): AdoptionInputT | null {
  if (patch === null) return null
  const base: AdoptionInputT = before ?? {}
  const merged: AdoptionInputT = { ...base }
  for (const [k, v] of Object.entries(patch)) if (v !== undefined) (merged as Record<string, unknown>)[k] = v
  if (patch.date !== undefined && patch.endDate === undefined && patch.datePrecision === undefined) {
    merged.endDate = undefined
    merged.datePrecision = undefined
  }
  return merged
}
