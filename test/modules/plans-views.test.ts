import t from 'tap'
import { json, setup } from '../helpers/app.ts'
import { seedDatabase } from '../../src/seed/index.ts'
import { seedId } from '../../src/schemas/seed-ids.ts'

const commit = seedId('plan', 'commit-spa-1')
const asean = seedId('plan', 'asean-apa')

interface Node {
  code: string
  kind: string
  activities: { code: string; organizations: unknown[] }[]
  children: Node[]
}

t.test('structure and matrix of the seeded plans', async (t) => {
  const { app, admin, database } = await setup(t)
  await seedDatabase(database.db)

  t.test('the COMMIT plan’s structure: sections › areas › sub-areas with their activities', async (t) => {
    const res = await app.inject({ url: `/v1/plans/${commit}/structure` })
    t.equal(res.statusCode, 200)
    const { plan, areas, unassignedActivities } = json(res)
    t.equal(plan.code, 'COMMIT SPA I')
    t.same(
      areas.map((n: Node) => [n.code, n.kind]),
      [
        ['1', 'section'],
        ['2', 'section'],
        ['3', 'section'],
        ['4', 'section'],
        ['5', 'section'],
      ],
      'five sections, in document order',
    )
    const section3 = areas[2] as Node
    t.same(
      section3.children.map((n) => n.code),
      ['Area 4', 'Area 5'],
    )
    const area5 = section3.children[1]!
    t.same(
      area5.children.map((n) => [n.code, n.kind]),
      [
        ['5.1', 'sub_area'],
        ['5.2', 'sub_area'],
        ['5.3', 'sub_area'],
      ],
    )
    t.same(
      area5.activities.map((a) => a.code),
      ['Activity 13', 'Activity 14', 'Activity 15'],
      'activities hang on their own node',
    )
    t.same(
      section3.children[0]!.activities.map((a) => a.code),
      ['Activity 11', 'Activity 12'],
    )
    const section5 = areas[4] as Node
    t.same(
      section5.activities.map((a) => a.code),
      ['Activity 18'],
    )
    t.equal(section5.activities[0]!.organizations.length, 7, 'with their organizations')
    t.same(unassignedActivities, [])
    const all = (nodes: Node[]): number => nodes.reduce((n, node) => n + node.activities.length + all(node.children), 0)
    t.equal(all(areas), 18)
  })

  t.test('the ASEAN matrix: provisions × categories, and provisions × sectoral bodies', async (t) => {
    const byCategory = json(await app.inject({ url: `/v1/plans/${asean}/matrix?rows=area&columns=category` }))
    t.equal(byCategory.total, 120)
    t.same(
      byCategory.columnHeaders.map((c: { key: string }) => c.key),
      ['institutional_development', 'research', 'training', 'prevention', 'coordination', 'monitoring'],
      'categories are fixed columns',
    )
    t.same(
      byCategory.rowHeaders.slice(0, 3).map((r: { code: string; depth: number }) => [r.code, r.depth]),
      [
        ['IV', 0],
        ['A', 1],
        ['A.A', 2],
      ],
      'rows in tree order',
    )
    t.ok(
      byCategory.rowHeaders.some((r: { code: string; total: number }) => r.code === 'C.C' && r.total === 0),
      'provisions without activities are rows too',
    )
    const cellSum = byCategory.cells.reduce((n: number, c: { count: number }) => n + c.count, 0)
    t.equal(cellSum, 120, 'each activity in exactly one category cell')
    const rowTotal = (m: { rowHeaders: { code: string; total: number }[] }, code: string) =>
      m.rowHeaders.find((r) => r.code === code)!.total

    const byBody = json(await app.inject({ url: `/v1/plans/${asean}/matrix?columns=organization&role=lead` }))
    const acwc = seedId('organization', 'acwc')
    const header = byBody.columnHeaders.find((c: { key: string }) => c.key === acwc)
    t.equal(header.label, 'ACWC', 'columns are labelled with the acronym')
    const aaRow = byBody.rowHeaders.find((r: { code: string }) => r.code === 'A.A')
    const cell = byBody.cells.find((c: { row: string; column: string }) => c.row === aaRow.id && c.column === acwc)
    const codes = await Promise.all(
      cell.activityIds.map(async (id: string) => json(await app.inject({ url: `/v1/activities/${id}` })).code),
    )
    t.same(codes, ['A.A-ACWC-1', 'A.A-ACWC-2'], 'a cell holds the ids of its activities')
    t.equal(cell.count, 2)
    t.equal(rowTotal(byBody, 'A.A'), rowTotal(byCategory, 'A.A'), 'every ASEAN entry has one lead body')

    const byCountry = json(await app.inject({ url: `/v1/plans/${commit}/matrix?columns=country` }))
    t.same(
      byCountry.columnHeaders.map((c: { key: string }) => c.key),
      ['CN', 'KH', 'LA', 'MM', 'TH', 'VN'],
    )
    t.ok(byCountry.columnHeaders.every((c: { total: number }) => c.total === 18))
  })

  t.test('the views follow writes, and reject what they cannot answer', async (t) => {
    const created = await app.inject({
      method: 'POST',
      url: '/v1/activities',
      headers: admin,
      payload: {
        planId: commit,
        areaId: seedId('area', 'commit-spa-1/5.2'),
        code: 'Activity 19',
        title: 'Reintegration pilot',
        category: 'prevention',
      },
    })
    t.equal(created.statusCode, 201)
    const loose = await app.inject({
      method: 'POST',
      url: '/v1/activities',
      headers: admin,
      payload: { planId: commit, code: 'Activity 20', title: 'Not yet placed' },
    })
    const { areas, unassignedActivities } = json(await app.inject({ url: `/v1/plans/${commit}/structure` }))
    const sub52 = (areas[2] as Node).children[1]!.children[1]!
    t.same(
      sub52.activities.map((a) => a.code),
      ['Activity 19'],
    )
    t.same(
      unassignedActivities.map((a: { id: string }) => a.id),
      [json(loose).id],
    )
    const matrix = json(await app.inject({ url: `/v1/plans/${commit}/matrix?columns=category&status=planned` }))
    t.ok(
      matrix.cells.some(
        (c: { row: string; column: string }) =>
          c.row === seedId('area', 'commit-spa-1/5.2') && c.column === 'prevention',
      ),
    )
    t.ok(
      matrix.rowHeaders.some((r: { id: string | null; title: string }) => r.id === null && r.title === 'No area'),
      'activities without an area have their own row',
    )
    t.equal(json(await app.inject({ url: `/v1/plans/${commit}/matrix?columns=category&status=completed` })).total, 0)

    t.equal((await app.inject({ url: `/v1/plans/00000000-0000-4000-8000-000000000000/structure` })).statusCode, 404)
    t.equal(
      (await app.inject({ url: `/v1/plans/00000000-0000-4000-8000-000000000000/matrix?columns=country` })).statusCode,
      404,
    )
    const noColumns = await app.inject({ url: `/v1/plans/${commit}/matrix` })
    t.equal(noColumns.statusCode, 400)
    t.equal(json(noColumns).errors[0].pointer, '/query/columns')
    t.equal((await app.inject({ url: `/v1/plans/${commit}/matrix?rows=country&columns=area` })).statusCode, 400)
  })
})
