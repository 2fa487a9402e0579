import t from 'tap'
import { json, setup } from '../helpers/app.ts'
import { listChangesOf } from '../../src/modules/changes/changes.queries.ts'
import { createMeeting, planningFixture } from './meetings.fixtures.ts'

t.test('one outcome: create, read, merge-patch, delete', async (t) => {
  const ctx = await setup(t)
  const { app, admin } = ctx
  const p = await planningFixture(ctx)
  const m = await createMeeting(ctx, { status: 'held', startDate: '2004-10-28' })
  const created = await app.inject({
    method: 'POST',
    url: `/v1/meetings/${m.id}/outcomes`,
    headers: admin,
    payload: {
      kind: 'action_item',
      text: 'Terms of reference for Senior Officials Meetings',
      responsibleOrganizationIds: [p.orgs.tfLa, p.orgs.uniap],
      activityId: p.activityIds[2],
      projectId: p.projectIds[1],
      dueDate: '2005-06-30',
      externalRef: 'a18-tor',
    },
  })
  t.equal(created.statusCode, 201)
  const o = json(created)
  t.match(o, {
    meetingId: m.id,
    kind: 'action_item',
    status: 'open',
    dueDate: '2005-06-30',
    externalRef: 'a18-tor',
    responsibleOrganizationIds: [p.orgs.tfLa, p.orgs.uniap],
    version: 1,
  })
  t.equal(created.headers.location, `/v1/outcomes/${o.id}`)
  t.same(json(await app.inject({ url: `/v1/outcomes/${o.id}` })), o)
  t.equal((await app.inject({ url: `/v1/outcomes/${o.id}`, headers: { 'if-none-match': '"1"' } })).statusCode, 304)

  const done = await app.inject({
    method: 'PATCH',
    url: `/v1/outcomes/${o.id}`,
    headers: { ...admin, 'if-match': '"1"' },
    payload: { status: 'done' },
  })
  t.equal(done.statusCode, 200)
  t.match(json(done), { status: 'done', text: o.text, version: 2 })
  t.equal(
    (
      await app.inject({
        method: 'PATCH',
        url: `/v1/outcomes/${o.id}`,
        headers: { ...admin, 'if-match': '"1"' },
        payload: { status: 'open' },
      })
    ).statusCode,
    412,
  )
  t.equal(
    json(
      await app.inject({ method: 'PATCH', url: `/v1/outcomes/${o.id}`, headers: admin, payload: { status: 'done' } }),
    ).version,
    2,
    'no change, no new version',
  )

  const again = await app.inject({
    method: 'POST',
    url: `/v1/meetings/${m.id}/outcomes`,
    headers: admin,
    payload: { kind: 'finding', text: 'x', externalRef: 'a18-tor' },
  })
  t.equal(again.statusCode, 409, 'externalRef is unique per meeting')
  const other = await createMeeting(ctx, {})
  t.equal(
    (
      await app.inject({
        method: 'POST',
        url: `/v1/meetings/${other.id}/outcomes`,
        headers: admin,
        payload: { kind: 'finding', text: 'x', externalRef: 'a18-tor' },
      })
    ).statusCode,
    201,
    'but not across meetings',
  )

  const refused = await ctx.app.inject({ method: 'DELETE', url: `/v1/organizations/${p.orgs.tfLa}`, headers: admin })
  t.equal(refused.statusCode, 409, 'an organization responsible for an outcome cannot be deleted')
  const released = await app.inject({
    method: 'PATCH',
    url: `/v1/outcomes/${o.id}`,
    headers: admin,
    payload: { responsibleOrganizationIds: [p.orgs.uniap] },
  })
  t.same(json(released).responsibleOrganizationIds, [p.orgs.uniap])
  t.equal(
    (await ctx.app.inject({ method: 'DELETE', url: `/v1/organizations/${p.orgs.tfLa}`, headers: admin })).statusCode,
    204,
    'once released it can',
  )

  t.equal((await app.inject({ method: 'DELETE', url: `/v1/outcomes/${o.id}`, headers: admin })).statusCode, 204)
  t.equal((await app.inject({ url: `/v1/outcomes/${o.id}` })).statusCode, 404)
  t.same(
    (await listChangesOf(ctx.database.db, 'outcome', o.id)).map((c) => [c.operation, c.version]),
    [
      ['create', 1],
      ['update', 2],
      ['update', 3],
      ['delete', 4],
    ],
  )
})

t.test('rules: only action items have a status and a due date; references must exist', async (t) => {
  const ctx = await setup(t)
  const { app, admin } = ctx
  const m = await createMeeting(ctx, {})
  const post = (payload: object) =>
    app.inject({ method: 'POST', url: `/v1/meetings/${m.id}/outcomes`, headers: admin, payload })
  const decided = await post({
    kind: 'decision',
    text: 'The framework is agreed',
    status: 'open',
    dueDate: '2005-01-01',
  })
  t.equal(decided.statusCode, 422)
  t.same(
    json(decided).errors.map((e: { pointer: string }) => e.pointer),
    ['/body/status', '/body/dueDate'],
  )
  const decision = json(await post({ kind: 'decision', text: 'The framework is agreed', status: null }))
  t.equal(decision.status, null)
  const nobody = '00000000-0000-4000-8000-000000000000'
  const refs = await post({
    kind: 'action_item',
    text: 'x',
    activityId: nobody,
    projectId: nobody,
    responsibleOrganizationIds: [nobody],
  })
  t.equal(refs.statusCode, 422)
  t.same(
    json(refs).errors.map((e: { pointer: string }) => e.pointer),
    ['/body/activityId', '/body/projectId', '/body/responsibleOrganizationIds/0'],
  )
  t.equal((await post({ kind: 'action_item', text: 'x', status: 'closed' })).statusCode, 400)
  t.equal(
    (
      await app.inject({
        method: 'POST',
        url: `/v1/meetings/${nobody}/outcomes`,
        headers: admin,
        payload: { kind: 'finding', text: 'x' },
      })
    ).statusCode,
    404,
  )

  const item = json(await post({ kind: 'action_item', text: 'Share guidelines', dueDate: '2005-03-01' }))
  const toRecommendation = await app.inject({
    method: 'PATCH',
    url: `/v1/outcomes/${item.id}`,
    headers: admin,
    payload: { kind: 'recommendation' },
  })
  t.match(
    json(toRecommendation),
    { kind: 'recommendation', status: null, dueDate: null },
    'a kind without follow-up drops status and due date',
  )
  const back = await app.inject({
    method: 'PATCH',
    url: `/v1/outcomes/${item.id}`,
    headers: admin,
    payload: { kind: 'action_item' },
  })
  t.match(json(back), { kind: 'action_item', status: 'open' })
  const contradiction = await app.inject({
    method: 'PATCH',
    url: `/v1/outcomes/${decision.id}`,
    headers: admin,
    payload: { status: 'done' },
  })
  t.equal(contradiction.statusCode, 422)
})

t.test('lists: per meeting, and across meetings to chase follow-up', async (t) => {
  const ctx = await setup(t)
  const { app, admin } = ctx
  const p = await planningFixture(ctx)
  const som = await createMeeting(ctx, { planId: p.planId })
  const seminar = await createMeeting(ctx, {})
  const add = async (meetingId: string, payload: object) =>
    json(await app.inject({ method: 'POST', url: `/v1/meetings/${meetingId}/outcomes`, headers: admin, payload }))
  await add(som.id, { kind: 'decision', text: 'Framework agreed' })
  const a = await add(som.id, {
    kind: 'action_item',
    text: 'ToR for SOM',
    dueDate: '2005-06-30',
    responsibleOrganizationIds: [p.orgs.uniap, p.orgs.tfLa],
    activityId: p.activityIds[2],
  })
  const b = await add(som.id, {
    kind: 'action_item',
    text: 'Schedule',
    dueDate: '2005-03-31',
    responsibleOrganizationIds: [p.orgs.uniap],
  })
  await add(som.id, {
    kind: 'action_item',
    text: 'Monitoring',
    status: 'done',
    dueDate: '2005-01-31',
    responsibleOrganizationIds: [p.orgs.uniap],
  })
  const c = await add(seminar.id, {
    kind: 'action_item',
    text: 'Guidelines on victim identification',
    responsibleOrganizationIds: [p.orgs.tfLa],
    projectId: p.projectIds[0],
  })
  await add(seminar.id, { kind: 'recommendation', text: 'Share guidelines', responsibleOrganizationIds: [p.orgs.tfTh] })
  const texts = async (url: string) => {
    const res = await app.inject({ url })
    t.equal(res.statusCode, 200, url)
    return json(res).data.map((o: { text: string }) => o.text)
  }
  t.same(
    await texts(`/v1/meetings/${som.id}/outcomes`),
    ['Framework agreed', 'ToR for SOM', 'Schedule', 'Monitoring'],
    'a meeting’s outcomes, in the order posted',
  )
  t.same(await texts(`/v1/meetings/${som.id}/outcomes?kind=decision`), ['Framework agreed'])
  t.same(
    await texts(`/v1/outcomes?kind=action_item&status=open`),
    ['Schedule', 'ToR for SOM', 'Guidelines on victim identification'],
    'by due date, undated last',
  )
  t.same(
    await texts(
      `/v1/outcomes?kind=action_item&status=open&responsibleOrganizationId=${p.orgs.uniap}&dueBefore=2005-06-30`,
    ),
    ['Schedule'],
    'dueBefore is exclusive',
  )
  t.same(await texts(`/v1/outcomes?responsibleOrganizationId=${p.orgs.tfLa}&sort=-dueDate`), [
    'Guidelines on victim identification',
    'ToR for SOM',
  ])
  t.same(await texts(`/v1/outcomes?planId=${p.planId}&status=done`), ['Monitoring'])
  t.same(await texts(`/v1/outcomes?meetingId=${seminar.id}&sort=createdAt`), [
    'Guidelines on victim identification',
    'Share guidelines',
  ])
  t.same(await texts(`/v1/outcomes?activityId=${p.activityIds[2]}`), ['ToR for SOM'])
  t.same(await texts(`/v1/outcomes?projectId=${p.projectIds[0]}`), ['Guidelines on victim identification'])
  t.same(
    await texts(`/v1/outcomes?updatedSince=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`),
    [],
  )

  const first = json(await app.inject({ url: '/v1/outcomes?status=open&limit=2' }))
  t.same(
    first.data.map((o: { id: string }) => o.id),
    [b.id, a.id],
  )
  const second = json(await app.inject({ url: `/v1/outcomes?status=open&limit=2&cursor=${first.nextCursor}` }))
  t.same(
    second.data.map((o: { id: string }) => o.id),
    [c.id],
  )
  t.equal(second.nextCursor, null)
  t.equal(
    (await app.inject({ url: `/v1/outcomes?status=done&cursor=${first.nextCursor}` })).statusCode,
    400,
    'a cursor is bound to its filters',
  )

  const ndjson = await app.inject({ url: `/v1/meetings/${som.id}/outcomes/export` })
  t.same(
    ndjson.body
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line).text),
    ['Framework agreed', 'ToR for SOM', 'Schedule', 'Monitoring'],
    'a meeting’s outcomes export whole',
  )
  t.equal((await app.inject({ url: '/v1/meetings/00000000-0000-4000-8000-000000000000/outcomes' })).statusCode, 404)
  t.equal((await app.inject({ method: 'DELETE', url: `/v1/meetings/${som.id}`, headers: admin })).statusCode, 204)
  t.same(
    await texts('/v1/outcomes?sort=createdAt'),
    ['Guidelines on victim identification', 'Share guidelines'],
    'a deleted meeting takes its outcomes with it',
  )
  const gone = await listChangesOf(ctx.database.db, 'outcome', a.id)
  t.same(
    gone.map((ch) => ch.operation),
    ['create', 'delete'],
    'and the change feed says so',
  )
})
