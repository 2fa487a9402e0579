import { sql } from 'kysely'
import { json, type Seeded } from './support.ts'
import { monitoringProbes } from './targets-monitoring.ts'
import { trainingProbes } from './targets-training.ts'
import { integrationProbes } from './targets-integration.ts'
export type { Seeded }

// Rows of three kinds for a key limited to TH (DESIGN §3: "a country-limited key writes only what
// belongs to its countries: a row with no country, or with countries beyond the key's, is
// read-only to it"), and one request per write operation against a row of each kind.
//   none   — no country: an international organization, the OSCE plan, an ASEAN matrix
//            activity, a COMMIT roundtable with no countries and no venue
//   beyond — countries beyond the key's: the COMMIT plan (KH, CN, LA, MM, TH, VN), its SOM 2
//   own    — TH only: the Thai task force and national consultation, a Thai plan made here
// Seeded rows are used where the seed has one; the rest are made with the admin key. Deletes
// always get a fresh row, so one wrongly allowed delete cannot break the probes after it.

export type Kind = 'none' | 'beyond' | 'own'
export const kinds: Kind[] = ['none', 'beyond', 'own']
type ByKind = Record<Kind, string>

const countries: Record<Kind, string[]> = { none: [], beyond: ['TH', 'KH'], own: ['TH'] }
let n = 0
const uniq = () => `${process.pid}-${++n}`

/** Valid bodies to create a row of each kind (under a parent of that kind). */
export const bodies = {
  organization: (k: Kind) => ({
    name: `Probe organization ${uniq()}`,
    kind: 'ngo',
    ...(k === 'none' ? {} : { country: k === 'own' ? 'TH' : 'KH' }),
  }),
  plan: (k: Kind) => ({ code: `PROBE ${uniq()}`, title: 'Probe plan', countries: countries[k] }),
  area: () => ({ code: `Probe ${uniq()}`, title: 'Probe area' }),
  activity: (f: Fixtures, k: Kind) => ({
    planId: f.plan[k],
    code: `Probe ${uniq()}`,
    title: 'Probe activity',
    countries: countries[k],
  }),
  project: (f: Fixtures, k: Kind) => ({
    planId: f.plan[k],
    code: `Probe ${uniq()}`,
    title: 'Probe project',
    countries: countries[k],
  }),
  result: () => ({ statement: 'Probe result' }),
  task: () => ({ phase: 'core', title: 'Probe task' }),
  meeting: (k: Kind) => ({
    kind: 'consultation',
    title: `Probe meeting ${uniq()}`,
    countries: countries[k],
    ...(k === 'own' ? { venue: { city: 'Bangkok', country: 'TH' } } : {}),
  }),
  outcome: () => ({ kind: 'decision', text: 'Probe outcome' }),
  batch: () => ({ items: [{ externalRef: `probe-${uniq()}`, kind: 'decision', text: 'Probe outcome' }] }),
  agenda: () => ({ items: [{ title: 'Probe agenda item' }] }),
  attendance: () => ({ rows: [{ country: 'TH', organizationKind: 'government', female: 1, male: 1 }] }),
}

export interface Fixtures {
  org: ByKind
  plan: ByKind
  area: ByKind
  activity: ByKind
  project: ByKind
  result: ByKind
  task: ByKind
  meeting: ByKind
  outcome: ByKind
  /** POSTs with the admin key and returns the new row's id (for probes of other modules' rows). */
  create(url: string, payload: object): Promise<string>
  /** Makes a new row of a kind with the admin key; returns its id. */
  fresh: Record<
    'org' | 'plan' | 'area' | 'activity' | 'project' | 'result' | 'task' | 'meeting' | 'outcome',
    (k: Kind) => Promise<string>
  >
}

export async function fixtures(ctx: Seeded): Promise<Fixtures> {
  const { app, admin, database } = ctx
  const create = async (url: string, payload: object) => {
    const res = await app.inject({ method: 'POST', url, headers: admin, payload })
    if (res.statusCode !== 201) throw new Error(`fixture ${url}: ${res.statusCode} ${res.body}`)
    return json(res).id as string
  }
  const one = async (query: ReturnType<typeof sql<{ id: string }>>) => {
    const row = (await query.execute(database.db)).rows[0]
    if (!row) throw new Error('a seeded row the security tests rely on is missing')
    return row.id
  }
  const plan = {
    none: await one(sql`select id from plans where code = 'OSCE-AP'`),
    beyond: await one(sql`select id from plans where code = 'COMMIT SPA I'`),
    own: await create('/v1/plans', bodies.plan('own')),
  }
  const f = { plan, create } as Fixtures
  const meeting = {
    none: await one(
      sql`select id from meetings where title like 'Roundtable discussion%(1 of 7)' and countries = '{}' and venue_country is null`,
    ),
    beyond: await one(sql`select id from meetings where title = 'Senior Officials Meeting II'`),
    own: await one(sql`select id from meetings where title like 'National consultation%: Thailand'`),
  }
  const fresh: Fixtures['fresh'] = {
    org: (k) => create('/v1/organizations', bodies.organization(k)),
    plan: (k) => create('/v1/plans', bodies.plan(k)),
    area: (k) => create(`/v1/plans/${plan[k]}/areas`, bodies.area()),
    activity: (k) => create('/v1/activities', bodies.activity(f, k)),
    project: (k) => create('/v1/projects', bodies.project(f, k)),
    result: (k) => create(`/v1/projects/${f.project[k]}/results`, bodies.result()),
    task: (k) => create(`/v1/projects/${f.project[k]}/tasks`, bodies.task()),
    meeting: (k) => create('/v1/meetings', bodies.meeting(k)),
    outcome: (k) => create(`/v1/meetings/${meeting[k]}/outcomes`, bodies.outcome()),
  }
  Object.assign(f, { meeting, fresh })
  f.org = {
    none: await one(sql`select id from organizations where acronym = 'ASEAN'`),
    beyond: await one(sql`select id from organizations where name = 'COMMIT Task Force Cambodia'`),
    own: await one(sql`select id from organizations where name = 'COMMIT Task Force Thailand'`),
  }
  f.area = {
    none: await one(sql`select id from areas where plan_id = ${plan.none} order by code limit 1`),
    beyond: await one(sql`select id from areas where plan_id = ${plan.beyond} and code = 'Area 1'`),
    own: await fresh.area('own'),
  }
  f.activity = {
    none: await one(
      sql`select a.id from activities a join plans p on p.id = a.plan_id where p.code = 'APA' and a.countries = '{}' order by a.code limit 1`,
    ),
    beyond: await one(sql`select id from activities where plan_id = ${plan.beyond} and code = 'Activity 1'`),
    own: await fresh.activity('own'),
  }
  f.project = {
    none: await fresh.project('none'),
    beyond: await one(sql`select id from projects where plan_id = ${plan.beyond} and code = 'PPC 2'`),
    own: await fresh.project('own'),
  }
  f.result = {
    none: await fresh.result('none'),
    beyond: await one(
      sql`select id from project_results where project_id = ${f.project.beyond} order by position limit 1`,
    ),
    own: await fresh.result('own'),
  }
  f.task = {
    none: await fresh.task('none'),
    beyond: await one(
      sql`select id from project_tasks where project_id = ${f.project.beyond} order by position limit 1`,
    ),
    own: await fresh.task('own'),
  }
  f.outcome = {
    none: await fresh.outcome('none'),
    beyond: await one(sql`select id from outcomes where meeting_id = ${meeting.beyond} order by id limit 1`),
    own: await fresh.outcome('own'),
  }
  return f
}

export interface Probe {
  method: 'POST' | 'PATCH' | 'PUT' | 'DELETE'
  url: string
  payload?: object
  /** The row the request acts on (or writes under): it must be unchanged after a refusal. */
  reread?: string
  /** A scope only some keys have (admin-only operations): a key without it is refused every row, by scope. */
  requires?: 'admin'
  /** Rows that belong to no country whatever the kind (webhook subscriptions): `own` is refused too. */
  countryless?: true
}

const patch = (url: string, payload: object): Probe => ({ method: 'PATCH', url, payload, reread: url })
const del = (url: string): Probe => ({ method: 'DELETE', url, reread: url })

/**
 * One request per write operation of the document, keyed "METHOD /path" as the document has
 * it, against a row of the given kind. A write operation missing here fails the tests.
 */
export type Probes = Record<string, (f: Fixtures, k: Kind) => Probe | Promise<Probe>>

// Modules after the planning and meetings ones keep their probes in a file of their own
// (test/security/targets-<module>.ts, a `Probes` record) and add it to `moduleProbes` below.
const planningProbes: Probes = {
  'POST /v1/organizations': (_f, k) => ({ method: 'POST', url: '/v1/organizations', payload: bodies.organization(k) }),
  'PATCH /v1/organizations/{id}': (f, k) => patch(`/v1/organizations/${f.org[k]}`, { description: 'probe' }),
  'DELETE /v1/organizations/{id}': async (f, k) => del(`/v1/organizations/${await f.fresh.org(k)}`),
  'POST /v1/plans': (_f, k) => ({ method: 'POST', url: '/v1/plans', payload: bodies.plan(k) }),
  'PATCH /v1/plans/{id}': (f, k) => patch(`/v1/plans/${f.plan[k]}`, { description: 'probe' }),
  'DELETE /v1/plans/{id}': async (f, k) => del(`/v1/plans/${await f.fresh.plan(k)}`),
  'POST /v1/plans/{planId}/areas': (f, k) => ({
    method: 'POST',
    url: `/v1/plans/${f.plan[k]}/areas`,
    payload: bodies.area(),
    reread: `/v1/plans/${f.plan[k]}`,
  }),
  'PATCH /v1/plans/{planId}/areas/{areaId}': (f, k) =>
    patch(`/v1/plans/${f.plan[k]}/areas/${f.area[k]}`, { description: 'probe' }),
  'DELETE /v1/plans/{planId}/areas/{areaId}': async (f, k) =>
    del(`/v1/plans/${f.plan[k]}/areas/${await f.fresh.area(k)}`),
  'POST /v1/activities': (f, k) => ({ method: 'POST', url: '/v1/activities', payload: bodies.activity(f, k) }),
  'PATCH /v1/activities/{id}': (f, k) => patch(`/v1/activities/${f.activity[k]}`, { description: 'probe' }),
  'DELETE /v1/activities/{id}': async (f, k) => del(`/v1/activities/${await f.fresh.activity(k)}`),
  'POST /v1/projects': (f, k) => ({ method: 'POST', url: '/v1/projects', payload: bodies.project(f, k) }),
  'PATCH /v1/projects/{id}': (f, k) => patch(`/v1/projects/${f.project[k]}`, { objective: 'probe' }),
  'DELETE /v1/projects/{id}': async (f, k) => del(`/v1/projects/${await f.fresh.project(k)}`),
  'POST /v1/projects/{projectId}/results': (f, k) => ({
    method: 'POST',
    url: `/v1/projects/${f.project[k]}/results`,
    payload: bodies.result(),
    reread: `/v1/projects/${f.project[k]}`,
  }),
  'PATCH /v1/projects/{projectId}/results/{resultId}': (f, k) =>
    patch(`/v1/projects/${f.project[k]}/results/${f.result[k]}`, { statement: 'probe' }),
  'DELETE /v1/projects/{projectId}/results/{resultId}': async (f, k) =>
    del(`/v1/projects/${f.project[k]}/results/${await f.fresh.result(k)}`),
  'POST /v1/projects/{projectId}/tasks': (f, k) => ({
    method: 'POST',
    url: `/v1/projects/${f.project[k]}/tasks`,
    payload: bodies.task(),
    reread: `/v1/projects/${f.project[k]}`,
  }),
  'PATCH /v1/projects/{projectId}/tasks/{taskId}': (f, k) =>
    patch(`/v1/projects/${f.project[k]}/tasks/${f.task[k]}`, { title: 'probe' }),
  'DELETE /v1/projects/{projectId}/tasks/{taskId}': async (f, k) =>
    del(`/v1/projects/${f.project[k]}/tasks/${await f.fresh.task(k)}`),
  'POST /v1/meetings': (_f, k) => ({ method: 'POST', url: '/v1/meetings', payload: bodies.meeting(k) }),
  'PATCH /v1/meetings/{id}': (f, k) => patch(`/v1/meetings/${f.meeting[k]}`, { description: 'probe' }),
  'DELETE /v1/meetings/{id}': async (f, k) => del(`/v1/meetings/${await f.fresh.meeting(k)}`),
  'PUT /v1/meetings/{id}/agenda': (f, k) => ({
    method: 'PUT',
    url: `/v1/meetings/${f.meeting[k]}/agenda`,
    payload: bodies.agenda(),
    reread: `/v1/meetings/${f.meeting[k]}`,
  }),
  'PUT /v1/meetings/{id}/attendance': (f, k) => ({
    method: 'PUT',
    url: `/v1/meetings/${f.meeting[k]}/attendance`,
    payload: bodies.attendance(),
    reread: `/v1/meetings/${f.meeting[k]}`,
  }),
  'POST /v1/meetings/{id}/outcomes': (f, k) => ({
    method: 'POST',
    url: `/v1/meetings/${f.meeting[k]}/outcomes`,
    payload: bodies.outcome(),
    reread: `/v1/meetings/${f.meeting[k]}`,
  }),
  'PATCH /v1/outcomes/{id}': (f, k) => patch(`/v1/outcomes/${f.outcome[k]}`, { text: 'probe' }),
  'DELETE /v1/outcomes/{id}': async (f, k) => del(`/v1/outcomes/${await f.fresh.outcome(k)}`),
  'POST /v1/meetings/{id}/outcomes/batch': (f, k) => ({
    method: 'POST',
    url: `/v1/meetings/${f.meeting[k]}/outcomes/batch`,
    payload: bodies.batch(),
    reread: `/v1/meetings/${f.meeting[k]}`,
  }),
}

const moduleProbes: Probes[] = [monitoringProbes, trainingProbes, integrationProbes]
export const probes: Probes = Object.assign({}, planningProbes, ...moduleProbes)

/** The write operations of the document that have no probe, and probes of no operation. */
export function coverage(writes: { method: string; path: string }[]) {
  const documented = writes.map((w) => `${w.method} ${w.path}`)
  return {
    unprobed: documented.filter((k) => !probes[k]),
    stale: Object.keys(probes).filter((k) => !documented.includes(k)),
  }
}

/** The status and version of a row (404 and undefined once it is gone). */
export async function state(ctx: Seeded, url?: string) {
  if (!url) return undefined
  const res = await ctx.app.inject({ url, headers: ctx.admin })
  return { status: res.statusCode, version: res.statusCode === 200 ? (json(res).version as number) : undefined }
}
