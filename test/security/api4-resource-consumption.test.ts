import t from 'tap'
import { Attacks, json, loadDocument, pointers, seeded, type Schema } from './support.ts'
import { bodies, fixtures, probes } from './targets.ts'
import { batchBodyLimit } from '../../src/modules/monitoring/measurements.routes.ts'
import { laterId, laterRows, needsKey } from './later-rows.ts'

// OWASP API4:2023 Unrestricted Resource Consumption. Every bound the contract states answers
// with its documented problem: page size (400 naming /query/limit, on every list), body size
// (413, on every write), batch size (400/413 over 1 000 items), request rate (429 with
// RateLimit-* and Retry-After). Nothing is written by a refused request.

const total = { count: 0 }

t.test('page size: limit outside 1–500 is 400 naming /query/limit on every list', async (t) => {
  const ctx = await seeded(t)
  const a = new Attacks(ctx.app)
  const d = await loadDocument(ctx.app)
  const f = await fixtures(ctx)
  const more = await laterRows(f, f.plan.beyond)
  const ids: Record<string, string> = { planId: f.plan.beyond, projectId: f.project.beyond, id: f.meeting.beyond }
  const lists = d.operations.filter(
    (o) =>
      o.method === 'GET' && ((o.op.parameters ?? []) as Schema[]).some((p) => p.in === 'query' && p.name === 'limit'),
  )
  t.ok(lists.length >= 10, `${lists.length} lists take a limit`)
  for (const o of lists) {
    // A page of a list holds at most 500; the change feed is read in batches of up to 1 000
    // (docs/integration.md), and is bounded by that.
    const max = o.path === '/v1/changes' ? 1000 : 500
    t.equal(
      ((o.op.parameters as Schema[]).find((p) => p.name === 'limit')!.schema as Schema).maximum,
      max,
      `${o.path}: the document says at most ${max}`,
    )
    const url = o.path.replace(/\{(\w+)\}/g, (_, name: string) =>
      name === 'id' ? (laterId(more, o.path) ?? ids.id!) : ids[name]!,
    )
    const headers = needsKey(o.op) ? ctx.admin : {}
    t.equal(
      (await a.send(t, `GET ${o.path}?limit=${max}`, { url: `${url}?limit=${max}`, headers })).statusCode,
      200,
      `${o.path}?limit=${max} is allowed`,
    )
    for (const limit of [
      `${max + 1}`,
      '0',
      '-1',
      '1e9',
      '99999999999999999999',
      '1.5',
      'NaN',
      `${max}&limit=${max + 1}`,
    ]) {
      const res = await a.send(t, `GET ${o.path}?limit=${limit}`, { url: `${url}?limit=${limit}`, headers })
      t.equal(res.statusCode, 400, `${o.path}?limit=${limit}: 400`)
      t.ok(pointers(res).includes('/query/limit'), `${o.path}?limit=${limit}: names /query/limit`)
    }
  }
  total.count += a.count
})

t.test('body size: a body over the limit is a 413 problem on every write, and nothing is written', async (t) => {
  // A small limit, so every write can be tried over it cheaply; then the default limit once.
  const ctx = await seeded(t, { BODY_LIMIT: 4096 })
  const a = new Attacks(ctx.app)
  const d = await loadDocument(ctx.app)
  const f = await fixtures(ctx)
  for (const w of d.writes.filter((w) => d.bodySchema(w))) {
    const p = await probes[`${w.method} ${w.path}`]!(f, 'own')
    const changes = await ctx.changes()
    // The measurement batch takes a limit of its own (a 10 000-value batch is ~1.5 MB; its
    // description says so): it is tried over that one.
    const size = w.path === '/v1/measurements/batch' ? batchBodyLimit + 1000 : 5000
    // Valid JSON, an unknown property padding it: only the size can refuse it first.
    const res = await a.send(t, `${w.method} ${w.path} with ${size} bytes`, {
      method: p.method,
      url: p.url,
      headers: ctx.admin,
      payload: { ...p.payload, padding: 'x'.repeat(size) },
    })
    t.equal(res.statusCode, 413, `${w.method} ${w.path}: 413`)
    if (res.statusCode === 413) t.equal(json(res).type, '/problems/payload-too-large')
    t.equal(await ctx.changes(), changes, `${w.method} ${w.path}: nothing written`)
    // The size is checked on what arrives, not on what Content-Length claims.
    const lying = await a.send(t, `${w.method} ${w.path} with a short Content-Length`, {
      method: p.method,
      url: p.url,
      headers: { ...ctx.admin, 'content-type': 'application/json', 'content-length': '10' },
      payload: JSON.stringify({ ...p.payload, padding: 'x'.repeat(size) }),
    })
    t.ok(
      lying.statusCode >= 400 && lying.statusCode < 500,
      `${w.method} ${w.path} with a lying Content-Length: refused (${lying.statusCode})`,
    )
    t.equal(await ctx.changes(), changes, `${w.method} ${w.path} with a lying Content-Length: nothing written`)
  }
  total.count += a.count
})

t.test('body size at the default limit (1 MiB), and deep or wide JSON', async (t) => {
  const ctx = await seeded(t)
  const a = new Attacks(ctx.app)
  const changes = await ctx.changes()
  const big = await a.send(t, 'POST /v1/organizations with 1.1 MB', {
    method: 'POST',
    url: '/v1/organizations',
    headers: ctx.admin,
    payload: { ...bodies.organization('own'), description: 'x'.repeat(1_100_000) },
  })
  t.equal(big.statusCode, 413)
  // Under the size limit but built to cost: arrays nested deep (anything walking the body
  // recursively overflows the stack), and 50 000 properties.
  for (const depth of [1_000, 10_000, 100_000]) {
    for (const field of ['documents', 'unknown']) {
      const payload = `{"code":"DEEP","title":"t","${field}":${'['.repeat(depth)}${']'.repeat(depth)}}`
      const deep = await a.send(t, `POST /v1/plans with ${field} nested ${depth} deep`, {
        method: 'POST',
        url: '/v1/plans',
        headers: { ...ctx.admin, 'content-type': 'application/json' },
        payload,
      })
      t.equal(deep.statusCode, 400, `${field} nested ${depth} deep: 400 (${deep.statusCode})`)
    }
  }
  const wide = Object.fromEntries(Array.from({ length: 50_000 }, (_, i) => [`p${i}`, 1]))
  const res = await a.send(t, 'POST /v1/plans with 50 000 properties', {
    method: 'POST',
    url: '/v1/plans',
    headers: ctx.admin,
    payload: { code: 'WIDE', title: 't', ...wide },
  })
  t.ok(res.statusCode === 400 || res.statusCode === 413, `50 000 unknown properties refused (${res.statusCode})`)
  t.equal(await ctx.changes(), changes, 'nothing written')
  total.count += a.count
})

t.test('batch size: more than 1 000 outcomes is refused, 1 000 is accepted', async (t) => {
  const ctx = await seeded(t)
  const a = new Attacks(ctx.app)
  const f = await fixtures(ctx)
  const items = (n: number) =>
    Array.from({ length: n }, (_, i) => ({ externalRef: `r${i}`, kind: 'decision', text: 'x' }))
  const url = `/v1/meetings/${f.meeting.own}/outcomes/batch`
  const changes = await ctx.changes()
  for (const n of [1001, 5000]) {
    const res = await a.send(t, `a batch of ${n}`, {
      method: 'POST',
      url,
      headers: ctx.admin,
      payload: { items: items(n) },
    })
    t.ok(res.statusCode === 400 || res.statusCode === 413, `${n} items: 400 or 413 (${res.statusCode})`)
    if (res.statusCode === 400) t.ok(pointers(res).includes('/body/items'), 'names /body/items')
  }
  for (const mode of ['partial', 'atomic']) {
    const res = await a.send(t, `a batch of 1001 in ${mode} mode, dry run`, {
      method: 'POST',
      url: `${url}?mode=${mode}&dryRun=true`,
      headers: ctx.admin,
      payload: { items: items(1001) },
    })
    t.equal(res.statusCode, 400, `${mode}, dry run: 400`)
  }
  t.equal(await ctx.changes(), changes, 'nothing written')
  const ok = await a.send(t, 'a batch of 1000', {
    method: 'POST',
    url,
    headers: ctx.admin,
    payload: { items: items(1000) },
  })
  t.equal(ok.statusCode, 200, '1 000 items are accepted')
  // Other bounded arrays: 101 documents, 101 countries (the document bounds both at 100 or fewer).
  const documents = Array.from({ length: 101 }, (_, i) => ({ title: `d${i}`, url: 'https://example.org/' }))
  const res = await a.send(t, 'a plan with 101 documents', {
    method: 'POST',
    url: '/v1/plans',
    headers: ctx.admin,
    payload: { ...bodies.plan('own'), documents },
  })
  t.equal(res.statusCode, 400)
  t.ok(pointers(res).includes('/body/documents'), 'names /body/documents')
  total.count += a.count
})

t.test('request rate: 429 with RateLimit-* and Retry-After, for keys, writers and anonymous callers', async (t) => {
  const ctx = await seeded(t, { RATE_LIMIT_MAX: 5 })
  const a = new Attacks(ctx.app)
  const reader = await ctx.key(['read'])
  for (const [who, headers, opts] of [
    ['a read key', reader, { url: '/v1/plans' }],
    ['an admin key writing', ctx.admin, { method: 'POST' as const, url: '/v1/organizations' }],
    ['an anonymous caller', {}, { url: '/v1/plans', remoteAddress: '192.0.2.10' }],
  ] as const) {
    const statuses: number[] = []
    let last: Awaited<ReturnType<typeof a.send>> | undefined
    for (let i = 0; i < 7; i++) {
      last = await a.send(t, `${who}, request ${i + 1}`, {
        ...opts,
        headers,
        ...('method' in opts ? { payload: bodies.organization('own') } : {}),
      })
      statuses.push(last.statusCode)
      if (i === 0) {
        t.equal(last.headers['ratelimit-limit'], '5', `${who}: RateLimit-Limit`)
        t.equal(last.headers['ratelimit-remaining'], '4', `${who}: RateLimit-Remaining`)
        t.ok(Number(last.headers['ratelimit-reset']) > 0, `${who}: RateLimit-Reset`)
      }
    }
    t.same(statuses.slice(5), [429, 429], `${who}: the 6th and 7th requests are 429 (${statuses.join(', ')})`)
    t.equal(json(last!).type, '/problems/rate-limited')
    t.ok(Number(last!.headers['retry-after']) > 0, `${who}: Retry-After`)
    t.equal(last!.headers['ratelimit-remaining'], '0', `${who}: RateLimit-Remaining 0`)
  }
  total.count += a.count
})

t.test('attacks tried', async (t) => {
  t.comment(`API4 resource consumption: ${total.count} attacks tried`)
  t.ok(total.count > 0)
})
