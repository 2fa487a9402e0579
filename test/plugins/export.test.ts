import t from 'tap'
import { sql } from 'kysely'
import { json, setup } from '../helpers/app.ts'

t.test('lists stream every matching row as NDJSON or CSV', async (t) => {
  const { app, database } = await setup(t)
  // More rows than one export batch, so the export has to walk on.
  await sql`insert into organizations (name, kind, country_code) select 'Org ' || lpad(i::text, 5, '0'), case when i % 3 = 0 then 'ngo' else 'government' end, 'KH' from generate_series(1, 2500) i`.execute(database.db)
  await sql`insert into organizations (name, acronym, kind) values ('=HYPERLINK("http://x")', 'A, "quoted"', 'donor')`.execute(database.db)

  const nd = await app.inject({ url: '/v1/organizations?kind=government&sort=-name&limit=5', headers: { accept: 'application/x-ndjson' } })
  t.equal(nd.statusCode, 200)
  t.equal(nd.headers['content-type'], 'application/x-ndjson; charset=utf-8')
  t.notOk(nd.headers.link, 'no paging')
  const items = nd.body.trim().split('\n').map((l) => JSON.parse(l))
  t.equal(items.length, 1667, 'every government row, not just `limit`')
  t.equal(new Set(items.map((i) => i.id)).size, items.length, 'each once')
  t.same(items.map((i) => i.name), items.map((i) => i.name).sort().reverse(), 'in the requested sort')
  t.ok(items.every((i) => i.kind === 'government' && i.country === 'KH'))

  const csv = await app.inject({ url: '/v1/organizations?kind=donor', headers: { accept: 'text/csv' } })
  t.equal(csv.headers['content-type'], 'text/csv; charset=utf-8')
  const lines = csv.body.trim().split('\r\n')
  t.equal(lines[0], 'id,name,acronym,kind,country,parentId,website,description,createdAt,updatedAt,version')
  t.equal(lines.length, 2)
  t.match(lines[1], /^[0-9a-f-]{36},"'=HYPERLINK\(""http:\/\/x""\)","A, ""quoted""",donor,,,,,/, 'quoted, and a formula is neutralised')

  const preferJson = await app.inject({ url: '/v1/organizations?limit=2', headers: { accept: 'text/csv;q=0.5, application/json' } })
  t.equal(json(preferJson).data.length, 2, 'JSON when the client prefers it')
  const all = await app.inject({ url: '/v1/organizations', headers: { accept: 'application/x-ndjson' } })
  t.equal(all.body.trim().split('\n').length, 2501)
})
