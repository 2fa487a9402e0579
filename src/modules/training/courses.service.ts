import type { FastifyRequest } from 'fastify'
import type { Database } from '../../db/database.ts'
import { assertCountries } from '../../http/access.ts'
import { ApiError, badRequest } from '../../http/problems.ts'
import { describeConstraint } from '../../http/db-errors.ts'
import { assertReferences, each, one } from '../../db/references.queries.ts'
import { documentLink } from '../../schemas/common.ts'
import { provenanceOf } from '../../schemas/provenance.ts'
import { latestToday } from '../../domain/dates.ts'
import {
  understaffedWindowDays,
  type CourseWarningT,
  type TrainingCourseCreateT,
  type TrainingCoursePatchT,
  type TrainingCourseT,
} from './courses.schemas.ts'
import type { CourseRow, CourseState } from './training.queries.ts'

// The rules of a course, checked on the whole state a create or a merge patch would leave, and
// the one mapping from a row to the representation (with its seats and warnings).

describeConstraint('training_courses_period', '/body/endDate', 'must be on or after startDate')
describeConstraint('training_courses_min_max', '/body/minParticipants', 'must not exceed maxParticipants')

const empty: Omit<CourseState, 'title' | 'topic'> = {
  planId: null,
  activityId: null,
  projectId: null,
  level: 'basic',
  scope: 'subregional',
  status: 'planned',
  providerId: null,
  venueCity: null,
  venueCountry: null,
  countries: [],
  startDate: null,
  endDate: null,
  minDurationDays: null,
  minParticipants: 20,
  maxParticipants: 30,
  quotas: [],
  trainers: [],
  materials: [],
  description: null,
}

export function createCourseState(input: TrainingCourseCreateT): CourseState {
  const { materials, ...rest } = input
  return { ...empty, ...rest, materials: (materials ?? []).map(documentLink) }
}

export function patchCourseState(before: CourseState, patch: TrainingCoursePatchT): CourseState {
  const { materials, ...rest } = patch
  const defined = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined))
  return { ...before, ...defined, ...(materials !== undefined ? { materials: materials.map(documentLink) } : {}) }
}

export function courseStateOf(c: TrainingCourseT): CourseState {
  const { id: _i, seats: _s, warnings: _w, provenance: _p, createdAt: _c, updatedAt: _u, version: _v, ...state } = c
  return state
}

/** A key limited to countries writes only courses of those countries (venue and participating). */
export function assertCourseCountries(
  request: FastifyRequest,
  s: Pick<CourseState, 'venueCountry' | 'countries'>,
  pointer: string,
) {
  assertCountries(request, [s.venueCountry, ...s.countries], pointer)
}

const dayMs = 86_400_000
const daysBetween = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / dayMs)

/** What to act on: shorter than the plan's minimum, or short of participants close to the start. */
export function courseWarnings(row: CourseRow, today = latestToday()): CourseWarningT[] {
  const warnings: CourseWarningT[] = []
  if (row.minDurationDays && row.startDate && row.endDate) {
    const days = daysBetween(row.startDate, row.endDate) + 1
    if (days < row.minDurationDays)
      warnings.push({
        code: 'shorter_than_minimum',
        detail: `The course lasts ${days} day${days === 1 ? '' : 's'}; its plan asks for at least ${row.minDurationDays}.`,
      })
  }
  const active = !['cancelled', 'completed'].includes(row.status)
  if (active && row.startDate && row.confirmed < row.minParticipants) {
    const untilStart = daysBetween(today, row.startDate)
    const over = row.endDate ?? row.startDate
    if (untilStart <= understaffedWindowDays && today <= over)
      warnings.push({
        code: 'below_minimum_participants',
        detail: `${row.confirmed} confirmed of the ${row.minParticipants} the course needs, ${untilStart > 0 ? `${untilStart} days before it starts` : 'and it has started'}.`,
      })
  }
  return warnings
}

/** The one mapping between the table and the API shape (field by field: exports write exactly these). */
export function toCourse(row: CourseRow): TrainingCourseT {
  return {
    id: row.id,
    planId: row.planId,
    activityId: row.activityId,
    projectId: row.projectId,
    title: row.title,
    topic: row.topic as TrainingCourseT['topic'],
    level: row.level as TrainingCourseT['level'],
    scope: row.scope as TrainingCourseT['scope'],
    status: row.status as TrainingCourseT['status'],
    providerId: row.providerId,
    venueCity: row.venueCity,
    venueCountry: row.venueCountry,
    countries: row.countries,
    startDate: row.startDate,
    endDate: row.endDate,
    minDurationDays: row.minDurationDays,
    minParticipants: row.minParticipants,
    maxParticipants: row.maxParticipants,
    quotas: row.quotas,
    trainers: row.trainers,
    materials: row.materials as TrainingCourseT['materials'],
    description: row.description,
    seats: {
      capacity: row.maxParticipants,
      confirmed: row.confirmed,
      waitlisted: row.waitlisted,
      free: Math.max(0, row.maxParticipants - row.confirmed),
    },
    warnings: courseWarnings(row),
    provenance: provenanceOf(row.provenance),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    version: row.version,
  }
}

/** 400 for repeated quota countries, 422 for a broken rule or an id that does not exist. */
export async function checkCourse(db: Database, s: CourseState) {
  const seen = new Set<string>()
  s.quotas.forEach((q, i) => {
    if (seen.has(q.country)) throw badRequest(`/body/quotas/${i}/country`, 'has a quota already')
    seen.add(q.country)
  })
  const rule = (pointer: string, detail: string, message: string) => {
    throw new ApiError('rule-violation', message, { errors: [{ pointer, detail }] })
  }
  if (s.endDate && s.startDate && s.endDate < s.startDate)
    rule('/body/endDate', 'must be on or after startDate', `A course ends on or after its start day (${s.startDate}).`)
  if (s.minParticipants > s.maxParticipants)
    rule(
      '/body/minParticipants',
      'must not exceed maxParticipants',
      `minParticipants (${s.minParticipants}) is more than maxParticipants (${s.maxParticipants}).`,
    )
  const reserved = s.quotas.reduce((n, q) => n + q.seats, 0)
  if (reserved > s.maxParticipants)
    rule(
      '/body/quotas',
      `reserve ${reserved} seats in all, more than maxParticipants (${s.maxParticipants})`,
      `The country quotas add up to ${reserved} seats; the course has ${s.maxParticipants}.`,
    )
  await assertReferences(db, [
    ...one('plans', s.planId, '/body/planId'),
    ...one('activities', s.activityId, '/body/activityId'),
    ...one('projects', s.projectId, '/body/projectId'),
    ...one('organizations', s.providerId, '/body/providerId'),
    ...one('countries', s.venueCountry, '/body/venueCountry'),
    ...each('countries', s.countries, '/body/countries'),
    ...each(
      'countries',
      s.quotas.map((q) => q.country),
      '/body/quotas',
    ),
  ])
}
