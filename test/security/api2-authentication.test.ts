import t from 'tap'
import { randomBytes } from 'node:crypto'
import { sql } from 'kysely'
import { Attacks, freshAddress, json, seeded, type Res } from './support.ts'

// OWASP API2:2023 Broken Authentication. Every way of presenting a bad key gets the same 401:
// same type, title and status, a Bearer challenge, and, among well-formed keys, the same body:
// nothing says whether a prefix exists, whether the secret was close, or whether the key was
// revoked. Guessing keys from one address meets a limit (429 with Retry-After).

const total = { count: 0 }
const randomKey = () => `apk_${randomBytes(6).toString('hex')}_${randomBytes(24).toString('base64url')}`
const org = { name: 'Probe organization', kind: 'ngo', country: 'TH' }

/** The parts of a 401 that must not vary with what was sent. */
const shape = (res: Res) => ({
  status: res.statusCode,
  challenge: res.headers['www-authenticate'],
  type: json(res).type,
  title: json(res).title,
  problemStatus: json(res).status,
})
/** The whole body but the request id. */
const body = (res: Res) => ({ ...json(res), instance: undefined })

t.test('missing, malformed, unknown, revoked and wrong keys: one uniform 401', async (t) => {
  const ctx = await seeded(t)
  const a = new Attacks(ctx.app)
  // A key whose prefix has a letter, so that its uppercase form is another string.
  let good = await ctx.key(['admin'])
  while (!/^Bearer apk_[0-9]*[a-f]/.test(good.authorization)) good = await ctx.key(['admin'])
  const token = good.authorization.slice('Bearer '.length)
  const [, prefix] = /^apk_([0-9a-f]{12})_/.exec(token)!

  // A key revoked in the database before its first use: not in any cache.
  const revoked = await ctx.key(['admin'])
  const revokedPrefix = /apk_([0-9a-f]{12})_/.exec(revoked.authorization)![1]!
  await sql`update api_keys set revoked_at = now() where prefix = ${revokedPrefix}`.execute(ctx.database.db)

  const malformed: [string, string | undefined][] = [
    ['no Authorization header', undefined],
    ['an empty header', ''],
    ['Bearer alone', 'Bearer'],
    ['Bearer and a space', 'Bearer '],
    ['Basic credentials', 'Basic xxx'],
    ['Basic user:password', `Basic ${Buffer.from('admin:admin').toString('base64')}`],
    ['a bare prefix', 'Bearer apk_zz_'],
    ['a short secret', `Bearer apk_${prefix}_abc`],
    ['the key without Bearer', token],
    ['two keys', `Bearer ${token} ${token}`],
    ['a key in quotes', `Bearer "${token}"`],
    ['a 10 000-character key', `Bearer apk_${prefix}_${'A'.repeat(10_000)}`],
    ['a JWT', 'Bearer eyJhbGciOiJub25lIn0.eyJzY29wZXMiOlsiYWRtaW4iXX0.'],
    ['an SQL-ish key', "Bearer apk_' or 1=1 --"],
    ['an uppercase prefix', `Bearer ${token.replace(prefix!, prefix!.toUpperCase())}`],
  ]
  const wellFormed: [string, string][] = [
    ['a random key', `Bearer ${randomKey()}`],
    ['another random key', `Bearer ${randomKey()}`],
    ['a real prefix with a wrong secret', `Bearer apk_${prefix}_${randomBytes(24).toString('base64url')}`],
    [
      'a real prefix with the secret one character off',
      `Bearer ${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`,
    ],
    [
      'a real secret with another prefix',
      `Bearer apk_${randomBytes(6).toString('hex')}_${token.split('_').slice(2).join('_')}`,
    ],
    ['a key revoked before its first use', revoked.authorization],
  ]
  const send = (label: string, authorization: string | undefined, method: 'GET' | 'POST') =>
    a.send(t, `${method} with ${label}`, {
      method,
      url: method === 'GET' ? '/v1/plans' : '/v1/organizations',
      headers: authorization === undefined ? {} : { authorization },
      remoteAddress: freshAddress(),
      ...(method === 'POST' ? { payload: org } : {}),
    })

  const reference = await send('a random key', `Bearer ${randomKey()}`, 'POST')
  t.equal(reference.statusCode, 401)
  const before = await ctx.changes()
  for (const method of ['GET', 'POST'] as const) {
    for (const [label, header] of malformed) {
      const res = await send(label, header, method)
      // Anonymous reading is on: a GET without a key (or with an empty header, which HTTP
      // treats as none) is a read, not a failed authentication.
      if (method === 'GET' && !header) {
        t.equal(res.statusCode, 200, 'a GET without a key reads (ANONYMOUS_READ)')
        continue
      }
      t.same(shape(res), shape(reference), `${method} with ${label}: the same 401 as any other`)
    }
    for (const [label, header] of wellFormed) {
      const res = await send(label, header, method)
      t.same(shape(res), shape(reference), `${method} with ${label}: the same 401`)
      // Among well-formed keys, not a word differs: no hint that a prefix exists or was revoked.
      t.same(body(res), body(reference), `${method} with ${label}: the same body as a random key`)
      t.same(
        Object.keys(res.headers)
          .filter((h) => !h.startsWith('ratelimit'))
          .sort(),
        Object.keys(reference.headers)
          .filter((h) => !h.startsWith('ratelimit'))
          .sort(),
        `${method} with ${label}: the same headers`,
      )
    }
  }
  t.equal(await ctx.changes(), before, 'nothing was written')
  // The key that was used is still good, and the revoked one stays revoked after its 401 was cached.
  t.equal(
    (await a.send(t, 'the real key', { method: 'POST', url: '/v1/organizations', headers: good, payload: org }))
      .statusCode,
    201,
    'the real key works',
  )
  t.equal(
    (
      await a.send(t, 'the revoked key again', {
        method: 'POST',
        url: '/v1/organizations',
        headers: revoked,
        payload: org,
        remoteAddress: freshAddress(),
      })
    ).statusCode,
    401,
  )
  total.count += a.count
})

t.test('a revoked key stops working at once on the node that revoked it', async (t) => {
  const ctx = await seeded(t)
  const a = new Attacks(ctx.app)
  const key = await ctx.key(['plans:write'])
  const prefix = /apk_([0-9a-f]{12})_/.exec(key.authorization)![1]!
  t.equal(
    (await a.send(t, 'before revocation', { method: 'POST', url: '/v1/organizations', headers: key, payload: org }))
      .statusCode,
    201,
  )
  await sql`update api_keys set revoked_at = now() where prefix = ${prefix}`.execute(ctx.database.db)
  ctx.app.forgetApiKey(prefix)
  const res = await a.send(t, 'after revocation', {
    method: 'POST',
    url: '/v1/organizations',
    headers: key,
    payload: org,
  })
  t.equal(res.statusCode, 401)
  t.equal(json(res).detail, 'The API key is not valid or has been revoked.', 'says nothing more than for any bad key')
  total.count += a.count
})

t.test('guessing keys from one address meets a limit: 429 with Retry-After', async (t) => {
  const ctx = await seeded(t)
  const a = new Attacks(ctx.app)
  const statuses: number[] = []
  let limited: Res | undefined
  for (let i = 0; i < 150; i++) {
    // One client address (inject's default, 127.0.0.1), a new random key each time: a per-key
    // limit never fires, a cache of known prefixes never hits.
    const res = await a.send(t, `random key ${i}`, {
      method: i % 2 ? 'GET' : 'POST',
      url: i % 2 ? '/v1/plans' : '/v1/organizations',
      headers: { authorization: `Bearer ${randomKey()}` },
      ...(i % 2 ? {} : { payload: org }),
    })
    statuses.push(res.statusCode)
    if (res.statusCode === 429) limited ??= res
  }
  t.ok(limited, `at least one of 150 guesses is 429 (got ${[...new Set(statuses)].join(', ')})`)
  t.same(
    statuses.filter((s) => s !== 401 && s !== 429),
    [],
    'every other answer is 401',
  )
  const first429 = statuses.indexOf(429)
  t.same(
    statuses.slice(first429).filter((s) => s !== 429),
    [],
    'once limited, every later guess is 429 (none is checked)',
  )
  if (limited) {
    t.equal(json(limited).type, '/problems/rate-limited')
    t.ok(Number(limited.headers['retry-after']) > 0, 'Retry-After says when')
  }
  // Another address is not punished for this one's guesses.
  const other = await a.send(t, 'a real key from another address', {
    url: '/v1/plans',
    headers: await ctx.key(['read']),
    remoteAddress: freshAddress(),
  })
  t.equal(other.statusCode, 200, 'a client at another address is not limited')
  total.count += a.count
})

t.test('attacks tried', async (t) => {
  t.comment(`API2 broken authentication: ${total.count} attacks tried`)
  t.ok(total.count > 0)
})
