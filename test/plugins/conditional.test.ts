import t from 'tap'
import { json, setup } from '../helpers/app.ts'

t.test('ETag, If-None-Match and If-Match', async (t) => {
  const { app, admin } = await setup(t)
  const org = json(
    await app.inject({
      method: 'POST',
      url: '/v1/organizations',
      headers: admin,
      payload: { name: 'UNIAP', kind: 'un_agency' },
    }),
  )
  const url = `/v1/organizations/${org.id}`

  const first = await app.inject({ url })
  t.equal(first.headers.etag, '"1"')
  const cached = await app.inject({ url, headers: { 'if-none-match': '"1"' } })
  t.equal(cached.statusCode, 304)
  t.equal(cached.body, '')
  t.equal(cached.headers.etag, '"1"')
  t.equal(
    (await app.inject({ url, headers: { 'if-none-match': 'W/"1"' } })).statusCode,
    304,
    'If-None-Match compares weakly',
  )
  t.equal((await app.inject({ url, headers: { 'if-none-match': '"0", "1"' } })).statusCode, 304)
  t.equal((await app.inject({ url, headers: { 'if-none-match': '*' } })).statusCode, 304)
  t.equal((await app.inject({ url, headers: { 'if-none-match': '"7"' } })).statusCode, 200)

  const stale = await app.inject({
    method: 'PATCH',
    url,
    headers: { ...admin, 'if-match': '"0"' },
    payload: { name: 'Changed' },
  })
  t.equal(stale.statusCode, 412)
  t.equal(json(stale).type, '/problems/precondition-failed')
  t.equal(stale.headers.etag, '"1"', 'the 412 tells the current version')
  t.equal(json(await app.inject({ url })).name, 'UNIAP', 'a stale If-Match changes nothing')

  const weak = await app.inject({
    method: 'PATCH',
    url,
    headers: { ...admin, 'if-match': 'W/"1"' },
    payload: { name: 'Changed' },
  })
  t.equal(weak.statusCode, 412, 'If-Match compares strongly: a weak tag never matches')
  const malformed = await app.inject({
    method: 'PATCH',
    url,
    headers: { ...admin, 'if-match': '1' },
    payload: { name: 'Changed' },
  })
  t.equal(malformed.statusCode, 400)
  t.same(json(malformed).errors[0].pointer, '/headers/if-match')

  const ok = await app.inject({
    method: 'PATCH',
    url,
    headers: { ...admin, 'if-match': '"1"' },
    payload: { name: 'Changed' },
  })
  t.equal(ok.statusCode, 200)
  t.equal(ok.headers.etag, '"2"')
  t.equal(
    (await app.inject({ url, headers: { 'if-none-match': '"1"' } })).statusCode,
    200,
    'the old tag no longer matches',
  )
  t.equal(
    (await app.inject({ method: 'PATCH', url, headers: { ...admin, 'if-match': '*' }, payload: { acronym: 'UNIAP' } }))
      .statusCode,
    200,
  )

  const staleDelete = await app.inject({ method: 'DELETE', url, headers: { ...admin, 'if-match': '"2"' } })
  t.equal(staleDelete.statusCode, 412)
  t.equal((await app.inject({ url })).statusCode, 200, 'a stale delete deletes nothing')
  t.equal((await app.inject({ method: 'DELETE', url, headers: { ...admin, 'if-match': '"3"' } })).statusCode, 204)
  t.equal((await app.inject({ method: 'PATCH', url, headers: admin, payload: { name: 'x' } })).statusCode, 404)
})

t.test('concurrent writers with the same If-Match: exactly one wins', async (t) => {
  const { app, admin } = await setup(t)
  const org = json(
    await app.inject({
      method: 'POST',
      url: '/v1/organizations',
      headers: admin,
      payload: { name: 'SOMTC', kind: 'sectoral_body' },
    }),
  )
  const results = await Promise.all(
    Array.from({ length: 8 }, (_, i) =>
      app.inject({
        method: 'PATCH',
        url: `/v1/organizations/${org.id}`,
        headers: { ...admin, 'if-match': '"1"' },
        payload: { description: `writer ${i}` },
      }),
    ),
  )
  const codes = results.map((r) => r.statusCode).sort()
  t.same(codes, [200, 412, 412, 412, 412, 412, 412, 412])
  t.equal(json(await app.inject({ url: `/v1/organizations/${org.id}` })).version, 2)
})
