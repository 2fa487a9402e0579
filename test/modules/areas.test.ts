import t from 'tap'
import { json, setup } from '../helpers/app.ts'
import { listChangesOf } from '../../src/modules/changes/changes.queries.ts'

t.test('a plan’s tree: create, read, move, rules, delete', async (t) => {
  const { app, admin, database } = await setup(t)
  const plan = json(
    await app.inject({
      method: 'POST',
      url: '/v1/plans',
      headers: admin,
      payload: { code: 'COMMIT SPA I', title: 'COMMIT Sub-Regional Plan of Action' },
    }),
  )
  const other = json(
    await app.inject({
      method: 'POST',
      url: '/v1/plans',
      headers: admin,
      payload: { code: 'APA', title: 'ASEAN Plan of Action' },
    }),
  )
  const base = `/v1/plans/${plan.id}/areas`
  const add = (payload: object, planId = plan.id) =>
    app.inject({ method: 'POST', url: `/v1/plans/${planId}/areas`, headers: admin, payload })

  const created = await add({ code: '3', title: 'Protection, Recovery & Reintegration', kind: 'section' })
  t.equal(created.statusCode, 201)
  const section = json(created)
  t.match(section, { planId: plan.id, parentId: null, code: '3', kind: 'section', position: 0, version: 1 })
  t.equal(created.headers.location, `${base}/${section.id}`)
  const area4 = json(
    await add({
      code: 'Area 4',
      title: 'Development of effective systems for victim identification',
      parentId: section.id,
    }),
  )
  const area5 = json(
    await add({
      code: 'Area 5',
      title: 'Enhance and strengthen repatriation and reintegration programmes',
      parentId: section.id,
    }),
  )
  t.same(
    [area4.kind, area4.position, area5.position],
    ['area', 0, 1],
    'kind defaults to area; a new node goes after its last sibling',
  )
  const sub = json(
    await add({ code: '5.1', title: 'Improve repatriation systems', kind: 'sub_area', parentId: area5.id }),
  )

  t.same(json(await app.inject({ url: `${base}/${sub.id}` })), sub)
  t.equal(
    (await app.inject({ url: `/v1/plans/${other.id}/areas/${sub.id}` })).statusCode,
    404,
    'a node is found under its own plan only',
  )
  t.equal(
    (await app.inject({ url: `/v1/plans/00000000-0000-4000-8000-000000000000/areas` })).statusCode,
    404,
    'the areas of an unknown plan are 404',
  )
  t.same(
    json(await app.inject({ url: `/v1/plans/${other.id}/areas` })).data,
    [],
    'a plan without nodes has an empty list',
  )

  const cycle = await app.inject({
    method: 'PATCH',
    url: `${base}/${section.id}`,
    headers: admin,
    payload: { parentId: sub.id },
  })
  t.equal(cycle.statusCode, 422, 'moving a node under its own descendant is 422')
  t.match(json(cycle), { type: '/problems/rule-violation', errors: [{ pointer: '/body/parentId' }] })
  t.equal(
    (await app.inject({ method: 'PATCH', url: `${base}/${area5.id}`, headers: admin, payload: { parentId: area5.id } }))
      .statusCode,
    422,
    'and under itself',
  )

  const foreignParent = json(await add({ code: 'A', title: 'Prevention of TIP', kind: 'pillar' }, other.id))
  const crossPlan = await add({ code: 'X', title: 'x', parentId: foreignParent.id })
  t.equal(crossPlan.statusCode, 422, 'a parent in another plan is 422')
  t.match(json(crossPlan), { errors: [{ pointer: '/body/parentId' }] })
  t.equal((await add({ code: 'X', title: 'x', parentId: '00000000-0000-4000-8000-000000000000' })).statusCode, 422)
  t.equal((await add({ code: 'Area 4', title: 'again' })).statusCode, 409, 'codes are unique within the plan')
  t.equal((await add({ code: 'Area 4', title: 'same code, other plan' }, other.id)).statusCode, 201)
  t.equal((await add({ code: 'Y', title: 'y', kind: 'Not A Kind' })).statusCode, 400)

  const moved = await app.inject({
    method: 'PATCH',
    url: `${base}/${sub.id}`,
    headers: { ...admin, 'content-type': 'application/merge-patch+json', 'if-match': '"1"' },
    payload: { parentId: area4.id, position: 3 },
  })
  t.equal(moved.statusCode, 200, 'a node moves under another node')
  t.match(json(moved), { parentId: area4.id, position: 3, version: 2 })
  const top = await app.inject({
    method: 'PATCH',
    url: `${base}/${sub.id}`,
    headers: admin,
    payload: { parentId: null },
  })
  t.match(json(top), { parentId: null, version: 3 }, 'null moves it to the top')

  const activity = json(
    await app.inject({
      method: 'POST',
      url: '/v1/activities',
      headers: admin,
      payload: {
        planId: plan.id,
        areaId: area4.id,
        code: 'Activity 11',
        title: 'Workshop on criteria and processes for identification of victims',
      },
    }),
  )
  const withChildren = await app.inject({ method: 'DELETE', url: `${base}/${section.id}`, headers: admin })
  t.equal(withChildren.statusCode, 409)
  t.match(json(withChildren), {
    type: '/problems/still-referenced',
    references: [{ resource: 'areas', field: 'parentId' }],
  })
  const withActivities = await app.inject({ method: 'DELETE', url: `${base}/${area4.id}`, headers: admin })
  t.equal(withActivities.statusCode, 409)
  t.match(json(withActivities), { references: [{ resource: 'activities', field: 'areaId' }] })
  await app.inject({ method: 'DELETE', url: `/v1/activities/${activity.id}`, headers: admin })
  t.equal((await app.inject({ method: 'DELETE', url: `${base}/${area4.id}`, headers: admin })).statusCode, 204)
  t.equal((await app.inject({ method: 'DELETE', url: `${base}/${area4.id}`, headers: admin })).statusCode, 404)
  t.same(
    (await listChangesOf(database.db, 'area', sub.id)).map((c) => c.operation),
    ['create', 'update', 'update'],
  )
})

t.test('list filters and sorts', async (t) => {
  const { app, admin } = await setup(t)
  const plan = json(
    await app.inject({
      method: 'POST',
      url: '/v1/plans',
      headers: admin,
      payload: { code: 'APA', title: 'ASEAN Plan of Action' },
    }),
  )
  const base = `/v1/plans/${plan.id}/areas`
  const add = (payload: object) => app.inject({ method: 'POST', url: base, headers: admin, payload }).then(json)
  const pillar = await add({ code: 'A', title: 'Prevention of TIP', kind: 'pillar' })
  await add({ code: 'A.A', title: 'Increase awareness campaigns', kind: 'provision', parentId: pillar.id })
  await add({
    code: 'A.B',
    title: 'Continue capacity building of law enforcement',
    kind: 'provision',
    parentId: pillar.id,
  })
  await add({ code: 'A.3', title: 'Put in place effective mechanisms', kind: 'provision', parentId: pillar.id })
  const codes = async (query: string) =>
    json(await app.inject({ url: `${base}?${query}` })).data.map((a: { code: string }) => a.code)

  t.same(await codes(''), ['A', 'A.3', 'A.A', 'A.B'], 'by code by default')
  t.same(await codes(`parentId=${pillar.id}&sort=position`), ['A.A', 'A.B', 'A.3'], 'siblings in document order')
  t.same(await codes('kind=pillar'), ['A'])
  t.same(await codes('q=capacity'), ['A.B'])
  t.same(await codes('sort=-position&limit=1'), ['A.3'])
  t.equal((await app.inject({ url: `${base}?sort=title` })).statusCode, 400)
})
