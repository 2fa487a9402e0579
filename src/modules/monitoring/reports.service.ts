import type { Database } from '../../db/database.ts'
import { ApiError, notFound } from '../../http/problems.ts'
import { parsePeriod } from '../../domain/periods.ts'
import { computeProgress, type Status } from './progress.ts'
import * as rq from './reports.queries.ts'
import type { IndicatorProgressT, PlanProgressT, ReportT } from './reports.schemas.ts'

// Progress of a plan and its summary report, built from the queries of reports.queries.ts.

/** Counts from 1 to this minus one are suppressed in the training aggregates. */
export const suppressBelow = 5

type Plan = NonNullable<Awaited<ReturnType<typeof rq.planForReport>>>

/** The days a report period covers: a period string, or `final` (the plan's dates). */
export function windowOf(plan: Plan, period: string, pointer: string): { from: string | null; to: string | null } {
  if (period === 'final') return { from: plan.startDate, to: plan.endDate }
  const p = parsePeriod(period)
  if (!p)
    throw new ApiError('validation-error', `${period} is not a period.`, {
      errors: [{ pointer, detail: 'must be a period' }],
    })
  return { from: p.start, to: p.end }
}

export async function planOrThrow(db: Database, planId: string) {
  const plan = await rq.planForReport(db, planId)
  if (!plan) throw notFound('plan', planId)
  return plan
}

export async function planProgress(
  db: Database,
  plan: Plan,
  period: string,
  includeDrafts: boolean,
): Promise<PlanProgressT> {
  const { from, to } = windowOf(plan, period, '/query/period')
  const data = await rq.progressData(db, { planId: plan.id }, includeDrafts)
  const group = <R extends { indicatorId: string }>(rows: R[]) => {
    const m = new Map<string, R[]>()
    for (const r of rows) m.set(r.indicatorId, [...(m.get(r.indicatorId) ?? []), r])
    return m
  }
  const targets = group(data.targets)
  const values = group(data.values)
  const summary: Record<Status, number> = { achieved: 0, on_track: 0, at_risk: 0, off_track: 0, no_data: 0 }
  const indicators = data.indicators.map((i) => {
    const p = computeProgress(i, targets.get(i.id) ?? [], values.get(i.id) ?? [], {
      since: from ?? undefined,
      until: to ?? undefined,
    })
    summary[p.overall.status]++
    return {
      indicatorId: i.id,
      code: i.code,
      title: i.title,
      unit: i.unit,
      direction: i.direction,
      aggregation: i.aggregation,
      ...p.overall,
    }
  })
  return { planId: plan.id, period, from, to, summary, indicators }
}

export async function indicatorProgress(
  db: Database,
  indicatorId: string,
  query: { from?: string; to?: string; includeDrafts: boolean },
): Promise<IndicatorProgressT> {
  const data = await rq.progressData(db, { indicatorId }, query.includeDrafts)
  const i = data.indicators[0]
  if (!i) throw notFound('indicator', indicatorId)
  const p = computeProgress(i, data.targets, data.values, {
    since: query.from ? parsePeriod(query.from)?.start : undefined,
    until: query.to ? parsePeriod(query.to)?.end : undefined,
  })
  return {
    indicatorId: i.id,
    code: i.code,
    title: i.title,
    unit: i.unit,
    direction: i.direction,
    aggregation: i.aggregation,
    ...p,
  }
}

export async function buildReport(db: Database, planId: string, period: string): Promise<ReportT> {
  const plan = await planOrThrow(db, planId)
  const { from, to } = windowOf(plan, period, '/params/period')
  if (!from || !to)
    throw new ApiError('rule-violation', 'The plan has no start and end dates, so it has no final report period.', {
      errors: [{ pointer: '/params/period', detail: 'the plan has no dates: ask for a period such as 2006S1' }],
    })
  const training = (await rq.hasTraining(db)) ? await rq.trainingSection(db, planId, from, to) : null
  return {
    plan: { id: plan.id, code: plan.code, title: plan.title },
    period,
    kind: period === 'final' ? 'final' : parsePeriod(period)!.kind === 'six_monthly' ? 'six_monthly' : 'period',
    from,
    to,
    generatedAt: new Date().toISOString(),
    activities: await rq.activitySection(db, planId, from, to),
    meetings: await rq.meetingSection(db, planId, from, to),
    training: training && {
      courses: training.courses,
      participants: training.participants.map((p) => ({
        ...p,
        count: p.count > 0 && p.count < suppressBelow ? null : p.count,
      })),
      suppressedBelow: suppressBelow,
    },
    indicators: await planProgress(db, plan, period, false),
  }
}
