import { readFileSync } from 'node:fs'
import { sql } from 'kysely'
import { json, type TestContext } from './helpers/app.ts'

// What test/provenance.test.ts and test/provenance-seed.test.ts share: the shapes, the tables
// with provenance, a crawl of a list over its cursors, and a snapshot of the rows.

export interface Citation {
  document: string
  title: string
  date: string
  file: string
  locator: string
}
export interface Note {
  field: string
  reason: string
}
export interface Provenance {
  origin: 'source' | 'api'
  sources: Citation[]
  inferred: Note[]
  doubtful: Note[]
  createdBy: { keyId: string } | null
}
export interface Rec {
  id: string
  version: number
  provenance: Provenance
  [k: string]: unknown
}

export const documents = JSON.parse(readFileSync(new URL('../data/sources.json', import.meta.url), 'utf8')) as Record<
  string,
  { title: string; date: string; file: string }
>
export const tables = [
  'organizations',
  'plans',
  'areas',
  'activities',
  'projects',
  'project_results',
  'project_tasks',
  'meetings',
  'outcomes',
]

/** Every item of a list, following nextCursor (pages of 100, so the cursors are exercised). */
export async function crawl(ctx: TestContext, url: string): Promise<Rec[]> {
  const out: Rec[] = []
  let cursor: string | null = null
  do {
    const sep = url.includes('?') ? '&' : '?'
    const res = await ctx.app.inject({
      url: `${url}${sep}limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      headers: ctx.admin,
    })
    if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`)
    const body = json(res) as { data: Rec[]; nextCursor: string | null }
    out.push(...body.data)
    cursor = body.nextCursor
  } while (cursor)
  return out
}

/** Every record of every resource, through the lists: flat ones and the nested areas, results, tasks and outcomes. */
export async function everyRecord(ctx: TestContext) {
  const byResource: Record<string, Rec[]> = {
    organizations: await crawl(ctx, '/v1/organizations'),
    plans: await crawl(ctx, '/v1/plans'),
    activities: await crawl(ctx, '/v1/activities'),
    projects: await crawl(ctx, '/v1/projects'),
    meetings: await crawl(ctx, '/v1/meetings'),
    areas: [],
    project_results: [],
    project_tasks: [],
    outcomes: [],
  }
  for (const plan of byResource.plans!) byResource.areas!.push(...(await crawl(ctx, `/v1/plans/${plan.id}/areas`)))
  for (const project of byResource.projects!) {
    byResource.project_results!.push(...(await crawl(ctx, `/v1/projects/${project.id}/results`)))
    byResource.project_tasks!.push(...(await crawl(ctx, `/v1/projects/${project.id}/tasks`)))
  }
  for (const meeting of byResource.meetings!)
    byResource.outcomes!.push(...(await crawl(ctx, `/v1/meetings/${meeting.id}/outcomes`)))
  return byResource
}

export async function rowCounts(ctx: TestContext) {
  const counts: Record<string, number> = {}
  for (const table of tables)
    counts[table] = (
      await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(ctx.database.db)
    ).rows[0]!.n
  return counts
}

/** Every row's id, version, update time and provenance, and the change log's length. */
export async function snapshot(ctx: TestContext) {
  const rows: Record<string, unknown[]> = {}
  for (const table of tables)
    rows[table] = (
      await sql`select id, version, updated_at, provenance from ${sql.table(table)} order by id`.execute(
        ctx.database.db,
      )
    ).rows
  rows.changes = (await sql`select count(*)::int as n from changes`.execute(ctx.database.db)).rows
  return rows
}
