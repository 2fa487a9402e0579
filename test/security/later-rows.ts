import type { Schema } from './support.ts'
import type { Fixtures } from './targets.ts'
import { trainingBodies } from './targets-training.ts'

// Rows of the modules that came after the planning ones (monitoring, training, integration),
// made once with the admin key, so the suites that walk every path of the document reach a real
// row under each of them rather than a 404.

export interface LaterRows {
  indicator: string
  measurement: string
  course: string
  subscription: string
  key: string
}

export async function laterRows(f: Fixtures, planId: string): Promise<LaterRows> {
  const indicator = await f.create('/v1/indicators', {
    planId,
    code: `Probe ${process.pid}`,
    title: 'Probe',
    unit: 'count',
  })
  return {
    indicator,
    measurement: await f.create(`/v1/indicators/${indicator}/measurements`, { period: '2006S1', value: 1 }),
    course: await f.create('/v1/training-courses', trainingBodies.course('own')),
    subscription: await f.create('/v1/webhook-subscriptions', {
      url: 'http://203.0.113.10/probe',
      eventTypes: ['activity'],
      active: false,
    }),
    key: await f.create('/v1/api-keys', { name: `Probe key ${process.pid}`, scopes: ['read'], countries: ['TH'] }),
  }
}

/** The `{id}` of a path under one of the later modules, if it is one. */
export function laterId(rows: LaterRows, path: string): string | undefined {
  const prefixes: [string, string][] = [
    ['/v1/indicators/', rows.indicator],
    ['/v1/measurements/', rows.measurement],
    ['/v1/training-courses/', rows.course],
    ['/v1/webhook-subscriptions/', rows.subscription],
    ['/v1/api-keys/', rows.key],
  ]
  return prefixes.find(([prefix]) => path.startsWith(prefix))?.[1]
}

/**
 * Authentication comes before validation: an operation no anonymous caller may make is sent with
 * the admin key, so what is judged is the input under attack, not the missing key.
 */
export const needsKey = (op: Schema): boolean =>
  Array.isArray(op.security) && !(op.security as Schema[]).some((s) => Object.keys(s).length === 0)
