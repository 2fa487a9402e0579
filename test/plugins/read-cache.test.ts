import t from 'tap'
import pg from 'pg'
import { json, setup } from '../helpers/app.ts'
import { testBackend } from '../helpers/database.ts'

// The read cache: a repeated GET costs no statement, and nothing cached outlives a committed
// write — made through the API, or behind its back.

const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
const onPostgres = (await testBackend()) === 'postgres'
const until = async (check: () => Promise<boolean>, ms = 3000) => {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 20)))
    if (await check()) return true
  return false
}

t.test('a repeated GET is served without the database, with the same body and ETag', async (t) => {
  const { app, admin, database } = await setup(t)
  const org = json(
    await app.inject({
      method: 'POST',
      url: '/v1/organizations',
      headers: admin,
      payload: { name: 'Cached', kind: 'ngo' },
    }),
  )
  const url = `/v1/organizations/${org.id}`
  // The POST's own notification may still be on its way and empty the cache once more.
  await until(async () => (await database.recordStatements(() => app.inject({ url }))).statements.length === 0)
  const first = await app.inject({ url })
  const { result: second, statements } = await database.recordStatements(() => app.inject({ url }))
  t.equal(statements.length, 0, 'no statement for a cached read')
  t.equal(second.body, first.body)
  t.equal(second.headers.etag, first.headers.etag)
  t.ok(
    second.headers['x-request-id'] && second.headers['x-request-id'] !== first.headers['x-request-id'],
    'its own request id',
  )
  t.equal((await app.inject({ url, headers: { 'if-none-match': first.headers.etag as string } })).statusCode, 304)
  t.equal((await app.inject({ url, headers: { 'if-none-match': '*' } })).statusCode, 304)
  const list = await app.inject({ url: '/v1/organizations?limit=1' })
  const again = await database.recordStatements(() => app.inject({ url: '/v1/organizations?limit=1' }))
  t.equal(again.statements.length, 0)
  t.equal(again.result.headers.link, list.headers.link, 'the Link of the page comes back with it')
})

t.test('a write through the API is seen at once by the next read', async (t) => {
  const { app, admin } = await setup(t)
  const org = json(
    await app.inject({
      method: 'POST',
      url: '/v1/organizations',
      headers: admin,
      payload: { name: 'Before', kind: 'ngo' },
    }),
  )
  const url = `/v1/organizations/${org.id}`
  await app.inject({ url })
  await app.inject({ url })
  const patch = await app.inject({
    method: 'PATCH',
    url,
    headers: { ...admin, 'content-type': 'application/merge-patch+json' },
    payload: { name: 'After' },
  })
  t.equal(patch.statusCode, 200)
  const read = await app.inject({ url })
  t.equal(json(read).name, 'After', 'read-your-writes on the node that wrote')
  t.equal(read.headers.etag, patch.headers.etag, 'and the ETag is the new version')
  const keyed = await app.inject({
    method: 'POST',
    url: '/v1/organizations',
    headers: { ...admin, 'idempotency-key': 'cache-1' },
    payload: { name: 'Keyed', kind: 'ngo' },
  })
  t.equal(keyed.statusCode, 201)
  t.equal(
    json(await app.inject({ url: '/v1/organizations?q=Keyed' })).data.length,
    1,
    'an idempotent write invalidates too',
  )
})

t.test(
  'a write behind the API’s back (another node, psql) empties the cache through NOTIFY',
  { skip: onPostgres ? false : 'needs a Postgres server' },
  async (t) => {
    const { app, database } = await setup(t)
    const other = new pg.Client({ connectionString: database.url })
    await other.connect()
    t.teardown(() => other.end())
    const { rows } = await other.query(
      `insert into organizations (name, kind) values ('Elsewhere', 'ngo') returning id`,
    )
    const url = `/v1/organizations/${rows[0].id}`
    t.equal(json(await app.inject({ url })).name, 'Elsewhere')
    await other.query(`update organizations set name = 'Renamed elsewhere' where id = $1`, [rows[0].id])
    t.ok(
      await until(async () => json(await app.inject({ url })).name === 'Renamed elsewhere'),
      'the other connection’s commit reaches the cache',
    )
  },
)

t.test(
  'while the listener is lost, nothing is served from the cache',
  { skip: onPostgres ? false : 'needs a Postgres server' },
  async (t) => {
    const { app, admin, database } = await setup(t)
    const org = json(
      await app.inject({
        method: 'POST',
        url: '/v1/organizations',
        headers: admin,
        payload: { name: 'Watched', kind: 'ngo' },
      }),
    )
    const url = `/v1/organizations/${org.id}`
    await app.inject({ url })
    const killer = new pg.Client({ connectionString: adminUrl })
    await killer.connect()
    t.teardown(() => killer.end())
    const dbName = new URL(database.url!).pathname.slice(1)
    await killer.query(
      `select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and query ilike 'listen%'`,
      [dbName],
    )
    // A write the lost listener cannot hear about: the read must still see it.
    const other = new pg.Client({ connectionString: database.url })
    await other.connect()
    t.teardown(() => other.end())
    await other.query(`update organizations set name = 'Changed while deaf' where id = $1`, [org.id])
    t.equal(json(await app.inject({ url })).name, 'Changed while deaf', 'the read went to the database')
    t.ok(
      await until(async () => (await database.recordStatements(() => app.inject({ url }))).statements.length === 0),
      'after reconnecting, the cache serves again',
    )
  },
)
