import t from 'tap'
import type { Test } from 'tap'
import { Writable } from 'node:stream'
import pino from 'pino'
import { buildApp } from '../../src/app.ts'
import { loadConfig } from '../../src/config.ts'
import { insertApiKey, type Scope } from '../../src/modules/api-keys/api-keys.queries.ts'
import { createTestDatabase } from '../helpers/database.ts'
import { json } from '../helpers/app.ts'

// Personal data stays private. A key without `participants:read` — a reader, a key that may
// enrol (training:write) but not read personal data, or nobody — tries every way to a
// participant's name: the routes, the filters, the sorts, the exports, error messages, the
// change log, the read cache; and the server's own log (at trace level, every request logged)
// must not hold a name either.

const secret = 'Secretname'

async function world(t: Test) {
  const database = await createTestDatabase()
  let log = ''
  const stream = new Writable({
    write(chunk, _enc, done) {
      log += chunk.toString()
      done()
    },
  })
  const config = loadConfig({}, { LOG_LEVEL: 'trace', MAX_EVENT_LOOP_DELAY_MS: 0 })
  const app = await buildApp({ config, database, logger: pino({ level: 'trace' }, stream) })
  await app.ready()
  t.teardown(async () => {
    await app.close()
    await database.drop()
  })
  const key = async (scopes: Scope[], countries: string[] | null = null) => {
    const k = await insertApiKey(database.db, { name: 'test', scopes, countries, organizationId: null })
    return { authorization: `Bearer ${k.token}` }
  }
  const admin = await key(['admin'])
  const course = json(
    await app.inject({
      method: 'POST',
      url: '/v1/training-courses',
      headers: admin,
      payload: { title: 'Course', topic: 'prevention', maxParticipants: 30 },
    }),
  )
  const enrolled: { id: string; country: string }[] = []
  for (const [i, country] of ['LA', 'LA', 'TH', 'TH', 'VN'].entries()) {
    const res = await app.inject({
      method: 'POST',
      url: `/v1/training-courses/${course.id}/participants`,
      headers: admin,
      payload: {
        name: `${secret} Person${i}`,
        country,
        externalRef: `ref-${i}`,
        contact: `${secret.toLowerCase()}${i}@example.org`,
        preScore: 40 + i,
      },
    })
    enrolled.push(json(res))
  }
  return { app, database, key, admin, course, enrolled, log: () => log }
}

t.test(
  'a key without participants:read cannot obtain a name by any route, filter, sort, export or error',
  async (t) => {
    const w = await world(t)
    const reader = await w.key(['read'])
    const writer = await w.key(['training:write'])
    const base = `/v1/training-courses/${w.course.id}`
    const p = w.enrolled[0]!
    const callers = { anonymous: {}, reader, writer } as Record<string, Record<string, string>>

    for (const [who, headers] of Object.entries(callers)) {
      for (const url of [
        `${base}/participants`,
        `${base}/participants/${p.id}`,
        `${base}/participants/export`,
        `${base}/participants/export?format=csv`,
        `${base}/participants?status=confirmed`,
        `${base}/participants?sort=-createdAt`,
      ]) {
        const res = await w.app.inject({ url, headers })
        t.equal(res.statusCode, who === 'anonymous' ? 401 : 403, `${who}: GET ${url.replace(base, '…')} refused`)
        t.notMatch(res.body, secret, `${who}: GET ${url.replace(base, '…')} holds no name`)
      }
      for (const url of [
        base,
        `${base}/summary`,
        '/v1/training-courses',
        '/v1/training-courses/export',
        '/v1/training-courses/export?format=csv',
        `/v1/training-courses?q=${secret}`,
        `${base}/participants?q=${secret}`,
        `${base}/participants?sort=name`,
        `${base}/participants?name=${secret}`,
      ]) {
        const res = await w.app.inject({ url, headers })
        t.notMatch(res.body, secret, `${who}: GET ${url} holds no name (${res.statusCode})`)
      }
      const q = await w.app.inject({ url: `/v1/training-courses?q=${secret}`, headers })
      // (The writer has no `read` scope: a 403 without data; the others search course titles.)
      t.same(json(q).data ?? [], [], `${who}: ?q= searches titles, never names`)
    }
    // Filters and sorts on names do not exist for anyone: a 400 naming the parameter, even for admin.
    for (const url of [`${base}/participants?q=${secret}`, `${base}/participants?sort=name`]) {
      const res = await w.app.inject({ url, headers: w.admin })
      t.equal(res.statusCode, 400, `admin: GET ${url} is 400`)
    }

    // A key that may enrol but not read gets its writes back without personal fields.
    const enrol = await w.app.inject({
      method: 'POST',
      url: `${base}/participants`,
      headers: writer,
      payload: { name: `${secret} Written`, country: 'KH', contact: 'x@example.org' },
    })
    t.equal(enrol.statusCode, 201)
    t.notMatch(enrol.body, secret, 'the enrolment answer holds no name')
    t.notOk('contact' in json(enrol) || 'name' in json(enrol), 'nor any personal field')
    const patch = await w.app.inject({
      method: 'PATCH',
      url: `${base}/participants/${p.id}`,
      headers: writer,
      payload: { daysAttended: 5 },
    })
    t.equal(patch.statusCode, 200)
    t.notMatch(patch.body, secret, 'a PATCH answer holds no name the writer did not send')
    const batch = await w.app.inject({
      method: 'POST',
      url: `${base}/participants/batch`,
      headers: writer,
      payload: { items: [{ externalRef: 'ref-0', name: `${secret} Person0`, country: 'LA' }] },
    })
    t.equal(batch.statusCode, 200)
    t.notMatch(batch.body, secret, 'the batch result holds no name')

    // Error messages: invalid bodies, duplicates and broken rules never echo a name.
    const errors = [
      { name: `${secret} ${'x'.repeat(400)}`, country: 'LA' },
      { name: `${secret} Dup`, externalRef: 'ref-1', country: 'LA' },
      { name: `${secret} Bad`, sex: 'unknown' },
      { name: `${secret} Bad`, country: 'ZZ' },
      { name: `${secret} Bad`, organizationId: '00000000-0000-4000-8000-00000000dead' },
      { name: `${secret} Bad`, preScore: 101 },
    ]
    for (const payload of errors) {
      const res = await w.app.inject({ method: 'POST', url: `${base}/participants`, headers: writer, payload })
      t.ok(res.statusCode >= 400 && res.statusCode < 500, `a bad enrolment is refused (${res.statusCode})`)
      t.notMatch(res.body, secret, `the ${res.statusCode} problem does not echo the name`)
    }
    const badBatch = await w.app.inject({
      method: 'POST',
      url: `${base}/participants/batch`,
      headers: writer,
      payload: { items: [{ externalRef: 'x', name: `${secret} Bad`, sex: 'unknown' }] },
    })
    t.equal(badBatch.statusCode, 422)
    t.notMatch(badBatch.body, secret)
    const badPatch = await w.app.inject({
      method: 'PATCH',
      url: `${base}/participants/${p.id}`,
      headers: writer,
      payload: { name: `${secret} ${'y'.repeat(400)}` },
    })
    t.equal(badPatch.statusCode, 400)
    t.notMatch(badPatch.body, secret)

    // The change log holds field names only.
    const changes = await w.database.db.selectFrom('changes').selectAll().execute()
    t.ok(
      changes.some((c) => c.resource === 'trainingParticipant' && c.fields.includes('name')),
      'names the field',
    )
    t.notMatch(JSON.stringify(changes), secret, 'never the value')
    // Nor does the server's log, at trace level with every request logged.
    // (It does hold the URLs the probes sent, `?q=Secretname` among them: what a client writes in
    // a URL is its own; what the service stores, the full names and contacts, never appears.)
    t.ok(w.log().length > 0, 'the log was written')
    t.notMatch(w.log(), /Secretname Person|secretname\d@/i, 'the log holds no stored name or contact')
    t.notMatch(w.log(), /Secretname (Written|Dup|Bad)/, 'nor a name sent in a body, valid or not')
  },
)

t.test('participants:read sees names; a country-limited key only its countries’, never from the cache', async (t) => {
  const w = await world(t)
  const base = `/v1/training-courses/${w.course.id}`
  const full = await w.key(['read', 'participants:read'])
  const la = await w.key(['participants:read', 'training:write'], ['LA'])
  const th = await w.key(['participants:read', 'training:write'], ['TH'])
  const names = async (headers: Record<string, string>) => {
    const res = await w.app.inject({ url: `${base}/participants`, headers })
    t.equal(res.statusCode, 200)
    return json(res).data.map((p: { country: string; name: string }) => `${p.country} ${p.name}`)
  }
  // The same URL three times: each caller gets its own answer (and the same caller again too).
  t.equal((await names(full)).length, 5)
  t.same(await names(la), ['LA Secretname Person0', 'LA Secretname Person1'])
  t.same(await names(th), ['TH Secretname Person2', 'TH Secretname Person3'])
  t.same(await names(la), ['LA Secretname Person0', 'LA Secretname Person1'], 'never the TH key’s cached list')
  const export_ = await w.app.inject({ url: `${base}/participants/export`, headers: th })
  t.equal(export_.body.trim().split('\n').length, 2, 'the export too')
  const other = await w.app.inject({ url: `${base}/participants/${w.enrolled[0]!.id}`, headers: th })
  t.equal(other.statusCode, 404, 'a participant of another country does not exist for the key')
  const write = await w.app.inject({
    method: 'PATCH',
    url: `${base}/participants/${w.enrolled[0]!.id}`,
    headers: th,
    payload: { daysAttended: 1 },
  })
  t.equal(write.statusCode, 403, 'nor may it write one')
  const enrolLa = await w.app.inject({
    method: 'POST',
    url: `${base}/participants`,
    headers: th,
    payload: { name: 'Someone', country: 'LA' },
  })
  t.equal(enrolLa.statusCode, 403, 'nor enrol one')
  const move = await w.app.inject({
    method: 'PATCH',
    url: `${base}/participants/${w.enrolled[2]!.id}`,
    headers: th,
    payload: { country: 'LA' },
  })
  t.equal(move.statusCode, 403, 'nor move its own to another country')
  const one = await w.app.inject({ url: `${base}/participants/${w.enrolled[2]!.id}`, headers: full })
  t.equal(json(one).name, 'Secretname Person2')
  t.equal(json(one).contact, 'secretname2@example.org')
})
