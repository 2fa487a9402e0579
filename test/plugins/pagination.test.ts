import t from 'tap'
import { sql } from 'kysely'
import { json, setup } from '../helpers/app.ts'

const kinds = ['government', 'ngo', 'un_agency', 'donor'] as const

t.test('a crawl with inserts and deletes between pages returns every surviving row exactly once', async (t) => {
  const { app, admin, database } = await setup(t)
  await sql`insert into organizations (name, kind) select 'Org ' || lpad(i::text, 4, '0'), ${sql.lit('ngo')} from generate_series(1, 230) i`.execute(
    database.db,
  )
  const all = await database.db.selectFrom('organizations').select(['id', 'name']).execute()
  const deleted = new Set<string>()
  const seen: string[] = []
  let url: string | null = '/v1/organizations?limit=25&sort=name'
  let pages = 0
  while (url && pages < 100) {
    const res = await app.inject({ url })
    t.equal(res.statusCode, 200)
    const body = json(res)
    seen.push(...body.data.map((o: { id: string }) => o.id))
    pages++
    // Between pages, other clients insert rows on both sides of the cursor and delete some not yet seen.
    await app.inject({
      method: 'POST',
      url: '/v1/organizations',
      headers: admin,
      payload: { name: `Org 0000-new-${pages}`, kind: 'ngo' },
    })
    await app.inject({
      method: 'POST',
      url: '/v1/organizations',
      headers: admin,
      payload: { name: `Org 9999-new-${pages}`, kind: 'ngo' },
    })
    const victim = all.find((o) => !seen.includes(o.id) && !deleted.has(o.id))
    if (victim && pages % 2 === 0) {
      t.equal(
        (await app.inject({ method: 'DELETE', url: `/v1/organizations/${victim.id}`, headers: admin })).statusCode,
        204,
      )
      deleted.add(victim.id)
    }
    if (body.nextCursor)
      t.equal(
        res.headers.link,
        `<http://localhost:80${url.split('&cursor=')[0]}&cursor=${body.nextCursor}>; rel="next"`.replace(':80', ''),
      )
    url = body.nextCursor ? `/v1/organizations?limit=25&sort=name&cursor=${body.nextCursor}` : null
  }
  const survivors = all.filter((o) => !deleted.has(o.id)).map((o) => o.id)
  t.ok(deleted.size > 3, 'rows were deleted during the crawl')
  t.equal(new Set(seen).size, seen.length, 'no row was returned twice')
  t.same(
    survivors.filter((id) => !seen.includes(id)),
    [],
    'no surviving row was skipped',
  )
  t.same(
    [...deleted].filter((id) => seen.includes(id)),
    [],
    'deleted rows were not returned',
  )
})

t.test('every sort walks the whole set, in order, with ties broken by id', async (t) => {
  const { app, database } = await setup(t)
  // Duplicate names force the id tie-breaker to do its work.
  await sql`insert into organizations (name, kind) select 'Same ' || (i % 7), (array['government','ngo','un_agency','donor'])[1 + i % 4] from generate_series(1, 120) i`.execute(
    database.db,
  )
  for (const sort of ['name', '-name', 'createdAt', '-createdAt', 'updatedAt', '-updatedAt']) {
    const ids: string[] = []
    let cursor: string | null = null
    let guard = 0
    do {
      const res: { data: { id: string; name: string }[]; nextCursor: string | null } = json(
        await app.inject({ url: `/v1/organizations?limit=17&sort=${sort}${cursor ? `&cursor=${cursor}` : ''}` }),
      )
      ids.push(...res.data.map((o) => o.id))
      cursor = res.nextCursor
    } while (cursor && ++guard < 50)
    t.equal(ids.length, 120, `${sort}: all rows`)
    t.equal(new Set(ids).size, 120, `${sort}: no repeats`)
  }
  const filtered = json(await app.inject({ url: `/v1/organizations?kind=${kinds[1]}&limit=500` }))
  t.equal(filtered.data.length, 30)
  t.equal(filtered.nextCursor, null, 'the last page has no next cursor')
})

t.test('limits and cursors are checked', async (t) => {
  const { app, database } = await setup(t)
  await sql`insert into organizations (name, kind) select 'Org ' || i, 'ngo' from generate_series(1, 60) i`.execute(
    database.db,
  )
  const first = await app.inject({ url: '/v1/organizations' })
  t.equal(json(first).data.length, 50, 'limit defaults to 50')
  t.equal((await app.inject({ url: '/v1/organizations?limit=0' })).statusCode, 400)
  t.equal((await app.inject({ url: '/v1/organizations?limit=501' })).statusCode, 400)

  const cursor = json(first).nextCursor as string
  t.equal(json(await app.inject({ url: `/v1/organizations?cursor=${cursor}` })).data.length, 10)
  t.equal(
    (await app.inject({ url: `/v1/organizations?cursor=${cursor}&limit=5` })).statusCode,
    200,
    'the page size may change mid-crawl',
  )

  const [data, mac] = cursor.split('.')
  const forged = Buffer.from(
    JSON.stringify({
      ...JSON.parse(Buffer.from(data!, 'base64url').toString()),
      p: ['A', '00000000-0000-4000-8000-000000000000'],
    }),
  ).toString('base64url')
  for (const bad of [`${forged}.${mac}`, 'garbage', `${data}.`, `${data}.${'A'.repeat(22)}`]) {
    const res = await app.inject({ url: `/v1/organizations?cursor=${encodeURIComponent(bad)}` })
    t.equal(res.statusCode, 400, `tampered cursor ${bad.slice(0, 12)}…`)
    t.match(json(res), { type: '/problems/invalid-cursor', errors: [{ pointer: '/query/cursor' }] })
  }
  const otherFilter = await app.inject({ url: `/v1/organizations?cursor=${cursor}&kind=ngo` })
  t.equal(otherFilter.statusCode, 400, 'a cursor is bound to its filters')
  t.match(json(otherFilter).detail, /other filters or another sort/)
  t.equal(
    (await app.inject({ url: `/v1/organizations?cursor=${cursor}&sort=-name` })).statusCode,
    400,
    'and to its sort',
  )
  t.equal((await app.inject({ url: `/v1/countries?cursor=${cursor}` })).statusCode, 400, 'and to its route')
})

t.test('the cursor after the longest sort value is within the documented length, and is followed', async (t) => {
  const { app, admin } = await setup(t)
  // A title of 1 000 characters that JSON writes as \u0001 each: the longest cursor a list issues.
  for (const c of ['\u0001', '\u0002', 'ก']) {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/meetings',
      headers: admin,
      payload: { kind: 'workshop', title: c.repeat(1000), status: 'planned' },
    })
    t.equal(res.statusCode, 201)
  }
  const doc = json(await app.inject({ url: '/v1/openapi.json' }))
  const maxLength = doc.components.schemas.MeetingList.properties.nextCursor.anyOf[0].maxLength
  const linkMax = doc.components.headers.Link.schema.maxLength
  let url: string | null = '/v1/meetings?sort=title&limit=1'
  let pages = 0
  while (url) {
    const res = await app.inject({ url, headers: admin })
    t.equal(res.statusCode, 200, `page ${++pages}`)
    const { nextCursor } = json(res)
    if (nextCursor) {
      t.ok(nextCursor.length <= maxLength, `a cursor of ${nextCursor.length} characters, within ${maxLength}`)
      t.ok(res.headers.link && String(res.headers.link).length <= linkMax, 'with a Link within its documented length')
    }
    url = nextCursor ? `/v1/meetings?sort=title&limit=1&cursor=${nextCursor}` : null
  }
  t.equal(pages, 3)
})
