import { sql } from 'kysely'
import { idKey, resolveSort, type PageRequest } from '../../src/http/pagination.ts'
import {
  courseSortTable,
  insertParticipant,
  listCourses,
  lockCourseRow,
  seatCounts,
  type CourseRow,
} from '../../src/modules/training/training.queries.ts'
import { insertChanges } from '../../src/http/writes.queries.ts'
import { apiProvenance } from '../../src/schemas/provenance.ts'
import { captureSql, toScript, traceQuery } from '../sql.ts'
import { benchDatabaseUrl } from '../settings.ts'
import type { BenchModule, Scenario } from '../types.ts'

// Training: 5 000 courses (the course list, by start date, filtered by country), and enrolment
// under contention: every client enrols into the same course, so every request waits for the
// course's row lock — the rate is confirmed enrolments per second on one course. The issue asks
// for 60 clients: run with BENCH_CONNECTIONS=60 (connections are one setting for the whole run;
// pgbench then runs its script with 60 clients too). Beside it, pgbench runs the enrolment's
// statements in one transaction: lock the course, count its seats, insert, append the change.

const limit = 50
const size = { courses: 5000 }

const uuidOf = (key: ReturnType<typeof sql>) =>
  sql`overlay(overlay(md5(${key}) placing '4' from 13) placing '8' from 17)::uuid`
const planId = uuidOf(sql`'bench-training-plan'`)
const contendedId = uuidOf(sql`'bench-training-contended'`)
const courseId = (n: ReturnType<typeof sql>) => uuidOf(sql`'bench-training-course-' || ${n}`)

const topics = `array['human_rights', 'safe_repatriation', 'recovery_reintegration', 'prevention', 'research_evaluation', 'monitoring_evaluation', 'structural_vulnerability', 'justice_legal', 'law_enforcement', 'other']`

let enrolment = 0
const countries = ['KH', 'CN', 'LA', 'MM', 'TH', 'VN']

const training: BenchModule = {
  name: 'training',
  async load(db) {
    await sql`insert into plans (id, code, title, status, countries) values (${planId}, 'BENCH-TRAINING', 'A plan of 5 000 courses', 'active', '{KH,CN,LA,MM,TH,VN}')`.execute(
      db,
    )
    await sql`insert into training_courses (id, plan_id, title, topic, level, scope, status, start_date, end_date, start_sort, countries, min_duration_days)
      select ${courseId(sql`i`)}, ${planId}, 'Sub-regional training course ' || i || ' on victim identification and protection',
        (${sql.raw(topics)})[1 + i % 10], (array['basic', 'advanced'])[1 + i % 2], (array['subregional', 'bilateral', 'national'])[1 + i % 3],
        'planned', date '2005-01-01' + (i % 7000), date '2005-01-01' + (i % 7000) + 4, date '2005-01-01' + (i % 7000),
        (array['{KH}', '{LA}', '{KH,TH}', '{MM,VN}', '{CN}', '{KH,LA,TH}'])[1 + i % 6]::text[], 5
      from generate_series(1, ${size.courses}::int) i`.execute(db)
    // 20 participants in each of the first 1 000 courses, so the list's seat counts count something.
    await sql`insert into training_participants (course_id, name, sex, country, occupation_group, status)
      select ${courseId(sql`(1 + i / 20)`)}, 'Bench participant ' || i, (array['female', 'male'])[1 + i % 2],
        (array['KH', 'CN', 'LA', 'MM', 'TH', 'VN'])[1 + i % 6], 'police', case when i % 10 = 0 then 'waitlisted' else 'confirmed' end
      from generate_series(0, 19999) i`.execute(db)
    // The contended course: room for every enrolment a run makes.
    await sql`insert into training_courses (id, plan_id, title, topic, start_sort, min_participants, max_participants)
      values (${contendedId}, ${planId}, 'The course every bench client enrols into', 'other', 'infinity', 0, 10000)`.execute(
      db,
    )
  },

  async scenarios({ db, api }) {
    const { contended } = (await sql<{ contended: string }>`select ${contendedId} as contended`.execute(db)).rows[0]!
    const listPath = `/v1/training-courses?country=KH&limit=${limit}`
    const apiPage = (await api(listPath)) as { data: { id: string }[] }
    const sort = resolveSort('startDate', courseSortTable, idKey('training_courses'))
    const pageRequest: PageRequest = { sort, after: undefined, limit, binding: '' }
    const { result, sql: listSql } = await traceQuery<CourseRow[]>(benchDatabaseUrl, (d) =>
      listCourses(d, { country: 'KH' }, pageRequest),
    )
    if (
      result
        .slice(0, limit)
        .map((r) => r.id)
        .join() !== apiPage.data.map((r) => r.id).join() ||
      apiPage.data.length === 0
    )
      throw new Error('training list: the captured SQL returns other rows than the API did')

    // The enrolment's statements, as the API runs them (participants.routes.ts): one transaction.
    const statements = await captureSql(async (d) => {
      await lockCourseRow(d, contended)
      await seatCounts(d, contended)
      await insertParticipant(
        d,
        contended,
        {
          externalRef: null,
          name: 'Bench enrolment',
          sex: 'female',
          country: 'LA',
          organizationId: null,
          occupationGroup: 'police',
          contact: null,
          status: 'confirmed',
          daysAttended: null,
          preScore: null,
          postScore: null,
        },
        apiProvenance(null),
      ).catch(() => {})
      await insertChanges(d, null, [
        {
          resource: 'trainingParticipant',
          resourceId: '00000000-0000-4000-8000-000000000000',
          operation: 'create',
          version: 1,
          fields: ['name', 'country', 'sex', 'occupationGroup'],
        },
      ])
    })
    const enrolSql = `begin;\n${toScript(statements).replace("'00000000-0000-4000-8000-000000000000'", 'gen_random_uuid()')}\ncommit;`

    const scenarios: Scenario[] = [
      {
        name: 'training courses by country',
        path: listPath,
        sql: listSql,
        goal: { text: 'lists ≥ 2× the generated peer (Platformatic DB ~1 400/s)', minReqPerSec: 2800 },
        note: `${size.courses.toLocaleString('en')} courses, each with its seat counts (confirmed, waitlisted) and warnings`,
      },
      {
        name: 'enrolment into one contended course',
        method: 'POST',
        path: `/v1/training-courses/${contended}/participants`,
        body: () => {
          const n = ++enrolment
          return {
            name: `Bench enrolment ${n}`,
            country: countries[n % countries.length],
            sex: n % 2 ? 'female' : 'male',
            occupationGroup: 'police',
          }
        },
        sql: enrolSql,
        note: 'every client on the same course: requests queue on its row lock (and, within a node, before taking a connection); req/s here is confirmed enrolments per second. Run with BENCH_CONNECTIONS=60 for the 60 clients of the issue.',
      },
    ]
    return scenarios
  },
}

export default training
