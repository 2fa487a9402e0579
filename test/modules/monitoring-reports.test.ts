import t from 'tap'
import { json, setup } from '../helpers/app.ts'
import { createIndicator, monitoringPlan, setTarget } from './monitoring.fixtures.ts'

// The six-monthly summary report (and the final one): its sections, its three media types, and
// snapshots that keep a report as it was sent.

t.test('the report of a half year: sections, CSV, printable HTML, snapshots', async (t) => {
  const ctx = await setup(t)
  const db = ctx.database.db
  const planId = await monitoringPlan(ctx)
  const i = await createIndicator(ctx, planId, { code: 'PPC 1.a', title: 'Sub-regional training courses held' })
  await setTarget(ctx, i.id, { period: '2006S1', target: 2 })
  await ctx.app.inject({
    method: 'POST',
    url: `/v1/indicators/${i.id}/measurements`,
    headers: ctx.admin,
    payload: { period: '2006S1', country: 'TH', value: 1, status: 'verified' },
  })

  // Activities: two planned, one whose status is changed through the API now.
  const [a1] = await db
    .insertInto('activities')
    .values(['Activity 3', 'Activity 5'].map((code) => ({ planId, code, title: `${code} title` })))
    .returning('id')
    .execute()
  const patched = await ctx.app.inject({
    method: 'PATCH',
    url: `/v1/activities/${a1!.id}`,
    headers: { ...ctx.admin, 'content-type': 'application/merge-patch+json' },
    payload: { status: 'in_progress' },
  })
  t.equal(patched.statusCode, 200)

  // A meeting held in 2006S1 with a decision and an open action item; one held later.
  const meeting = json(
    await ctx.app.inject({
      method: 'POST',
      url: '/v1/meetings',
      headers: ctx.admin,
      payload: {
        planId,
        kind: 'subregional_seminar',
        title: 'Training needs review',
        status: 'held',
        startDate: '2006-03-14',
      },
    }),
  )
  for (const payload of [
    { kind: 'decision', text: 'Six courses at the Regional Training Centre' },
    { kind: 'action_item', text: 'Circulate the curriculum', dueDate: '2006-05-01' },
  ])
    await ctx.app.inject({ method: 'POST', url: `/v1/meetings/${meeting.id}/outcomes`, headers: ctx.admin, payload })
  await ctx.app.inject({
    method: 'POST',
    url: '/v1/meetings',
    headers: ctx.admin,
    payload: { planId, kind: 'workshop', title: 'Later workshop', status: 'held', startDate: '2006-09-01' },
  })

  // A course in 2006S1: 6 Thai women attended (shown), 2 Lao men (suppressed: fewer than 5).
  const course = await db
    .insertInto('trainingCourses')
    .values({
      planId,
      title: 'Course 1',
      topic: 'law_enforcement',
      startDate: '2006-04-03',
      startSort: '2006-04-03',
      status: 'completed',
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await db
    .insertInto('trainingParticipants')
    .values([
      ...Array.from({ length: 6 }, (_, n) => ({
        courseId: course.id,
        name: `TH ${n}`,
        sex: 'female',
        country: 'TH',
        status: 'attended',
      })),
      ...Array.from({ length: 2 }, (_, n) => ({
        courseId: course.id,
        name: `LA ${n}`,
        sex: 'male',
        country: 'LA',
        status: 'attended',
      })),
    ] as never)
    .execute()

  const res = await ctx.app.inject({ url: `/v1/plans/${planId}/reports/2006S1`, headers: ctx.admin })
  t.equal(res.statusCode, 200)
  const r = json(res)
  t.match(r, { period: '2006S1', kind: 'six_monthly', from: '2006-01-01', to: '2006-06-30' })
  t.same(r.activities.byStatus, [
    { status: 'in_progress', count: 1 },
    { status: 'planned', count: 1 },
  ])
  t.same(r.activities.changedStatus, [], 'no status was changed during 2006S1')
  t.same(
    r.meetings.held.map((m: { title: string; decisions: number; actionItems: number }) => [
      m.title,
      m.decisions,
      m.actionItems,
    ]),
    [['Training needs review', 1, 1]],
  )
  t.same(
    r.meetings.openActionItems.map((o: { text: string }) => o.text),
    ['Circulate the curriculum'],
  )
  t.same(r.training.courses, [{ status: 'completed', count: 1 }])
  t.same(r.training.participants, [
    { country: 'LA', sex: 'male', status: 'attended', count: null },
    { country: 'TH', sex: 'female', status: 'attended', count: 6 },
  ])
  t.match(r.indicators.indicators[0], { code: 'PPC 1.a', actual: 1, target: 2, percentOfTarget: 50, status: 'at_risk' })

  // The half year the PATCH happened in: the change log names the activity.
  const now = new Date()
  const current = `${now.getUTCFullYear()}S${now.getUTCMonth() < 6 ? 1 : 2}`
  const recent = json(await ctx.app.inject({ url: `/v1/plans/${planId}/reports/${current}`, headers: ctx.admin }))
  t.same(
    recent.activities.changedStatus.map((a: { code: string; status: string }) => [a.code, a.status]),
    [['Activity 3', 'in_progress']],
  )

  const csv = await ctx.app.inject({
    url: `/v1/plans/${planId}/reports/2006S1`,
    headers: { ...ctx.admin, accept: 'text/csv' },
  })
  t.match(csv.headers['content-type'], /^text\/csv/)
  t.match(csv.body, /indicator,PPC 1\.a,Sub-regional training courses held,percentOfTarget,50/)
  t.match(csv.body, /training-participants,LA\/male,attended,count,suppressed/)

  const html = await ctx.app.inject({
    url: `/v1/plans/${planId}/reports/final`,
    headers: { ...ctx.admin, accept: 'text/html' },
  })
  t.match(html.headers['content-type'], /^text\/html/)
  t.match(html.headers['content-security-policy'], /default-src 'none'/)
  t.match(html.body, /<svg/)
  t.notMatch(html.body, /<script/i, 'no script')
  t.match(html.body, /final report/)

  const none = await ctx.app.inject({
    url: `/v1/plans/${planId}/reports/2006S1`,
    headers: { ...ctx.admin, accept: 'image/png' },
  })
  t.equal(none.statusCode, 406)

  // A snapshot keeps the figures as they were.
  const snap = await ctx.app.inject({
    method: 'POST',
    url: `/v1/plans/${planId}/reports/2006S1`,
    headers: ctx.admin,
    payload: { note: 'Sent to the Governments' },
  })
  t.equal(snap.statusCode, 201)
  const snapshot = json(snap)
  await ctx.app.inject({
    method: 'POST',
    url: `/v1/indicators/${i.id}/measurements`,
    headers: ctx.admin,
    payload: { period: '2006S1', country: 'TH', value: 2, reason: 'a second course was reported late' },
  })
  const later = json(await ctx.app.inject({ url: `/v1/plans/${planId}/reports/2006S1`, headers: ctx.admin }))
  t.equal(later.indicators.indicators[0].actual, 2, 'the live report moves on')
  const kept = await ctx.app.inject({ url: snap.headers.location as string, headers: ctx.admin })
  t.equal(kept.statusCode, 200)
  t.equal(json(kept).report.indicators.indicators[0].actual, 1, 'the snapshot does not')
  t.same(json(kept).report, snapshot.report)
  const list = json(await ctx.app.inject({ url: `/v1/plans/${planId}/reports/2006S1/snapshots`, headers: ctx.admin }))
  t.same(
    list.data.map((s: { id: string; note: string }) => [s.id, s.note]),
    [[snapshot.id, 'Sent to the Governments']],
  )
})

t.test('a plan without dates has no final report', async (t) => {
  const ctx = await setup(t)
  const plan = await ctx.database.db
    .insertInto('plans')
    .values({ code: 'UNDATED', title: 'Undated plan' })
    .returning('id')
    .executeTakeFirstOrThrow()
  const res = await ctx.app.inject({ url: `/v1/plans/${plan.id}/reports/final`, headers: ctx.admin })
  t.equal(res.statusCode, 422)
  t.equal(json(res).errors[0].pointer, '/params/period')
  t.equal((await ctx.app.inject({ url: `/v1/plans/${plan.id}/reports/2006S1`, headers: ctx.admin })).statusCode, 200)
})
