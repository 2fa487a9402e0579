import ical, { ICalEventStatus } from 'ical-generator'
import type { FastifyRequest } from 'fastify'
import { ApiError } from '../../plugins/problems.ts'
import type { MeetingRow } from './meetings.queries.ts'

// Meetings as an iCalendar (RFC 5545) feed that calendar apps subscribe to. Meetings are
// whole-day events: their dates are days where the meeting is, so they are written as DATE
// values (no time, no zone) and a calendar shows them on those days wherever it is.

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
  const calendar = ical({ name: 'Action Plan API: meetings', prodId: { company: 'Action Plan API', product: 'meetings', language: 'EN' } })
  for (const m of rows) {
    calendar.createEvent({
      id: `${m.id}@action-plan-api`,
      allDay: true,
      start: day(m.startDate!),
      // DTEND of a whole-day event is exclusive: the day after the last day.
      end: nextDay(m.endDate ?? m.startDate!),
      summary: m.sequence ? `${m.sequence}: ${m.title}` : m.title,
      location: [m.venueCity, m.venueCountryName].filter(Boolean).join(', ') || null,
      description: `${m.kind.replace(/_/g, ' ')}, ${m.status}${m.timeZone ? ` (${m.timeZone})` : ''}`,
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

export function tooManyForCalendar() {
  return new ApiError('validation-error', `More than ${calendarLimit} meetings match; narrow the filters (from, to, country, planId …).`, {
    errors: [{ pointer: '/query', detail: `matches more than ${calendarLimit} meetings` }],
  })
}

// What the meetings list offers: the page (or an NDJSON/CSV export, which listPage chooses
// among), or the calendar.
const offers = ['application/json', 'application/x-ndjson', 'text/csv', 'text/calendar'] as const
export type Offer = (typeof offers)[number]

/** Picks the representation the Accept header prefers (RFC 9110 §12.5.1); JSON when it is absent or tied. */
export function negotiate(request: FastifyRequest): Offer {
  const header = request.headers.accept
  if (!header) return 'application/json'
  const ranges = header.split(',').map((part) => {
    const [type = '', ...params] = part.trim().toLowerCase().split(';')
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='))
    return { type: type.trim(), q: q ? Number(q.slice(2)) : 1 }
  })
  const quality = (offer: string) => {
    const [major] = offer.split('/')
    const match = ranges.find((r) => r.type === offer) ?? ranges.find((r) => r.type === `${major}/*`) ?? ranges.find((r) => r.type === '*/*')
    return match && Number.isFinite(match.q) ? match.q : 0
  }
  let best: Offer | undefined
  let bestQ = 0
  for (const offer of offers) {
    const q = quality(offer)
    if (q > bestQ) [best, bestQ] = [offer, q]
  }
  if (!best) throw new ApiError('not-acceptable', `This list is available as ${offers.join(', ')}.`)
  return best
}

export function baseUrlOf(request: FastifyRequest) {
  return `${request.protocol}://${request.host}`
}
