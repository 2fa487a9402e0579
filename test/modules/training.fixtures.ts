import type { TestContext } from '../helpers/app.ts'
import { json } from '../helpers/app.ts'

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
