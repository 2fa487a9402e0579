import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { sql } from 'kysely'
import pg from 'pg'
import t from 'tap'
import { setup } from '../helpers/app.ts'
import { testBackend } from '../helpers/database.ts'

// Exports protect the service: a bounded number at once per API key (or client address), the
// database left alone when the client stops reading (backpressure) and when it goes away. Real
// sockets, because both are about what happens to a connection, and a real Postgres, whose
// pg_stat_activity says what the server is still running.

const rows = 200_000

const skip = (await testBackend()) === 'postgres' ? false : 'needs a Postgres server (pg_stat_activity)'

// Child processes and real sockets on a shared 2-core machine: more than tap's default 120 s at times.
t.setTimeout(300_000)

t.test(
  'exports: concurrency per key, backpressure, and the query stops when the client goes away',
  { skip },
  async (t) => {
    const ctx = await setup(t, { ANONYMOUS_READ: true })
    await sql`insert into organizations (name, kind)
    select 'Export organization ' || lpad(i::text, 7, '0'), 'ngo' from generate_series(1, ${rows}::int) i`.execute(
      ctx.database.db,
    )
    await ctx.app.listen({ port: 0, host: '127.0.0.1' })
    const port = (ctx.app.server.address() as AddressInfo).port
    const monitor = new pg.Client({ connectionString: ctx.database.url })
    await monitor.connect()
    t.teardown(() => monitor.end())

    /** Starts a GET and resolves once the headers are in; the body is not read until asked. */
    function open(path: string, headers: Record<string, string> = {}) {
      return new Promise<{ res: http.IncomingMessage; req: http.ClientRequest }>((resolve, reject) => {
        const req = http.get({ host: '127.0.0.1', port, path, headers, agent: false }, (res) => {
          res.pause()
          resolve({ res, req })
        })
        req.once('error', reject)
      })
    }
    async function readSome(res: http.IncomingMessage, bytes: number) {
      let got = 0
      for await (const chunk of res) {
        got += (chunk as Buffer).length
        if (got >= bytes) break
      }
      return got
    }
    /** Queries of this test's database that are running now, other than the monitor's own. */
    async function activeOrganizationQueries() {
      const r = await monitor.query(
        `select query from pg_stat_activity
       where datname = current_database() and pid <> pg_backend_pid() and state = 'active' and query ilike '%organizations%'`,
      )
      return r.rows.map((row) => String(row.query))
    }
    const exportPath = '/v1/organizations/export?format=ndjson'

    await t.test(
      'beyond EXPORTS_PER_KEY running exports, 429 with Retry-After; a slot frees when one ends',
      async (t) => {
        const first = await open(exportPath, ctx.admin)
        const second = await open(exportPath, ctx.admin)
        t.equal(first.res.statusCode, 200)
        t.equal(second.res.statusCode, 200)
        const third = await open(exportPath, ctx.admin)
        t.equal(third.res.statusCode, 429, 'a third export of the same key waits')
        t.equal(third.res.headers['retry-after'], '5')
        t.match(third.res.headers['content-type'], /application\/problem\+json/)
        const body = JSON.parse(await text(third.res))
        t.equal(body.type, '/problems/rate-limited')
        t.match(body.detail, /At most 2 exports/)

        const other = await open(exportPath, await ctx.key(['read']))
        t.equal(other.res.statusCode, 200, 'another key is not held back by the first one')
        const anonymous = await open(exportPath)
        t.equal(anonymous.res.statusCode, 200, 'an anonymous caller is counted by address')
        const anonymous2 = await open(exportPath)
        t.equal(anonymous2.res.statusCode, 200)
        const anonymous3 = await open(exportPath)
        t.equal(anonymous3.res.statusCode, 429, 'the third anonymous export from one address waits')
        await text(anonymous3.res)

        const list = await ctx.app.inject({ url: '/v1/organizations?limit=1', headers: ctx.admin })
        t.equal(list.statusCode, 200, 'lists are not counted')

        first.req.destroy()
        await sleep(200)
        const again = await open(exportPath, ctx.admin)
        t.equal(again.res.statusCode, 200, 'the slot of an export whose client left is given back')
        for (const x of [second, other, anonymous, anonymous2, again]) x.req.destroy()
        await sleep(200)

        // One that runs to the end gives its slot back too.
        const small = await ctx.app.inject({ url: '/v1/countries/export', headers: ctx.admin })
        t.equal(small.statusCode, 200)
        await sleep(200)
      },
    )

    await t.test('a client that stops reading stops the reads; one that goes away stops the query', async (t) => {
      // Markers run through the same database handle, so they land in the statement log in order
      // with the export's own queries.
      const mark = (name: string) => sql`select ${name}::text as marker`.execute(ctx.database.db)
      const { statements } = await ctx.database.recordStatements(async () => {
        const { res, req } = await open(exportPath, ctx.admin)
        t.equal(res.statusCode, 200)
        const got = await readSome(res, 200_000)
        t.ok(got >= 200_000, 'read the start of the export')

        // Backpressure: the client holds the connection open but reads nothing.
        await sleep(1000)
        await mark('paused-1s')
        await sleep(1000)
        await mark('paused-2s')

        req.destroy()
        await sleep(1000)
        t.same(await activeOrganizationQueries(), [], 'no export query runs one second after the client went away')
        await mark('gone-1s')
        await sleep(1000)
        await mark('gone-2s')
      })
      const exportQueries = (from: number, to: number) =>
        statements.slice(from, to).filter((s) => /from "organizations"/.test(s)).length
      const index = (n: number) => statements.findIndex((s, i) => /marker/.test(s) && markersBefore(i) === n)
      const markersBefore = (i: number) => statements.slice(0, i).filter((s) => /marker/.test(s)).length
      const [paused1, paused2, gone1, gone2] = [0, 1, 2, 3].map(index)
      t.ok(paused1 > 0 && gone2 > gone1, 'the markers are in the log')
      const before = exportQueries(0, paused1)
      t.ok(
        before > 0 && before < rows / 1000 / 2,
        `only the first batches were read (${before} queries for ${rows} rows)`,
      )
      t.equal(exportQueries(paused1, paused2), 0, 'no batch is read while the client reads nothing')
      t.ok(exportQueries(paused2, gone1) <= 1, 'after it went away, at most the batch in flight')
      t.equal(exportQueries(gone1, gone2 + 1), 0, 'and nothing after that')
    })
  },
)

function text(res: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = ''
    res.setEncoding('utf8')
    res.on('data', (c: string) => (out += c))
    res.on('end', () => resolve(out))
    res.on('error', reject)
    res.resume()
  })
}
