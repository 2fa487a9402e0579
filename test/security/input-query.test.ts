import t from 'tap'
import { Attacks, json, loadDocument, pointers, seeded, sqlish, type Schema } from './support.ts'
import { fixtures, probes, type Fixtures } from './targets.ts'
import { laterId, laterRows, needsKey, type LaterRows } from './later-rows.ts'

// Abusive strings in every query filter and path id the OpenAPI document declares, and in the
// headers the API reads. Filters and ids are never SQL: a NUL, an overlong value, SQL-looking
// text, an impossible time stamp or date are 400 naming /query/<name> or /params/<name>; free
// text filters (q) answer 200 with what matches. No response is a 5xx or leaks anything.

const total = { count: 0 }
// Free text filters match text; a cursor is free text to the schema but signed, so refused.
const freeText = (name: string, s: Schema) =>
  name !== 'cursor' && s.type === 'string' && !s.format && !s.pattern && !s.enum

/** A real id for each path parameter, so only the one under attack is wrong. */
function pathIds(f: Fixtures, more: LaterRows, path: string): Record<string, string> {
  const id =
    laterId(more, path) ??
    (path.startsWith('/v1/organizations')
      ? f.org.own
      : path.startsWith('/v1/plans')
        ? f.plan.own
        : path.startsWith('/v1/activities')
          ? f.activity.own
          : path.startsWith('/v1/projects')
            ? f.project.own
            : path.startsWith('/v1/outcomes')
              ? f.outcome.own
              : f.meeting.own)
  return {
    id,
    code: 'TH',
    planId: f.plan.own,
    areaId: f.area.own,
    projectId: f.project.own,
    resultId: f.result.own,
    taskId: f.task.own,
  }
}
const fill = (path: string, ids: Record<string, string>, attacked?: string, value?: string) =>
  path.replace(/\{(\w+)\}/g, (_, n: string) => (n === attacked ? value! : ids[n]!))

t.test('every query parameter of every read', async (t) => {
  const ctx = await seeded(t)
  const a = new Attacks(ctx.app)
  const d = await loadDocument(ctx.app)
  const f = await fixtures(ctx)
  const more = await laterRows(f, f.plan.own)
  for (const o of d.operations.filter((o) => o.method === 'GET' && o.path.startsWith('/v1/'))) {
    const base = fill(o.path, pathIds(f, more, o.path))
    const headers = needsKey(o.op) ? ctx.admin : {}
    const params = ((o.op.parameters ?? []) as Schema[]).filter((p) => p.in === 'query')
    const required = params.filter((p) => p.required).map((p) => `${p.name}=${p.schema.enum?.[0] ?? p.schema.default}`)
    for (const p of params) {
      const s = d.resolve(p.schema)
      if (s.type === 'integer' || s.type === 'boolean') continue
      const values: [string, string, 'refused' | 'either'][] = [
        ['a NUL byte', 'TH\u0000', 'refused'],
        [`${s.maxLength ?? 5000} + 1 characters`, 'A'.repeat((s.maxLength ?? 5000) + 1), 'refused'],
        ...sqlish.map((v): [string, string, 'refused' | 'either'] => [
          `SQL-ish ${JSON.stringify(v)}`,
          v,
          freeText(p.name, s) ? 'either' : 'refused',
        ]),
        ...(s.format === 'date-time'
          ? [
              '2024-01-01T00:00:00+25:00',
              '2024-01-01T00:00:00+16:00',
              '0000-01-01T00:00:00Z',
              '2024-02-30T00:00:00Z',
              '2024-01-01T24:00:01Z',
              '10000-01-01T00:00:00Z',
            ].map((v): [string, string, 'refused'] => [v, v, 'refused'])
          : []),
        ...(s.format === 'date'
          ? ['0000-01-01', '2024-02-30', '2024-13-01', '99999-01-01'].map((v): [string, string, 'refused'] => [
              v,
              v,
              'refused',
            ])
          : []),
      ]
      for (const [what, value, expect] of values) {
        const query = [
          ...required.filter((r) => !r.startsWith(`${p.name}=`)),
          `${p.name}=${encodeURIComponent(value)}`,
        ].join('&')
        const label = `GET ${o.path}?${p.name}= ${what}`
        const res = await a.send(t, label, { url: `${base}?${query}`, headers }, [value])
        if (expect === 'refused') {
          t.equal(res.statusCode, 400, `${label}: 400`)
          // A bad cursor is its own problem (invalid-cursor); every other names the parameter.
          if (p.name !== 'cursor')
            t.ok(
              pointers(res).includes(`/query/${p.name}`),
              `${label}: names /query/${p.name} (${pointers(res).join(', ')})`,
            )
        } else t.ok(res.statusCode === 200 || res.statusCode === 406, `${label}: answered (${res.statusCode})`)
      }
    }
    // Times that are valid must still be accepted: the farthest real offsets, and a leap day.
    if (params.some((p) => p.name === 'updatedSince')) {
      for (const v of ['2024-01-01T00:00:00+14:00', '2024-01-01T00:00:00-12:00', '2024-02-29T23:59:59.999Z']) {
        const q = [...required, `updatedSince=${encodeURIComponent(v)}`].join('&')
        t.equal(
          (await a.send(t, `GET ${o.path}?updatedSince=${v}`, { url: `${base}?${q}`, headers })).statusCode,
          200,
          `${o.path}?updatedSince=${v}: 200`,
        )
      }
    }
  }
  // LIKE wildcards in q are text, not patterns: "%" and "_" match only names that contain them.
  for (const q of ['%', '_', '%%', '\\']) {
    const res = await a.send(
      t,
      `GET /v1/organizations?q=${q}`,
      { url: `/v1/organizations?q=${encodeURIComponent(q)}&limit=500` },
      [q],
    )
    t.equal(res.statusCode, 200)
    t.same(
      json(res)
        .data.filter((o: { name: string; acronym: string | null }) => !`${o.name} ${o.acronym ?? ''}`.includes(q))
        .map((o: { name: string }) => o.name),
      [],
      `q=${q} matches only names containing it`,
    )
  }
  // Unknown and repeated parameters.
  for (const url of [
    '/v1/plans?$where=1',
    '/v1/plans?__proto__[x]=1',
    '/v1/plans?constructor[prototype][x]=1',
    '/v1/plans?country=TH&country=KH',
    '/v1/plans?q[]=x',
    '/v1/plans?sort=name;drop',
  ]) {
    const res = await a.send(t, `GET ${url}`, { url })
    t.ok(res.statusCode === 400 || res.statusCode === 200, `${url}: ${res.statusCode}`)
  }
  total.count += a.count
})

t.test('every path parameter of every operation', async (t) => {
  const ctx = await seeded(t)
  const a = new Attacks(ctx.app)
  const d = await loadDocument(ctx.app)
  const f = await fixtures(ctx)
  const more = await laterRows(f, f.plan.own)
  const values: [string, string][] = [
    ['a NUL byte', '%00'],
    ['an id with a NUL byte', `${f.plan.own}%00`],
    ['SQL-ish', encodeURIComponent("' or 1=1 --")],
    ['SQL-ish after an id', encodeURIComponent(`${f.plan.own}' or '1'='1`)],
    ['1 500 characters', 'a'.repeat(1500)],
    ['a path traversal', '..%2f..%2fetc%2fpasswd'],
    ['an id in braces', `{${f.plan.own}}`],
    ['a JSON object', encodeURIComponent('{"$ne":null}')],
  ]
  for (const o of d.operations.filter((o) => o.path.includes('{'))) {
    const ids = pathIds(f, more, o.path)
    const operation = `${o.method} ${o.path}`
    const p = operation in probes && o.method !== 'DELETE' ? await probes[operation]!(f, 'own') : undefined
    for (const name of [...o.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!)) {
      // A free-text parameter (a plan's code) is looked up as given: text that is legal but names
      // nothing is a 404; only what no code can be (NUL, too long) is a 400.
      const schema = ((o.op.parameters ?? []) as Schema[]).find((q) => q.in === 'path' && q.name === name)?.schema ?? {}
      const freeText = schema.type === 'string' && !schema.format && !schema.pattern && !schema.enum
      for (const [what, value] of values) {
        const label = `${o.method} ${o.path} {${name}} = ${what}`
        const before = await ctx.changes()
        const res = await a.send(t, label, {
          method: o.method,
          url: fill(o.path, ids, name, value),
          headers: ctx.admin,
          ...(p?.payload ? { payload: p.payload } : {}),
        })
        if (freeText && res.statusCode === 404) {
          t.equal(JSON.parse(res.body).type, '/problems/not-found', `${label}: names nothing`)
          continue
        }
        t.equal(res.statusCode, 400, `${label}: 400`)
        t.ok(pointers(res).includes(`/params/${name}`), `${label}: names /params/${name} (${pointers(res).join(', ')})`)
        t.equal(await ctx.changes(), before, `${label}: nothing written`)
      }
    }
  }
  // Far longer than any router allows: refused as a problem, whatever the status.
  const res = await a.send(t, 'GET /v1/plans/<10 000 characters>', { url: `/v1/plans/${'a'.repeat(10_000)}` })
  t.ok(res.statusCode >= 400 && res.statusCode < 500, `a 10 000-character id: ${res.statusCode}`)
  total.count += a.count
})

t.test('headers the API reads', async (t) => {
  const ctx = await seeded(t)
  const a = new Attacks(ctx.app)
  const f = await fixtures(ctx)
  const org = { name: 'Header probe', kind: 'ngo', country: 'TH' }
  for (const key of ['k'.repeat(256), "' or 1=1 --", '../../etc/passwd', '%00', ' ']) {
    const res = await a.send(
      t,
      `Idempotency-Key ${JSON.stringify(key.slice(0, 20))}`,
      { method: 'POST', url: '/v1/organizations', headers: { ...ctx.admin, 'idempotency-key': key }, payload: org },
      [key],
    )
    t.ok(
      res.statusCode === 201 || res.statusCode === 400,
      `Idempotency-Key ${JSON.stringify(key.slice(0, 20))}: 201 or 400 (${res.statusCode})`,
    )
    if (key.length > 255)
      t.ok(pointers(res).includes('/headers/idempotency-key'), 'an overlong key names /headers/idempotency-key')
  }
  for (const tag of [
    "' or 1=1 --",
    'W/"1"',
    '"99999999999999999999999"',
    '"-1"',
    '"1", "2"',
    '*',
    '"' + 'x'.repeat(5000) + '"',
  ]) {
    const patch = await a.send(
      t,
      `If-Match ${tag.slice(0, 20)}`,
      {
        method: 'PATCH',
        url: `/v1/plans/${f.plan.own}`,
        headers: { ...ctx.admin, 'if-match': tag },
        payload: { description: 'if-match probe' },
      },
      [tag],
    )
    t.ok([200, 400, 412].includes(patch.statusCode), `If-Match ${tag.slice(0, 20)}: ${patch.statusCode}`)
    const get = await a.send(
      t,
      `If-None-Match ${tag.slice(0, 20)}`,
      { url: `/v1/plans/${f.plan.own}`, headers: { 'if-none-match': tag } },
      [tag],
    )
    t.ok([200, 304, 400].includes(get.statusCode), `If-None-Match ${tag.slice(0, 20)}: ${get.statusCode}`)
  }
  // A caller's request id is kept only when it is sane; anything else is replaced, never echoed.
  for (const id of ['<script>alert(1)</script>', 'a'.repeat(200), "' or 1=1 --", '']) {
    const res = await a.send(t, `x-request-id ${JSON.stringify(id.slice(0, 20))}`, {
      url: '/v1/plans',
      headers: { 'x-request-id': id },
    })
    t.match(res.headers['x-request-id'], /^[\w.:-]{1,128}$/, 'the request id sent back is sane')
    t.not(res.headers['x-request-id'], id)
  }
  for (const type of [
    'text/plain',
    'application/x-www-form-urlencoded',
    'application/xml',
    'multipart/form-data; boundary=x',
    'application/json; charset=utf-7',
  ]) {
    const res = await a.send(t, `POST with Content-Type ${type}`, {
      method: 'POST',
      url: '/v1/organizations',
      headers: { ...ctx.admin, 'content-type': type },
      payload: 'name=x&kind=ngo',
    })
    t.ok(res.statusCode === 415 || res.statusCode === 400, `Content-Type ${type}: ${res.statusCode}`)
  }
  total.count += a.count
})

t.test('attacks tried', async (t) => {
  t.comment(`abusive strings in queries, paths and headers: ${total.count} attacks tried`)
  t.ok(total.count > 0)
})
