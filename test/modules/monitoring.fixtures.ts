import type { TestContext } from '../helpers/app.ts'
import { json } from '../helpers/app.ts'

// Shared setup of the monitoring tests: a plan (inserted straight into its table: only its id
// matters) and indicators created through the API.

export async function monitoringPlan(ctx: TestContext, code = 'COMMIT SPA I') {
  const plan = await ctx.database.db
    .insertInto('plans')
    .values({
      code,
      title: 'COMMIT Sub-Regional Plan of Action',
      countries: ['KH', 'CN', 'LA', 'MM', 'TH', 'VN'],
      startDate: '2005-01-01',
      endDate: '2007-12-31',
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return plan.id
}

export async function createIndicator(ctx: TestContext, planId: string, payload: Record<string, unknown>) {
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/v1/indicators',
    headers: ctx.admin,
    payload: { planId, code: 'I1', title: 'Persons trained', unit: 'count', ...payload },
  })
  if (res.statusCode !== 201) throw new Error(`could not create the indicator: ${res.statusCode} ${res.body}`)
  return json(res) as { id: string; version: number }
}

export async function setTarget(ctx: TestContext, indicatorId: string, payload: Record<string, unknown>) {
  const res = await ctx.app.inject({
    method: 'POST',
    url: `/v1/indicators/${indicatorId}/targets`,
    headers: ctx.admin,
    payload,
  })
  if (res.statusCode >= 300) throw new Error(`could not set the target: ${res.statusCode} ${res.body}`)
  return json(res)
}

export async function postValue(
  ctx: TestContext,
  indicatorId: string,
  payload: Record<string, unknown>,
  headers: Record<string, string> = ctx.admin,
) {
  return ctx.app.inject({ method: 'POST', url: `/v1/indicators/${indicatorId}/measurements`, headers, payload })
}
