import t from 'tap'
import { buildApp } from '../src/app.ts'
import { loadConfig } from '../src/config.ts'
import { openDatabase } from '../src/db/database.ts'
import { json, setup } from './helpers/app.ts'
import { sql } from 'kysely'

t.test('live and ready', async (t) => {
  const { app, database } = await setup(t)
  t.same(json(await app.inject({ url: '/health/live' })), { status: 'ok' })
  const ready = await app.inject({ url: '/health/ready' })
  t.equal(ready.statusCode, 200)
  t.match(json(ready), { status: 'ok', migration: /^\d{4}_/ })

  await sql`delete from kysely_migration where name = (select max(name) from kysely_migration)`.execute(database.db)
  const behind = await app.inject({ url: '/health/ready' })
  t.equal(behind.statusCode, 503, 'not ready while migrations are behind the code')
  t.match(json(behind).detail, /expects/)
})

t.test('an unreachable database gives 503 problems, never a crash or a hang', async (t) => {
  // A port nobody listens on: every connection attempt is refused at once.
  const database = openDatabase({ url: 'postgres://postgres@127.0.0.1:1/none', connectTimeoutMs: 500 })
  const app = await buildApp({
    config: loadConfig({}, { LOG_LEVEL: 'silent', MAX_EVENT_LOOP_DELAY_MS: 0 }),
    database,
    ownsDatabase: true,
    logger: false,
  })
  t.teardown(() => app.close())
  t.equal((await app.inject({ url: '/health/live' })).statusCode, 200)
  const ready = await app.inject({ url: '/health/ready' })
  t.equal(ready.statusCode, 503)
  const list = await app.inject({ url: '/v1/organizations' })
  t.equal(list.statusCode, 503)
  t.equal(json(list).type, '/problems/unavailable')
  t.equal(list.headers['retry-after'], '2')
})
