import t from 'tap'
import { json, setup, type TestContext } from '../helpers/app.ts'

// The structure view's ETag, and the matrix's totals rolled up the tree.

async function plan(ctx: TestContext, code: string) {
  const post = (url: string, payload: object) =>
    ctx.app.inject({ method: 'POST', url, headers: ctx.admin, payload }).then((r) => {
      if (r.statusCode !== 201) throw new Error(`${url}: ${r.statusCode} ${r.body}`)
      return json(r).id as string
    })
  const id = await post('/v1/plans', { code, title: `Plan ${code}` })
  const pillar = await post(`/v1/plans/${id}/areas`, { code: 'I', title: 'Pillar I', kind: 'pillar' })
  const section = await post(`/v1/plans/${id}/areas`, {
    code: 'I.A',
    title: 'Section I.A',
    kind: 'section',
    parentId: pillar,
  })
  const provision = await post(`/v1/plans/${id}/areas`, {
    code: 'I.A.1',
    title: 'Provision I.A.1',
    kind: 'provision',
    parentId: section,
  })
  const other = await post(`/v1/plans/${id}/areas`, { code: 'II', title: 'Pillar II', kind: 'pillar' })
  const activity = (code: string, areaId: string | null, category: string) =>
    post('/v1/activities', { planId: id, code, title: code, category, ...(areaId ? { areaId } : {}) })
  return { id, pillar, section, provision, other, activity }
}

t.test('the structure has an ETag that changes exactly when the plan’s tree does', async (t) => {
  const ctx = await setup(t)
  const { app, admin } = ctx
  const p = await plan(ctx, 'SPA')
  const other = await plan(ctx, 'OTHER')
  const a1 = await p.activity('Activity 1', p.provision, 'training')
  await p.activity('Activity 2', p.section, 'research')
  const elsewhere = await other.activity('Activity 1', other.provision, 'training')

  const get = (etag?: string) =>
    app.inject({ url: `/v1/plans/${p.id}/structure`, headers: etag ? { 'if-none-match': etag } : {} })
  const first = await get()
  t.equal(first.statusCode, 200)
  const tag = first.headers.etag as string
  t.match(tag, /^W\/"[0-9a-f]{32}"$/, 'a weak tag: it names the data the view was built from')
  t.equal((await get()).headers.etag, tag, 'the same data gives the same tag')

  const revalidated = await get(tag)
  t.equal(revalidated.statusCode, 304, 'If-None-Match with the current tag: 304')
  t.equal(revalidated.body, '')
  t.equal(revalidated.headers.etag, tag)
  t.equal((await get(`"other", ${tag}`)).statusCode, 304, 'one of a list of tags')
  t.equal((await get('"stale"')).statusCode, 200)

  const patched = await app.inject({
    method: 'PATCH',
    url: `/v1/activities/${elsewhere}`,
    headers: admin,
    payload: { title: 'Changed in another plan' },
  })
  t.equal(patched.statusCode, 200)
  t.equal((await get(tag)).statusCode, 304, 'a change to another plan leaves the tag alone')

  t.equal(
    (
      await app.inject({
        method: 'PATCH',
        url: `/v1/activities/${a1}`,
        headers: admin,
        payload: { status: 'in_progress' },
      })
    ).statusCode,
    200,
  )
  const afterChange = await get(tag)
  t.equal(afterChange.statusCode, 200, 'a change to an activity of the plan changes the tag')
  const tag2 = afterChange.headers.etag as string
  t.not(tag2, tag)
  t.equal(json(afterChange).areas[0].children[0].children[0].activities[0].status, 'in_progress')

  t.equal(
    (
      await app.inject({
        method: 'PATCH',
        url: `/v1/activities/${a1}`,
        headers: admin,
        payload: { status: 'in_progress' },
      })
    ).statusCode,
    200,
  )
  t.equal((await get(tag2)).statusCode, 304, 'a write that changes nothing leaves the tag alone')

  t.equal((await app.inject({ method: 'DELETE', url: `/v1/activities/${a1}`, headers: admin })).statusCode, 204)
  const afterDelete = await get(tag2)
  t.equal(afterDelete.statusCode, 200, 'a delete changes the tag')
  const tag3 = afterDelete.headers.etag as string
  t.not(tag3, tag2)

  t.equal(
    (
      await app.inject({
        method: 'PATCH',
        url: `/v1/plans/${p.id}/areas/${p.other}`,
        headers: admin,
        payload: { title: 'Pillar Two' },
      })
    ).statusCode,
    200,
  )
  t.not((await get(tag3)).headers.etag, tag3, 'a change to a node changes the tag')
  const tag4 = (await get()).headers.etag as string
  t.equal(
    (await app.inject({ method: 'PATCH', url: `/v1/plans/${p.id}`, headers: admin, payload: { status: 'active' } }))
      .statusCode,
    200,
  )
  t.equal((await get(tag4)).statusCode, 200, 'a change to the plan itself changes the tag')

  t.equal(
    (
      await app.inject({
        url: `/v1/plans/00000000-0000-4000-8000-000000000000/structure`,
        headers: { 'if-none-match': '*' },
      })
    ).statusCode,
    404,
    'an unknown plan is 404, not 304',
  )
})

t.test('matrix rows and cells roll up the activities of the nodes below them', async (t) => {
  const ctx = await setup(t)
  const p = await plan(ctx, 'APA')
  const [t1, r1, t2] = [
    await p.activity('P-1', p.provision, 'training'),
    await p.activity('P-2', p.provision, 'research'),
    await p.activity('S-1', p.section, 'training'),
  ]
  const loose = await p.activity('X-1', null, 'training')

  const m = json(await ctx.app.inject({ url: `/v1/plans/${p.id}/matrix?columns=category` }))
  const row = (code: string | null) => m.rowHeaders.find((r: { code: string | null }) => r.code === code)
  t.match(row('I'), { depth: 0, own: 0, total: 3 }, 'a pillar counts the activities of its section and provision')
  t.match(row('I.A'), { depth: 1, own: 1, total: 3 })
  t.match(row('I.A.1'), { depth: 2, own: 2, total: 2 })
  t.match(row('II'), { own: 0, total: 0 })
  t.match(row(null), { title: 'No area', own: 1, total: 1 })
  t.equal(m.total, 4)

  const cell = (rowId: string | null, column: string) =>
    m.cells.find((c: { row: string | null; column: string }) => c.row === rowId && c.column === column)
  t.match(
    cell(p.pillar, 'training'),
    { own: 0, count: 0, total: 2, activityIds: [] },
    'a pillar’s cell rolls up its column',
  )
  t.match(cell(p.pillar, 'research'), { own: 0, total: 1 })
  t.match(cell(p.section, 'training'), { own: 1, count: 1, total: 2, activityIds: [t2] })
  t.match(cell(p.provision, 'training'), { own: 1, total: 1, activityIds: [t1] })
  t.match(cell(p.provision, 'research'), { own: 1, total: 1, activityIds: [r1] })
  t.match(cell(null, 'training'), { own: 1, total: 1, activityIds: [loose] })
  t.notOk(cell(p.other, 'training'), 'an empty pillar has no cells')
  t.match(
    cell(p.section, 'research'),
    { own: 0, total: 1, activityIds: [] },
    'a section’s cell exists for its provision’s column',
  )

  // One activity reached through several organizations counts once in its row's total.
  const orgs = await Promise.all(
    ['SOMTC', 'ACWC'].map((name) =>
      ctx.app
        .inject({
          method: 'POST',
          url: '/v1/organizations',
          headers: ctx.admin,
          payload: { name, kind: 'sectoral_body' },
        })
        .then((r) => json(r).id as string),
    ),
  )
  await ctx.app.inject({
    method: 'PATCH',
    url: `/v1/activities/${t1}`,
    headers: ctx.admin,
    payload: { organizations: orgs.map((organizationId) => ({ organizationId, role: 'lead' })) },
  })
  const byOrg = json(await ctx.app.inject({ url: `/v1/plans/${p.id}/matrix?columns=organization` }))
  const pillar = byOrg.rowHeaders.find((r: { code: string }) => r.code === 'I')
  t.equal(pillar.total, 3, 'an activity in two columns counts once in the row total')
  const pillarCells = byOrg.cells.filter((c: { row: string }) => c.row === p.pillar)
  t.same(
    pillarCells.map((c: { column: string | null; total: number }) => [c.column, c.total]).sort(),
    [
      [orgs[0], 1],
      [orgs[1], 1],
      [null, 2],
    ].sort(),
    'and once in each of its columns',
  )
})
