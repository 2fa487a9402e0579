import t from 'tap'
import type { Test } from 'tap'
import pg from 'pg'
import { sql } from 'kysely'
import { json, setup } from '../helpers/app.ts'
import { testBackend } from '../helpers/database.ts'

const onPostgres = (await testBackend()) === 'postgres' ? false : 'needs Postgres'

// The change feed (GET /v1/changes): every change once, in commit order, resumable; deletions
// as tombstones; field names, never values; a cursor before the retention horizon is 410.

const feed = async (ctx: Awaited<ReturnType<typeof setup>>, query: Record<string, string | number> = {}) => {
  const qs = new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)])).toString()
  const res = await ctx.app.inject({ url: `/v1/changes${qs ? `?${qs}` : ''}`, headers: ctx.admin })
  t.equal(res.statusCode, 200, `GET /v1/changes?${qs}: ${res.body.slice(0, 200)}`)
  return json(res) as {
    items: { cursor: string; resource: string; id: string; operation: string; version: number; fields: string[] }[]
    nextCursor: string
    hasMore: boolean
  }
}

type Feed = Awaited<ReturnType<typeof feed>>

/**
 * The feed once it holds at least `n` changes after `after`. The horizon is the oldest running
 * transaction of this database, so the app's own background work (a key's last use, the webhook
 * dispatcher) can hold the feed back for a moment: wait for it, as a reader would poll.
 */
async function settled(ctx: Awaited<ReturnType<typeof setup>>, query: Record<string, string | number>, n: number) {
  let page: Feed = await feed(ctx, query)
  for (let i = 0; i < 100 && page.items.length < n; i++) {
    await new Promise((r) => setTimeout(r, 100))
    page = await feed(ctx, query)
  }
  return page
}

/** A connection of its own to `url` (a transaction the app does not run), closed when the test ends. */
async function connection(t: Test, url: string) {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  t.teardown(() => client.end())
  return client
}

const createOrg = async (ctx: Awaited<ReturnType<typeof setup>>, name: string) => {
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/v1/organizations',
    headers: ctx.admin,
    payload: { name, kind: 'ngo', description: `secret-value-${name}` },
  })
  t.equal(res.statusCode, 201, res.body)
  return json(res).id as string
}

t.test('creates, updates and deletes in order; tombstones; field names only; resume; limit; types', async (t) => {
  const ctx = await setup(t)
  const start = await feed(ctx)
  const a = await createOrg(ctx, 'Feed A')
  const b = await createOrg(ctx, 'Feed B')
  const patched = await ctx.app.inject({
    method: 'PATCH',
    url: `/v1/organizations/${a}`,
    headers: { ...ctx.admin, 'content-type': 'application/merge-patch+json' },
    payload: { description: 'another secret value' },
  })
  t.equal(patched.statusCode, 200)
  t.equal(
    (await ctx.app.inject({ method: 'DELETE', url: `/v1/organizations/${b}`, headers: ctx.admin })).statusCode,
    204,
  )
  const plan = await ctx.app.inject({
    method: 'POST',
    url: '/v1/plans',
    headers: ctx.admin,
    payload: { code: 'FEED 1', title: 'Feed plan', countries: ['TH'] },
  })
  t.equal(plan.statusCode, 201, plan.body)

  const page = await settled(ctx, { after: start.nextCursor }, 5)
  t.same(
    page.items.map((i) => [i.resource, i.id, i.operation]),
    [
      ['organization', a, 'create'],
      ['organization', b, 'create'],
      ['organization', a, 'update'],
      ['organization', b, 'delete'],
      ['plan', json(plan).id, 'create'],
    ],
    'every change, in order',
  )
  const tombstone = page.items[3]!
  t.same(tombstone.fields, [], 'a tombstone: type and id, no fields')
  t.same(page.items[2]!.fields, ['description'], 'the update names the changed field')
  t.equal(page.items[2]!.version, 2)
  t.notMatch(JSON.stringify(page), /secret-value|another secret value/, 'no values in the feed')
  t.equal(page.hasMore, false)

  // Limit and resume: two pages of two, then one, then none (the cursor is still given).
  const p1 = await feed(ctx, { after: start.nextCursor, limit: 2 })
  t.equal(p1.items.length, 2)
  t.equal(p1.hasMore, true)
  const p2 = await feed(ctx, { after: p1.nextCursor, limit: 2 })
  const p3 = await feed(ctx, { after: p2.nextCursor, limit: 2 })
  t.same(
    [...p1.items, ...p2.items, ...p3.items].map((i) => i.cursor),
    page.items.map((i) => i.cursor),
    'pages join up',
  )
  t.equal(p3.hasMore, false)
  const p4 = await feed(ctx, { after: p3.nextCursor })
  t.same(p4.items, [])
  t.equal(p4.nextCursor, p3.nextCursor, 'an empty page gives back a cursor to poll with')
  // Resuming from an item's cursor gives what follows it.
  const fromItem = await feed(ctx, { after: page.items[1]!.cursor })
  t.same(
    fromItem.items.map((i) => i.cursor),
    page.items.slice(2).map((i) => i.cursor),
  )

  const plans = await feed(ctx, { after: start.nextCursor, types: 'plan,meeting' })
  t.same(
    plans.items.map((i) => i.resource),
    ['plan'],
    'types filters',
  )

  // Without a cursor: from the oldest change kept (the seed's, if any, then ours).
  const all = await feed(ctx, { limit: 1000 })
  t.ok(
    all.items.some((i) => i.id === a),
    'from the start',
  )

  const bad = await ctx.app.inject({ url: '/v1/changes?after=not-a-cursor!', headers: ctx.admin })
  t.equal(bad.statusCode, 400)
  const forged = await ctx.app.inject({
    url: `/v1/changes?after=${Buffer.from('x.y').toString('base64url')}`,
    headers: ctx.admin,
  })
  t.equal(forged.statusCode, 400)
  t.match(json(forged), { type: '/problems/invalid-cursor', errors: [{ pointer: '/query/after' }] })
  t.equal((await ctx.app.inject({ url: '/v1/changes?limit=1001', headers: ctx.admin })).statusCode, 400)
})

t.test('a cursor older than the retention is 410', async (t) => {
  const ctx = await setup(t, { CHANGES_RETENTION_DAYS: 1 })
  const start = await feed(ctx)
  await createOrg(ctx, 'Old')
  const first = await settled(ctx, { after: start.nextCursor }, 1)
  t.equal(first.items.length, 1)
  const fresh = await createOrg(ctx, 'New')
  // The first change ages past the horizon (written here as time passing would).
  await ctx.database.db
    .updateTable('changes')
    .set({ occurredAt: new Date(Date.now() - 2 * 86400_000).toISOString() } as never)
    .where('resourceId', '!=', fresh)
    .execute()
  const gone = await ctx.app.inject({ url: `/v1/changes?after=${start.nextCursor}`, headers: ctx.admin })
  t.equal(gone.statusCode, 410)
  t.match(json(gone), { type: '/problems/cursor-expired', status: 410, errors: [{ pointer: '/query/after' }] })
  const stillFine = await settled(ctx, { after: first.nextCursor }, 1)
  t.same(
    stillFine.items.map((i) => i.id),
    [fresh],
    'a cursor past the horizon still reads on',
  )
  const restart = await feed(ctx)
  t.same(
    restart.items.map((i) => i.id),
    [fresh],
    'without a cursor: the oldest change kept',
  )
})

t.test('a transaction that commits after a later one is not skipped', { skip: onPostgres }, async (t) => {
  const ctx = await setup(t)
  const url = ctx.database.url as string
  const t1 = await connection(t, url)
  const t2 = await connection(t, url)
  const start = await feed(ctx)
  const change = (id: string) =>
    `insert into changes (resource, resource_id, operation, version, fields) values ('activity', '${id}', 'update', 2, '{title}')`
  const early = '00000000-0000-4000-8000-00000000000e'
  const late = '00000000-0000-4000-8000-00000000000f'
  await t1.query('begin')
  await t1.query(change(early)) // T1 takes the lower change id, and stays open
  await t2.query('begin')
  await t2.query(change(late))
  await t2.query('commit') // T2 commits first
  const before = await feed(ctx, { after: start.nextCursor })
  t.same(
    before.items.map((i) => i.id),
    [],
    'nothing past the open transaction is handed out',
  )
  await t1.query('commit')
  const after = await settled(ctx, { after: before.nextCursor }, 2)
  t.same(
    after.items.map((i) => i.id),
    [early, late],
    'resuming from the cursor held meanwhile gives both',
  )

  // The same with a third transaction that began first and commits last, after both.
  const t3 = await connection(t, url)
  const first = '00000000-0000-4000-8000-0000000000a1'
  const second = '00000000-0000-4000-8000-0000000000a2'
  await t3.query('begin')
  await t3.query(`select pg_current_xact_id()`) // T3 has the lower txid, no change yet
  await t1.query('begin')
  await t1.query(change(first))
  await t1.query('commit')
  const held = await feed(ctx, { after: after.nextCursor })
  t.same(held.items, [], 'held back while an older transaction runs')
  await t3.query(change(second)) // the older transaction writes a later change id
  await t3.query('commit')
  const both = await settled(ctx, { after: held.nextCursor }, 2)
  t.same(both.items.map((i) => i.id).sort(), [first, second].sort(), 'both, none skipped')
})

t.test(
  'a transaction open in another database does not hold the feed back; one in this database does',
  { skip: onPostgres },
  async (t) => {
    const ctx = await setup(t)
    const url = ctx.database.url as string
    const elsewhere = new URL(url)
    elsewhere.pathname = '/postgres'
    const other = await connection(t, elsewhere.toString())
    const here = await connection(t, url)
    const start = await feed(ctx)
    await other.query('begin')
    await other.query('select pg_current_xact_id()') // an older txid, open, in another database
    const a = await createOrg(ctx, 'Feed beside a transaction elsewhere')
    const served = await settled(ctx, { after: start.nextCursor }, 1)
    t.same(
      served.items.map((i) => i.id),
      [a],
      "served while the other database's older transaction is still open",
    )

    await here.query('begin')
    await here.query('select pg_current_xact_id()') // an older txid, open, in this database
    const b = await createOrg(ctx, 'Feed behind a transaction here')
    const held = await feed(ctx, { after: served.nextCursor })
    t.same(held.items, [], "held back while this database's older transaction runs")
    await here.query('commit')
    const released = await settled(ctx, { after: held.nextCursor }, 1)
    t.same(
      released.items.map((i) => i.id),
      [b],
      'served once it ends',
    )
    await other.query('commit')
  },
)

t.test('transactions are ordered by number, not as text: 9 before 10, across pages', async (t) => {
  const ctx = await setup(t)
  // The oldest transactions of all, one change each, with txids that cross a power of ten.
  const written = ['7', '8', '9', '10', '11'].map((txid, i) => ({
    txid,
    id: `00000000-0000-4000-8000-00000000010${i}`,
  }))
  for (const w of written)
    await sql`insert into changes (txid, resource, resource_id, operation, version, fields)
      values (${w.txid}::xid8, 'activity', ${w.id}, 'update', 2, '{title}')`.execute(ctx.database.db)
  const seen: string[] = []
  let after: string | undefined
  for (let pages = 0; pages < 3; pages++) {
    const page = await feed(ctx, { limit: 2, ...(after ? { after } : {}) })
    seen.push(...page.items.map((i) => i.id))
    after = page.nextCursor
  }
  t.same(
    seen.filter((id) => written.some((w) => w.id === id)),
    written.map((w) => w.id),
    'every change once, in txid order, over pages of two',
  )
})
