import t from 'tap'
import pg from 'pg'
import { json, setup } from '../helpers/app.ts'
import { testBackend } from '../helpers/database.ts'

// Defects 1 and 3 of the hardening issue, in the process that runs the tests: a terminated
// backend used to be an uncaught 'error' on a checked-out client (the process died), and an
// idempotent response stored after the commit could be lost, letting a retry write twice.
// (npm run test:faults does the same to the real server under a mixed load.)

const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
const skip = (await testBackend()) === 'postgres' ? false : 'needs a Postgres server'

t.test(
  'a backend terminated under load: 503 problems with Retry-After, the process lives, service resumes',
  { skip },
  async (t) => {
    // Every read must reach the database for its faults to be felt: no read cache here.
    const { app, database } = await setup(t, { READ_CACHE_ENTRIES: 0 })
    const dbName = new URL(database.url!).pathname.slice(1)
    const admin = new pg.Client({ connectionString: adminUrl })
    await admin.connect()
    t.teardown(() => admin.end())

    const answers: { status: number; type?: string; retryAfter?: string }[] = []
    let running = true
    const worker = async () => {
      while (running) {
        const r = await app.inject({ url: '/v1/organizations?limit=50' })
        answers.push({
          status: r.statusCode,
          type: r.headers['content-type'] as string,
          retryAfter: r.headers['retry-after'] as string,
        })
        await new Promise((resolve) => setImmediate(resolve)) // let the fault timers run
      }
    }
    const workers = Array.from({ length: 8 }, worker)
    for (let i = 0; i < 4; i++) {
      await new Promise((r) => setTimeout(r, 150))
      await admin.query(
        'select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
        [dbName],
      )
    }
    // The database refuses connections (SQLSTATE 55000) for a moment.
    await admin.query(`alter database ${dbName} allow_connections false`)
    await admin.query(
      'select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
      [dbName],
    )
    await new Promise((r) => setTimeout(r, 500))
    await admin.query(`alter database ${dbName} allow_connections true`)
    await new Promise((r) => setTimeout(r, 200))
    running = false
    await Promise.all(workers)

    const failures = answers.filter((a) => a.status !== 200)
    t.ok(failures.length > 0, `the faults were felt (${failures.length} of ${answers.length} not 200)`)
    t.ok(
      failures.every((a) => a.status === 503 && a.type?.startsWith('application/problem+json') && a.retryAfter),
      `every failure is a 503 problem with Retry-After: ${JSON.stringify([...new Set(failures.map((f) => f.status))])}`,
    )
    const after = await app.inject({ url: '/v1/organizations?limit=50' })
    t.equal(after.statusCode, 200, 'the pool recovers by itself')
  },
)

t.test(
  'a connection lost while an idempotent write commits: nothing written, 503, the key is free at once',
  { skip },
  async (t) => {
    const { app, admin, database } = await setup(t)
    // The first time a response is stored for this key, the backend storing it is terminated:
    // exactly the moment at which the old code had already committed the row.
    const db = new pg.Client({ connectionString: database.url })
    await db.connect()
    t.teardown(() => db.end())
    // (A sequence, because the termination rolls back anything the transaction wrote.)
    await db.query(`create sequence fault_fired;
    create function drop_connection() returns trigger language plpgsql as $$
    begin
      if new.key = 'lost-commit' and new.state = 'done' and nextval('fault_fired') = 1 then
        perform pg_terminate_backend(pg_backend_pid());
      end if;
      return new;
    end $$;
    create trigger drop_connection before update on idempotency_keys for each row execute function drop_connection();`)

    const post = () =>
      app.inject({
        method: 'POST',
        url: '/v1/organizations',
        headers: { ...admin, 'idempotency-key': 'lost-commit' },
        payload: { name: 'Lost commit', kind: 'ngo' },
      })
    const first = await post()
    t.equal(first.statusCode, 503, 'the client is told to retry')
    t.ok(first.headers['retry-after'])
    t.equal(json(first).type, '/problems/unavailable')
    t.notOk(first.headers.location, 'no Location for a row that does not exist')
    const rows = await db.query(`select count(*)::int as n from organizations where name = 'Lost commit'`)
    t.equal(rows.rows[0].n, 0, 'the write rolled back with its response')

    const retry = await post()
    t.equal(retry.statusCode, 201, 'the retry is not held off by a stale claim (no 409)')
    const replay = await post()
    t.equal(replay.statusCode, 201)
    t.equal(replay.headers['idempotent-replayed'], 'true')
    t.equal(replay.body, retry.body)
    const after = await db.query(`select count(*)::int as n from organizations where name = 'Lost commit'`)
    t.equal(after.rows[0].n, 1, 'one row, however many retries')
  },
)
