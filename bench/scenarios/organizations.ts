import { sql } from 'kysely'
import { idKey, resolveSort, type PageRequest } from '../../src/http/pagination.ts'
import {
  getOrganization,
  listOrganizations,
  organizationSortTable,
  type OrganizationRow,
} from '../../src/modules/organizations/organizations.queries.ts'
import { captureSql, toScript, traceQuery } from '../sql.ts'
import { benchDatabaseUrl } from '../settings.ts'
import type { BenchModule, Scenario } from '../types.ts'

// Organizations: the first page of the default crawl (sort=name, limit=50), page 1 000 of the
// same crawl, and single reads rotating over 100 ids. The organizations themselves are the base
// dataset (bench/dataset.ts loads them before any module). The SQL beside each scenario comes
// from the service's own query functions (bench/sql.ts), and is checked to return the rows the
// API returned. Page 1 and the single reads are also measured beside the generated peer
// (Platformatic DB, bench/peer.ts) and the bare Fastify + pg route, in rounds (run.ts): their
// goals are ratios to the peer measured in the same run.

const limit = 50
const crawlPages = 1000

interface Page {
  data: { id: string; name: string }[]
  nextCursor: string | null
}

const listPath = (cursor?: string) =>
  `/v1/organizations?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`

/** What the list route builds for ?limit=50 (default sort: name), after a given position. */
function pageRequest(after?: unknown[]): PageRequest {
  return { sort: resolveSort('name', organizationSortTable, idKey('organizations')), after, limit, binding: '' }
}

/** The SQL of one list page, checked against the page the API returned. */
async function listSql(page: Page, after?: unknown[]): Promise<string> {
  const { result, sql: text } = await traceQuery(benchDatabaseUrl, (db) =>
    listOrganizations(db, {}, pageRequest(after)),
  )
  const ids = (result as OrganizationRow[]).slice(0, limit).map((r) => r.id)
  if (ids.join() !== page.data.map((o) => o.id).join())
    throw new Error('the captured list SQL returns other rows than the API did')
  return text
}

const organizations: BenchModule = {
  name: 'organizations',
  async load() {
    // Loaded by bench/dataset.ts before every module: the other modules refer to them.
  },
  async scenarios({ db, api }) {
    // Walk the crawl through the API: page 1 000's cursor is page 999's nextCursor.
    const first = (await api(listPath())) as Page
    let page = first
    const started = performance.now()
    for (let n = 2; n < crawlPages; n++) {
      if (!page.nextCursor)
        throw new Error(`the crawl ended at page ${n - 1}: load at least ${crawlPages * limit} organizations`)
      page = (await api(listPath(page.nextCursor))) as Page
    }
    const walkMs = (performance.now() - started) / (crawlPages - 2)
    if (!page.nextCursor) throw new Error(`the crawl ended at page ${crawlPages - 1}`)
    const lastPath = listPath(page.nextCursor)
    const last = page.data.at(-1)!
    const target = (await api(lastPath)) as Page

    const ids = await sql<{ id: string }>`select id from organizations order by md5(id::text) limit 100`.execute(db)
    const variants: { path: string; sql: string }[] = []
    for (const { id } of ids.rows) {
      const statements = await captureSql((d) => getOrganization(d, id))
      variants.push({ path: `/v1/organizations/${id}`, sql: toScript(statements) })
    }
    const check = await traceQuery(benchDatabaseUrl, (d) => getOrganization(d, ids.rows[0]!.id))
    if (check.sql !== variants[0]!.sql || check.result?.id !== ids.rows[0]!.id)
      throw new Error('the captured get SQL does not find the organization')

    const scenarios: Scenario[] = [
      {
        name: 'list page 1',
        path: listPath(),
        sql: await listSql(first),
        comparison: {
          // orderby.id breaks ties among equal names as ours does (sort=name is name, id), so
          // both answer the same 50 rows in the same order.
          peer: [`/organizations?limit=${limit}&orderby.name=asc&orderby.id=asc`],
          bare: ['/bare/organizations'],
          minRatio: 2,
          note: `the peer reads ${limit} rows (limit/offset, no next-page cursor) and answers a bare array; ours reads ${limit + 1} to sign a next cursor`,
        },
      },
      {
        name: `list page ${crawlPages}`,
        path: lastPath,
        sql: await listSql(target, [last.name, last.id]),
        goal: {
          text: `page ${crawlPages} within 1.5× the time of page 1`,
          maxP50RatioTo: { scenario: 'list page 1', ratio: 1.5 },
        },
        note: `cursor obtained by walking ${crawlPages - 1} pages through the API, ${walkMs.toFixed(2)} ms per page sequentially`,
      },
      {
        name: 'get by id',
        path: variants[0]!.path,
        sql: variants[0]!.sql,
        variants,
        comparison: {
          peer: ids.rows.map(({ id }) => `/organizations/${id}`),
          bare: ids.rows.map(({ id }) => `/bare/organizations/${id}`),
          minRatio: 1.5,
        },
        note: `rotates over ${variants.length} ids (pgbench: one script per id)`,
      },
    ]
    return scenarios
  },
}

export default organizations
