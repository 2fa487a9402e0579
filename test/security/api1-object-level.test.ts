import t from 'tap'
import type { Test } from 'tap'
import { Attacks, json, loadDocument, seeded } from './support.ts'
import { coverage, fixtures, kinds, probes, state, type Kind } from './targets.ts'
import type { Scope } from '../../src/modules/api-keys/api-keys.queries.ts'

// OWASP API1:2023 Broken Object Level Authorization. A key limited to TH, through every write
// operation the OpenAPI document lists, against a row with no country, a row with countries
// beyond TH, and a row of TH only (DESIGN §3). The first two are read-only to the key: 403
// naming the country rule, and the row and the change log unchanged. The third succeeds, which
// shows the refused requests were valid ones refused for the right reason.

const total = { count: 0 }

async function matrix(t: Test, scopes: Scope[]) {
  const ctx = await seeded(t)
  const a = new Attacks(ctx.app)
  const { writes } = await loadDocument(ctx.app)
  const { unprobed, stale } = coverage(writes)
  t.same(unprobed, [], 'every write operation of the document has a probe')
  t.same(stale, [], 'every probe is of an operation the document has')

  const f = await fixtures(ctx)
  const thai = await ctx.key(scopes, { countries: ['TH'] })
  // Deletes last, so a row wrongly deleted cannot turn a later probe into a 404.
  const order = (m: string) => ['POST', 'PUT', 'PATCH', 'DELETE'].indexOf(m)
  for (const w of [...writes].sort((x, y) => order(x.method) - order(y.method))) {
    const name = `${w.method} ${w.path}`
    const probe = probes[name]
    if (!probe) continue
    for (const kind of kinds) {
      const p = await probe(f, kind)
      const label = `${name} on a ${describe[kind]} row`
      const before = await state(ctx, p.reread)
      const changes = await ctx.changes()
      const res = await a.send(t, label, {
        method: p.method,
        url: p.url,
        headers: thai,
        ...(p.payload ? { payload: p.payload } : {}),
      })
      if (p.requires && !scopes.includes(p.requires)) {
        // Refused before any country rule: the key lacks the operation's scope.
        t.equal(res.statusCode, 403, `${label}: 403 without ${p.requires}`)
        t.same(await state(ctx, p.reread), before, `${label}: the row is unchanged`)
        t.equal(await ctx.changes(), changes, `${label}: nothing written`)
        continue
      }
      if (kind === 'own' && !p.countryless) {
        t.ok(
          res.statusCode >= 200 && res.statusCode < 300,
          `${label}: allowed (${res.statusCode} ${res.statusCode >= 300 ? res.body : ''})`,
        )
        continue
      }
      refused(t, label, res)
      t.same(await state(ctx, p.reread), before, `${label}: the row is unchanged`)
      t.equal(await ctx.changes(), changes, `${label}: nothing written`)
    }
  }

  // Moving a row of the key's own out of its countries, or out of every country, is a write
  // of a row that will not belong to the key: refused as well.
  const moves: [string, string, object][] = [
    ['an organization to KH', `/v1/organizations/${f.org.own}`, { country: 'KH' }],
    ['an organization to no country', `/v1/organizations/${f.org.own}`, { country: null }],
    ['a plan to TH and KH', `/v1/plans/${f.plan.own}`, { countries: ['TH', 'KH'] }],
    ['a plan to no country', `/v1/plans/${f.plan.own}`, { countries: [] }],
    ['an activity to TH and KH', `/v1/activities/${f.activity.own}`, { countries: ['TH', 'KH'] }],
    ['an activity into another plan’s area', `/v1/activities/${f.activity.own}`, { areaId: f.area.beyond }],
    ['a project to KH', `/v1/projects/${f.project.own}`, { countries: ['KH'] }],
    ['a meeting to TH and KH', `/v1/meetings/${f.meeting.own}`, { countries: ['TH', 'KH'] }],
    ['a meeting’s venue to KH', `/v1/meetings/${f.meeting.own}`, { venue: { country: 'KH' } }],
    ['a meeting to no country', `/v1/meetings/${f.meeting.own}`, { countries: [], venue: null }],
  ]
  for (const [what, url, payload] of moves) {
    const before = await state(ctx, url)
    const changes = await ctx.changes()
    const res = await a.send(t, `moving ${what}`, { method: 'PATCH', url, headers: thai, payload })
    // Moving an activity into another plan's area is a rule violation (422) before any country rule.
    if (what.includes('area')) t.ok([403, 422].includes(res.statusCode), `moving ${what}: refused (${res.statusCode})`)
    else refused(t, `moving ${what}`, res)
    t.same(await state(ctx, url), before, `moving ${what}: the row is unchanged`)
    t.equal(await ctx.changes(), changes, `moving ${what}: nothing written`)
  }

  // Attendance counts of KH at the key's own TH meeting are data of KH: refused too.
  const res = await a.send(t, 'attendance of KH at a TH meeting', {
    method: 'PUT',
    url: `/v1/meetings/${f.meeting.own}/attendance`,
    headers: thai,
    payload: { rows: [{ country: 'KH', organizationKind: 'government', female: 1 }] },
  })
  refused(t, 'attendance of KH at a TH meeting', res)

  // Reading is not country-limited: the key reads the rows it may not write.
  for (const url of [`/v1/plans/${f.plan.none}`, `/v1/plans/${f.plan.beyond}`, `/v1/meetings/${f.meeting.beyond}`]) {
    t.equal(
      (await a.send(t, `GET ${url}`, { url, headers: thai })).statusCode,
      scopes.includes('admin') || scopes.includes('read') ? 200 : 403,
    )
  }
  total.count += a.count
}

const describe: Record<Kind, string> = { none: 'no-country', beyond: 'beyond-TH', own: 'TH-only' }

/** 403 problem that names the country rule, not a missing scope. */
function refused(t: Test, label: string, res: { statusCode: number; headers: Record<string, unknown>; body: string }) {
  t.equal(res.statusCode, 403, `${label}: 403`)
  if (res.statusCode !== 403) return t.comment(`  got ${res.statusCode}: ${res.body.slice(0, 300)}`)
  const problem = json(res)
  t.equal(problem.type, '/problems/forbidden', `${label}: forbidden problem`)
  t.match(res.body, /countr/i, `${label}: names the country rule`)
  t.notMatch(problem.detail, /lacks the scope/, `${label}: not a scope refusal`)
}

t.test('a key with admin scope limited to TH', (t) => matrix(t, ['admin']))
t.test('a key with every write scope but admin, limited to TH', (t) =>
  matrix(t, ['plans:write', 'meetings:write', 'training:write', 'indicators:write']),
)
t.test('attacks tried', async (t) => {
  t.comment(`API1 object-level authorization: ${total.count} attacks tried`)
  t.ok(total.count > 0)
})
