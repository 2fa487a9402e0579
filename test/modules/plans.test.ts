import t from 'tap'
import { json, setup } from '../helpers/app.ts'
import { listChangesOf } from '../../src/modules/changes/changes.queries.ts'

const commit = {
  code: 'COMMIT SPA I',
  title: 'COMMIT Sub-Regional Plan of Action',
  status: 'completed',
  countries: ['KH', 'CN', 'LA', 'MM', 'TH', 'VN'],
  startDate: '2005-01-01',
  endDate: '2007-12-31',
  adoption: { date: '2004-10-28', place: 'Yangon', meeting: 'SOM 2' },
  documents: [
    {
      title: 'COMMIT Subregional Plan of Action',
      url: 'http://no-trafficking.org/content/COMMIT_Process/COMMIT_background.html#05',
      type: 'plan',
    },
  ],
}
const merge = { 'content-type': 'application/merge-patch+json' }

// One app for the tests that do not list every plan (each setup builds a database and an app).
const shared = await setup(t)

t.test('create, read, merge-patch and delete a plan', async (t) => {
  const { app, admin, database } = shared
  const created = await app.inject({ method: 'POST', url: '/v1/plans', headers: admin, payload: commit })
  t.equal(created.statusCode, 201)
  const plan = json(created)
  t.match(plan, { ...commit, initiativeId: null, supersedesId: null, description: null, version: 1 })
  t.same(plan.documents, [{ ...commit.documents[0], language: null, date: null }], 'document links get their defaults')
  t.equal(created.headers.location, `/v1/plans/${plan.id}`)
  t.equal(created.headers.etag, '"1"')

  const read = await app.inject({ url: `/v1/plans/${plan.id}` })
  t.same(json(read), plan)
  t.equal((await app.inject({ url: `/v1/plans/${plan.id}`, headers: { 'if-none-match': '"1"' } })).statusCode, 304)

  const patched = await app.inject({
    method: 'PATCH',
    url: `/v1/plans/${plan.id}`,
    headers: { ...admin, ...merge, 'if-match': '"1"' },
    payload: { adoption: { place: 'Yangon, Myanmar' }, countries: ['KH', 'LA'] },
  })
  t.equal(patched.statusCode, 200)
  t.match(
    json(patched),
    {
      adoption: { date: '2004-10-28', place: 'Yangon, Myanmar', meeting: 'SOM 2' },
      countries: ['KH', 'LA'],
      version: 2,
    },
    'adoption is merged field by field, arrays replaced',
  )
  const stale = await app.inject({
    method: 'PATCH',
    url: `/v1/plans/${plan.id}`,
    headers: { ...admin, 'if-match': '"1"' },
    payload: { title: 'Stale' },
  })
  t.equal(stale.statusCode, 412)
  const cleared = json(
    await app.inject({
      method: 'PATCH',
      url: `/v1/plans/${plan.id}`,
      headers: { ...admin, ...merge },
      payload: { adoption: null },
    }),
  )
  t.equal(cleared.adoption, null, 'null clears the adoption')
  const same = json(
    await app.inject({
      method: 'PATCH',
      url: `/v1/plans/${plan.id}`,
      headers: admin,
      payload: { title: commit.title },
    }),
  )
  t.equal(same.version, 3, 'a patch that changes nothing bumps nothing')

  t.equal((await app.inject({ method: 'DELETE', url: `/v1/plans/${plan.id}`, headers: admin })).statusCode, 204)
  t.equal((await app.inject({ url: `/v1/plans/${plan.id}` })).statusCode, 404)
  const changes = await listChangesOf(database.db, 'plan', plan.id)
  t.same(
    changes.map((c) => [c.operation, c.version]),
    [
      ['create', 1],
      ['update', 2],
      ['update', 3],
      ['delete', 4],
    ],
  )
  t.same(changes[1]!.fields.sort(), ['adoption', 'countries'], 'the change log names API fields')
})

t.test('rules: period, unknown countries and organizations, supersedes loops, duplicates', async (t) => {
  const { app, admin } = shared
  const post = (payload: object) => app.inject({ method: 'POST', url: '/v1/plans', headers: admin, payload })
  const rules = { ...commit, code: 'RULES SPA I' }

  const period = await post({ ...rules, endDate: '2004-12-31' })
  t.equal(period.statusCode, 422)
  t.match(json(period), { type: '/problems/rule-violation', errors: [{ pointer: '/body/endDate' }] })

  const countries = await post({ ...rules, countries: ['KH', 'XX', 'LA', 'QQ'] })
  t.equal(countries.statusCode, 422)
  t.same(
    json(countries).errors.map((e: { pointer: string }) => e.pointer),
    ['/body/countries/1', '/body/countries/3'],
  )

  const initiative = await post({ ...rules, initiativeId: '00000000-0000-4000-8000-000000000000' })
  t.equal(initiative.statusCode, 422)
  t.match(json(initiative), { type: '/problems/invalid-reference', errors: [{ pointer: '/body/initiativeId' }] })

  const bad = await post({
    code: '',
    title: 'x',
    status: 'finished',
    documents: [{ title: 'x', url: 'not a url' }],
    extra: true,
  })
  t.equal(bad.statusCode, 400)
  t.same(
    json(bad)
      .errors.map((e: { pointer: string }) => e.pointer)
      .sort(),
    ['/body/code', '/body/documents/0/url', '/body/extra', '/body/status'],
  )

  const one = json(await post(rules))
  t.equal((await post(rules)).statusCode, 409, 'codes are unique')
  const two = json(await post({ ...rules, code: 'RULES SPA II', supersedesId: one.id }))
  const three = json(await post({ ...rules, code: 'RULES SPA III', supersedesId: two.id }))
  const loop = await app.inject({
    method: 'PATCH',
    url: `/v1/plans/${one.id}`,
    headers: admin,
    payload: { supersedesId: three.id },
  })
  t.equal(loop.statusCode, 422)
  t.match(json(loop), { errors: [{ pointer: '/body/supersedesId' }] })
  const self = await app.inject({
    method: 'PATCH',
    url: `/v1/plans/${one.id}`,
    headers: admin,
    payload: { supersedesId: one.id },
  })
  t.equal(self.statusCode, 422)

  const referenced = await app.inject({ method: 'DELETE', url: `/v1/plans/${one.id}`, headers: admin })
  t.equal(referenced.statusCode, 409)
  t.match(json(referenced), {
    type: '/problems/still-referenced',
    references: [{ resource: 'plans', field: 'supersedesId' }],
  })
  await app.inject({
    method: 'POST',
    url: `/v1/plans/${three.id}/areas`,
    headers: admin,
    payload: { code: '1', title: 'Section' },
  })
  const withAreas = await app.inject({ method: 'DELETE', url: `/v1/plans/${three.id}`, headers: admin })
  t.equal(withAreas.statusCode, 409)
  t.match(json(withAreas), { references: [{ resource: 'areas', field: 'planId' }] })
})

t.test('filters, text search and sorts', async (t) => {
  const { app, admin } = await setup(t)
  const initiative = json(
    await app.inject({
      method: 'POST',
      url: '/v1/organizations',
      headers: admin,
      payload: { name: 'ASEAN', kind: 'intergovernmental' },
    }),
  )
  const make = (payload: object) => app.inject({ method: 'POST', url: '/v1/plans', headers: admin, payload }).then(json)
  await make(commit)
  await make({
    code: 'APA',
    title: 'ASEAN Plan of Action against Trafficking in Persons',
    status: 'active',
    countries: ['BN', 'KH', 'ID', 'LA', 'MY', 'MM', 'PH', 'SG', 'TH', 'VN'],
    initiativeId: initiative.id,
  })
  await make({ code: 'OSCE-AP', title: 'OSCE Action Plan to Combat Trafficking in Human Beings', status: 'adopted' })
  const codes = async (query: string) =>
    json(await app.inject({ url: `/v1/plans?${query}` })).data.map((p: { code: string }) => p.code)

  t.same(await codes(''), ['APA', 'COMMIT SPA I', 'OSCE-AP'])
  t.same(await codes('status=active'), ['APA'])
  t.same(await codes('country=CN'), ['COMMIT SPA I'])
  t.same(await codes('country=KH'), ['APA', 'COMMIT SPA I'])
  t.same(await codes(`initiativeId=${initiative.id}`), ['APA'])
  t.same(await codes('q=trafficking%20in%20human'), ['OSCE-AP'])
  t.same(await codes('q=commit'), ['COMMIT SPA I'], 'q matches the code, case-insensitively')
  t.same(await codes('sort=-code'), ['OSCE-AP', 'COMMIT SPA I', 'APA'])
  t.same(await codes(`updatedSince=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`), [])
  t.same(await codes('limit=2'), ['APA', 'COMMIT SPA I'])
  const page = json(await app.inject({ url: '/v1/plans?limit=2' }))
  t.same(await codes(`limit=2&cursor=${page.nextCursor}`), ['OSCE-AP'])
  const bad = await app.inject({ url: '/v1/plans?status=over&country=cambodia&foo=1' })
  t.equal(bad.statusCode, 400)
  t.same(
    json(bad)
      .errors.map((e: { pointer: string }) => e.pointer)
      .sort(),
    ['/query/country', '/query/foo', '/query/status'],
  )
})

t.test(
  'scopes: reading is open (when anonymous reading is on), writing needs plans:write and the key’s countries',
  async (t) => {
    const { app, admin, key } = await setup(t)
    const plan = json(await app.inject({ method: 'POST', url: '/v1/plans', headers: admin, payload: commit }))
    const reader = await key(['read'])
    t.equal((await app.inject({ url: '/v1/plans', headers: reader })).statusCode, 200)
    t.equal(
      (await app.inject({ method: 'POST', url: '/v1/plans', headers: reader, payload: { code: 'X', title: 'X' } }))
        .statusCode,
      403,
    )
    t.equal(
      (await app.inject({ method: 'POST', url: '/v1/plans', payload: { code: 'X', title: 'X' } })).statusCode,
      401,
    )
    t.equal((await app.inject({ method: 'DELETE', url: `/v1/plans/${plan.id}`, headers: reader })).statusCode, 403)

    const lao = await key(['plans:write'], { countries: ['LA'] })
    const foreign = await app.inject({
      method: 'PATCH',
      url: `/v1/plans/${plan.id}`,
      headers: lao,
      payload: { title: 'Lao edit' },
    })
    t.equal(foreign.statusCode, 403, 'a Lao key may not edit a plan of six countries')
    t.equal(
      (
        await app.inject({
          method: 'POST',
          url: '/v1/plans',
          headers: lao,
          payload: { code: 'LA-NPA', title: 'Lao national plan', countries: ['LA', 'TH'] },
        })
      ).statusCode,
      403,
    )
    const own = await app.inject({
      method: 'POST',
      url: '/v1/plans',
      headers: lao,
      payload: { code: 'LA-NPA', title: 'Lao national plan', countries: ['LA'] },
    })
    t.equal(own.statusCode, 201)
    t.equal(
      (
        await app.inject({
          method: 'PATCH',
          url: `/v1/plans/${json(own).id}`,
          headers: lao,
          payload: { countries: ['LA', 'TH'] },
        })
      ).statusCode,
      403,
    )

    const closed = await setup(t, { ANONYMOUS_READ: false })
    t.equal(
      (await closed.app.inject({ url: '/v1/plans' })).statusCode,
      401,
      'without anonymous reading, reading needs a key',
    )
    t.equal((await closed.app.inject({ url: '/v1/plans', headers: await closed.key(['read']) })).statusCode, 200)
  },
)

t.test('idempotent POST', async (t) => {
  const { app, admin } = shared
  const headers = { ...admin, 'idempotency-key': 'plan-1' }
  const payload = { ...commit, code: 'IDEMPOTENT' }
  const first = await app.inject({ method: 'POST', url: '/v1/plans', headers, payload })
  const again = await app.inject({ method: 'POST', url: '/v1/plans', headers, payload })
  t.equal(again.statusCode, 201)
  t.equal(again.headers['idempotent-replayed'], 'true')
  t.same(json(again), json(first))
  t.equal(json(await app.inject({ url: '/v1/plans?q=IDEMPOTENT' })).data.length, 1, 'the work was done once')
})
