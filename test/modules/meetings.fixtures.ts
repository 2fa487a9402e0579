import type { TestContext } from '../helpers/app.ts'
import { json } from '../helpers/app.ts'

// Shared setup of the meetings and outcomes tests. Plans, activities and projects are inserted
// straight into their tables (only their ids matter here, and those tables' id columns are
// stable), so these tests do not depend on the planning API's request shapes.

export async function planningFixture(ctx: TestContext) {
  const db = ctx.database.db
  const plan = await db
    .insertInto('plans')
    .values({ code: 'COMMIT SPA I', title: 'COMMIT Sub-Regional Plan of Action' })
    .returning('id')
    .executeTakeFirstOrThrow()
  const activities = await db
    .insertInto('activities')
    .values(['Activity 1', 'Activity 2', 'Activity 18'].map((code) => ({ planId: plan.id, code, title: code })))
    .returning('id')
    .execute()
  const projects = await db
    .insertInto('projects')
    .values(['PPC 4', 'PP 12'].map((code) => ({ planId: plan.id, code, title: code })))
    .returning('id')
    .execute()
  const org = async (name: string, kind: string, country?: string) =>
    json(
      await ctx.app.inject({
        method: 'POST',
        url: '/v1/organizations',
        headers: ctx.admin,
        payload: { name, kind, ...(country ? { country } : {}) },
      }),
    ).id as string
  const uniap = await org('United Nations Inter-Agency Project on Human Trafficking', 'un_agency')
  const tfLa = await org('COMMIT Task Force Lao PDR', 'national_task_force', 'LA')
  const tfTh = await org('COMMIT Task Force Thailand', 'national_task_force', 'TH')
  return {
    planId: plan.id,
    activityIds: activities.map((a) => a.id),
    projectIds: projects.map((p) => p.id),
    orgs: { uniap, tfLa, tfTh },
  }
}

export type Planning = Awaited<ReturnType<typeof planningFixture>>

/** Creates a meeting through the API and returns it. */
export async function createMeeting(ctx: TestContext, payload: Record<string, unknown>) {
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/v1/meetings',
    headers: ctx.admin,
    payload: { kind: 'regional_seminar', title: 'Regional seminar', ...payload },
  })
  if (res.statusCode !== 201) throw new Error(`could not create the meeting: ${res.statusCode} ${res.body}`)
  return json(res)
}
