import t from 'tap'
import { json, setup } from '../helpers/app.ts'

t.test('countries: the ISO list, filters, one country', async (t) => {
  const { app } = await setup(t)
  const codes: string[] = []
  let cursor: string | null = null
  let guard = 0
  do {
    const page: { data: { code: string }[]; nextCursor: string | null } = json(
      await app.inject({ url: `/v1/countries?limit=100${cursor ? `&cursor=${cursor}` : ''}` }),
    )
    codes.push(...page.data.map((c) => c.code))
    cursor = page.nextCursor
  } while (cursor && ++guard < 10)
  t.ok(codes.length >= 249, `the whole ISO 3166-1 list (${codes.length})`)
  t.same(codes, [...codes].sort(), 'sorted by code')
  for (const c of ['KH', 'CN', 'LA', 'MM', 'TH', 'VN', 'BN', 'ID', 'MY', 'PH', 'SG']) t.ok(codes.includes(c), c)

  const sea = json(await app.inject({ url: '/v1/countries?region=South-eastern%20Asia&limit=500' }))
    .data.map((c: { code: string }) => c.code)
    .sort()
  t.same(sea, ['BN', 'ID', 'KH', 'LA', 'MM', 'MY', 'PH', 'SG', 'TH', 'TL', 'VN'])
  t.same(
    json(await app.inject({ url: '/v1/countries?q=cambod' })).data.map((c: { code: string }) => c.code),
    ['KH'],
  )
  t.same(
    json(await app.inject({ url: '/v1/countries?q=vn' })).data.map((c: { code: string }) => c.code),
    ['VN'],
    'q matches a code',
  )
  const asc = json(await app.inject({ url: '/v1/countries?sort=name&limit=500' })).data.map(
    (c: { code: string }) => c.code,
  )
  const desc = json(await app.inject({ url: '/v1/countries?sort=-name&limit=500' })).data.map(
    (c: { code: string }) => c.code,
  )
  t.same(desc, [...asc].reverse(), 'sort=-name is sort=name reversed (in the database collation)')

  const kh = await app.inject({ url: '/v1/countries/KH' })
  t.match(json(kh), { code: 'KH', name: 'Cambodia', region: 'Asia' })
  t.equal(kh.headers.etag, '"1"')
  t.equal((await app.inject({ url: '/v1/countries/KH', headers: { 'if-none-match': '"1"' } })).statusCode, 304)
  t.equal((await app.inject({ url: '/v1/countries/XX' })).statusCode, 404)
  t.equal((await app.inject({ url: '/v1/countries/kh' })).statusCode, 400)
  t.equal(
    (await app.inject({ method: 'POST', url: '/v1/countries', payload: {} })).statusCode,
    405,
    'read-only: POST is not allowed',
  )
})
