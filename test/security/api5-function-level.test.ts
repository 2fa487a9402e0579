import t from 'tap'
import type { Test } from 'tap'
import { Attacks, freshAddress, json, loadDocument, seeded, type Res } from './support.ts'
import { coverage, fixtures, probes, state } from './targets.ts'
import { scopes, type Scope } from '../../src/modules/api-keys/api-keys.queries.ts'

// OWASP API5:2023 Broken Function Level Authorization. Every write operation the OpenAPI
// document lists, with valid requests on rows the caller could otherwise write (TH-only rows),
// is refused: 401 without a key, 403 with a read-only key, 403 with a key holding every scope
// but the one the document says the operation needs. Nothing is written by any of them.

const total = { count: 0 }

t.test('every write operation refuses anonymous callers, read-only keys and keys of other scopes', async (t) => {
  const ctx = await seeded(t)
  const a = new Attacks(ctx.app)
  const { writes } = await loadDocument(ctx.app)
  t.same(coverage(writes).unprobed, [], 'every write operation of the document has a probe')
  t.same(
    writes.filter((w) => !w.scope).map((w) => `${w.method} ${w.path}`),
    [],
    'every write operation documents the scope its 403 needs',
  )
  t.same(
    writes.filter((w) => !w.op.responses['401']).map((w) => `${w.method} ${w.path}`),
    [],
    'every write operation documents 401',
  )

  const f = await fixtures(ctx)
  const reader = await ctx.key(['read'])
  const readerAll = await ctx.key(['read', 'participants:read'])
  const callers: [string, Record<string, string>, (res: Res, w: (typeof writes)[number]) => void][] = [
    ['no key', {}, (res) => unauthorized(t, res)],
    ['a malformed key', { authorization: 'Bearer apk_zz_' }, (res) => unauthorized(t, res)],
    ['a read key', reader, (res, w) => forbidden(t, res, w.scope)],
    ['a read and participants:read key', readerAll, (res, w) => forbidden(t, res, w.scope)],
  ]
  for (const w of writes) {
    const probe = probes[`${w.method} ${w.path}`]
    if (!probe) continue
    const others = scopes.filter((s) => s !== w.scope && s !== 'admin') as Scope[]
    const all = [
      ...callers,
      [
        `a key with ${others.join(', ')}`,
        await ctx.key(others),
        (res: Res) => forbidden(t, res, w.scope),
      ] as (typeof callers)[number],
    ]
    for (const [who, headers, expect] of all) {
      const p = await probe(f, 'own')
      const before = await state(ctx, p.reread)
      const changes = await ctx.changes()
      const res = await a.send(t, `${w.method} ${w.path} with ${who}`, {
        method: p.method,
        url: p.url,
        headers,
        remoteAddress: freshAddress(),
        ...(p.payload ? { payload: p.payload } : {}),
      })
      expect(res, w)
      t.same(await state(ctx, p.reread), before, `${w.method} ${w.path} with ${who}: the row is unchanged`)
      t.equal(await ctx.changes(), changes, `${w.method} ${w.path} with ${who}: nothing written`)
    }
  }
  // The unauthenticated check comes before validation: an empty or broken body is 401 too, so
  // an anonymous caller learns nothing about the shape of a write.
  for (const w of writes) {
    const url = w.path.replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000')
    const res = await a.send(t, `${w.method} ${w.path} anonymous with a broken body`, {
      method: w.method,
      url,
      headers: { 'content-type': 'application/json' },
      payload: '{"',
    })
    unauthorized(t, res)
  }
  total.count += a.count
})

t.test('admin-only surfaces: reachable with an admin key only', async (t) => {
  // Key management (/v1/api-keys) and webhook subscriptions are the admin-only surfaces of the
  // document. Every operation on them refuses anonymous callers (401) and keys without `admin`,
  // even with every other scope (403); nothing else in the document manages keys or users.
  const ctx = await seeded(t)
  const { operations } = await loadDocument(ctx.app)
  const adminOnly = operations.filter((o) => /^\/v1\/(api-keys|webhook-subscriptions)(\/|$)/.test(o.path))
  t.ok(adminOnly.length >= 8, `${adminOnly.length} admin-only operations`)
  t.same(
    operations
      .filter((o) => /key|admin|user|token/i.test(o.path) && !adminOnly.includes(o))
      .map((o) => `${o.method} ${o.path}`),
    [],
    'no other key-management route',
  )
  const a = new Attacks(ctx.app)
  const strong = await ctx.key([
    'read',
    'plans:write',
    'meetings:write',
    'training:write',
    'participants:read',
    'indicators:write',
  ])
  for (const o of adminOnly) {
    const url = o.path.replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000')
    const payload = ['POST', 'PATCH', 'PUT'].includes(o.method) ? {} : undefined
    const anonymous = await a.send(t, `${o.method} ${o.path} anonymous`, {
      method: o.method as 'GET',
      url,
      ...(payload ? { payload } : {}),
    })
    t.equal(anonymous.statusCode, 401, `${o.method} ${o.path} anonymous: 401`)
    const res = await a.send(t, `${o.method} ${o.path} without admin`, {
      method: o.method as 'GET',
      url,
      headers: strong,
      ...(payload ? { payload } : {}),
    })
    t.equal(res.statusCode, 403, `${o.method} ${o.path} with every scope but admin: 403 (${res.statusCode})`)
  }
  for (const url of ['/v1/admin', '/v1/keys', '/v1/users']) {
    const res = await a.send(t, `GET ${url}`, { url, headers: strong })
    t.equal(res.statusCode, 404, `GET ${url}: not served`)
  }
  total.count += a.count
})

function unauthorized(t: Test, res: Res) {
  t.equal(res.statusCode, 401, '401')
  t.equal(res.headers['www-authenticate'], 'Bearer realm="action-plan-api"', 'with a Bearer challenge')
  if (res.statusCode === 401) t.equal(json(res).type, '/problems/unauthorized')
}

function forbidden(t: Test, res: Res, scope?: string) {
  t.equal(res.statusCode, 403, '403')
  if (res.statusCode === 403)
    t.match(
      json(res),
      { type: '/problems/forbidden', detail: new RegExp(`scope "${scope}"`) },
      `names the scope ${scope}`,
    )
}

t.test('attacks tried', async (t) => {
  t.comment(`API5 function-level authorization: ${total.count} attacks tried`)
  t.ok(total.count > 0)
})
