import { sql, type Selectable } from 'kysely'
import { inferredIs } from '../../db/provenance.queries.ts'
import type { Database } from '../../db/database.ts'
import type { TrainingCourseTable, TrainingParticipantTable } from '../../db/types.ts'
import { likePattern } from '../../db/text.ts'
import { keyset, type PageRequest, type SortTable } from '../../http/pagination.ts'
import type { CourseFilters, TrainingCourseT } from './courses.schemas.ts'
import { seatHolding, type ParticipantFilters, type ParticipantT } from './participants.schemas.ts'

// Every SQL statement of the training module: courses, participants, seats and the summary.

export type CourseRow = Selectable<TrainingCourseTable> & { confirmed: number; waitlisted: number }
export type ParticipantRow = Selectable<TrainingParticipantTable>

/** Everything a client can write about a course, with every default filled in. */
export type CourseState = Omit<
  TrainingCourseT,
  'id' | 'seats' | 'warnings' | 'provenance' | 'createdAt' | 'updatedAt' | 'version'
>

/** Everything stored about a participant (personal fields included). */
export type ParticipantState = Required<
  Omit<ParticipantT, 'id' | 'courseId' | 'provenance' | 'createdAt' | 'updatedAt' | 'version'>
>

export const courseSortTable: SortTable = {
  startDate: { column: 'training_courses.start_sort', value: (r: CourseRow) => r.startSort },
  title: { column: 'training_courses.title', value: (r: CourseRow) => r.title },
  updatedAt: { column: 'training_courses.updated_at', value: (r: CourseRow) => r.updatedAt },
}

export const participantSortTable: SortTable = {
  createdAt: { column: 'training_participants.created_at', value: (r: ParticipantRow) => r.createdAt },
  updatedAt: { column: 'training_participants.updated_at', value: (r: ParticipantRow) => r.updatedAt },
}

const holding = sql.join(seatHolding.map((s) => sql.lit(s)))

function courses(db: Database) {
  return db
    .selectFrom('trainingCourses')
    .selectAll('trainingCourses')
    .select([
      sql<number>`(select count(*)::int from training_participants p where p.course_id = training_courses.id and p.status in (${holding}))`.as(
        'confirmed',
      ),
      sql<number>`(select count(*)::int from training_participants p where p.course_id = training_courses.id and p.status = 'waitlisted')`.as(
        'waitlisted',
      ),
    ])
}

export function listCourses(db: Database, f: CourseFilters, page: PageRequest) {
  let q = courses(db)
  if (f.planId) q = q.where('trainingCourses.planId', '=', f.planId)
  if (f.activityId)
    q = q.where(
      sql<boolean>`(training_courses.activity_id = ${f.activityId} or training_courses.project_id in (select project_id from project_activities where activity_id = ${f.activityId}))`,
    )
  if (f.projectId) q = q.where('trainingCourses.projectId', '=', f.projectId)
  if (f.topic) q = q.where('trainingCourses.topic', '=', f.topic)
  if (f.level) q = q.where('trainingCourses.level', '=', f.level)
  if (f.scope) q = q.where('trainingCourses.scope', '=', f.scope)
  if (f.status) q = q.where('trainingCourses.status', '=', f.status)
  if (f.country)
    q = q.where(
      sql<boolean>`(training_courses.venue_country = ${f.country} or training_courses.countries @> array[${f.country}]::text[])`,
    )
  if (f.from)
    q = q.where(sql<boolean>`coalesce(training_courses.end_date, training_courses.start_date) >= ${f.from}::date`)
  if (f.to) q = q.where(sql<boolean>`training_courses.start_date <= ${f.to}::date`)
  if (f.updatedSince) q = q.where('trainingCourses.updatedAt', '>=', f.updatedSince)
  if (f.inferred !== undefined) q = q.where(inferredIs('training_courses', f.inferred))
  if (f.q) q = q.where(sql<boolean>`training_courses.title ilike ${likePattern(f.q)}`)
  return keyset(q, page.sort, page.after, page.limit).execute() as Promise<CourseRow[]>
}

export function getCourse(db: Database, id: string) {
  return courses(db).where('trainingCourses.id', '=', id).executeTakeFirst() as Promise<CourseRow | undefined>
}

/**
 * Locks the course row for the rest of the transaction: every write that can take or free a
 * seat of the course takes this lock first, so they run one after another and each counts the
 * seats the previous one left. The counts are read after the lock is held.
 */
export function lockCourseRow(db: Database, id: string) {
  return db.selectFrom('trainingCourses').selectAll().where('id', '=', id).forUpdate().executeTakeFirst()
}

/** The locked course with its seat counts (for the course's own writes, which answer with it). */
export async function lockCourse(db: Database, id: string): Promise<CourseRow | undefined> {
  return (await lockCourseRow(db, id)) && getCourse(db, id)
}

function courseColumns(s: CourseState) {
  return {
    planId: s.planId,
    activityId: s.activityId,
    projectId: s.projectId,
    title: s.title,
    topic: s.topic,
    level: s.level,
    scope: s.scope,
    status: s.status,
    providerId: s.providerId,
    venueCity: s.venueCity,
    venueCountry: s.venueCountry,
    countries: s.countries,
    startDate: s.startDate,
    endDate: s.endDate,
    startSort: s.startDate ?? 'infinity',
    minDurationDays: s.minDurationDays,
    minParticipants: s.minParticipants,
    maxParticipants: s.maxParticipants,
    quotas: JSON.stringify(s.quotas),
    trainers: s.trainers,
    materials: JSON.stringify(s.materials),
    description: s.description,
  }
}

export async function insertCourse(db: Database, s: CourseState, provenance: unknown, id?: string) {
  const row = await db
    .insertInto('trainingCourses')
    .values({ ...(id ? { id } : {}), ...courseColumns(s), provenance: JSON.stringify(provenance) })
    .returning('id')
    .executeTakeFirstOrThrow()
  return (await getCourse(db, row.id))!
}

export async function updateCourse(db: Database, id: string, s: CourseState) {
  await db.updateTable('trainingCourses').set(courseColumns(s)).where('id', '=', id).execute()
  return (await getCourse(db, id))!
}

export function deleteCourse(db: Database, id: string) {
  return db.deleteFrom('trainingCourses').where('id', '=', id).execute()
}

/**
 * Seeding: inserts the course by id, or updates it only when a value differs; an equal row is
 * left alone (no version bump, nothing to record).
 */
export async function upsertCourse(db: Database, id: string, s: CourseState, provenance: unknown) {
  const values = { id, ...courseColumns(s), provenance: JSON.stringify(provenance) }
  const names = Object.keys(values).filter((c) => c !== 'id')
  const snake = (k: string) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)
  const mine = sql.join(names.map((c) => sql.ref(`training_courses.${snake(c)}`)))
  const theirs = sql.join(names.map((c) => sql.ref(`excluded.${snake(c)}`)))
  return db
    .insertInto('trainingCourses')
    .values(values)
    .onConflict((oc) =>
      oc
        .column('id')
        .doUpdateSet(Object.fromEntries(names.map((c) => [c, sql.ref(`excluded.${snake(c)}`)])) as never)
        .where(sql<boolean>`row(${mine}) is distinct from row(${theirs})`),
    )
    .returning(['id', 'version', sql<boolean>`xmax = 0`.as('inserted')])
    .executeTakeFirst()
}

/** Seats held under the lock: in all, and per country (null: participants of no recorded country). */
export async function seatCounts(db: Database, courseId: string) {
  const rows = await db
    .selectFrom('trainingParticipants')
    .select(['country', sql<number>`count(*)::int`.as('n')])
    .where('courseId', '=', courseId)
    .where('status', 'in', [...seatHolding])
    .groupBy('country')
    .execute()
  return new Map(rows.map((r) => [r.country, r.n]))
}

/** The waitlist in order: who asked for a seat first. */
export function waitlist(db: Database, courseId: string) {
  return db
    .selectFrom('trainingParticipants')
    .select(['id', 'country', 'version'])
    .where('courseId', '=', courseId)
    .where('status', '=', 'waitlisted')
    .orderBy('queuedAt')
    .orderBy('id')
    .execute()
}

/** Confirms one waitlisted participant (the promotion a freed seat gives). */
export function confirmWaitlisted(db: Database, id: string) {
  return db
    .updateTable('trainingParticipants')
    .set({ status: 'confirmed' })
    .where('id', '=', id)
    .where('status', '=', 'waitlisted')
    .returning(['id', 'version'])
    .executeTakeFirst()
}

function participants(db: Database, courseId: string, countries: readonly string[] | null) {
  let q = db.selectFrom('trainingParticipants').selectAll().where('courseId', '=', courseId)
  // A country-limited key reads only its countries' participants.
  if (countries) q = q.where('country', 'in', countries.length ? [...countries] : [''])
  return q
}

export function listParticipants(
  db: Database,
  courseId: string,
  f: ParticipantFilters,
  countries: readonly string[] | null,
  page: PageRequest,
) {
  let q = participants(db, courseId, countries)
  if (f.status) q = q.where('status', '=', f.status)
  if (f.country) q = q.where('country', '=', f.country)
  if (f.updatedSince) q = q.where('updatedAt', '>=', f.updatedSince)
  return keyset(q, page.sort, page.after, page.limit).execute()
}

export function getParticipant(db: Database, courseId: string, id: string, countries: readonly string[] | null) {
  return participants(db, courseId, countries).where('id', '=', id).executeTakeFirst()
}

export function lockParticipant(db: Database, courseId: string, id: string) {
  return participants(db, courseId, null).where('id', '=', id).forUpdate().executeTakeFirst()
}

/** The course's participants with these externalRefs (a batch's existing nominations). */
export function participantsByRef(db: Database, courseId: string, refs: string[]) {
  if (refs.length === 0) return Promise.resolve([] as ParticipantRow[])
  return participants(db, courseId, null).where('externalRef', 'in', refs).forUpdate().execute()
}

const participantColumns = (s: ParticipantState) => ({
  externalRef: s.externalRef,
  name: s.name,
  sex: s.sex,
  country: s.country,
  organizationId: s.organizationId,
  occupationGroup: s.occupationGroup,
  contact: s.contact,
  status: s.status,
  daysAttended: s.daysAttended,
  preScore: s.preScore,
  postScore: s.postScore,
})

export function insertParticipant(db: Database, courseId: string, s: ParticipantState, provenance: unknown) {
  return db
    .insertInto('trainingParticipants')
    .values({ courseId, ...participantColumns(s), provenance: JSON.stringify(provenance) })
    .returningAll()
    .executeTakeFirstOrThrow()
}

/** Writes the whole state; a participant asking for a seat again goes to the end of the waitlist. */
export function updateParticipant(db: Database, id: string, s: ParticipantState, requeue: boolean) {
  return db
    .updateTable('trainingParticipants')
    .set({ ...participantColumns(s), ...(requeue ? { queuedAt: sql<string>`clock_timestamp()` } : {}) })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow()
}

export function deleteParticipant(db: Database, id: string) {
  return db.deleteFrom('trainingParticipants').where('id', '=', id).execute()
}

/** Deletes a course's participants and says which (for the change log). */
export function deleteParticipantsOfCourse(db: Database, courseId: string) {
  return db.deleteFrom('trainingParticipants').where('courseId', '=', courseId).returning(['id', 'version']).execute()
}

/** The summary's raw counts: one row per (dimension, key), and the score sums, in one statement. */
export async function summaryCounts(db: Database, courseId: string) {
  const { rows } = await sql<{ dimension: string; key: string | null; n: number }>`
    select 'country' as dimension, country as key, count(*)::int as n from training_participants where course_id = ${courseId} group by country
    union all
    select 'sex', sex, count(*)::int from training_participants where course_id = ${courseId} group by sex
    union all
    select 'occupationGroup', occupation_group, count(*)::int from training_participants where course_id = ${courseId} group by occupation_group
    union all
    select 'status', status, count(*)::int from training_participants where course_id = ${courseId} group by status`.execute(
    db,
  )
  const scores = await db
    .selectFrom('trainingParticipants')
    .select([
      sql<number>`count(*)::int`.as('total'),
      sql<number>`count(pre_score)::int`.as('preCount'),
      sql<number | null>`avg(pre_score)::float8`.as('preMean'),
      sql<number>`count(post_score)::int`.as('postCount'),
      sql<number | null>`avg(post_score)::float8`.as('postMean'),
      sql<number>`count(post_score - pre_score)::int`.as('gainCount'),
      sql<number | null>`avg(post_score - pre_score)::float8`.as('gainMean'),
    ])
    .where('courseId', '=', courseId)
    .executeTakeFirstOrThrow()
  return { rows, scores }
}
