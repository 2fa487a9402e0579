import t from 'tap'
import { sql } from 'kysely'
import { json, setup } from './helpers/app.ts'
import { seedDatabase } from '../src/seed/index.ts'
import { seedId } from '../src/schemas/seed-ids.ts'
import { Plan } from '../src/modules/plans/plans.schemas.ts'
import { Activity } from '../src/modules/activities/activities.schemas.ts'
import { Project } from '../src/modules/projects/projects.schemas.ts'

const commit = seedId('plan', 'commit-spa-1')
const activityId = (code: string) => seedId('activity', `commit-spa-1/${code}`)

/** Every row's id, version and update time in the planning tables, and the change log's length. */
async function snapshot(db: Parameters<typeof seedDatabase>[0]) {
  const tables = ['plans', 'areas', 'activities', 'projects', 'project_results', 'project_tasks']
  const rows: Record<string, unknown[]> = {}
  for (const table of tables)
    rows[table] = (await sql`select id, version, updated_at from ${sql.table(table)} order by id`.execute(db)).rows
  for (const table of ['activity_organizations', 'project_activities', 'project_links'])
    rows[table] = (await sql`select * from ${sql.table(table)} order by 1, 2`.execute(db)).rows
  rows.changes = (await sql`select count(*)::int as n from changes`.execute(db)).rows
  return rows
}

t.test('the seed loads the COMMIT plan as the documents state it, and a second run changes nothing', async (t) => {
  const { app, database } = await setup(t)
  const first = await seedDatabase(database.db)
  t.ok(first.created > 300, `the first run creates rows (${first.created})`)

  const all = <T>(url: string) => app.inject({ url }).then((r) => json(r).data as T[])
  const plan = json(await app.inject({ url: `/v1/plans/${commit}` }))
  t.match(plan, {
    code: 'COMMIT SPA I',
    // 004 says the Governments adopted it, and gives no date: SOM 2 agreed the framework (a milestone).
    status: 'adopted',
    countries: ['KH', 'CN', 'LA', 'MM', 'TH', 'VN'],
    adoption: null,
    milestones: [{ kind: 'framework_adopted', date: '2004-10-28', place: 'Yangon', meeting: 'SOM 2' }],
  })

  const areas = await all<{ kind: string; code: string }>(`/v1/plans/${commit}/areas?limit=100`)
  const kinds = (kind: string) => areas.filter((a) => a.kind === kind).map((a) => a.code)
  t.same(kinds('area').sort(), ['Area 1', 'Area 2', 'Area 3', 'Area 4', 'Area 5', 'Area 6', 'Area 7'], '7 areas')
  t.equal(kinds('section').length, 5, 'in 5 sections')
  t.same(kinds('sub_area').sort(), ['5.1', '5.2', '5.3'], 'and 3 sub-areas')

  const activities = await all<{ id: string; code: string; title: string }>(`/v1/activities?planId=${commit}&limit=100`)
  t.equal(activities.length, 18, '18 activities')
  const eleven = activities.find((a) => a.code === 'Activity 11')!
  t.equal(eleven.title, 'Workshop on criteria and processes for identification of victims')
  t.equal(eleven.id, activityId('Activity 11'), 'activity ids are seedId(activity, plan/code)')

  const projects = await all<{ id: string; code: string; activityIds: string[]; linkedProjectIds: string[] }>(
    `/v1/projects?planId=${commit}&limit=100`,
  )
  t.equal(projects.length, 12, '12 projects')
  const ppc2 = projects.find((p) => p.code === 'PPC 2')!
  t.same(
    ppc2.activityIds,
    ['Activity 6', 'Activity 7', 'Activity 11', 'Activity 12'].map(activityId),
    'PPC 2 covers Activities 6, 7, 11 and 12',
  )
  t.same(ppc2.linkedProjectIds, [seedId('project', 'commit-spa-1/PPC 3')])
  t.equal(ppc2.id, seedId('project', 'commit-spa-1/PPC 2'))
  t.equal(json(await app.inject({ url: `/v1/projects/${ppc2.id}/results` })).data.length, 5)
  t.equal(json(await app.inject({ url: `/v1/projects/${ppc2.id}/tasks?limit=500` })).data.length, 12)
  const eighteen = json(await app.inject({ url: `/v1/activities/${activityId('Activity 18')}` }))
  t.equal(eighteen.organizations.length, 7, 'Activity 18 is implemented by the six task forces and UNIAP')

  const asean = json(await app.inject({ url: `/v1/activities?planId=${seedId('plan', 'asean-apa')}&limit=500` })).data
  t.equal(asean.length, 120, 'the ASEAN matrix has 120 entries')
  t.equal(
    json(await app.inject({ url: '/v1/plans?limit=100' })).data.length,
    10,
    'COMMIT, ASEAN APA and the 8 catalogued plans',
  )

  const before = await snapshot(database.db)
  const second = await seedDatabase(database.db)
  t.same(
    { created: second.created, updated: second.updated },
    { created: 0, updated: 0 },
    'the second run writes nothing',
  )
  t.same(await snapshot(database.db), before, 'no row, version, join row or change differs after the second run')
})

t.test('the OpenAPI examples are the seeded COMMIT data', async (t) => {
  const { app, database } = await setup(t)
  await seedDatabase(database.db)
  const documented = [
    [Plan, '/v1/plans/'],
    [Activity, '/v1/activities/'],
    [Project, '/v1/projects/'],
  ] as [unknown, string][]
  for (const [schema, url] of documented) {
    const { $id, examples } = schema as { $id: string; examples: Record<string, unknown>[] }
    const example = examples[0]!
    const actual = json(await app.inject({ url: `${url}${example.id as string}` }))
    t.equal(actual.code, example.code, `${$id} example exists`)
    t.equal(actual.title, example.title)
  }
})

t.test('a row that differs from the files (changed outside the API) is written once, with a change row', async (t) => {
  const { app, database } = await setup(t)
  await seedDatabase(database.db)
  // The rows drift from data/ without any API key writing them (a hand edit, or the files moved
  // on): the seed puts the files' values back, and only those. Rows users changed through the
  // API are kept instead (test/first-hour.test.ts).
  const eleven = activityId('Activity 11')
  const eighteen = activityId('Activity 18')
  await sql`update activities set title = 'Edited' where id = ${eleven}`.execute(database.db)
  await sql`delete from activity_organizations where activity_id = ${eighteen}`.execute(database.db)
  await sql`update activities set related_revision = related_revision + 1 where id = ${eighteen}`.execute(database.db)
  const changesBefore = (await sql<{ n: number }>`select count(*)::int as n from changes`.execute(database.db)).rows[0]!
    .n
  const again = await seedDatabase(database.db)
  t.same(
    { created: again.created, updated: again.updated, kept: again.kept },
    { created: 0, updated: 2, kept: 0 },
    'only those two activities are written',
  )
  const restored = json(await app.inject({ url: `/v1/activities/${eleven}` }))
  t.equal(restored.title, 'Workshop on criteria and processes for identification of victims')
  t.equal(restored.version, 3)
  const reattached = json(await app.inject({ url: `/v1/activities/${eighteen}` }))
  t.equal(reattached.organizations.length, 7, 'a change of organizations alone is put back')
  t.equal(reattached.version, 3, 'and counts as a new version of the activity')
  const changesAfter = (await sql<{ n: number }>`select count(*)::int as n from changes`.execute(database.db)).rows[0]!
    .n
  t.equal(changesAfter - changesBefore, 2, 'one change row each')
})
