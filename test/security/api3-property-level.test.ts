import t from 'tap'
import {
  Attacks,
  json,
  loadDocument,
  pointerOf,
  pointers,
  sample,
  seeded,
  withValue,
  type Document,
  type Schema,
} from './support.ts'
import { laterId, laterRows, needsKey } from './later-rows.ts'
import { fixtures, probes, state } from './targets.ts'

// OWASP API3:2023 Broken Object Property Level Authorization.
// Mass assignment: a body may carry only what the client owns. Every property a response has
// and the request schema lacks (id, version, createdAt, updatedAt, planId on a PATCH, an
// attendance row's total …) is found from the OpenAPI document, sent with a plausible value
// taken from a real response, and must be a 400 naming it (/body/<field>), with nothing written.
// Excessive data exposure: no response of any read operation carries a secret-looking property.

const total = { count: 0 }

/** Paths (array items at 0) of response properties that the request schema does not have. */
function serverOwned(
  d: Document,
  request: Schema | undefined,
  response: Schema | undefined,
  path: (string | number)[] = [],
): (string | number)[][] {
  const req = request && d.resolve(request)
  const res = response && d.resolve(response)
  if (!req || !res) return []
  const pick = (s: Schema, type: string) =>
    s.anyOf ? s.anyOf.map(d.resolve).find((b: Schema) => b.type === type) : s.type === type ? s : undefined
  const reqObj = pick(req, 'object')
  const resObj = pick(res, 'object')
  if (reqObj && resObj) {
    return Object.entries((resObj.properties ?? {}) as Schema).flatMap(([k, v]) =>
      reqObj.properties?.[k]
        ? serverOwned(d, reqObj.properties[k], v, [...path, k])
        : reqObj.additionalProperties === false
          ? [[...path, k]]
          : [],
    )
  }
  const reqArr = pick(req, 'array')
  const resArr = pick(res, 'array')
  return reqArr && resArr ? serverOwned(d, reqArr.items, resArr.items, [...path, 0]) : []
}

const at = (value: unknown, path: (string | number)[]) =>
  path.reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], value)

t.test(
  'mass assignment: server-owned properties in any write body are 400 naming them, and nothing is written',
  async (t) => {
    const ctx = await seeded(t)
    const a = new Attacks(ctx.app)
    const d = await loadDocument(ctx.app)
    const f = await fixtures(ctx)
    const outcome = d.doc.components.schemas.Outcome as Schema
    let fields = 0
    for (const w of d.writes) {
      const body = d.bodySchema(w)
      const probe = probes[`${w.method} ${w.path}`]
      if (!body || !probe) continue
      // A real response of this operation gives each server-owned property a plausible value.
      const valid = await probe(f, 'own')
      const sampleRes = await ctx.app.inject({
        method: valid.method,
        url: valid.url,
        headers: ctx.admin,
        payload: valid.payload,
      })
      t.ok(sampleRes.statusCode < 300, `${w.method} ${w.path}: a valid request succeeds (${sampleRes.statusCode})`)
      const sample = json(sampleRes)
      const owned = serverOwned(d, body, d.responseSchema(w))
      // A batch item answers with an outcome: its server-owned properties are the outcome's.
      if (w.path.endsWith('/outcomes/batch'))
        owned.push(...serverOwned(d, (body.properties.items as Schema).items, outcome, ['items', 0]))
      const names = [...new Set(owned.map((p) => p.join('.')))]
      owned.splice(0, owned.length, ...names.map((n) => n.split('.').map((k) => (/^\d+$/.test(k) ? Number(k) : k))))
      for (const meta of ['id', 'version', 'createdAt', 'updatedAt']) {
        if (d.responseSchema(w)?.properties?.[meta])
          t.ok(names.includes(meta), `${w.method} ${w.path}: ${meta} is server-owned`)
      }
      for (const path of owned) {
        fields++
        const p = await probe(f, 'own')
        const value =
          at(sample, path) ??
          at(
            sample,
            path.filter((k) => k !== 'items' && k !== 0),
          ) ??
          'x'
        const payload = withValue(d, body, p.payload, path, value) as object
        const label = `${w.method} ${w.path} with ${pointerOf('body', path)}`
        const before = await state(ctx, p.reread)
        const changes = await ctx.changes()
        const res = await a.send(t, label, { method: p.method, url: p.url, headers: ctx.admin, payload })
        // A batch validates each item itself: an invalid item is 422 for the batch, naming it.
        if (path[0] === 'items' && w.path.endsWith('/batch'))
          t.ok([400, 422].includes(res.statusCode), `${label}: 400 or 422 (${res.statusCode})`)
        else t.equal(res.statusCode, 400, `${label}: 400`)
        t.ok(
          pointers(res).includes(pointerOf('body', path)),
          `${label}: names ${pointerOf('body', path)} (${pointers(res).join(', ')})`,
        )
        t.same(await state(ctx, p.reread), before, `${label}: the row is unchanged`)
        t.equal(await ctx.changes(), changes, `${label}: nothing written`)
      }
    }
    t.ok(fields >= 40, `${fields} server-owned properties tried`)

    // The four the brief names, on the creates, together: every one is named.
    for (const [url, payload] of [
      ['/v1/plans', { code: 'MASS 1', title: 'Mass assignment' }],
      ['/v1/organizations', { name: 'Mass assignment', kind: 'ngo' }],
    ] as const) {
      const res = await a.send(t, `POST ${url} with id, version, createdAt, updatedAt`, {
        method: 'POST',
        url,
        headers: ctx.admin,
        payload: {
          ...payload,
          id: '00000000-0000-4000-8000-000000000001',
          version: 99,
          createdAt: '2000-01-01T00:00:00.000Z',
          updatedAt: '2000-01-01T00:00:00.000Z',
        },
      })
      t.equal(res.statusCode, 400)
      t.same(
        pointers(res).sort(),
        ['/body/createdAt', '/body/id', '/body/updatedAt', '/body/version'],
        'each field is named',
      )
    }
    total.count += a.count
  },
)

t.test('excessive data exposure: no read returns a secret-looking property', async (t) => {
  const ctx = await seeded(t)
  const a = new Attacks(ctx.app)
  const d = await loadDocument(ctx.app)
  const f = await fixtures(ctx)
  const course = await f.create('/v1/training-courses', { title: 'Exposure probe course', topic: 'other' })
  const ids: Record<string, string> = {
    participantId: await f.create(`/v1/training-courses/${course}/participants`, {
      name: 'Exposure Probe',
      country: 'TH',
    }),
    id: f.meeting.beyond,
    period: '2006S1',
    snapshotId: await f.create(`/v1/plans/${f.plan.beyond}/reports/2006S1`, { note: 'Exposure probe' }),
    planId: f.plan.beyond,
    projectId: f.project.beyond,
    areaId: f.area.beyond,
    resultId: f.result.beyond,
    taskId: f.task.beyond,
    code: 'TH',
  }
  // Ids of the right kind for single-resource reads.
  const more = await laterRows(f, f.plan.beyond)
  const byPath = (path: string) =>
    (path.startsWith('/v1/training-courses/') ? course : laterId(more, path)) ??
    (path.startsWith('/v1/organizations/')
      ? f.org.beyond
      : path.startsWith('/v1/plans/{id}')
        ? f.plan.beyond
        : path.startsWith('/v1/activities/')
          ? f.activity.beyond
          : path.startsWith('/v1/projects/{id}')
            ? f.project.beyond
            : path.startsWith('/v1/outcomes/')
              ? f.outcome.beyond
              : path.startsWith('/v1/training-courses/')
                ? course
                : undefined)
  const secret = /"[^"]*(secret|hash|password|token|prefix|apiKey|keyId|actor)[^"]*"\s*:/i
  for (const o of d.operations.filter((o) => o.method === 'GET' && o.path.startsWith('/v1/'))) {
    const required = ((o.op.parameters ?? []) as Schema[]).filter((p) => p.in === 'query' && p.required)
    const query = required.map((p) => `${p.name}=${encodeURIComponent(String(sample(d, p.schema)))}`).join('&')
    const code = o.path.startsWith('/v1/plans/by-code/') ? encodeURIComponent('COMMIT SPA I') : undefined
    const url =
      o.path.replace(
        /\{(\w+)\}/g,
        (_, name: string) => (name === 'id' && byPath(o.path)) || (name === 'code' && code) || ids[name] || name,
      ) + (query ? `?${query}` : '')
    for (const [who, headers] of [
      ['anonymous', {}],
      ['admin', ctx.admin],
    ] as const) {
      const res = await a.send(t, `GET ${url} as ${who}`, { url, headers })
      // Participants are personal data: anonymous callers are asked for a key (probed below), as
      // they are on every operation the document lets no anonymous caller make (keys, webhooks).
      const personal = (o.path.includes('/participants') || needsKey(o.op)) && who === 'anonymous'
      t.equal(res.statusCode, personal ? 401 : 200, `GET ${o.path} as ${who}`)
      // A record's provenance names the key that created it by its id (DESIGN §3, issue 14), and a
      // value's history the key that changed it: ids, not credentials. Only those places may carry
      // a key's id. An API key's own representation (admins only) shows its prefix, the public
      // lookup part of the token ("apk_<prefix>_<secret>", 12 hex digits, never the secret), and
      // when a rotated-out secret stops working: a time. Each is allowed only in exactly that form.
      const uuid = '"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"'
      let body = res.body
        .replace(new RegExp(`"createdBy":\\{"keyId":${uuid}\\}`, 'g'), '"createdBy":{}')
        .replace(new RegExp(`"actorKeyId":(${uuid}|null)`, 'g'), '"by":0')
      if (o.path.startsWith('/v1/api-keys') && who === 'admin')
        body = body
          .replace(/"prefix":"[0-9a-f]{12}"/g, '"p":0')
          .replace(/"previousSecretExpiresAt":("\d{4}-\d\d-\d\dT[\d:.]+Z"|null)/g, '"t":0')
      t.notMatch(body, secret, `GET ${o.path} as ${who}: no secret-looking property`)
    }
  }
  total.count += a.count
})

// Personal fields (DESIGN §2 "participants") are visible only to keys with participants:read.
// A participant with a name found nowhere else is enrolled; then every GET operation of the
// document (its exports included, every list with the name as `q` and sorted every way it
// allows), every write operation answering a key that may write but not read personal data,
// and error messages from bodies carrying the name, must never show it to a caller without the
// scope. test/modules/training-privacy.test.ts tries the same by hand, and the change log.
t.test('personal data: no route, filter, sort, export or error shows a name without participants:read', async (t) => {
  const ctx = await seeded(t)
  const a = new Attacks(ctx.app)
  const d = await loadDocument(ctx.app)
  const f = await fixtures(ctx)
  const name = 'Zqxprivate Namewitness'
  const course = await f.create('/v1/training-courses', { title: 'Privacy probe course', topic: 'other' })
  const participant = await f.create(`/v1/training-courses/${course}/participants`, {
    name,
    country: 'TH',
    contact: 'zqxprivate@example.org',
  })
  const reader = await ctx.key(['read'])
  const writer = await ctx.key(['read', 'training:write', 'meetings:write', 'plans:write', 'indicators:write'])
  const leaks = (body: string) => /zqxprivate/i.test(body)
  let tried = 0
  const ids: Record<string, string> = { id: course, participantId: participant }
  const fill = (path: string) => path.replace(/\{(\w+)\}/g, (_, k: string) => ids[k] ?? course)
  for (const o of d.operations.filter((o) => o.method === 'GET' && o.path.startsWith('/v1/'))) {
    const params = (o.op.parameters ?? []) as Schema[]
    const sorts = (params.find((p) => p.name === 'sort')?.schema?.enum as string[] | undefined) ?? []
    const queries = ['', `q=${encodeURIComponent(name)}`, ...sorts.map((s) => `sort=${encodeURIComponent(s)}`)]
    const filled = fill(o.path)
    for (const query of queries) {
      for (const [who, headers] of [
        ['anonymous', {}],
        ['reader', reader],
        ['writer', writer],
      ] as const) {
        const url = `${filled}${query ? `?${query}` : ''}`
        const res = await a.send(t, `GET ${url} as ${who}`, { url, headers })
        tried++
        if (leaks(res.body)) t.fail(`GET ${url} as ${who} shows the name`)
        if (o.path.includes('/participants'))
          t.ok([401, 403].includes(res.statusCode), `GET ${o.path} as ${who}: refused (${res.statusCode})`)
      }
    }
  }
  // Writes by a key without participants:read answer without the name, and errors never echo it.
  const base = `/v1/training-courses/${course}/participants`
  for (const [label, method, url, payload] of [
    ['a PATCH', 'PATCH', `${base}/${participant}`, { daysAttended: 2 }],
    ['a new enrolment', 'POST', base, { name: `${name} Second`, country: 'TH' }],
    ['a batch', 'POST', `${base}/batch`, { items: [{ externalRef: 'p1', name, country: 'TH' }] }],
    ['an overlong name', 'POST', base, { name: `${name} ${'x'.repeat(400)}` }],
    ['a bad field beside the name', 'POST', base, { name, sex: 'unknown' }],
    ['an unknown country', 'POST', base, { name, country: 'ZZ' }],
    ['a bad batch item', 'POST', `${base}/batch`, { items: [{ externalRef: 'p2', name, sex: 'unknown' }] }],
    ['a bad patch', 'PATCH', `${base}/${participant}`, { name: `${name} ${'y'.repeat(400)}` }],
  ] as const) {
    const res = await a.send(t, label, { method, url, headers: writer, payload })
    tried++
    t.notOk(leaks(res.body), `${label} (${res.statusCode}): the answer holds no name`)
  }
  // The change log (the audit and the feed) holds field names, never values.
  const changes = await ctx.database.db.selectFrom('changes').selectAll().execute()
  t.notOk(leaks(JSON.stringify(changes)), 'the change log holds no name')
  t.ok(tried > 100, `${tried} requests tried`)
  total.count += a.count
})

t.test('attacks tried', async (t) => {
  t.comment(`API3 property-level authorization: ${total.count} attacks tried`)
  t.ok(total.count > 0)
})
