import type { Invocation } from '../sql-snapshots.samples.ts'
import { load } from '../sql-snapshots.sources.ts'
import type { PageRequest, SortTable } from '../../src/http/pagination.ts'

// Training courses, participants, seats and the summary (training.queries.ts).

const t = await load<typeof import('../../src/modules/training/training.queries.ts')>('training.queries.ts')
const { resolveSort, idKey } = await load<typeof import('../../src/http/pagination.ts')>('pagination.ts')

const PLAN = '11111111-1111-4111-8111-000000000001'
const ACTIVITY = '33333333-3333-4333-8333-000000000001'
const COURSE = '77777777-7777-4777-8777-000000000001'
const PARTICIPANT = '77777777-7777-4777-8777-000000000101'
const AT = '2026-11-22T09:30:00.000Z'
const PROVENANCE = { origin: 'api' as const, sources: [], inferred: [], doubtful: [], createdBy: null }

const page = (sorts: SortTable, sort: string, table: string, more: Partial<PageRequest> = {}): PageRequest => ({
  sort: resolveSort(sort, sorts, idKey(table)),
  after: undefined,
  limit: 50,
  binding: 'sql-snapshots',
  ...more,
})
const call = (args: string, run: Invocation['run']): Invocation => ({ call: args, run })

const course = {
  planId: PLAN,
  activityId: ACTIVITY,
  projectId: null,
  title: 'Sub-regional training course 2 of 6: Safe repatriation',
  topic: 'safe_repatriation' as const,
  level: 'basic' as const,
  scope: 'subregional' as const,
  status: 'planned' as const,
  providerId: null,
  venueCity: null,
  venueCountry: null,
  countries: ['KH', 'CN', 'LA', 'MM', 'TH', 'VN'],
  startDate: '2005-11-07',
  endDate: '2005-11-11',
  minDurationDays: 5,
  minParticipants: 20,
  maxParticipants: 30,
  quotas: [{ country: 'LA', seats: 5 }],
  trainers: [],
  materials: [],
  description: null,
}
const participant = {
  externalRef: 'tf-la-1',
  name: 'Participant name',
  sex: 'female' as const,
  country: 'LA',
  organizationId: null,
  occupationGroup: 'police' as const,
  contact: null,
  status: 'confirmed' as const,
  daysAttended: null,
  preScore: null,
  postScore: null,
}

export const samples: Record<string, Invocation[]> = {
  'training.queries.ts:listCourses': [
    call('{}, first page by startDate', (db) =>
      t.listCourses(db, {}, page(t.courseSortTable, 'startDate', 'training_courses')),
    ),
    call('every filter, next page by -title', (db) =>
      t.listCourses(
        db,
        {
          planId: PLAN,
          activityId: ACTIVITY,
          projectId: COURSE,
          topic: 'safe_repatriation',
          level: 'basic',
          scope: 'subregional',
          status: 'planned',
          country: 'LA',
          from: '2005-01-01',
          to: '2007-12-31',
          updatedSince: AT,
          q: 'repatriation',
        },
        page(t.courseSortTable, '-title', 'training_courses', { after: ['Safe', COURSE], limit: 20 }),
      ),
    ),
  ],
  'training.queries.ts:getCourse': [call('COURSE', (db) => t.getCourse(db, COURSE))],
  'training.queries.ts:lockCourseRow': [call('COURSE', (db) => t.lockCourseRow(db, COURSE))],
  'training.queries.ts:lockCourse': [call('COURSE', (db) => t.lockCourse(db, COURSE))],
  'training.queries.ts:insertCourse': [call('state', (db) => t.insertCourse(db, course, PROVENANCE).catch(() => {}))],
  'training.queries.ts:updateCourse': [
    call('COURSE, state', (db) => t.updateCourse(db, COURSE, course).catch(() => {})),
  ],
  'training.queries.ts:deleteCourse': [call('COURSE', (db) => t.deleteCourse(db, COURSE))],
  'training.queries.ts:upsertCourse': [call('COURSE, state', (db) => t.upsertCourse(db, COURSE, course, PROVENANCE))],
  'training.queries.ts:seatCounts': [call('COURSE', (db) => t.seatCounts(db, COURSE))],
  'training.queries.ts:waitlist': [call('COURSE', (db) => t.waitlist(db, COURSE))],
  'training.queries.ts:confirmWaitlisted': [call('PARTICIPANT', (db) => t.confirmWaitlisted(db, PARTICIPANT))],
  'training.queries.ts:listParticipants': [
    call('COURSE, {}, any country', (db) =>
      t.listParticipants(db, COURSE, {}, null, page(t.participantSortTable, 'createdAt', 'training_participants')),
    ),
    call('COURSE, every filter, a key limited to LA, next page by -updatedAt', (db) =>
      t.listParticipants(
        db,
        COURSE,
        { status: 'waitlisted', country: 'LA', updatedSince: AT },
        ['LA'],
        page(t.participantSortTable, '-updatedAt', 'training_participants', { after: [AT, PARTICIPANT], limit: 20 }),
      ),
    ),
  ],
  'training.queries.ts:getParticipant': [
    call('COURSE, PARTICIPANT, limited to LA', (db) => t.getParticipant(db, COURSE, PARTICIPANT, ['LA'])),
  ],
  'training.queries.ts:lockParticipant': [
    call('COURSE, PARTICIPANT', (db) => t.lockParticipant(db, COURSE, PARTICIPANT)),
  ],
  'training.queries.ts:participantsByRef': [
    call("COURSE, ['tf-la-1', 'tf-la-2']", (db) => t.participantsByRef(db, COURSE, ['tf-la-1', 'tf-la-2'])),
  ],
  'training.queries.ts:insertParticipant': [
    call('COURSE, state', (db) => t.insertParticipant(db, COURSE, participant, PROVENANCE).catch(() => {})),
  ],
  'training.queries.ts:updateParticipant': [
    call('PARTICIPANT, state, back of the waitlist', (db) =>
      t.updateParticipant(db, PARTICIPANT, { ...participant, status: 'waitlisted' }, true).catch(() => {}),
    ),
  ],
  'training.queries.ts:deleteParticipant': [call('PARTICIPANT', (db) => t.deleteParticipant(db, PARTICIPANT))],
  'training.queries.ts:deleteParticipantsOfCourse': [call('COURSE', (db) => t.deleteParticipantsOfCourse(db, COURSE))],
  'training.queries.ts:summaryCounts': [call('COURSE', (db) => t.summaryCounts(db, COURSE).catch(() => {}))],
}
