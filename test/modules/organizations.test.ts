import t from 'tap'
import { json, setup } from '../helpers/app.ts'
import { listChangesOf } from '../../src/modules/changes/changes.queries.ts'

const body = { name: 'COMMIT Task Force Lao PDR', acronym: 'COMMIT TF LA', kind: 'national_task_force', country: 'LA' }

t.test('create, read, update and delete an organization', async (t) => {
  const { app, admin, database } = await setup(t)
  const created = await app.inject({ method: 'POST', url: '/v1/organizations', headers: admin, payload: body })
  t.equal(created.statusCode, 201)
  const org = json(created)
  t.match(org, { ...body, parentId: null, website: null, version: 1 })
  t.equal(created.headers.location, `/v1/organizations/${org.id}`)
  t.equal(created.headers.etag, '"1"')

  const read = await app.inject({ url: `/v1/organizations/${org.id}` })
  t.equal(read.statusCode, 200)
  t.same(json(read), org)
  t.equal(read.headers.etag, '"1"')

  const patched = await app.inject({
    method: 'PATCH',
    url: `/v1/organizations/${org.id}`,
    headers: { ...admin, 'content-type': 'application/merge-patch+json', 'if-match': '"1"' },
    payload: { website: 'https://example.org/lao', acronym: null },
  })
  t.equal(patched.statusCode, 200)
  t.match(json(patched), { website: 'https://example.org/lao', acronym: null, name: body.name, version: 2 })
  t.equal(patched.headers.etag, '"2"')

  const unchanged = await app.inject({
    method: 'PATCH',
    url: `/v1/organizations/${org.id}`,
    headers: admin,
    payload: { name: body.name },
  })
  t.equal(json(unchanged).version, 2, 'a patch that changes nothing does not bump the version')

  const deleted = await app.inject({ method: 'DELETE', url: `/v1/organizations/${org.id}`, headers: admin })
  t.equal(deleted.statusCode, 204)
  t.equal(deleted.body, '')
  t.equal((await app.inject({ url: `/v1/organizations/${org.id}` })).statusCode, 404)

  const changes = await listChangesOf(database.db, 'organization', org.id)
  t.same(
    changes.map((c) => [c.operation, c.version]),
    [
      ['create', 1],
      ['update', 2],
      ['delete', 3],
    ],
    'every write and only real writes are in the change log',
  )
  t.same(changes[1]!.fields.sort(), ['acronym', 'website'])
  t.ok(
    changes.every((c) => c.actorKeyId),
    'the actor key is recorded',
  )
})

t.test('validation names the field', async (t) => {
  const { app, admin } = await setup(t)
  const res = await app.inject({
    method: 'POST',
    url: '/v1/organizations',
    headers: admin,
    payload: { name: '', kind: 'club', country: 'Laos', extra: 1 },
  })
  t.equal(res.statusCode, 400)
  t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8')
  const problem = json(res)
  t.equal(problem.type, '/problems/validation-error')
  const pointers = problem.errors.map((e: { pointer: string }) => e.pointer).sort()
  t.same(pointers, ['/body/country', '/body/extra', '/body/kind', '/body/name'])
  t.match(
    problem.errors.find((e: { pointer: string }) => e.pointer === '/body/kind').detail,
    /must be one of: government/,
  )

  const missing = json(
    await app.inject({ method: 'POST', url: '/v1/organizations', headers: admin, payload: { kind: 'ngo' } }),
  )
  t.same(missing.errors, [{ pointer: '/body/name', detail: 'is required' }])

  const badQuery = await app.inject({ url: '/v1/organizations?kind=club&foo=1' })
  t.equal(badQuery.statusCode, 400)
  t.same(
    json(badQuery)
      .errors.map((e: { pointer: string }) => e.pointer)
      .sort(),
    ['/query/foo', '/query/kind'],
  )

  const badId = await app.inject({ url: '/v1/organizations/not-a-uuid' })
  t.equal(badId.statusCode, 400)
  t.equal(json(badId).errors[0].pointer, '/params/id')
})

t.test('references: unknown country or parent is 422, a referenced organization cannot be deleted', async (t) => {
  const { app, admin } = await setup(t)
  const unknownCountry = await app.inject({
    method: 'POST',
    url: '/v1/organizations',
    headers: admin,
    payload: { ...body, country: 'XX' },
  })
  t.equal(unknownCountry.statusCode, 422)
  t.match(json(unknownCountry), { type: '/problems/invalid-reference', errors: [{ pointer: '/body/country' }] })

  const unknownParent = await app.inject({
    method: 'POST',
    url: '/v1/organizations',
    headers: admin,
    payload: { ...body, parentId: '00000000-0000-4000-8000-000000000000' },
  })
  t.equal(unknownParent.statusCode, 422)
  t.match(json(unknownParent), { errors: [{ pointer: '/body/parentId' }] })

  const parent = json(
    await app.inject({
      method: 'POST',
      url: '/v1/organizations',
      headers: admin,
      payload: { name: 'ASEAN', kind: 'intergovernmental' },
    }),
  )
  const child = json(
    await app.inject({
      method: 'POST',
      url: '/v1/organizations',
      headers: admin,
      payload: { name: 'SOMTC', kind: 'sectoral_body', parentId: parent.id },
    }),
  )
  const grandchild = json(
    await app.inject({
      method: 'POST',
      url: '/v1/organizations',
      headers: admin,
      payload: { name: 'Working group', kind: 'sectoral_body', parentId: child.id },
    }),
  )

  const refused = await app.inject({ method: 'DELETE', url: `/v1/organizations/${parent.id}`, headers: admin })
  t.equal(refused.statusCode, 409)
  t.match(json(refused), {
    type: '/problems/still-referenced',
    references: [{ resource: 'organizations', field: 'parentId' }],
  })
  t.equal((await app.inject({ url: `/v1/organizations/${parent.id}` })).statusCode, 200, 'nothing was deleted')

  const cycle = await app.inject({
    method: 'PATCH',
    url: `/v1/organizations/${parent.id}`,
    headers: admin,
    payload: { parentId: grandchild.id },
  })
  t.equal(cycle.statusCode, 422)
  t.match(json(cycle), { type: '/problems/rule-violation', errors: [{ pointer: '/body/parentId' }] })
  const self = await app.inject({
    method: 'PATCH',
    url: `/v1/organizations/${parent.id}`,
    headers: admin,
    payload: { parentId: parent.id },
  })
  t.equal(self.statusCode, 422)
})

t.test('filters, text search and sorts', async (t) => {
  const { app, admin } = await setup(t)
  const make = (payload: object) =>
    app.inject({ method: 'POST', url: '/v1/organizations', headers: admin, payload }).then(json)
  const asean = await make({
    name: 'Association of Southeast Asian Nations',
    acronym: 'ASEAN',
    kind: 'intergovernmental',
  })
  await make({
    name: 'ASEAN Commission on the Promotion and Protection of the Rights of Women and Children',
    acronym: 'ACWC',
    kind: 'sectoral_body',
    parentId: asean.id,
  })
  await make({
    name: 'Senior Officials Meeting on Transnational Crime',
    acronym: 'SOMTC',
    kind: 'sectoral_body',
    parentId: asean.id,
  })
  await make({ name: 'COMMIT Task Force Thailand', kind: 'national_task_force', country: 'TH' })
  await make({ name: 'COMMIT Task Force Viet Nam', kind: 'national_task_force', country: 'VN' })
  const names = async (query: string) =>
    json(await app.inject({ url: `/v1/organizations?${query}` })).data.map((o: { name: string }) => o.name)

  t.same(await names('kind=national_task_force'), ['COMMIT Task Force Thailand', 'COMMIT Task Force Viet Nam'])
  t.same(await names('country=VN'), ['COMMIT Task Force Viet Nam'])
  t.same((await names(`parentId=${asean.id}`)).length, 2)
  t.same(
    await names('q=somtc'),
    ['Senior Officials Meeting on Transnational Crime'],
    'q matches the acronym, case-insensitively',
  )
  t.same(await names('q=task%20force%20t'), ['COMMIT Task Force Thailand'])
  t.same(await names('q=100%25'), [], 'LIKE wildcards are literal')
  t.same(await names('sort=-name&kind=national_task_force'), [
    'COMMIT Task Force Viet Nam',
    'COMMIT Task Force Thailand',
  ])
  t.same((await names('sort=createdAt'))[0], 'Association of Southeast Asian Nations')

  const later = new Date(Date.now() + 60_000).toISOString()
  t.same(await names(`updatedSince=${encodeURIComponent(later)}`), [])
  t.equal((await names(`updatedSince=${encodeURIComponent('2000-01-01T00:00:00Z')}`)).length, 5)
  const bad = await app.inject({ url: '/v1/organizations?sort=acronym' })
  t.equal(bad.statusCode, 400)
  t.equal(json(bad).errors[0].pointer, '/query/sort')
})
