import { sql } from 'kysely'
import { idKey, resolveSort, type PageRequest } from '../../src/http/pagination.ts'
import {
  activitySortTable,
  listActivities,
  listActivitiesOfPlan,
  type ActivityRow,
} from '../../src/modules/activities/activities.queries.ts'
import { listAreasOfPlan } from '../../src/modules/areas/areas.queries.ts'
import { getPlan } from '../../src/modules/plans/plans.queries.ts'
import { traceQuery } from '../sql.ts'
import { benchDatabaseUrl } from '../settings.ts'
import type { BenchModule, Scenario } from '../types.ts'

// Planning: a plan of 100 000 activities (the list filtered by plan and country; page 1 and
// page 1 000 of a partner's crawl by planId) and a plan of 1 000 activities under a 3-level tree
// (its whole structure in one response). Organizations come from the base dataset. The SQL
// beside each scenario comes from the service's own query functions (bench/sql.ts) and is
// checked to return the rows the API returned.

const limit = 50
const crawlPages = 1000
const large = { code: 'BENCH-100K', activities: 100_000, pillars: 5, provisions: 50 }
const small = { code: 'BENCH-1K', activities: 1000, sections: 5, areas: 25, subAreas: 50 }

// Ids derived from a key, shaped as version-4 UUIDs (as bench/dataset.ts does for organizations).
const uuidOf = (key: ReturnType<typeof sql>) =>
  sql`overlay(overlay(md5(${key}) placing '4' from 13) placing '8' from 17)::uuid`
const planId = (code: string) => uuidOf(sql`${`bench-plan-${code}`}`)
/** The base dataset's organization n (bench/dataset.ts: md5('bench-organization-' || n)). */
const organization = (n: ReturnType<typeof sql>) => uuidOf(sql`'bench-organization-' || ${n}`)
const countries = sql`(array['{KH}', '{LA}', '{KH,TH}', '{MM,VN}', '{CN}', '{KH,LA,TH}'])[1 + i % 6]::text[]`

interface Page {
  data: { id: string; code: string }[]
  nextCursor: string | null
}

const listPath = (query: string, cursor?: string, pageSize = limit) =>
  `/v1/activities?${query}&limit=${pageSize}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`

/** What the list route builds for the default sort (code), after a given position. */
const pageRequest = (after?: unknown[]): PageRequest => ({
  sort: resolveSort('code', activitySortTable, idKey('activities')),
  after,
  limit,
  binding: '',
})

/** The SQL of one list page, checked against the page the API returned. */
async function listSql(filters: { planId: string; country?: string }, page: Page, after?: unknown[]) {
  const { result, sql: text } = await traceQuery(benchDatabaseUrl, (db) =>
    listActivities(db, filters, pageRequest(after)),
  )
  const ids = (result as ActivityRow[]).slice(0, limit).map((r) => r.id)
  if (ids.join() !== page.data.map((a) => a.id).join())
    throw new Error('the captured activities SQL returns other rows than the API did')
  return text
}

const planning: BenchModule = {
  name: 'planning',
  async load(db) {
    await sql`insert into plans (id, code, title, status, countries) values
      (${planId(large.code)}, ${large.code}, 'A plan of 100 000 activities', 'active', '{KH,CN,LA,MM,TH,VN}'),
      (${planId(small.code)}, ${small.code}, 'A plan of 1 000 activities', 'active', '{KH,CN,LA,MM,TH,VN}')`.execute(db)

    // The large plan: pillars › provisions, activities spread over the provisions.
    await sql`insert into areas (id, plan_id, parent_id, code, title, kind, position)
      select ${uuidOf(sql`'bench-large-pillar-' || i`)}, ${planId(large.code)}, null, chr(64 + i), 'Pillar ' || chr(64 + i), 'pillar', i
      from generate_series(1, ${large.pillars}::int) i`.execute(db)
    await sql`insert into areas (id, plan_id, parent_id, code, title, kind, position)
      select ${uuidOf(sql`'bench-large-provision-' || i`)}, ${planId(large.code)}, ${uuidOf(sql`'bench-large-pillar-' || (1 + i % ${large.pillars}::int)`)},
        chr(65 + i % ${large.pillars}::int) || '.' || i, 'Provision ' || i, 'provision', i
      from generate_series(1, ${large.provisions}::int) i`.execute(db)
    await sql`insert into activities (id, plan_id, area_id, code, title, category, status, countries, planned_start, planned_end)
      select ${uuidOf(sql`'bench-large-activity-' || i`)}, ${planId(large.code)}, ${uuidOf(sql`'bench-large-provision-' || (1 + i % ${large.provisions}::int)`)},
        'Activity ' || i, 'Regional seminar on cooperation against trafficking in persons, number ' || i,
        (array['institutional_development', 'research', 'training', 'prevention', 'coordination', 'monitoring'])[1 + i % 6],
        (array['planned', 'in_progress', 'completed'])[1 + i % 3], ${countries},
        date '2016-01-01' + (i % 1500), date '2016-01-01' + (i % 1500) + 2
      from generate_series(1, ${large.activities}::int) i`.execute(db)

    // The small plan: sections › areas › sub-areas, activities on areas and sub-areas.
    const node = (level: string) => (n: ReturnType<typeof sql>) => uuidOf(sql`${`bench-small-${level}-`} || ${n}`)
    await sql`insert into areas (id, plan_id, parent_id, code, title, kind, position)
      select ${node('section')(sql`i`)}, ${planId(small.code)}, null, i::text, 'Section ' || i, 'section', i from generate_series(1, ${small.sections}::int) i
      union all
      select ${node('area')(sql`i`)}, ${planId(small.code)}, ${node('section')(sql`(1 + i % ${small.sections}::int)`)}, 'Area ' || i, 'Area ' || i, 'area', i from generate_series(1, ${small.areas}::int) i
      union all
      select ${node('sub')(sql`i`)}, ${planId(small.code)}, ${node('area')(sql`(1 + i % ${small.areas}::int)`)}, 'Sub-area ' || i, 'Sub-area ' || i, 'sub_area', i from generate_series(1, ${small.subAreas}::int) i`.execute(
      db,
    )
    await sql`insert into activities (id, plan_id, area_id, code, title, category, countries)
      select ${uuidOf(sql`'bench-small-activity-' || i`)}, ${planId(small.code)},
        case when i % 3 = 0 then ${node('area')(sql`(1 + i % ${small.areas}::int)`)} else ${node('sub')(sql`(1 + i % ${small.subAreas}::int)`)} end,
        'Activity ' || i, 'Workshop on criteria and processes for identification of victims, number ' || i,
        (array['training', 'research', 'coordination', 'prevention'])[1 + i % 4], ${countries}
      from generate_series(1, ${small.activities}::int) i`.execute(db)

    // Organizations: a lead on every activity, a participant on every other one.
    await sql`insert into activity_organizations (activity_id, organization_id, role, position)
      select id, ${organization(sql`(1 + n % 50)`)}, 'lead', 0 from (select id, row_number() over () as n from activities where plan_id in (${planId(large.code)}, ${planId(small.code)})) a
      union all
      select id, ${organization(sql`(51 + n % 50)`)}, 'participating', 1 from (select id, row_number() over () as n from activities where plan_id in (${planId(large.code)}, ${planId(small.code)})) a where n % 2 = 0`.execute(
      db,
    )
  },

  async scenarios({ db, api }) {
    const ids = await sql<{
      large: string
      small: string
    }>`select ${planId(large.code)} as large, ${planId(small.code)} as small`.execute(db)
    const { large: largeId, small: smallId } = ids.rows[0]!
    const crawl = `planId=${largeId}`

    const filtered = (await api(listPath(`${crawl}&country=KH`))) as Page
    const first = (await api(listPath(crawl))) as Page

    // Page 1 000's cursor is page 999's nextCursor. A cursor is bound to the filters, not to the
    // page size, so the walk takes 500-row steps to row 49 500, then 50-row steps to row 49 950.
    const started = performance.now()
    let page = (await api(listPath(crawl, undefined, 500))) as Page
    let requests = 1
    for (let rows = 500; rows < (crawlPages - 1) * limit; rows += rows < 49_500 ? 500 : limit) {
      if (!page.nextCursor) throw new Error(`the crawl ended after ${rows} rows`)
      page = (await api(listPath(crawl, page.nextCursor, rows < 49_500 ? 500 : limit))) as Page
      requests++
    }
    const walkMs = performance.now() - started
    const lastPath = listPath(crawl, page.nextCursor!)
    const target = (await api(lastPath)) as Page

    const structure = await traceQuery(benchDatabaseUrl, async (d) => {
      const plan = await getPlan(d, smallId)
      const areas = await listAreasOfPlan(d, smallId)
      const activities = await listActivitiesOfPlan(d, smallId)
      return { plan, areas, activities }
    })
    if (!structure.result.plan || structure.result.activities.length !== small.activities)
      throw new Error('the structure SQL does not find the 1 000-activity plan')

    const scenarios: Scenario[] = [
      {
        name: 'activities by plan and country',
        path: listPath(`${crawl}&country=KH`),
        sql: await listSql({ planId: largeId, country: 'KH' }, filtered),
        goal: { text: 'lists ≥ 2× the generated peer (Platformatic DB ~1 400/s)', minReqPerSec: 2800 },
        note: `plan of ${large.activities.toLocaleString('en')} activities, half of them concerning KH`,
      },
      {
        name: 'activities crawl page 1',
        path: listPath(crawl),
        sql: await listSql({ planId: largeId }, first),
        goal: { text: 'lists ≥ 2× the generated peer (Platformatic DB ~1 400/s)', minReqPerSec: 2800 },
      },
      {
        name: `activities crawl page ${crawlPages}`,
        path: lastPath,
        // The position the API resumes from is in the cursor (the sort key is the natural-order code_sort).
        sql: await listSql(
          { planId: largeId },
          target,
          JSON.parse(Buffer.from(page.nextCursor!.split('.')[0]!, 'base64url').toString()).p,
        ),
        goal: {
          text: `page ${crawlPages} within 1.5× the time of page 1`,
          maxP50RatioTo: { scenario: 'activities crawl page 1', ratio: 1.5 },
        },
        note: `cursor obtained through the API in ${requests} requests (${(walkMs / 1000).toFixed(1)} s)`,
      },
      {
        name: 'structure of a 1 000-activity plan',
        path: `/v1/plans/${smallId}/structure`,
        sql: structure.sql,
        note: `${small.sections} sections › ${small.areas} areas › ${small.subAreas} sub-areas, ${small.activities} activities with their organizations: 3 statements (the API runs them concurrently)`,
      },
    ]
    return scenarios
  },
}

export default planning
