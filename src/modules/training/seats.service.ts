import type { Database } from '../../db/database.ts'
import type { Write } from '../../http/writes.ts'
import { ApiError } from '../../http/problems.ts'
import { seatHolding } from './participants.schemas.ts'
import { confirmWaitlisted, seatCounts, waitlist, type CourseRow } from './training.queries.ts'

// Seats. Every function here runs inside a transaction that holds the course's row lock
// (lockCourse): the counts it reads cannot change under it, so two requests can never both take
// the last seat. The rule, for a participant of country C:
//   - the course's confirmed (confirmed + attended + completed) stay ≤ maxParticipants;
//   - if C has a quota, C's confirmed stay ≤ its seats;
//   - if the course has quotas and C has none (or no country is recorded), such participants
//     share the seats no quota reserves: maxParticipants − the sum of the quotas.

export const holdsSeat = (status: string) => (seatHolding as readonly string[]).includes(status)

type Course = Pick<CourseRow, 'id' | 'maxParticipants' | 'quotas'>
export type Counts = Map<string | null, number>

function quotaOf(course: Course, country: string | null) {
  return country ? course.quotas.find((q) => q.country === country) : undefined
}

/** Seats left for a participant of `country`, given the counts. */
export function room(course: Course, counts: Counts, country: string | null): number {
  const total = [...counts.values()].reduce((a, b) => a + b, 0)
  const overall = course.maxParticipants - total
  if (course.quotas.length === 0) return overall
  const quota = quotaOf(course, country)
  if (quota) return Math.min(overall, quota.seats - (counts.get(country) ?? 0))
  const reserved = course.quotas.reduce((n, q) => n + q.seats, 0)
  const shared = [...counts].filter(([c]) => !quotaOf(course, c)).reduce((n, [, v]) => n + v, 0)
  return Math.min(overall, course.maxParticipants - reserved - shared)
}

/** Moves one seat in counts read under the lock (a batch keeps its own instead of counting per item). */
export function moveSeat(
  counts: Counts,
  from: { country: string | null; status: string } | null,
  to: { country: string | null; status: string },
) {
  if (from && holdsSeat(from.status)) counts.set(from.country, (counts.get(from.country) ?? 0) - 1)
  if (holdsSeat(to.status)) counts.set(to.country, (counts.get(to.country) ?? 0) + 1)
}

/** Whether a participant of `country` who holds no seat yet can be confirmed now. */
export async function hasRoom(db: Database, course: Course, country: string | null) {
  return room(course, await seatCounts(db, course.id), country) > 0
}

/**
 * After a write that took seats: 422 if the course now holds more than it may (a participant
 * confirmed beyond a quota by a PATCH, a course whose maxParticipants or quotas were lowered
 * below the seats already taken). The transaction then rolls back.
 */
export async function assertWithinCapacity(db: Database, course: Course, pointer: string) {
  assertCountsWithinCapacity(course, await seatCounts(db, course.id), pointer)
}

/** assertWithinCapacity on counts the caller already holds (a batch keeps them under the lock). */
export function assertCountsWithinCapacity(course: Course, counts: Counts, pointer: string) {
  const total = [...counts.values()].reduce((a, b) => a + b, 0)
  const fail = (detail: string, message: string) => {
    throw new ApiError('rule-violation', message, { errors: [{ pointer, detail }] })
  }
  if (total > course.maxParticipants)
    fail(
      `would make ${total} confirmed participants, more than maxParticipants (${course.maxParticipants})`,
      `The course has ${course.maxParticipants} seats and ${total} would be taken.`,
    )
  for (const q of course.quotas) {
    const n = counts.get(q.country) ?? 0
    if (n > q.seats)
      fail(
        `would make ${n} confirmed participants of ${q.country}, more than its quota (${q.seats})`,
        `${q.country} has a quota of ${q.seats} seats and ${n} would be taken.`,
      )
  }
  if (course.quotas.length) {
    const reserved = course.quotas.reduce((n, q) => n + q.seats, 0)
    const shared = [...counts].filter(([c]) => !quotaOf(course, c)).reduce((n, [, v]) => n + v, 0)
    if (shared > course.maxParticipants - reserved)
      fail(
        `would make ${shared} confirmed participants of countries without a quota, more than the ${course.maxParticipants - reserved} seats no quota reserves`,
        'Countries without a quota share the seats no quota reserves, and there are not enough.',
      )
  }
}

/**
 * Gives free seats to the waitlist, first come first served, skipping those whose country has
 * no room left; records each promotion in the change log (the field `status`, never a value).
 */
export async function promote(w: Write, course: Course): Promise<string[]> {
  const counts = await seatCounts(w.trx, course.id)
  const promoted: string[] = []
  if (room(course, counts, null) <= 0 && course.quotas.length === 0) return promoted
  for (const p of await waitlist(w.trx, course.id)) {
    if (room(course, counts, p.country) <= 0) continue
    const done = await confirmWaitlisted(w.trx, p.id)
    if (!done) continue
    counts.set(p.country, (counts.get(p.country) ?? 0) + 1)
    promoted.push(p.id)
    await w.record({
      resource: 'trainingParticipant',
      resourceId: p.id,
      operation: 'update',
      version: done.version,
      fields: ['status'],
    })
    const total = [...counts.values()].reduce((a, b) => a + b, 0)
    if (total >= course.maxParticipants) break
  }
  return promoted
}

const queues = new Map<string, Promise<unknown>>()

/**
 * Runs seat writes of one course one after another within this process. Correctness does not
 * rest on it (the row lock does that, across every node); it keeps requests that would only
 * wait for the lock off the connection pool: sixty enrolments into one course hold one
 * connection between them, not the whole pool, and other courses' requests are not starved.
 */
export function oneAtATime<T>(courseId: string, fn: () => Promise<T>): Promise<T> {
  const previous = queues.get(courseId) ?? Promise.resolve()
  const run = previous.then(fn, fn)
  const tail = run.catch(() => {})
  queues.set(courseId, tail)
  void tail.then(() => {
    if (queues.get(courseId) === tail) queues.delete(courseId)
  })
  return run
}
