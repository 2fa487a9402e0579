import t from 'tap'
import type { Test } from 'tap'
import { json, setup } from '../helpers/app.ts'

// Codes sort naturally — Activity 2 before Activity 10, 5.1 before 5.10, PPC 2 before PPC 12 —
// in the lists (across pages, with cursors), their CSV exports and the structure tree.

type Ctx = Awaited<ReturnType<typeof setup>>

const poster = ({ app, admin }: Ctx) =>
  async function post(url: string, payload: object) {
    const res = await app.inject({ method: 'POST', url, headers: admin, payload })
    if (res.statusCode !== 201) throw new Error(`${url}: ${res.statusCode} ${res.body}`)
    return json(res)
  }

/** Every page of a list, following its cursors: the codes in order, and how many pages. */
async function crawl(t: Test, { app }: Ctx, url: string) {
  const codes: string[] = []
  let next: string | null = url
  let pages = 0
  while (next) {
    const res: { statusCode: number; body: string } = await app.inject({ url: next })
    t.equal(res.statusCode, 200, next)
    const page = json(res)
    codes.push(...page.data.map((r: { code: string }) => r.code))
    next = page.nextCursor ? `${url}&cursor=${page.nextCursor}` : null
    pages++
  }
  return { codes, pages }
}

/** One column of a CSV export (no BOM), without its header. */
async function csvColumn(t: Test, { app }: Ctx, url: string, name: string) {
  const csv = await app.inject({ url })
  t.equal(csv.statusCode, 200)
  const lines = csv.body.trim().split('\r\n')
  const column = lines[0]!.split(',').indexOf(name)
  return lines.slice(1).map((l) => l.split(',')[column])
}

t.test('codes sort naturally in lists, exports and the structure', async (t) => {
  const ctx = await setup(t)
  const { app, admin, database } = ctx
  const post = poster(ctx)
  const plan = await post('/v1/plans', { code: 'COMMIT SPA I', title: 'COMMIT Sub-Regional Plan of Action' })
  const section = await post(`/v1/plans/${plan.id}/areas`, { code: '5', title: 'Section 5', kind: 'section' })
  // Created out of order, all at the same position: only the code orders them.
  for (const code of ['5.10', '5.2', '5.1', '5.9'])
    await post(`/v1/plans/${plan.id}/areas`, { code, title: `Sub-area ${code}`, parentId: section.id, position: 0 })
  const natural = Array.from({ length: 18 }, (_, i) => `Activity ${i + 1}`)
  for (const code of [...natural].reverse())
    await post('/v1/activities', { planId: plan.id, areaId: section.id, code, title: code })
  for (const code of ['PPC 12', 'PP 12', 'PPC 2', 'PPC 1'])
    await post('/v1/projects', { planId: plan.id, code, title: code })

  const asc = await crawl(t, ctx, `/v1/activities?planId=${plan.id}&limit=5`)
  t.same(asc.codes, natural, 'Activity 1 … 18 across four pages, the cursor carrying the sort key')
  t.equal(asc.pages, 4)
  t.same(
    (await crawl(t, ctx, `/v1/activities?planId=${plan.id}&limit=4&sort=-code`)).codes,
    [...natural].reverse(),
    'and descending',
  )
  t.same((await crawl(t, ctx, `/v1/activities?limit=7`)).codes, natural, 'without a plan too')
  t.same((await crawl(t, ctx, `/v1/projects?planId=${plan.id}&limit=3`)).codes, ['PP 12', 'PPC 1', 'PPC 2', 'PPC 12'])
  t.same((await crawl(t, ctx, `/v1/plans/${plan.id}/areas?limit=2&parentId=${section.id}`)).codes, [
    '5.1',
    '5.2',
    '5.9',
    '5.10',
  ])

  t.same(
    await csvColumn(t, ctx, `/v1/activities/export?planId=${plan.id}&format=csv&bom=false`, 'code'),
    natural,
    'the CSV export in natural order',
  )

  const structure = json(await app.inject({ url: `/v1/plans/${plan.id}/structure` }))
  t.same(
    structure.areas[0].children.map((n: { code: string }) => n.code),
    ['5.1', '5.2', '5.9', '5.10'],
    'siblings at one position by natural code',
  )
  t.same(
    structure.areas[0].activities.map((a: { code: string }) => a.code),
    natural,
    'a node’s activities by natural code',
  )

  // Renaming moves the row; a write that leaves the code alone keeps the version.
  const a2 = (await crawl(t, ctx, `/v1/activities?planId=${plan.id}&code=Activity%202&limit=5`)).codes
  t.same(a2, ['Activity 2'])
  const row = await database.db
    .selectFrom('activities')
    .select(['id', 'version', 'codeSort'])
    .where('code', '=', 'Activity 2')
    .executeTakeFirstOrThrow()
  t.equal(row.codeSort, 'Activity 0000000002')
  const same = json(
    await app.inject({
      method: 'PATCH',
      url: `/v1/activities/${row.id}`,
      headers: admin,
      payload: { code: 'Activity 2' },
    }),
  )
  t.equal(same.version, row.version, 'no change, no new version')
  await app.inject({
    method: 'PATCH',
    url: `/v1/activities/${row.id}`,
    headers: admin,
    payload: { code: 'Activity 20' },
  })
  t.same((await crawl(t, ctx, `/v1/activities?planId=${plan.id}&limit=50`)).codes.slice(-2), [
    'Activity 18',
    'Activity 20',
  ])
})

t.test('indicator codes sort naturally: the list, its export and a plan’s progress', async (t) => {
  const ctx = await setup(t)
  const post = poster(ctx)
  const plan = await post('/v1/plans', { code: 'NATURAL', title: 'Indicators in natural order' })
  const natural = ['PPC 1.1', 'PPC 1.2', 'PPC 1.10', 'PPC 2.1', 'PPC 10.1']
  for (const code of ['PPC 10.1', 'PPC 1.10', 'PPC 2.1', 'PPC 1.2', 'PPC 1.1'])
    await post('/v1/indicators', { planId: plan.id, code, title: `Indicator ${code}`, unit: 'count' })

  const asc = await crawl(t, ctx, `/v1/indicators?planId=${plan.id}&limit=2`)
  t.same(asc.codes, natural, 'across three pages')
  t.equal(asc.pages, 3)
  t.same(
    (await crawl(t, ctx, `/v1/indicators?planId=${plan.id}&sort=-code`)).codes,
    [...natural].reverse(),
    'and descending',
  )
  t.same(
    await csvColumn(t, ctx, `/v1/indicators/export?planId=${plan.id}&format=csv&bom=false`, 'code'),
    natural,
    'the CSV export',
  )
  const progress = await ctx.app.inject({ url: `/v1/plans/${plan.id}/progress` })
  t.equal(progress.statusCode, 200, progress.body)
  t.same(
    json(progress).indicators.map((i: { code: string }) => i.code),
    natural,
    'the plan’s progress',
  )
})
