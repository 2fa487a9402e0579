import t from 'tap'
import { json, setup, type TestContext } from '../helpers/app.ts'
import { listChangesOf } from '../../src/modules/changes/changes.queries.ts'
import { latestToday } from '../../src/domain/dates.ts'

/** A plan with a section › area › sub-area tree and two organizations. */
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
  const section = await post(`/v1/plans/${plan.id}/areas`, {
    code: '3',
    title: 'Protection, Recovery & Reintegration',
    kind: 'section',
  })
  const area = await post(`/v1/plans/${plan.id}/areas`, {
    code: 'Area 5',
    title: 'Enhance and strengthen repatriation and reintegration programmes',
    parentId: section.id,
  })
  const sub = await post(`/v1/plans/${plan.id}/areas`, {
    code: '5.1',
    title: 'Improve repatriation systems',
    kind: 'sub_area',
    parentId: area.id,
  })
  const foreignArea = await post(`/v1/plans/${other.id}/areas`, {
    code: 'A',
    title: 'Prevention of TIP',
    kind: 'pillar',
  })
  const uniap = await post('/v1/organizations', {
    name: 'United Nations Inter-Agency Project on Human Trafficking',
    acronym: 'UNIAP',
    kind: 'un_agency',
  })
  const taskForce = await post('/v1/organizations', {
    name: 'COMMIT Task Force Lao PDR',
    kind: 'national_task_force',
    country: 'LA',
  })
  return { post, plan, other, section, area, sub, foreignArea, uniap, taskForce }
}

t.test('an activity with its organizations: create, read, replace them, delete', async (t) => {
  const ctx = await setup(t)
  const { app, admin, database } = ctx
  const f = await fixture(ctx)
  const body = {
    planId: f.plan.id,
    areaId: f.area.id,
    code: 'Activity 13',
    title: 'Regional workshop on procedures for repatriation of victims',
    category: 'coordination',
    countries: ['KH', 'TH'],
    plannedStart: '2005-06-01',
    plannedEnd: '2005-06-02',
    organizations: [
      { organizationId: f.uniap.id, role: 'lead' },
      { organizationId: f.taskForce.id, role: 'participating' },
    ],
    documents: [
      { title: 'Concept note', url: 'https://example.org/concept.pdf', type: 'concept_note', date: '2005-03-01' },
    ],
  }
  const created = await app.inject({ method: 'POST', url: '/v1/activities', headers: admin, payload: body })
  t.equal(created.statusCode, 201)
  const activity = json(created)
  t.match(activity, { ...body, status: 'planned', description: null, actualStart: null, version: 1 })
  t.same(activity.organizations, body.organizations, 'organizations are part of the activity, in the order given')
  t.equal(created.headers.location, `/v1/activities/${activity.id}`)
  t.same(json(await app.inject({ url: `/v1/activities/${activity.id}` })), activity)

  const replaced = await app.inject({
    method: 'PATCH',
    url: `/v1/activities/${activity.id}`,
    headers: { ...admin, 'content-type': 'application/merge-patch+json', 'if-match': '"1"' },
    payload: { organizations: [{ organizationId: f.taskForce.id, role: 'lead' }] },
  })
  t.equal(replaced.statusCode, 200)
  t.same(
    json(replaced).organizations,
    [{ organizationId: f.taskForce.id, role: 'lead' }],
    'a PATCH replaces the organizations wholesale',
  )
  t.equal(json(replaced).version, 2, 'and that is a new version of the activity')
  t.equal(replaced.headers.etag, '"2"')
  const same = json(
    await app.inject({
      method: 'PATCH',
      url: `/v1/activities/${activity.id}`,
      headers: admin,
      payload: { organizations: [{ organizationId: f.taskForce.id, role: 'lead' }], title: body.title },
    }),
  )
  t.equal(same.version, 2, 'the same organizations again change nothing')
  const kept = json(
    await app.inject({
      method: 'PATCH',
      url: `/v1/activities/${activity.id}`,
      headers: admin,
      payload: { status: 'in_progress', actualStart: '2005-06-01' },
    }),
  )
  t.same(kept.organizations, [{ organizationId: f.taskForce.id, role: 'lead' }], 'absent organizations stay')
  const stale = await app.inject({
    method: 'PATCH',
    url: `/v1/activities/${activity.id}`,
    headers: { ...admin, 'if-match': '"1"' },
    payload: { organizations: [] },
  })
  t.equal(stale.statusCode, 412, 'a stale If-Match changes nothing')
  t.equal(json(await app.inject({ url: `/v1/activities/${activity.id}` })).organizations.length, 1)

  const changes = await listChangesOf(database.db, 'activity', activity.id)
  t.same(
    changes.map((c) => [c.operation, c.version]),
    [
      ['create', 1],
      ['update', 2],
      ['update', 3],
    ],
  )
  t.same(changes[1]!.fields, ['organizations'])

  const orgInUse = await app.inject({ method: 'DELETE', url: `/v1/organizations/${f.taskForce.id}`, headers: admin })
  t.equal(orgInUse.statusCode, 409, 'an organization taking part in an activity cannot be deleted')
  t.match(json(orgInUse), { references: [{ resource: 'activity-organizations', field: 'organizationId' }] })
  t.equal(
    (await app.inject({ method: 'DELETE', url: `/v1/activities/${activity.id}`, headers: admin })).statusCode,
    204,
  )
  t.equal(
    (await app.inject({ method: 'DELETE', url: `/v1/organizations/${f.taskForce.id}`, headers: admin })).statusCode,
    204,
    'its roles went with the activity',
  )
})

t.test('rules: area in the plan, periods, actual dates, references', async (t) => {
  const ctx = await setup(t)
  const { app, admin } = ctx
  const f = await fixture(ctx)
  const post = (payload: object) => app.inject({ method: 'POST', url: '/v1/activities', headers: admin, payload })
  const base = {
    planId: f.plan.id,
    code: 'Activity 1',
    title: 'Seminar/workshop on mechanisms and systems for exchange of information and data collection',
  }
  const problem = async (payload: object, status: number, pointer: string) => {
    const res = await post(payload)
    t.equal(res.statusCode, status, pointer)
    t.same(
      json(res).errors?.map((e: { pointer: string }) => e.pointer),
      [pointer],
    )
  }
  await problem({ ...base, areaId: f.foreignArea.id }, 422, '/body/areaId')
  await problem({ ...base, areaId: '00000000-0000-4000-8000-000000000000' }, 422, '/body/areaId')
  await problem({ ...base, plannedStart: '2005-06-02', plannedEnd: '2005-06-01' }, 422, '/body/plannedEnd')
  await problem({ ...base, actualStart: '2005-06-02', actualEnd: '2005-06-01' }, 422, '/body/actualEnd')
  const tomorrow = new Date(Date.parse(latestToday()) + 86_400_000).toISOString().slice(0, 10)
  await problem({ ...base, actualStart: tomorrow }, 422, '/body/actualStart')
  await problem({ ...base, countries: ['KH', 'ZZ'] }, 422, '/body/countries/1')
  await problem(
    {
      ...base,
      organizations: [
        { organizationId: f.uniap.id, role: 'lead' },
        { organizationId: '00000000-0000-4000-8000-000000000000', role: 'funding' },
      ],
    },
    422,
    '/body/organizations/1/organizationId',
  )
  await problem(
    { ...base, organizations: [{ organizationId: f.uniap.id, role: 'sponsor' }] },
    400,
    '/body/organizations/0/role',
  )
  await problem({ ...base, planId: '00000000-0000-4000-8000-000000000000' }, 422, '/body/planId')
  t.equal(
    (await post({ ...base, actualStart: latestToday(), actualEnd: latestToday() })).statusCode,
    201,
    'today is not the future',
  )
  t.equal((await post(base)).statusCode, 409, 'codes are unique within the plan')
  t.equal(
    (await post({ ...base, planId: f.other.id })).statusCode,
    201,
    'the same code in another plan is another activity',
  )

  const one = json(await post({ ...base, code: 'Activity 2', areaId: f.area.id, plannedStart: '2005-01-01' }))
  const patch = (payload: object) =>
    app.inject({ method: 'PATCH', url: `/v1/activities/${one.id}`, headers: admin, payload })
  const moved = await patch({ areaId: f.foreignArea.id })
  t.equal(moved.statusCode, 422, 'a patch cannot move an activity to another plan’s area')
  t.equal((await patch({ plannedEnd: '2004-12-31' })).statusCode, 422, 'the period rule holds against the stored start')
  t.equal((await patch({ planId: f.other.id })).statusCode, 400, 'planId cannot change')
  t.equal((await patch({ areaId: null })).statusCode, 200, 'null detaches it from its area')
})

t.test(
  'filters: plan, area with its sub-areas, status, category, country, organization and role, code, text, updatedSince',
  async (t) => {
    const ctx = await setup(t)
    const { app } = ctx
    const f = await fixture(ctx)
    const make = (code: string, extra: object) =>
      f.post('/v1/activities', { planId: f.plan.id, code, title: `${code} title`, ...extra })
    await make('Activity 12', {
      areaId: f.section.id,
      category: 'coordination',
      countries: ['LA', 'TH'],
      organizations: [{ organizationId: f.taskForce.id, role: 'lead' }],
    })
    await make('Activity 13', {
      areaId: f.area.id,
      category: 'coordination',
      countries: ['KH'],
      status: 'completed',
      organizations: [{ organizationId: f.uniap.id, role: 'lead' }],
    })
    await make('Activity 14', {
      areaId: f.sub.id,
      category: 'training',
      countries: ['KH', 'VN'],
      title: 'Regional seminar on improving post-harm support',
      organizations: [{ organizationId: f.uniap.id, role: 'funding' }],
    })
    await make('Activity 18', { category: 'monitoring' })
    await f.post('/v1/activities', {
      planId: f.other.id,
      code: 'A.A-ACWC-1',
      title: 'Linking/Uploading of SOMTC activities to ACWC website',
      category: 'training',
      countries: ['KH'],
    })
    const codes = async (query: string) => {
      const res = await app.inject({ url: `/v1/activities?${query}` })
      t.equal(res.statusCode, 200, query)
      return json(res).data.map((a: { code: string }) => a.code)
    }
    t.same(await codes(`planId=${f.plan.id}`), ['Activity 12', 'Activity 13', 'Activity 14', 'Activity 18'])
    t.same(await codes(`areaId=${f.area.id}`), ['Activity 13', 'Activity 14'], 'an area includes its sub-areas')
    t.same(
      await codes(`areaId=${f.section.id}`),
      ['Activity 12', 'Activity 13', 'Activity 14'],
      'a section includes everything below it',
    )
    t.same(await codes(`areaId=${f.sub.id}`), ['Activity 14'])
    t.same(await codes('status=completed'), ['Activity 13'])
    t.same(await codes(`category=training&planId=${f.plan.id}`), ['Activity 14'])
    t.same(
      await codes('country=KH'),
      ['A.A-ACWC-1', 'Activity 13', 'Activity 14', 'Activity 18'],
      'Activity 18 names no countries: it concerns its plan’s',
    )
    t.same(await codes('country=LA'), ['Activity 12', 'Activity 18'])
    const eighteen = json(await app.inject({ url: `/v1/activities?code=Activity%2018` })).data[0]
    t.same([eighteen.countries, eighteen.countriesSource], [[], 'plan'], 'and says so')
    t.equal(json(await app.inject({ url: `/v1/activities?code=Activity%2013` })).data[0].countriesSource, 'own')
    t.same(await codes(`organizationId=${f.uniap.id}`), ['Activity 13', 'Activity 14'])
    t.same(await codes(`organizationId=${f.uniap.id}&role=lead`), ['Activity 13'])
    t.same(await codes('role=lead'), ['Activity 12', 'Activity 13'])
    t.same(await codes('code=Activity%2014'), ['Activity 14'])
    t.same(await codes('q=post-harm'), ['Activity 14'])
    t.same(await codes('q=ACWC'), ['A.A-ACWC-1'])
    t.same(await codes(`planId=${f.plan.id}&sort=-code&limit=2`), ['Activity 18', 'Activity 14'])
    t.same(await codes(`updatedSince=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`), [])
    t.equal((await app.inject({ url: '/v1/activities?role=sponsor' })).statusCode, 400)

    const ndjson = await app.inject({ url: `/v1/activities/export?planId=${f.plan.id}` })
    t.match(ndjson.headers['content-type'], /^application\/x-ndjson/)
    const lines = ndjson.body
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    t.same(
      lines.map((a) => a.code),
      ['Activity 12', 'Activity 13', 'Activity 14', 'Activity 18'],
      'an export streams the whole filtered set, limit aside',
    )
    const api = json(await app.inject({ url: `/v1/activities/${lines[0].id}` }))
    t.same(lines[0], api, 'each exported line is the API representation, nothing more')
    const csv = await app.inject({ url: `/v1/activities/export?organizationId=${f.uniap.id}&format=csv&bom=false` })
    const rows = csv.body.trim().split('\r\n')
    t.equal(rows.length, 3, 'a header row and one row per activity')
    t.match(rows[0], /^id,planId,planCode,areaId,areaCode,code,title,/, 'a name column beside each reference')
  },
)
