import { documentLink } from '../../schemas/common.ts'
import { randomUUID } from 'node:crypto'
import type { FastifyRequest } from 'fastify'
import type { Database } from '../../db/database.ts'
import { assertCountries } from '../../plugins/auth.ts'
import { ApiError, badRequest, type FieldError } from '../../plugins/problems.ts'
import { describeConstraint } from '../../plugins/db-errors.ts'
import { missingReferences, type AttendanceStored, type MeetingState } from './meetings.queries.ts'
import type { AgendaItemInputT, MeetingCreateT, MeetingPatchT } from './meetings.schemas.ts'
import type { AttendanceRowInputT } from './attendance.schemas.ts'

// The rules of a meeting, checked on the whole state a create or a merge patch would leave, so
// a PATCH that changes only `status` is checked against the dates already stored.

describeConstraint('meetings_period', '/body/endDate', 'must be on or after startDate')
describeConstraint('meetings_end_needs_start', '/body/startDate', 'is required when endDate is given')

const empty: Omit<MeetingState, 'kind' | 'title'> = {
  planId: null,
  sequence: null,
  status: 'planned',
  startDate: null,
  endDate: null,
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
  return { ...empty, ...rest, venue: venueOf(null, venue), agenda: agendaOf(agenda ?? [], '/body/agenda'), documents: (documents ?? []).map(documentLink) }
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

/** Today's date where the meeting is; without a time zone, the latest date anywhere (UTC+14). */
export function todayIn(timeZone: string | null, now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: timeZone ?? 'Etc/GMT-14', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now)
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
export function assertMeetingCountries(request: FastifyRequest, state: Pick<MeetingState, 'venue' | 'countries'>, pointer: string) {
  assertCountries(request, [state.venue?.country, ...state.countries], pointer)
}

/** 400 for a malformed time zone, 422 for a broken rule or an id that does not exist. */
export async function checkMeeting(db: Database, s: MeetingState) {
  if (s.timeZone !== null && !isTimeZone(s.timeZone)) throw badRequest('/body/timeZone', 'must be an IANA time zone name, such as Asia/Bangkok')
  if (s.endDate && !s.startDate) throw new ApiError('rule-violation', 'A meeting with an end date needs a start date.', { errors: [{ pointer: '/body/startDate', detail: 'is required when endDate is given' }] })
  if (s.endDate && s.startDate && s.endDate < s.startDate) {
    throw new ApiError('rule-violation', `A meeting ends on or after its start day (${s.startDate}).`, { errors: [{ pointer: '/body/endDate', detail: 'must be on or after startDate' }] })
  }
  if (s.status === 'held' && s.startDate) {
    const today = todayIn(s.timeZone)
    if (s.startDate > today) {
      throw new ApiError('rule-violation', `A meeting cannot be held before it starts: it starts on ${s.startDate}, and today is ${today}${s.timeZone ? ` in ${s.timeZone}` : ''}.`, {
        errors: [{ pointer: '/body/status', detail: 'cannot be held while startDate is in the future' }],
      })
    }
  }
  const countries = [...new Set([...(s.venue?.country ? [s.venue.country] : []), ...s.countries])]
  const missing = await missingReferences(db, {
    plans: s.planId ? [s.planId] : [],
    organizations: s.organizerIds,
    activities: s.activityIds,
    projects: s.projectIds,
    countries,
  })
  const errors: FieldError[] = []
  if (s.planId && missing.plans.has(s.planId)) errors.push({ pointer: '/body/planId', detail: 'no such plan' })
  if (s.venue?.country && missing.countries.has(s.venue.country)) errors.push({ pointer: '/body/venue/country', detail: `${s.venue.country} is not a country we know` })
  const each = (list: string[], set: Set<string>, field: string, what: string) =>
    list.forEach((id, i) => set.has(id) && errors.push({ pointer: `/body/${field}/${i}`, detail: `no such ${what}` }))
  each(s.countries, missing.countries, 'countries', 'country')
  each(s.organizerIds, missing.organizations, 'organizerIds', 'organization')
  each(s.activityIds, missing.activities, 'activityIds', 'activity')
  each(s.projectIds, missing.projects, 'projectIds', 'project')
  if (errors.length) throw new ApiError('invalid-reference', `${errors.length === 1 ? 'A reference does' : `${errors.length} references do`} not exist.`, { errors })
}

/** One row per country and organization kind, known countries, the key's countries; counts default to 0. */
export async function checkAttendance(request: FastifyRequest, db: Database, input: AttendanceRowInputT[]): Promise<AttendanceStored[]> {
  const rows = input.map(({ country, organizationKind, female = 0, male = 0, unspecified = 0 }) => ({ country, organizationKind, female, male, unspecified }))
  const seen = new Map<string, number>()
  rows.forEach((r, i) => {
    const key = `${r.country}|${r.organizationKind}`
    const first = seen.get(key)
    if (first !== undefined) throw badRequest(`/body/rows/${i}`, `repeats country ${r.country ?? 'null'} and organization kind ${r.organizationKind} of /body/rows/${first}`)
    seen.set(key, i)
  })
  assertCountries(request, rows.map((r) => r.country), '/body/rows', { allowNone: true })
  const unknown = (await missingReferences(db, { countries: rows.flatMap((r) => (r.country ? [r.country] : [])) })).countries
  if (unknown.size) {
    const errors = rows.flatMap((r, i) => (r.country && unknown.has(r.country) ? [{ pointer: `/body/rows/${i}/country`, detail: `${r.country} is not a country we know` }] : []))
    throw new ApiError('invalid-reference', `${[...unknown].join(', ')} ${unknown.size > 1 ? 'are not countries' : 'is not a country'}.`, { errors })
  }
  return rows
}
