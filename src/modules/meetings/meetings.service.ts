import { documentLink } from '../../schemas/common.ts'
import { randomUUID } from 'node:crypto'
import type { FastifyRequest } from 'fastify'
import type { Database } from '../../db/database.ts'
import { assertCountries } from '../../http/access.ts'
import { ApiError, badRequest } from '../../http/problems.ts'
import { describeConstraint } from '../../http/db-errors.ts'
import type { AttendanceStored, MeetingState } from './meetings.queries.ts'
import { assertReferences, each, one } from '../../db/references.queries.ts'
import { firstDayOf, lastDayOf, todayIn } from '../../domain/dates.ts'
import type { AgendaItemInputT, MeetingCreateT, MeetingPatchT } from './meetings.schemas.ts'
import type { AttendanceRowInputT } from './attendance.schemas.ts'

// The rules of a meeting, checked on the whole state a create or a merge patch would leave, so
// a PATCH that changes only `status` is checked against the dates already stored.

describeConstraint('meetings_period', '/body/endDate', 'must be on or after startDate')
describeConstraint('meetings_end_needs_start', '/body/startDate', 'is required when endDate is given')
describeConstraint('meetings_precision_start', '/body/startDate', 'is required when datePrecision is month or year')
describeConstraint('meetings_precision_end', '/body/endDate', 'is required when datePrecision is month or year')
describeConstraint(
  'meetings_month_start',
  '/body/startDate',
  'must be the first day of a month when datePrecision is month',
)
describeConstraint('meetings_month_end', '/body/endDate', 'must be the last day of a month when datePrecision is month')
describeConstraint('meetings_year_start', '/body/startDate', 'must be January 1 when datePrecision is year')
describeConstraint('meetings_year_end', '/body/endDate', 'must be December 31 when datePrecision is year')

const empty: Omit<MeetingState, 'kind' | 'title'> = {
  planId: null,
  sequence: null,
  status: 'planned',
  startDate: null,
  endDate: null,
  datePrecision: 'day',
  timeZone: null,
  venue: null,
  organizerIds: [],
  countries: [],
  activityIds: [],
  projectIds: [],
  agenda: [],
  documents: [],
  description: null,
}

/** Keeps the ids of agenda items the client sent back and gives new items one. */
export function agendaOf(items: AgendaItemInputT[], pointer: string) {
  const seen = new Set<string>()
  return items.map((item, i) => {
    if (item.id && seen.has(item.id)) throw badRequest(`${pointer}/${i}/id`, 'appears twice in the agenda')
    const id = item.id ?? randomUUID()
    seen.add(id)
    return { id, title: item.title, description: item.description ?? null }
  })
}

export function createState(input: MeetingCreateT): MeetingState {
  const { venue, agenda, documents, ...rest } = input
  return {
    ...empty,
    ...rest,
    venue: venueOf(null, venue),
    agenda: agendaOf(agenda ?? [], '/body/agenda'),
    documents: (documents ?? []).map(documentLink),
  }
}

/** RFC 7396 on the stored state: absent stays, null clears, the venue object merges. */
export function patchState(before: MeetingState, patch: MeetingPatchT): MeetingState {
  const { venue, agenda, documents, ...rest } = patch
  const defined = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined))
  return {
    ...before,
    ...defined,
    ...(venue !== undefined ? { venue: venueOf(before.venue, venue) } : {}),
    ...(agenda !== undefined ? { agenda: agendaOf(agenda, '/body/agenda') } : {}),
    ...(documents !== undefined ? { documents: documents.map(documentLink) } : {}),
  }
}

function venueOf(before: MeetingState['venue'], patch: MeetingCreateT['venue']): MeetingState['venue'] {
  if (patch === null || patch === undefined) return patch === null ? null : before
  const city = patch.city !== undefined ? patch.city : (before?.city ?? null)
  const country = patch.country !== undefined ? patch.country : (before?.country ?? null)
  return city === null && country === null ? null : { city, country }
}

export function isTimeZone(name: string) {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name })
    return true
  } catch {
    return false
  }
}

/** A key limited to countries may write only meetings of those countries. */
export function assertMeetingCountries(
  request: FastifyRequest,
  state: Pick<MeetingState, 'venue' | 'countries'>,
  pointer: string,
) {
  assertCountries(request, [state.venue?.country, ...state.countries], pointer)
}

/** 400 for a malformed time zone, 422 for a broken rule or an id that does not exist. */
export async function checkMeeting(db: Database, s: MeetingState) {
  if (s.timeZone !== null && !isTimeZone(s.timeZone))
    throw badRequest('/body/timeZone', 'must be an IANA time zone name, such as Asia/Bangkok')
  if (s.endDate && !s.startDate)
    throw new ApiError('rule-violation', 'A meeting with an end date needs a start date.', {
      errors: [{ pointer: '/body/startDate', detail: 'is required when endDate is given' }],
    })
  if (s.endDate && s.startDate && s.endDate < s.startDate) {
    throw new ApiError('rule-violation', `A meeting ends on or after its start day (${s.startDate}).`, {
      errors: [{ pointer: '/body/endDate', detail: 'must be on or after startDate' }],
    })
  }
  if (s.datePrecision !== 'day') checkPrecision(s.datePrecision, s.startDate, s.endDate)
  if (s.status === 'held' && s.startDate) {
    const today = todayIn(s.timeZone)
    if (s.startDate > today) {
      throw new ApiError(
        'rule-violation',
        `A meeting cannot be held before it starts: it starts on ${s.startDate}, and today is ${today}${s.timeZone ? ` in ${s.timeZone}` : ''}.`,
        {
          errors: [{ pointer: '/body/status', detail: 'cannot be held while startDate is in the future' }],
        },
      )
    }
  }
  await assertReferences(db, [
    ...one('plans', s.planId, '/body/planId'),
    ...one('countries', s.venue?.country, '/body/venue/country'),
    ...each('countries', s.countries, '/body/countries'),
    ...each('organizations', s.organizerIds, '/body/organizerIds'),
    ...each('activities', s.activityIds, '/body/activityIds'),
    ...each('projects', s.projectIds, '/body/projectIds'),
  ])
}

/**
 * A meeting known to the month or year spans whole months or years: from the first day of the
 * first to the last day of the last. The database checks the same (meetings_month_start …); this
 * says which day was meant.
 */
function checkPrecision(unit: 'month' | 'year', startDate: string | null, endDate: string | null) {
  const fail = (field: 'startDate' | 'endDate', detail: string) =>
    new ApiError(
      'rule-violation',
      `With datePrecision ${unit}, startDate and endDate are the first and the last day of the ${unit}s the meeting is known to fall in.`,
      { errors: [{ pointer: `/body/${field}`, detail }] },
    )
  if (!startDate)
    throw fail('startDate', `is required when datePrecision is ${unit}: the first day of the first ${unit}`)
  if (!endDate) throw fail('endDate', `is required when datePrecision is ${unit}: the last day of the last ${unit}`)
  const first = firstDayOf(startDate, unit)
  if (startDate !== first)
    throw fail('startDate', `must be the first day of a ${unit} when datePrecision is ${unit} (${first}?)`)
  const last = lastDayOf(endDate, unit)
  if (endDate !== last)
    throw fail('endDate', `must be the last day of a ${unit} when datePrecision is ${unit} (${last}?)`)
}

/** One row per country and organization kind, known countries, the key's countries; counts default to 0. */
export async function checkAttendance(
  request: FastifyRequest,
  db: Database,
  input: AttendanceRowInputT[],
): Promise<AttendanceStored[]> {
  const rows = input.map(({ country, organizationKind, female = 0, male = 0, unspecified = 0 }) => ({
    country,
    organizationKind,
    female,
    male,
    unspecified,
  }))
  const seen = new Map<string, number>()
  rows.forEach((r, i) => {
    const key = `${r.country}|${r.organizationKind}`
    const first = seen.get(key)
    if (first !== undefined)
      throw badRequest(
        `/body/rows/${i}`,
        `repeats country ${r.country ?? 'null'} and organization kind ${r.organizationKind} of /body/rows/${first}`,
      )
    seen.set(key, i)
  })
  assertCountries(
    request,
    rows.map((r) => r.country),
    '/body/rows',
    { allowNone: true },
  )
  await assertReferences(
    db,
    rows.flatMap((r, i) => one('countries', r.country, `/body/rows/${i}/country`)),
  )
  return rows
}
