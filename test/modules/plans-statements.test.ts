import t from 'tap'
import { sql } from 'kysely'
import { json, setup } from '../helpers/app.ts'
import type { Database } from '../../src/db/database.ts'

// Every list and whole-plan view runs a fixed number of SQL statements, whatever the size of the
// plan: the same count for a plan of 10 activities and one of 1 000 (no N+1).

const uuid = (key: string) => sql<string>`md5(${key})::uuid`

/** A plan of n activities under a two-level tree, with organizations, projects, links, results and tasks. */
async function makePlan(db: Database, code: string, n: number, orgs: string[]) {
  const sections = Math.max(1, n / 100)
  const areas = Math.max(2, n / 10)
  const projects = n / 5
  await sql`insert into plans (id, code, title, countries) values (${uuid(code)}, ${code}, ${`Plan ${code}`}, '{KH,LA,TH}')`.execute(
    db,
  )
  await sql`insert into areas (id, plan_id, parent_id, code, title, kind, position)
    select md5(${code} || '/s' || i)::uuid, ${uuid(code)}, null, 'S' || i, 'Section ' || i, 'section', i from generate_series(1, ${sections}) i`.execute(
    db,
  )
  await sql`insert into areas (id, plan_id, parent_id, code, title, kind, position)
    select md5(${code} || '/a' || i)::uuid, ${uuid(code)}, md5(${code} || '/s' || (1 + i % ${sections}))::uuid, 'A' || i, 'Area ' || i, 'area', i from generate_series(1, ${areas}) i`.execute(
    db,
  )
  await sql`insert into activities (id, plan_id, area_id, code, title, category, countries)
    select md5(${code} || '/act' || i)::uuid, ${uuid(code)}, md5(${code} || '/a' || (1 + i % ${areas}))::uuid, 'Activity ' || i, 'Activity number ' || i,
      (array['training', 'research', 'coordination'])[1 + i % 3], case i % 3 when 0 then '{KH}'::text[] when 1 then '{LA}'::text[] else '{KH,TH}'::text[] end
    from generate_series(1, ${n}) i`.execute(db)
  await sql`insert into activity_organizations (activity_id, organization_id, role, position)
    select md5(${code} || '/act' || i)::uuid, ${orgs[0]}::uuid, 'lead', 0 from generate_series(1, ${n}) i
    union all select md5(${code} || '/act' || i)::uuid, ${orgs[1]}::uuid, 'participating', 1 from generate_series(1, ${n}) i`.execute(
    db,
  )
  await sql`insert into projects (id, plan_id, code, title, countries)
    select md5(${code} || '/p' || i)::uuid, ${uuid(code)}, 'PPC ' || i, 'Project ' || i, '{KH}' from generate_series(1, ${projects}) i`.execute(
    db,
  )
  await sql`insert into project_activities (project_id, activity_id, position)
    select md5(${code} || '/p' || (1 + (i - 1) / 5))::uuid, md5(${code} || '/act' || i)::uuid, i from generate_series(1, ${n}) i`.execute(
    db,
  )
  await sql`insert into project_links (project_id, linked_project_id)
    select md5(${code} || '/p' || i)::uuid, md5(${code} || '/p' || (i - 1))::uuid from generate_series(2, ${projects}) i`.execute(
    db,
  )
  await sql`insert into project_results (project_id, position, statement) select md5(${code} || '/p1')::uuid, i, 'Result ' || i from generate_series(1, ${n / 5}) i`.execute(
    db,
  )
  await sql`insert into project_tasks (project_id, phase, title, position)
    select md5(${code} || '/p1')::uuid, (array['preparation', 'core', 'follow_up'])[1 + i % 3], 'Task ' || i, i from generate_series(1, ${n / 5}) i`.execute(
    db,
  )
  const ids = await sql<{ plan: string; area: string; section: string; project: string }>`
    select md5(${code})::uuid as plan, md5(${code} || '/a1')::uuid as area, md5(${code} || '/s1')::uuid as section, md5(${code} || '/p1')::uuid as project`.execute(
    db,
  )
  return ids.rows[0]!
}

t.test('lists and plan views run the same number of statements for 10 and for 1 000 activities', async (t) => {
  // Statement counts measure what a request asks of the database: the read cache would hide it.
  const { app, admin, database } = await setup(t, { READ_CACHE_ENTRIES: 0 })
  const org = (name: string) =>
    app
      .inject({ method: 'POST', url: '/v1/organizations', headers: admin, payload: { name, kind: 'sectoral_body' } })
      .then((r) => json(r).id as string)
  const orgs = [await org('SOMTC'), await org('ACWC')]
  const small = await makePlan(database.db, 'SMALL', 10, orgs)
  const large = await makePlan(database.db, 'LARGE', 1000, orgs)

  const requests = (p: typeof small) => ({
    plans: '/v1/plans?limit=500&country=KH',
    areas: `/v1/plans/${p.plan}/areas?limit=500`,
    activities: `/v1/activities?planId=${p.plan}&limit=500`,
    'activities filtered': `/v1/activities?planId=${p.plan}&areaId=${p.section}&organizationId=${orgs[0]}&role=lead&country=KH&limit=500`,
    projects: `/v1/projects?planId=${p.plan}&limit=500`,
    results: `/v1/projects/${p.project}/results?limit=500`,
    tasks: `/v1/projects/${p.project}/tasks?limit=500&phase=core`,
    structure: `/v1/plans/${p.plan}/structure`,
    'matrix by category': `/v1/plans/${p.plan}/matrix?columns=category`,
    'matrix by organization': `/v1/plans/${p.plan}/matrix?columns=organization&role=lead`,
    'matrix by country': `/v1/plans/${p.plan}/matrix?columns=country`,
  })
  // The structure reads its three statements (plan with its tag, nodes, activities) in one snapshot: begin … commit.
  const bounds: Record<string, number> = {
    plans: 1,
    areas: 1,
    activities: 1,
    'activities filtered': 1,
    projects: 1,
    results: 1,
    tasks: 1,
    structure: 5,
    'matrix by category': 3,
    'matrix by organization': 4,
    'matrix by country': 3,
  }

  const measure = async (url: string) => {
    const { result, statements } = await database.recordStatements(() => app.inject({ url }))
    t.equal(result.statusCode, 200, url)
    return { statements: statements.length, items: JSON.parse(result.body) }
  }
  const smallUrls = requests(small)
  const largeUrls = requests(large)
  for (const name of Object.keys(smallUrls) as (keyof typeof smallUrls)[]) {
    const a = await measure(smallUrls[name])
    const b = await measure(largeUrls[name])
    t.equal(a.statements, b.statements, `${name}: the same count for both plans (${a.statements})`)
    t.ok(b.statements <= bounds[name]!, `${name}: at most ${bounds[name]} statements`)
  }

  // The large plan's views really hold the 1 000 activities.
  const structure = (await measure(largeUrls.structure)).items
  const count = (nodes: { activities: unknown[]; children: never[] }[]): number =>
    nodes.reduce((n, node) => n + node.activities.length + count(node.children), 0)
  t.equal(count(structure.areas), 1000)
  t.equal(structure.areas.length, 10, '10 sections at the top')
  t.equal((await measure(largeUrls.activities)).items.data.length, 500)
  t.equal((await measure(largeUrls['matrix by category'])).items.total, 1000)
})
