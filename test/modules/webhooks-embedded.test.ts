import t from 'tap'
import { buildApp } from '../../src/app.ts'
import { loadConfig } from '../../src/config.ts'
import { openDatabase } from '../../src/db/database.ts'
import { migrateToLatest } from '../../src/db/migrator.ts'
import { insertApiKey } from '../../src/modules/api-keys/api-keys.queries.ts'
import { json } from '../helpers/app.ts'

// On embedded storage (PGlite, no DATABASE_URL) there is no queue for webhooks: their routes
// answer 501 saying why, and store nothing; the change feed works there as anywhere.

const settings = { LOG_LEVEL: 'silent' as const, MAX_EVENT_LOOP_DELAY_MS: 0 }

t.test('on embedded storage: 501 saying why, never a fake delivery', async (t) => {
  const database = openDatabase({ dataDir: 'memory://' })
  t.teardown(() => database.close())
  await migrateToLatest(database.db)
  const app = await buildApp({ config: loadConfig({}, settings), database, logger: false })
  t.teardown(() => app.close())
  const { token } = await insertApiKey(database.db, {
    name: 'admin',
    scopes: ['admin'],
    countries: null,
    organizationId: null,
  })
  const admin = { authorization: `Bearer ${token}` }
  const create = await app.inject({
    method: 'POST',
    url: '/v1/webhook-subscriptions',
    headers: admin,
    payload: { url: 'http://127.0.0.1:9/hook', eventTypes: ['activity'] },
  })
  t.equal(create.statusCode, 501)
  t.match(json(create), { type: '/problems/not-implemented', detail: /Postgres/ })
  const list = await app.inject({ url: '/v1/webhook-subscriptions', headers: admin })
  t.equal(list.statusCode, 501)
  const rows = await database.db.selectFrom('webhookSubscriptions').select('id').execute()
  t.same(rows, [], 'nothing stored')
  const feed = await app.inject({ url: '/v1/changes', headers: admin })
  t.equal(feed.statusCode, 200, 'the change feed works there')
})
