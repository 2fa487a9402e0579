import t from 'tap'
import {
  Attacks,
  json,
  loadDocument,
  pointerOf,
  pointers,
  seeded,
  sqlish,
  stringLeaves,
  withValue,
  type Leaf,
} from './support.ts'
import { fixtures, probes, state } from './targets.ts'

// Abusive strings in every string of every write body (OWASP API8/API10: what the API stores it
// must be able to store, and what clients render it must not be able to run). Each string
// field the OpenAPI document declares, nested ones included, is sent in a valid request:
//   a NUL byte             → 400 naming the field (Postgres cannot store U+0000; it was a 500)
//   one character too long → 400 naming the field
//   SQL-looking text       → stored and returned verbatim where the field is free text, else 400
//   a script URL           → 400 naming the field wherever a URL goes (http and https only)
//   a year 0000, 30 Feb    → 400 naming the field wherever a date goes
// and a refused request writes nothing. Every response is checked for 5xx, stack traces and SQL.

const total = { count: 0 }
const scriptUrls = [
  'javascript:alert(1)',
  'JavaScript:alert(document.cookie)',
  'javascript://example.org/%0aalert(1)',
  ' javascript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'vbscript:msgbox(1)',
]
const badDates = ['0000-01-01', '2024-02-30', '10000-01-01', '2024-1-1']

const freeText = (l: Leaf) => !l.schema.format && !l.schema.pattern && !l.schema.enum
const at = (value: unknown, path: (string | number)[]) =>
  path.reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], value)

t.test('every string field of every write body', async (t) => {
  // Thousands of attacks from one key: the rate limit is API4's subject, not this file's.
  const ctx = await seeded(t, { RATE_LIMIT_MAX: 1_000_000 })
  const a = new Attacks(ctx.app)
  const d = await loadDocument(ctx.app)
  const f = await fixtures(ctx)
  let leaves = 0
  for (const w of d.writes) {
    const body = d.bodySchema(w)
    const probe = probes[`${w.method} ${w.path}`]
    if (!body || !probe) continue
    const seen = new Set<string>()
    for (const leaf of stringLeaves(d, body)) {
      const pointer = pointerOf('body', leaf.path)
      if (seen.has(pointer)) continue
      seen.add(pointer)
      leaves++
      const attacks: [string, string, 'refused' | 'stored' | 'either'][] = [
        ['a NUL byte', 'abc\u0000def', 'refused'],
        ['a NUL byte alone', '\u0000', 'refused'],
        [`${leaf.schema.maxLength ?? 5000} + 1 characters`, 'a'.repeat((leaf.schema.maxLength ?? 5000) + 1), 'refused'],
        ...sqlish.map((s): [string, string, 'refused' | 'stored' | 'either'] => [
          `SQL-ish ${JSON.stringify(s)}`,
          s,
          freeText(leaf) ? 'either' : 'refused',
        ]),
        ...(leaf.schema.format === 'uri'
          ? scriptUrls.map((u): [string, string, 'refused'] => [`the URL ${JSON.stringify(u)}`, u, 'refused'])
          : []),
        ...(leaf.schema.format === 'date'
          ? badDates.map((v): [string, string, 'refused'] => [`the date ${v}`, v, 'refused'])
          : []),
      ]
      const answer = d.responseSchema(w)
      // A secret the client chose is never echoed (a generated one is shown once, when none was sent).
      const writeOnly =
        /secret|password|token/i.test(String(leaf.path.at(-1))) ||
        (leaf.path.length === 1 && answer?.type === 'object' && !(String(leaf.path[0]) in (answer.properties ?? {})))
      for (const [what, value, expect] of attacks) {
        const p = await probe(f, 'own')
        const payload = withValue(d, body, p.payload, leaf.path, value) as object
        const label = `${w.method} ${w.path} ${pointer} with ${what}`
        const before = await state(ctx, p.reread)
        const changes = await ctx.changes()
        // The row may hold SQL-looking text stored by an earlier probe: that is data, not a leak.
        const res = await a.send(t, label, { method: p.method, url: p.url, headers: ctx.admin, payload }, [
          value,
          ...sqlish,
        ])
        if (expect === 'refused' || res.statusCode >= 400) {
          if (expect !== 'refused') {
            // Free text may still be refused for another reason (a code already taken: 409).
            t.ok(res.statusCode < 500, `${label}: ${res.statusCode}`)
          } else {
            // A batch checks each item itself: an invalid item makes the batch a 422 naming it.
            t.ok(
              res.statusCode === 400 ||
                (leaf.path[0] === 'items' && w.path.endsWith('/batch') && res.statusCode === 422),
              `${label}: 400 (${res.statusCode})`,
            )
            t.ok(pointers(res).includes(pointer), `${label}: names ${pointer} (${pointers(res).join(', ')})`)
          }
          t.same(await state(ctx, p.reread), before, `${label}: the row is unchanged`)
          t.equal(await ctx.changes(), changes, `${label}: nothing written`)
        } else if (!w.path.endsWith('/batch')) {
          // A write-only field (a webhook's signing secret, a value's reason for the change,
          // kept in its history) is not in the representation: it must not come back at all.
          if (writeOnly) t.equal(at(json(res), leaf.path), undefined, `${label}: stored, never returned`)
          else t.equal(at(json(res), leaf.path), value, `${label}: stored and returned verbatim`)
        }
      }
    }
  }
  t.ok(leaves >= 60, `${leaves} string fields tried`)

  // A NUL in a property name, and NUL written as a JSON escape in raw text.
  for (const raw of [
    '{"name":"x","kind":"ngo","na\\u0000me":"y"}',
    '{"name":"x\\u0000","kind":"ngo"}',
    '{"name":"x","kind":"ngo\\u0000"}',
  ]) {
    const res = await a.send(t, `POST /v1/organizations ${raw}`, {
      method: 'POST',
      url: '/v1/organizations',
      headers: { ...ctx.admin, 'content-type': 'application/json' },
      payload: raw,
    })
    t.equal(res.statusCode, 400, `${raw}: 400`)
    t.ok(
      pointers(res).some((p) => p.startsWith('/body/')),
      `${raw}: names a field (${pointers(res).join(', ')})`,
    )
  }
  // Lone surrogates and control characters are text, not errors: stored, returned as sent.
  for (const text of [
    '\ud800',
    'a\u001bb',
    'a\u202eb',
    '𝕏'.repeat(100),
    '<script>alert(1)</script>',
    '{{7*7}}',
    '${7*7}',
    '%s%n%x',
  ]) {
    const res = await a.send(
      t,
      `POST /v1/organizations with name ${JSON.stringify(text)}`,
      { method: 'POST', url: '/v1/organizations', headers: ctx.admin, payload: { name: text, kind: 'ngo' } },
      [text],
    )
    t.ok(res.statusCode === 201 || res.statusCode === 400, `${JSON.stringify(text)}: 201 or 400 (${res.statusCode})`)
    // A lone surrogate cannot be stored as UTF-8: it comes back as U+FFFD.
    if (res.statusCode === 201)
      t.equal(json(res).name, text === '\ud800' ? '\ufffd' : text, `${JSON.stringify(text)}: returned as sent`)
  }
  total.count += a.count
})

t.test('attacks tried', async (t) => {
  t.comment(`abusive strings in bodies: ${total.count} attacks tried`)
  t.ok(total.count > 0)
})
