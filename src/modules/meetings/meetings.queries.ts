import { sql, type Selectable } from 'kysely'
import type { Database } from '../../db/database.ts'
import type { MeetingTable } from '../../db/types.ts'
import { likePattern } from '../../db/text.ts'
import { keyset, type PageRequest, type SortTable } from '../../http/pagination.ts'
import type { AttendanceCountsT, AttendanceRowInputT, MeetingAttendanceT } from './attendance.schemas.ts'
import type { MeetingFilters, MeetingT } from './meetings.schemas.ts'
import { upsertRow } from '../../db/upsert.queries.ts'
import { inferredIs } from '../../db/provenance.queries.ts'
import { provenanceOf, type ProvenanceValue } from '../../schemas/provenance.ts'

export type MeetingRow = Selectable<MeetingTable>
export type AttendanceStored = Required<AttendanceRowInputT>

/** Everything a client can write about a meeting, with every default filled in. */
export type MeetingState = Omit<MeetingT, 'id' | 'createdAt' | 'updatedAt' | 'version' | 'attendance' | 'provenance'>

export const meetingSortTable: SortTable = {
  startDate: { column: 'meetings.start_sort', value: (r: MeetingRow) => r.startSort },
  title: { column: 'meetings.title', value: (r: MeetingRow) => r.title },
  createdAt: { column: 'meetings.created_at', value: (r: MeetingRow) => r.createdAt },
  updatedAt: { column: 'meetings.updated_at', value: (r: MeetingRow) => r.updatedAt },
}

export function attendanceTotals(rows: Pick<AttendanceStored, 'female' | 'male' | 'unspecified'>[]): AttendanceCountsT {
  const t = { female: 0, male: 0, unspecified: 0, total: 0 }
  for (const r of rows) {
    t.female += r.female
    t.male += r.male
    t.unspecified += r.unspecified
  }
  t.total = t.female + t.male + t.unspecified
  return t
}

/** The one mapping between the table and the API shape (field by field: exports write exactly these). */
export function toMeeting(row: MeetingRow): MeetingT {
  return {
    id: row.id,
    planId: row.planId,
    kind: row.kind as MeetingT['kind'],
    title: row.title,
    sequence: row.sequence,
    status: row.status as MeetingT['status'],
    startDate: row.startDate,
    endDate: row.endDate,
    datePrecision: row.datePrecision as MeetingT['datePrecision'],
    timeZone: row.timeZone,
    venue:
      row.venueCity === null && row.venueCountry === null ? null : { city: row.venueCity, country: row.venueCountry },
    organizerIds: row.organizerIds,
    countries: row.countries,
    activityIds: row.activityIds,
    projectIds: row.projectIds,
    agenda: row.agenda.map((i) => ({ id: i.id, title: i.title, description: i.description ?? null })),
    documents: row.documents as MeetingT['documents'],
    description: row.description,
    attendance: row.attendance.length ? attendanceTotals(row.attendance) : null,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    version: row.version,
    provenance: provenanceOf(row.provenance),
  }
}

/** The attendance sub-resource: the stored rows with their totals, by country and by organization kind. */
export function toAttendance(row: MeetingRow): MeetingAttendanceT {
  const rows = row.attendance as AttendanceStored[]
  const group = <K extends 'country' | 'organizationKind'>(key: K) => {
    const groups = new Map<AttendanceStored[K], AttendanceStored[]>()
    for (const r of rows) groups.set(r[key], [...(groups.get(r[key]) ?? []), r])
    return [...groups].map(
      ([value, members]) =>
        ({ [key]: value, ...attendanceTotals(members) }) as { [P in K]: AttendanceStored[K] } & ReturnType<
          typeof attendanceTotals
        >,
    )
  }
  return {
    meetingId: row.id,
    rows: rows.map((r) => ({ ...r, total: r.female + r.male + r.unspecified })),
    totals: attendanceTotals(rows),
    byCountry: group('country'),
    byOrganizationKind: group('organizationKind'),
    version: row.version,
  }
}

/** The state as it is read back: what a PATCH merges into. */
export function stateOf(meeting: MeetingT): MeetingState {
  const { id: _i, createdAt: _c, updatedAt: _u, version: _v, attendance: _a, provenance: _p, ...state } = meeting
  return state
}

function columns(s: MeetingState) {
  return {
    planId: s.planId,
    kind: s.kind,
    title: s.title,
    sequence: s.sequence,
    status: s.status,
    startDate: s.startDate,
    startSort: s.startDate ?? 'infinity',
    endDate: s.endDate,
    datePrecision: s.datePrecision,
    timeZone: s.timeZone,
    venueCity: s.venue?.city ?? null,
    venueCountry: s.venue?.country ?? null,
    countries: s.countries,
    organizerIds: s.organizerIds,
    activityIds: s.activityIds,
    projectIds: s.projectIds,
    agenda: JSON.stringify(s.agenda),
    documents: JSON.stringify(s.documents),
    description: s.description,
  }
}

function filtered(db: Database, f: MeetingFilters) {
  let q = db.selectFrom('meetings').selectAll('meetings')
  if (f.planId) q = q.where('meetings.planId', '=', f.planId)
  if (f.kind) q = q.where('meetings.kind', '=', f.kind)
  if (f.status) q = q.where('meetings.status', '=', f.status)
  if (f.country)
    q = q.where(
      sql<boolean>`(meetings.venue_country = ${f.country} or meetings.countries @> array[${f.country}]::text[])`,
    )
  if (f.activityId)
    q = q.where(
      'meetings.id',
      'in',
      db.selectFrom('meetingActivities').select('meetingId').where('activityId', '=', f.activityId),
    )
  if (f.projectId)
    q = q.where(
      'meetings.id',
      'in',
      db.selectFrom('meetingProjects').select('meetingId').where('projectId', '=', f.projectId),
    )
  // A period filter keeps the meetings whose [start, end] overlaps it; an undated meeting
  // overlaps nothing. A meeting known to the month or year spans it, so a day inside matches.
  if (f.from) q = q.where(sql<boolean>`coalesce(meetings.end_date, meetings.start_date) >= ${f.from}::date`)
  if (f.to) q = q.where(sql<boolean>`meetings.start_date <= ${f.to}::date`)
  if (f.updatedSince) q = q.where('meetings.updatedAt', '>=', f.updatedSince)
  if (f.inferred !== undefined) q = q.where(inferredIs('meetings', f.inferred))
  if (f.q)
    q = q.where(sql<boolean>`(meetings.title || ' ' || coalesce(meetings.sequence, '')) ilike ${likePattern(f.q)}`)
  return q
}

export function listMeetings(db: Database, filters: MeetingFilters, page: PageRequest) {
  return keyset(filtered(db, filters), page.sort, page.after, page.limit).execute()
}

/**
 * What the iCalendar feed holds: the matching meetings whose days are known (dated, to the day),
 * with the venue country's name. A span of months is no day a calendar can show a meeting on, and
 * an option (one of the alternatives a plan lists) is no event.
 */
function calendarRows(db: Database, filters: MeetingFilters) {
  return filtered(db, filters)
    .leftJoin('countries', 'countries.code', 'meetings.venueCountry')
    .where('meetings.startDate', 'is not', null)
    .where('meetings.datePrecision', '=', 'day')
    .where('meetings.status', '<>', 'option')
}

/** The meetings of the iCalendar feed, in date order; at most `max` + 1. */
export function listCalendarMeetings(db: Database, filters: MeetingFilters, max: number) {
  return calendarRows(db, filters)
    .select('countries.name as venueCountryName')
    .orderBy('meetings.startSort')
    .orderBy('meetings.id')
    .limit(max + 1)
    .execute()
}

/**
 * In one statement, how many meetings the feed holds and a digest of each one's id, version,
 * update time and venue country name: every write to a meeting bumps its version, a deletion
 * drops its id, and the same id created again has a new update time. So the digest changes
 * whenever the feed would.
 */
export function calendarDigest(db: Database, filters: MeetingFilters) {
  return calendarRows(db, filters)
    .clearSelect()
    .select([
      sql<number>`count(*)::int`.as('count'),
      sql<string>`md5(coalesce(string_agg(meetings.id || ':' || meetings.version || ':' || meetings.updated_at || ':' || coalesce(countries.name, ''), ',' order by meetings.id), ''))`.as(
        'digest',
      ),
    ])
    .executeTakeFirstOrThrow()
}

export function getMeeting(db: Database, id: string) {
  return db.selectFrom('meetings').selectAll().where('id', '=', id).executeTakeFirst()
}

export function lockMeeting(db: Database, id: string) {
  return db.selectFrom('meetings').selectAll().where('id', '=', id).forUpdate().executeTakeFirst()
}

export function insertMeeting(db: Database, state: MeetingState, provenance: ProvenanceValue, id?: string) {
  return db
    .insertInto('meetings')
    .values({ ...(id ? { id } : {}), ...columns(state), provenance: JSON.stringify(provenance) })
    .returningAll()
    .executeTakeFirstOrThrow()
}

/** Writes the whole state; the version trigger bumps only if something really changed. */
export function updateMeeting(db: Database, id: string, state: MeetingState) {
  return db.updateTable('meetings').set(columns(state)).where('id', '=', id).returningAll().executeTakeFirstOrThrow()
}

export function updateAttendance(db: Database, id: string, rows: AttendanceStored[]) {
  return db
    .updateTable('meetings')
    .set({ attendance: JSON.stringify(rows) })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow()
}

export function deleteMeeting(db: Database, id: string) {
  return db.deleteFrom('meetings').where('id', '=', id).execute()
}

type Links = Pick<MeetingState, 'organizerIds' | 'activityIds' | 'projectIds'>
const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x))

/**
 * Mirrors the id arrays into the link tables (foreign keys, filter indexes). Only the lists that
 * changed are rewritten: at most two statements per list. `before` is null for a new meeting
 * (nothing to delete) and undefined when unknown (everything is rewritten).
 */
export async function syncMeetingLinks(db: Database, id: string, before: Links | null | undefined, after: Links) {
  const lists = [
    ['meetingOrganizers', 'organizationId', before === null ? [] : before?.organizerIds, after.organizerIds],
    ['meetingActivities', 'activityId', before === null ? [] : before?.activityIds, after.activityIds],
    ['meetingProjects', 'projectId', before === null ? [] : before?.projectIds, after.projectIds],
  ] as const
  for (const [table, column, old, now] of lists) {
    if (old && sameSet(old, now)) continue
    if (old === undefined || old.length) await db.deleteFrom(table).where('meetingId', '=', id).execute()
    if (now.length)
      await db
        .insertInto(table)
        .values(now.map((target) => ({ meetingId: id, [column]: target }) as never))
        .execute()
  }
}

/** Seeding: inserts or updates by id, leaving an equal row (and recorded attendance) alone. */
export function upsertMeeting(db: Database, id: string, state: MeetingState, provenance: ProvenanceValue) {
  return upsertRow(db, 'meetings', { id, ...columns(state), provenance: JSON.stringify(provenance) })
}
