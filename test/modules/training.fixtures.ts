import type { Test } from 'tap'
import { json, setup, type TestContext } from '../helpers/app.ts'

// Shared setup of the training tests: a course made through the API, and participants.

export async function createCourse(ctx: TestContext, payload: Record<string, unknown> = {}) {
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/v1/training-courses',
    headers: ctx.admin,
    payload: { title: 'Sub-regional course on safe repatriation', topic: 'safe_repatriation', ...payload },
  })
  if (res.statusCode !== 201) throw new Error(`could not create the course: ${res.statusCode} ${res.body}`)
  return json(res)
}

export const countries = ['KH', 'CN', 'LA', 'MM', 'TH', 'VN']

/** A participant body; the name is unique and recognisable so a leak is easy to find. */
export function person(i: number, overrides: Record<string, unknown> = {}) {
  return {
    name: `Secretname Person${i}`,
    country: countries[i % countries.length],
    sex: i % 2 ? 'female' : 'male',
    occupationGroup: 'police',
    contact: `person${i}@example.org`,
    ...overrides,
  }
}

export async function enrol(ctx: TestContext, courseId: string, body: Record<string, unknown>) {
  const res = await ctx.app.inject({
    method: 'POST',
    url: `/v1/training-courses/${courseId}/participants`,
    headers: ctx.admin,
    payload: body,
  })
  if (res.statusCode !== 201) throw new Error(`could not enrol: ${res.statusCode} ${res.body}`)
  return json(res)
}

/** The course as read back (its seats). */
export async function seats(ctx: TestContext, courseId: string) {
  return json(await ctx.app.inject({ url: `/v1/training-courses/${courseId}`, headers: ctx.admin })).seats
}

/** An app listening on a real socket, for the concurrency tests (60 clients, each its own connection). */
export async function listening(t: Test) {
  const ctx = await setup(t, { RATE_LIMIT_MAX: 100000, DB_POOL_MAX: 20 })
  const origin = await ctx.app.listen({ host: '127.0.0.1', port: 0 })
  return { ctx, origin }
}

/** A POST over the socket, with the admin key. */
export const post = (origin: string, ctx: TestContext, path: string, body: unknown) =>
  fetch(`${origin}${path}`, {
    method: 'POST',
    headers: { ...ctx.admin, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  }).then(async (res) => ({ status: res.status, body: (await res.json()) as Record<string, any> }))

/** Participants' statuses of a course, read from the database, and a counter of them. */
export async function statuses(ctx: TestContext, courseId: string) {
  const rows = await ctx.database.db
    .selectFrom('trainingParticipants')
    .select(['status', 'country'])
    .where('courseId', '=', courseId)
    .execute()
  const count = (status: string, country?: string) =>
    rows.filter((r) => r.status === status && (!country || r.country === country)).length
  return { rows, count }
}
