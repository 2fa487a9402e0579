import { sql } from 'kysely'
import type { Database } from '../../db/database.ts'

// The SQL of progress and reports: a plan's indicators, targets and values in three
// statements, and the report's sections (activities, meetings and outcomes, training) each in
// one or two. Report dates: a meeting or course belongs to the period its first day falls in;
// a status change, to the period its change record was written in.

/** Everything progress needs of a plan (or of one indicator): indicators, targets and values. */
export async function progressData(
  db: Database,
  scope: { planId: string } | { indicatorId: string },
  includeDrafts: boolean,
) {
  const indicators = await db
    .selectFrom('indicators')
    .select([
      'id',
      'code',
      'title',
      'unit',
      'direction',
      'aggregation',
      'frequency',
      'projectId',
      'resultId',
      'activityId',
    ])
    .$if('planId' in scope, (q) => q.where('planId', '=', (scope as { planId: string }).planId))
    .$if('indicatorId' in scope, (q) => q.where('id', '=', (scope as { indicatorId: string }).indicatorId))
    .orderBy('codeSort')
    .orderBy('id')
    .execute()
  const ids = indicators.map((i) => i.id)
  if (ids.length === 0) return { indicators, targets: [], values: [] }
  const targets = await db
    .selectFrom('indicatorTargets')
    .select(['indicatorId', 'period', 'periodStart', 'periodEnd', 'country', 'baseline', 'target'])
    .where(sql<boolean>`indicator_id = any(${ids}::uuid[])`)
    .execute()
  const values = await db
    .selectFrom('measurements')
    .select(['indicatorId', 'period', 'periodStart', 'periodEnd', 'country', 'sex', 'value'])
    .where(sql<boolean>`indicator_id = any(${ids}::uuid[])`)
    .where('status', 'in', includeDrafts ? ['draft', 'submitted', 'verified'] : ['submitted', 'verified'])
    .execute()
  return { indicators, targets, values }
}

export function planForReport(db: Database, planId: string) {
  return db
    .selectFrom('plans')
    .select(['id', 'code', 'title', 'startDate', 'endDate', 'countries'])
    .where('id', '=', planId)
    .executeTakeFirst()
}

export async function activitySection(db: Database, planId: string, from: string, to: string) {
  const byStatus = await db
    .selectFrom('activities')
    .select(['status', (eb) => eb.fn.countAll<number>().as('count')])
    .where('planId', '=', planId)
    .groupBy('status')
    .orderBy('status')
    .execute()
  // From the change log: activities whose status was written within the period.
  const changed = await sql<{ id: string; code: string; title: string; status: string; changedAt: string }>`
    select a.id, a.code, a.title, a.status, max(c.occurred_at) as changed_at
    from changes c join activities a on a.id::text = c.resource_id
    where c.resource = 'activity' and 'status' = any(c.fields) and a.plan_id = ${planId}::uuid
      and c.occurred_at >= ${from}::date and c.occurred_at < ${to}::date + 1
    group by a.id order by a.code_sort, a.id limit 500`.execute(db)
  return {
    byStatus: byStatus.map((r) => ({ status: r.status, count: Number(r.count) })),
    changedStatus: changed.rows.map((r) => ({ ...r, changedAt: new Date(r.changedAt).toISOString() })),
  }
}

export async function meetingSection(db: Database, planId: string, from: string, to: string) {
  const held = await sql<{
    id: string
    title: string
    sequence: string | null
    kind: string
    startDate: string | null
    endDate: string | null
    outcomes: number
    decisions: number
    recommendations: number
    agreements: number
    actionItems: number
  }>`
    select m.id, m.title, m.sequence, m.kind, m.start_date, m.end_date,
      count(o.id)::int as outcomes,
      count(o.id) filter (where o.kind = 'decision')::int as decisions,
      count(o.id) filter (where o.kind = 'recommendation')::int as recommendations,
      count(o.id) filter (where o.kind = 'agreement')::int as agreements,
      count(o.id) filter (where o.kind = 'action_item')::int as action_items
    from meetings m left join outcomes o on o.meeting_id = m.id
    where m.plan_id = ${planId}::uuid and m.status = 'held' and m.start_date between ${from}::date and ${to}::date
    group by m.id order by m.start_date, m.id limit 500`.execute(db)
  const open = await sql<{ id: string; meetingId: string; text: string; status: string; dueDate: string | null }>`
    select o.id, o.meeting_id, o.text, o.status, o.due_date
    from outcomes o join meetings m on m.id = o.meeting_id
    where m.plan_id = ${planId}::uuid and o.kind = 'action_item' and o.status in ('open', 'in_progress')
      and (m.start_date is null or m.start_date <= ${to}::date)
    order by o.due_sort, o.id limit 500`.execute(db)
  return { held: held.rows, openActionItems: open.rows }
}

/** Whether the training tables exist (the training module's migration may not have run). */
export async function hasTraining(db: Database): Promise<boolean> {
  const r = await sql<{ ok: boolean }>`select to_regclass('training_courses') is not null
    and to_regclass('training_participants') is not null as ok`.execute(db)
  return !!r.rows[0]?.ok
}

/** Courses that began in the period, and their participants counted by country, sex and status. */
export async function trainingSection(db: Database, planId: string, from: string, to: string) {
  const courses = await sql<{ status: string; count: number }>`
    select status, count(*)::int as count from training_courses
    where plan_id = ${planId}::uuid and start_date between ${from}::date and ${to}::date
    group by status order by status`.execute(db)
  const participants = await sql<{ country: string | null; sex: string; status: string; count: number }>`
    select p.country, p.sex, p.status, count(*)::int as count
    from training_participants p join training_courses c on c.id = p.course_id
    where c.plan_id = ${planId}::uuid and c.start_date between ${from}::date and ${to}::date
    group by p.country, p.sex, p.status order by p.country nulls last, p.sex, p.status`.execute(db)
  return { courses: courses.rows, participants: participants.rows }
}

// Snapshots -------------------------------------------------------------------------------------

export function insertSnapshot(
  db: Database,
  planId: string,
  period: string,
  report: unknown,
  note: string | null,
  provenance: unknown,
) {
  return db
    .insertInto('reportSnapshots')
    .values({ planId, period, report: JSON.stringify(report), note, provenance: JSON.stringify(provenance) })
    .returningAll()
    .executeTakeFirstOrThrow()
}

export function listSnapshots(db: Database, planId: string, period: string) {
  return db
    .selectFrom('reportSnapshots')
    .select(['id', 'planId', 'period', 'note', 'createdAt', 'updatedAt', 'version', 'provenance'])
    .where('planId', '=', planId)
    .where('period', '=', period)
    .orderBy('createdAt', 'desc')
    .orderBy('id')
    .limit(1000)
    .execute()
}

/** A snapshot; its report is read as text and parsed, so the camel-case plugin leaves its keys as stored. */
export async function getSnapshot(db: Database, planId: string, id: string) {
  const row = await db
    .selectFrom('reportSnapshots')
    .select(['id', 'planId', 'period', 'note', 'createdAt', 'updatedAt', 'version', 'provenance'])
    .select(sql<string>`report::text`.as('reportText'))
    .where('id', '=', id)
    .where('planId', '=', planId)
    .executeTakeFirst()
  if (!row) return undefined
  const { reportText, ...rest } = row
  return { ...rest, report: JSON.parse(reportText) as unknown }
}
