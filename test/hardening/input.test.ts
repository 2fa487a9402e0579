import t, { type Test } from 'tap'
import { json, setup } from '../helpers/app.ts'
import { seedDatabase } from '../../src/seed/index.ts'

// Defects 4, 5, 8 and 11 of the hardening issue: input that used to reach Postgres and come back
// as a 500, or that was stored when it should not be.

const problemAt = (
  t: Test,
  res: { statusCode: number; body: string; headers: Record<string, unknown> },
  status: number,
  pointer: string,
) => {
  t.equal(res.statusCode, status, `${status} for ${pointer}`)
  t.match(res.headers['content-type'], /^application\/problem\+json/)
  t.ok(
    (json(res).errors ?? []).some((e: { pointer: string }) => e.pointer === pointer),
    `names ${pointer}: ${res.body}`,
  )
}

t.test('a NUL byte anywhere is a 400 naming the field, for anyone', async (t) => {
  const { app, admin, database } = await setup(t)
  await seedDatabase(database.db)
  const meeting = json(await app.inject({ url: '/v1/meetings?limit=1' })).data[0]
  problemAt(
    t,
    await app.inject({
      method: 'POST',
      url: '/v1/organizations',
      headers: admin,
      payload: { name: 'a\u0000b', kind: 'ngo' },
    }),
    400,
    '/body/name',
  )
  problemAt(t, await app.inject({ url: '/v1/organizations?q=%00' }), 400, '/query/q')
  problemAt(t, await app.inject({ url: '/v1/activities?q=x%00y' }), 400, '/query/q')
  problemAt(
    t,
    await app.inject({
      method: 'PUT',
      url: `/v1/meetings/${meeting.id}/agenda`,
      headers: admin,
      payload: { items: [{ title: 'Opening\u0000' }] },
    }),
    400,
    '/body/items/0/title',
  )
  problemAt(
    t,
    await app.inject({
      method: 'POST',
      url: '/v1/organizations',
      headers: admin,
      payload: { name: 'x', kind: 'ngo', 'a\u0000': 1 },
    }),
    400,
    '/body/a\u0000',
  )
  const batch = await app.inject({
    method: 'POST',
    url: `/v1/meetings/${meeting.id}/outcomes/batch`,
    headers: admin,
    payload: { items: [{ externalRef: 'n1', kind: 'decision', text: 'nul\u0000' }] },
  })
  problemAt(t, batch, 400, '/body/items/0/text')
})

t.test('timestamps and dates Postgres cannot hold are 400s naming the parameter', async (t) => {
  const { app, admin } = await setup(t)
  for (const route of ['organizations', 'plans', 'activities', 'projects', 'meetings']) {
    problemAt(
      t,
      await app.inject({ url: `/v1/${route}?updatedSince=${encodeURIComponent('2024-01-01T00:00:00+16:00')}` }),
      400,
      '/query/updatedSince',
    )
    problemAt(
      t,
      await app.inject({ url: `/v1/${route}?updatedSince=${encodeURIComponent('0000-01-01T00:00:00Z')}` }),
      400,
      '/query/updatedSince',
    )
  }
  const ok = await app.inject({
    url: `/v1/organizations?updatedSince=${encodeURIComponent('2024-01-01T00:00:00+15:59')}`,
  })
  t.equal(ok.statusCode, 200, 'the largest offset Postgres takes is fine')
  problemAt(
    t,
    await app.inject({
      method: 'POST',
      url: '/v1/plans',
      headers: admin,
      payload: { code: 'X', title: 'X', startDate: '0000-01-01' },
    }),
    400,
    '/body/startDate',
  )
})

t.test('URLs in data are http(s) only', async (t) => {
  const { app, admin } = await setup(t)
  for (const website of [
    'javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'ftp://example.org',
    'vbscript:x',
    'http:/relative',
  ]) {
    problemAt(
      t,
      await app.inject({
        method: 'POST',
        url: '/v1/organizations',
        headers: admin,
        payload: { name: 'X', kind: 'ngo', website },
      }),
      400,
      '/body/website',
    )
  }
  problemAt(
    t,
    await app.inject({
      method: 'POST',
      url: '/v1/plans',
      headers: admin,
      payload: { code: 'X', title: 'X', documents: [{ title: 'd', url: 'javascript:alert(1)' }] },
    }),
    400,
    '/body/documents/0/url',
  )
  const ok = await app.inject({
    method: 'POST',
    url: '/v1/organizations',
    headers: admin,
    payload: { name: 'X', kind: 'ngo', website: 'https://example.org/a?b=c' },
  })
  t.equal(ok.statusCode, 201)
})

t.test('malformed JSON points at /body; positions stay within their documented maximum', async (t) => {
  const { app, admin } = await setup(t)
  const bad = await app.inject({
    method: 'POST',
    url: '/v1/organizations',
    headers: { ...admin, 'content-type': 'application/json' },
    payload: '{"name":',
  })
  problemAt(t, bad, 400, '/body')
  const plan = json(
    await app.inject({ method: 'POST', url: '/v1/plans', headers: admin, payload: { code: 'P', title: 'P' } }),
  )
  const project = json(
    await app.inject({
      method: 'POST',
      url: '/v1/projects',
      headers: admin,
      payload: { planId: plan.id, code: 'PPC 1', title: 'P' },
    }),
  )
  await app.inject({
    method: 'POST',
    url: `/v1/projects/${project.id}/results`,
    headers: admin,
    payload: { statement: 'last', position: 1_000_000 },
  })
  const auto = json(
    await app.inject({
      method: 'POST',
      url: `/v1/projects/${project.id}/results`,
      headers: admin,
      payload: { statement: 'after it' },
    }),
  )
  t.equal(auto.position, 1_000_000, 'the automatic position is capped at the maximum')
  const read = await app.inject({ url: `/v1/projects/${project.id}/results/${auto.id}` })
  t.equal(read.statusCode, 200)
})
