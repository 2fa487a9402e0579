import t from 'tap'
import { sql } from 'kysely'
import { json, setup } from '../helpers/app.ts'

// Every list has an …/export operation that streams the whole filtered set; the list itself is
// JSON only, so a generated client's list type is the page.

t.test('…/export streams every matching row as NDJSON or CSV', async (t) => {
  const { app, database } = await setup(t)
  // More rows than one export batch, so the export has to walk on.
  await sql`insert into organizations (name, kind, country_code) select 'Org ' || lpad(i::text, 5, '0'), case when i % 3 = 0 then 'ngo' else 'government' end, 'KH' from generate_series(1, 2500) i`.execute(
    database.db,
  )
  await sql`insert into organizations (name, acronym, kind) values ('=HYPERLINK("http://x")', 'A, "quoted"', 'donor')`.execute(
    database.db,
  )

  const nd = await app.inject({ url: '/v1/organizations/export?kind=government&sort=-name' })
  t.equal(nd.statusCode, 200)
  t.equal(nd.headers['content-type'], 'application/x-ndjson; charset=utf-8')
  t.equal(nd.headers['content-disposition'], 'attachment; filename="organizations.ndjson"')
  t.notOk(nd.headers.link, 'no paging')
  const items = nd.body
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l))
  t.equal(items.length, 1667, 'every government row')
  t.equal(new Set(items.map((i) => i.id)).size, items.length, 'each once')
  t.same(
    items.map((i) => i.name),
    items
      .map((i) => i.name)
      .sort()
      .reverse(),
    'in the requested sort',
  )
  t.ok(items.every((i) => i.kind === 'government' && i.country === 'KH'))

  const csv = await app.inject({ url: '/v1/organizations/export?kind=donor&format=csv' })
  t.equal(csv.headers['content-type'], 'text/csv; charset=utf-8')
  t.equal(csv.headers['content-disposition'], 'attachment; filename="organizations.csv"')
  t.ok(csv.body.startsWith('\uFEFF'), 'a byte order mark, so Excel reads UTF-8')
  const lines = csv.body.slice(1).trim().split('\r\n')
  t.equal(
    lines[0],
    'id,name,acronym,kind,country,parentId,parentName,website,description,createdAt,updatedAt,version,provenance',
  )
  t.equal(lines.length, 2)
  t.match(
    lines[1],
    /^[0-9a-f-]{36},"'=HYPERLINK\(""http:\/\/x""\)","A, ""quoted""",donor,,,,,/,
    'quoted, and a formula is neutralised',
  )
  const plain = await app.inject({
    url: '/v1/organizations/export?kind=donor&bom=false',
    headers: { accept: 'text/csv' },
  })
  t.ok(plain.body.startsWith('id,'), 'Accept chooses CSV when format is absent; bom=false leaves the mark out')

  const all = await app.inject({ url: '/v1/organizations/export' })
  t.equal(all.body.trim().split('\n').length, 2501)
  t.equal(
    (await app.inject({ url: '/v1/organizations/export?limit=5' })).statusCode,
    400,
    'an export has no paging parameters',
  )
})

t.test('CSV joins lists of values so a spreadsheet reads them', async (t) => {
  const { app, admin } = await setup(t)
  await app.inject({
    method: 'POST',
    url: '/v1/plans',
    headers: admin,
    payload: { code: 'COMMIT', title: 'COMMIT', countries: ['KH', 'LA', 'TH'] },
  })
  const csv = await app.inject({ url: '/v1/plans/export?format=csv&bom=false' })
  const [header, row] = csv.body.trim().split('\r\n')
  const column = header!.split(',').indexOf('countries')
  t.ok(column > 0)
  t.match(row, /"KH; LA; TH"/)
})

t.test('a list answers JSON only: other media types are 406 naming the export', async (t) => {
  const { app } = await setup(t)
  const preferJson = await app.inject({
    url: '/v1/organizations?limit=2',
    headers: { accept: 'text/csv;q=0.5, application/json' },
  })
  t.equal(preferJson.statusCode, 200, 'JSON when the client takes it')
  t.match(preferJson.headers.vary, /Accept/)
  for (const accept of ['text/csv', 'application/x-ndjson', 'image/png', 'application/json;q=0']) {
    const res = await app.inject({ url: '/v1/organizations', headers: { accept } })
    t.equal(res.statusCode, 406, accept)
    t.equal(json(res).type, '/problems/not-acceptable')
    t.match(json(res).detail, /\/v1\/organizations\/export/)
  }
  t.equal((await app.inject({ url: '/v1/organizations', headers: { accept: '*/*' } })).statusCode, 200)
})
