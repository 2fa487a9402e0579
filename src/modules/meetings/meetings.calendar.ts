import { createHash } from 'node:crypto'
import ical, { ICalEventStatus } from 'ical-generator'
import type { FastifyRequest } from 'fastify'
import { ApiError } from '../../http/problems.ts'
import type { MeetingRow } from './meetings.queries.ts'

// Meetings as an iCalendar (RFC 5545) feed that calendar apps subscribe to. Meetings are
// whole-day events: their dates are days where the meeting is, so they are written as DATE
// values (no time, no zone) and a calendar shows them on those days wherever it is.
//
// Meetings known only to the month or year are left out. An event says on which days something
// happens; one spanning January and February would show the seven roundtables of "January and
// February 2005" as seven two-month-long meetings, which is not what is known. The list and its
// exports carry them, with their datePrecision. Options (status `option`: alternatives a plan
// lists, such as the bilateral pairs PPC 2 names) are no events, dated or not: left out too.

/** The most meetings one feed holds; past it the caller narrows the filters. */
export const calendarLimit = 10_000

const statusOf: Record<string, ICalEventStatus> = {
  planned: ICalEventStatus.TENTATIVE,
  postponed: ICalEventStatus.TENTATIVE,
  confirmed: ICalEventStatus.CONFIRMED,
  held: ICalEventStatus.CONFIRMED,
  cancelled: ICalEventStatus.CANCELLED,
}

const day = (date: string) => new Date(`${date}T00:00:00Z`)
const nextDay = (date: string) => new Date(day(date).getTime() + 86_400_000)

export function meetingsCalendar(rows: (MeetingRow & { venueCountryName: string | null })[], baseUrl: string): string {
  const calendar = ical({
    name: 'Action Plan API: meetings',
    prodId: { company: 'Action Plan API', product: 'meetings', language: 'EN' },
  })
  for (const m of rows) {
    calendar.createEvent({
      id: `${m.id}@action-plan-api`,
      allDay: true,
      start: day(m.startDate!),
      // DTEND of a whole-day event is exclusive: the day after the last day.
      end: nextDay(m.endDate ?? m.startDate!),
      summary: m.sequence ? `${m.sequence}: ${m.title}` : m.title,
      location: [m.venueCity, m.venueCountryName].filter(Boolean).join(', ') || null,
      description: `${m.kind ? `${m.kind.replace(/_/g, ' ')}, ` : ''}${m.status}${m.timeZone ? ` (${m.timeZone})` : ''}`,
      status: statusOf[m.status] ?? null,
      url: `${baseUrl}/v1/meetings/${m.id}`,
      // Stamped with the meeting's own times so the same data always gives the same feed.
      stamp: m.updatedAt,
      created: m.createdAt,
      lastModified: m.updatedAt,
      sequence: m.version - 1,
    })
  }
  return calendar.toString()
}

/**
 * The feed's ETag: the filters (canonical: keys sorted) with the count and digest of the meetings
 * it holds (calendarDigest). Calendar apps poll a subscription; an unchanged feed is then a 304.
 */
export function calendarTag(filters: object, count: number, digest: string): string {
  const canonical = JSON.stringify(Object.entries(filters).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
  return createHash('sha256').update(`${canonical}|${count}|${digest}`).digest('base64url').slice(0, 27)
}

export function tooManyForCalendar() {
  return new ApiError(
    'validation-error',
    `More than ${calendarLimit} meetings match; narrow the filters (from, to, country, planId …).`,
    {
      errors: [{ pointer: '/query', detail: `matches more than ${calendarLimit} meetings` }],
    },
  )
}

export function baseUrlOf(request: FastifyRequest) {
  return `${request.protocol}://${request.host}`
}
