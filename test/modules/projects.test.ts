import t from 'tap'
import { json, setup, type TestContext } from '../helpers/app.ts'
import { listChangesOf } from '../../src/modules/changes/changes.queries.ts'

async function fixture({ app, admin }: TestContext) {
  const post = (url: string, payload: object) =>
    app
      .inject({ method: 'POST', url, headers: admin, payload })
      .then((r) => (r.statusCode === 201 ? json(r) : Promise.reject(new Error(r.body))))
  const plan = await post('/v1/plans', {
    code: 'COMMIT SPA I',
    title: 'COMMIT Sub-Regional Plan of Action',
    countries: ['KH', 'CN', 'LA', 'MM', 'TH', 'VN'],
  })
  const other = await post('/v1/plans', { code: 'APA', title: 'ASEAN Plan of Action' })
  const activity = (code: string, planId = plan.id) =>
    post('/v1/activities', { planId, code, title: code }).then((a) => a.id as string)
  const a = {
    6: await activity('Activity 6'),
    7: await activity('Activity 7'),
    11: await activity('Activity 11'),
    12: await activity('Activity 12'),
    4: await activity('Activity 4'),
  }
  const foreign = await activity('A.A-ACWC-1', other.id)
  const uniap = await post('/v1/organizations', {
    name: 'United Nations Inter-Agency Project on Human Trafficking',
    acronym: 'UNIAP',
    kind: 'un_agency',
  })
  return { post, plan, other, a, foreign, uniap }
}

t.test('a project with the activities it covers and its links', async (t) => {
  const ctx = await setup(t)
  const { app, admin, database } = ctx
  const f = await fixture(ctx)
  const ppc3 = await f.post('/v1/projects', {
    planId: f.plan.id,
    code: 'PPC 3',
    title: 'SOM 2 Framework Document Activity 4',
    activityIds: [f.a[4]],
  })
  const body = {
    planId: f.plan.id,
    code: 'PPC 2',
    title: 'SOM 2 Framework Document Activities 6, 7, 11 and 12',
    objective:
      'The objective is to create an effective, standardized system for finding and identifying victims of human trafficking …',
    countries: ['KH', 'CN', 'LA', 'MM', 'TH', 'VN'],
    notes: ['¹ Preliminary preparations, as well as specific activities, are interwoven among these four Activities …'],
    activityIds: [f.a[6], f.a[7], f.a[11], f.a[12]],
    linkedProjectIds: [ppc3.id],
    documents: [
      {
        title: 'PPC 2 concept note',
        url: 'https://example.org/ppc2.pdf',
        type: 'concept_note',
        language: 'en',
        date: '2005-02-15',
      },
    ],
  }
  const created = await app.inject({ method: 'POST', url: '/v1/projects', headers: admin, payload: body })
  t.equal(created.statusCode, 201)
  const ppc2 = json(created)
  t.match(ppc2, { ...body, version: 1 })
  t.same(ppc2.documents, body.documents, 'document links are part of the project')
  t.same(ppc2.activityIds, body.activityIds, 'covered activities keep their order')
  t.same(json(await app.inject({ url: `/v1/projects/${ppc2.id}` })), ppc2)

  const patched = json(
    await app.inject({
      method: 'PATCH',
      url: `/v1/projects/${ppc2.id}`,
      headers: { ...admin, 'content-type': 'application/merge-patch+json' },
      payload: { activityIds: [f.a[11], f.a[12]] },
    }),
  )
  t.same(patched.activityIds, [f.a[11], f.a[12]], 'a PATCH replaces the covered activities wholesale')
  t.same(patched.linkedProjectIds, [ppc3.id], 'links not sent stay')
  t.equal(patched.version, 2)
  t.equal(
    json(
      await app.inject({
        method: 'PATCH',
        url: `/v1/projects/${ppc2.id}`,
        headers: admin,
        payload: { activityIds: [f.a[11], f.a[12]] },
      }),
    ).version,
    2,
    'the same list again changes nothing',
  )
  t.same((await listChangesOf(database.db, 'project', ppc2.id))[1]!.fields, ['activityIds'])

  const filter = async (query: string) =>
    json(await app.inject({ url: `/v1/projects?${query}` })).data.map((p: { code: string }) => p.code)
  t.same(await filter(`planId=${f.plan.id}`), ['PPC 2', 'PPC 3'])
  t.same(await filter(`activityId=${f.a[11]}`), ['PPC 2'])
  t.same(await filter(`activityId=${f.a[4]}`), ['PPC 3'])
  t.same(await filter('country=LA'), ['PPC 2'])
  t.same(await filter(`planId=${f.other.id}`), [])

  const covered = await app.inject({ method: 'DELETE', url: `/v1/activities/${f.a[11]}`, headers: admin })
  t.equal(covered.statusCode, 409, 'an activity a project covers cannot be deleted')
  t.match(json(covered), { references: [{ resource: 'project-activities', field: 'activityId' }] })
  const linked = await app.inject({ method: 'DELETE', url: `/v1/projects/${ppc3.id}`, headers: admin })
  t.equal(linked.statusCode, 409, 'a project another links to cannot be deleted')
  t.match(json(linked), { references: [{ resource: 'project-links', field: 'linkedProjectId' }] })
  t.equal(
    (await app.inject({ method: 'DELETE', url: `/v1/projects/${ppc2.id}`, headers: admin })).statusCode,
    204,
    'its own covered activities and links go with it',
  )
  t.equal((await app.inject({ method: 'DELETE', url: `/v1/projects/${ppc3.id}`, headers: admin })).statusCode, 204)
  t.equal((await app.inject({ method: 'DELETE', url: `/v1/activities/${f.a[11]}`, headers: admin })).statusCode, 204)
})

t.test('rules: activities of the same plan, links to existing projects, never to itself', async (t) => {
  const ctx = await setup(t)
  const { app, admin } = ctx
  const f = await fixture(ctx)
  const base = { planId: f.plan.id, code: 'PPC 1', title: 'SOM 2 Framework Document Activity 3 and Activity 5' }
  const post = (payload: object) => app.inject({ method: 'POST', url: '/v1/projects', headers: admin, payload })
  const foreign = await post({ ...base, activityIds: [f.a[6], f.foreign] })
  t.equal(foreign.statusCode, 422)
  t.match(json(foreign), { type: '/problems/rule-violation', errors: [{ pointer: '/body/activityIds/1' }] })
  const missing = await post({ ...base, activityIds: ['00000000-0000-4000-8000-000000000000'] })
  t.match(json(missing), {
    status: 422,
    type: '/problems/invalid-reference',
    errors: [{ pointer: '/body/activityIds/0' }],
  })
  const noLink = await post({ ...base, linkedProjectIds: ['00000000-0000-4000-8000-000000000000'] })
  t.match(json(noLink), { status: 422, errors: [{ pointer: '/body/linkedProjectIds/0' }] })
  t.equal((await post({ ...base, activityIds: [f.a[6], f.a[6]] })).statusCode, 400, 'an activity is covered once')
  t.match(json(await post({ ...base, countries: ['KH', 'XK'] })), {
    status: 422,
    errors: [{ pointer: '/body/countries/1' }],
  })

  const project = json(await post(base))
  const self = await app.inject({
    method: 'PATCH',
    url: `/v1/projects/${project.id}`,
    headers: admin,
    payload: { linkedProjectIds: [project.id] },
  })
  t.match(json(self), { status: 422, errors: [{ pointer: '/body/linkedProjectIds/0' }] })
  t.equal(
    (
      await app.inject({
        method: 'PATCH',
        url: `/v1/projects/${project.id}`,
        headers: admin,
        payload: { planId: f.other.id },
      })
    ).statusCode,
    400,
    'planId cannot change',
  )
  t.equal((await post(base)).statusCode, 409, 'codes are unique within the plan')

  const lao = await ctx.key(['plans:write'], { countries: ['LA'] })
  t.equal(
    (
      await app.inject({
        method: 'POST',
        url: '/v1/projects',
        headers: lao,
        payload: { ...base, code: 'PPC 20', countries: ['LA', 'TH'] },
      })
    ).statusCode,
    403,
  )
  t.equal(
    (
      await app.inject({
        method: 'POST',
        url: '/v1/projects',
        headers: lao,
        payload: { ...base, code: 'PPC 20', countries: ['LA'] },
      })
    ).statusCode,
    201,
  )
})

t.test('expected results and tasks are sub-collections of a project', async (t) => {
  const ctx = await setup(t)
  const { app, admin, database } = ctx
  const f = await fixture(ctx)
  const project = await f.post('/v1/projects', {
    planId: f.plan.id,
    code: 'PPC 2',
    title: 'SOM 2 Framework Document Activities 6, 7, 11 and 12',
    countries: ['KH', 'TH'],
  })
  const other = await f.post('/v1/projects', {
    planId: f.plan.id,
    code: 'PPC 3',
    title: 'SOM 2 Framework Document Activity 4',
  })
  const results = `/v1/projects/${project.id}/results`
  const tasks = `/v1/projects/${project.id}/tasks`

  const r1 = await app.inject({
    method: 'POST',
    url: results,
    headers: admin,
    payload: { statement: 'A regional agreement on common guidelines on identification of victims …' },
  })
  t.equal(r1.statusCode, 201)
  t.match(json(r1), { projectId: project.id, position: 1, version: 1 })
  t.equal(r1.headers.location, `${results}/${json(r1).id}`)
  const r2 = json(
    await app.inject({
      method: 'POST',
      url: results,
      headers: admin,
      payload: { statement: 'Establishment of clear and well-understood mechanisms for sharing of information …' },
    }),
  )
  t.equal(r2.position, 2, 'a new result goes after the last')
  const moved = json(
    await app.inject({
      method: 'PATCH',
      url: `${results}/${r2.id}`,
      headers: { ...admin, 'if-match': '"1"' },
      payload: { position: 0 },
    }),
  )
  t.equal(moved.version, 2)
  t.same(
    json(await app.inject({ url: results })).data.map((r: { id: string }) => r.id),
    [r2.id, json(r1).id],
    'results in position order',
  )
  t.equal(
    (await app.inject({ url: `/v1/projects/${other.id}/results/${r2.id}` })).statusCode,
    404,
    'a result is found under its own project only',
  )
  t.equal((await app.inject({ url: '/v1/projects/00000000-0000-4000-8000-000000000000/results' })).statusCode, 404)

  const add = (payload: object) => app.inject({ method: 'POST', url: tasks, headers: admin, payload })
  const first = json(
    await add({ phase: 'preparation', title: 'Conduct national level assessments of victim identification practices' }),
  )
  await add({ phase: 'core', title: 'Regional workshop on victim identification', status: 'completed' })
  await add({
    phase: 'core',
    title: 'Regional seminar on information sharing',
    responsibleOrganizationId: f.uniap.id,
    dueDate: '2006-02-28',
  })
  await add({ phase: 'follow_up', title: 'Follow-up workshop, if needed' })
  t.match(first, {
    phase: 'preparation',
    status: 'planned',
    position: 1,
    dueDate: null,
    responsibleOrganizationId: null,
  })
  const titles = async (query: string) =>
    json(await app.inject({ url: `${tasks}?${query}` })).data.map((x: { title: string }) => x.title)
  t.equal((await titles('')).length, 4)
  t.same(await titles('phase=core'), [
    'Regional workshop on victim identification',
    'Regional seminar on information sharing',
  ])
  t.same(await titles('phase=core&status=planned'), ['Regional seminar on information sharing'])
  t.same(await titles(`responsibleOrganizationId=${f.uniap.id}`), ['Regional seminar on information sharing'])
  t.same(await titles('sort=-position&limit=1'), ['Follow-up workshop, if needed'])
  t.equal((await add({ phase: 'during', title: 'x' })).statusCode, 400)
  t.match(
    json(await add({ phase: 'core', title: 'x', responsibleOrganizationId: '00000000-0000-4000-8000-000000000000' })),
    { status: 422, errors: [{ pointer: '/body/responsibleOrganizationId' }] },
  )
  const done = json(
    await app.inject({
      method: 'PATCH',
      url: `${tasks}/${first.id}`,
      headers: admin,
      payload: { status: 'completed', dueDate: '2005-12-31' },
    }),
  )
  t.match(done, { status: 'completed', dueDate: '2005-12-31', version: 2 })

  const lao = await ctx.key(['plans:write'], { countries: ['LA'] })
  t.equal(
    (await app.inject({ method: 'POST', url: tasks, headers: lao, payload: { phase: 'core', title: 'x' } })).statusCode,
    403,
    'a Lao key may not write a Cambodian–Thai project’s tasks',
  )

  const blocked = await app.inject({ method: 'DELETE', url: `/v1/projects/${project.id}`, headers: admin })
  t.equal(blocked.statusCode, 409, 'a project with results or tasks cannot be deleted')
  t.equal((await app.inject({ method: 'DELETE', url: `${tasks}/${first.id}`, headers: admin })).statusCode, 204)
  t.equal((await app.inject({ method: 'DELETE', url: `${results}/${r2.id}`, headers: admin })).statusCode, 204)
  t.same(
    (await listChangesOf(database.db, 'project-task', first.id)).map((c) => c.operation),
    ['create', 'update', 'delete'],
  )
  t.same(
    (await listChangesOf(database.db, 'project-result', r2.id)).map((c) => c.operation),
    ['create', 'update', 'delete'],
  )
})
