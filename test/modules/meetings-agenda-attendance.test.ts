import t from 'tap'
import { json, setup } from '../helpers/app.ts'
import { listChangesOf } from '../../src/modules/changes/changes.queries.ts'
import { createMeeting } from './meetings.fixtures.ts'

t.test('the agenda is ordered and reordered in one request', async (t) => {
  const ctx = await setup(t)
  const { app, admin } = ctx
  const m = await createMeeting(ctx, {
    agenda: [
      { title: 'Review training assessments' },
      { title: 'Topics for training', description: 'Consensus on subject areas' },
      { title: 'Priorities and timelines' },
    ],
  })
  const [a, b, c] = m.agenda
  t.same(
    m.agenda.map((i: { title: string }) => i.title),
    ['Review training assessments', 'Topics for training', 'Priorities and timelines'],
  )
  t.equal(new Set(m.agenda.map((i: { id: string }) => i.id)).size, 3, 'each item has its own id')

  const got = await app.inject({ url: `/v1/meetings/${m.id}/agenda` })
  t.same(json(got), { meetingId: m.id, items: m.agenda, version: 1 })
  t.equal(got.headers.etag, '"1"')

  const reordered = await app.inject({
    method: 'PUT',
    url: `/v1/meetings/${m.id}/agenda`,
    headers: { ...admin, 'if-match': '"1"' },
    payload: { items: [c, { id: a.id, title: a.title }, { title: 'Any other business' }] },
  })
  t.equal(reordered.statusCode, 200)
  const agenda = json(reordered)
  t.same(agenda.items.slice(0, 2), [c, a], 'items keep their ids in the new order')
  t.match(agenda.items[2], { title: 'Any other business', description: null })
  t.notOk(
    agenda.items.some((i: { id: string }) => i.id === b.id),
    'an item left out is removed',
  )
  t.equal(agenda.version, 2)
  t.equal(reordered.headers.etag, '"2"')
  t.same(
    json(await app.inject({ url: `/v1/meetings/${m.id}` })).agenda,
    agenda.items,
    'the meeting shows the same agenda',
  )

  const stale = await app.inject({
    method: 'PUT',
    url: `/v1/meetings/${m.id}/agenda`,
    headers: { ...admin, 'if-match': '"1"' },
    payload: { items: [] },
  })
  t.equal(stale.statusCode, 412)
  const twice = await app.inject({
    method: 'PUT',
    url: `/v1/meetings/${m.id}/agenda`,
    headers: admin,
    payload: { items: [a, a] },
  })
  t.equal(twice.statusCode, 400)
  t.match(json(twice).errors, [{ pointer: '/body/items/1/id' }])
  const noTitle = await app.inject({
    method: 'PUT',
    url: `/v1/meetings/${m.id}/agenda`,
    headers: admin,
    payload: { items: [{ description: 'x' }] },
  })
  t.match(json(noTitle).errors, [{ pointer: '/body/items/0/title', detail: 'is required' }])
  const same = await app.inject({
    method: 'PUT',
    url: `/v1/meetings/${m.id}/agenda`,
    headers: admin,
    payload: { items: agenda.items },
  })
  t.equal(json(same).version, 2, 'the same agenda again changes nothing')

  const viaPatch = await app.inject({
    method: 'PATCH',
    url: `/v1/meetings/${m.id}`,
    headers: admin,
    payload: { agenda: [agenda.items[2], agenda.items[0]] },
  })
  t.same(
    json(viaPatch).agenda.map((i: { title: string }) => i.title),
    ['Any other business', 'Priorities and timelines'],
    'a merge patch replaces the agenda too',
  )
  const changes = await listChangesOf(ctx.database.db, 'meeting', m.id)
  t.same(
    changes.map((ch) => ch.fields),
    [['kind', 'title', 'agenda'], ['agenda'], ['agenda']],
  )
  t.equal((await app.inject({ url: '/v1/meetings/00000000-0000-4000-8000-000000000000/agenda' })).statusCode, 404)
})

t.test('attendance: counts per country and organization kind, by sex', async (t) => {
  const ctx = await setup(t)
  const { app, admin } = ctx
  const m = await createMeeting(ctx, { status: 'held', startDate: '2005-02-01', countries: ['LA', 'TH'] })
  const empty = json(await app.inject({ url: `/v1/meetings/${m.id}/attendance` }))
  t.same(empty, {
    meetingId: m.id,
    rows: [],
    totals: { female: 0, male: 0, unspecified: 0, total: 0 },
    byCountry: [],
    byOrganizationKind: [],
    version: 1,
  })

  const rows = [
    { country: 'LA', organizationKind: 'government', female: 3, male: 5 },
    { country: 'LA', organizationKind: 'ngo', female: 2, male: 1, unspecified: 1 },
    { country: 'TH', organizationKind: 'government', female: 4, male: 4 },
    { country: null, organizationKind: 'un_agency', female: 1, male: 2 },
  ]
  const put = await app.inject({
    method: 'PUT',
    url: `/v1/meetings/${m.id}/attendance`,
    headers: admin,
    payload: { rows },
  })
  t.equal(put.statusCode, 200)
  const att = json(put)
  t.same(att.totals, { female: 10, male: 12, unspecified: 1, total: 23 })
  t.same(att.rows[1], { country: 'LA', organizationKind: 'ngo', female: 2, male: 1, unspecified: 1, total: 4 })
  t.same(att.rows[0].unspecified, 0, 'absent counts are 0')
  t.same(att.byCountry, [
    { country: 'LA', female: 5, male: 6, unspecified: 1, total: 12 },
    { country: 'TH', female: 4, male: 4, unspecified: 0, total: 8 },
    { country: null, female: 1, male: 2, unspecified: 0, total: 3 },
  ])
  t.same(
    att.byOrganizationKind.find((g: { organizationKind: string }) => g.organizationKind === 'government'),
    { organizationKind: 'government', female: 7, male: 9, unspecified: 0, total: 16 },
  )
  t.equal(att.version, 2)
  t.same(json(await app.inject({ url: `/v1/meetings/${m.id}/attendance` })), att)
  t.same(
    json(await app.inject({ url: `/v1/meetings/${m.id}` })).attendance,
    att.totals,
    'the meeting carries the totals',
  )
  t.same(
    json(await app.inject({ method: 'PUT', url: `/v1/meetings/${m.id}/attendance`, headers: admin, payload: { rows } }))
      .version,
    2,
    'the same counts again change nothing',
  )
  const changes = await listChangesOf(ctx.database.db, 'meeting', m.id)
  t.same(changes.at(-1)!.fields, ['attendance'])

  const dup = await app.inject({
    method: 'PUT',
    url: `/v1/meetings/${m.id}/attendance`,
    headers: admin,
    payload: { rows: [rows[0], { ...rows[0], female: 1 }] },
  })
  t.equal(dup.statusCode, 400)
  t.match(json(dup).errors, [{ pointer: '/body/rows/1' }])
  const negative = await app.inject({
    method: 'PUT',
    url: `/v1/meetings/${m.id}/attendance`,
    headers: admin,
    payload: { rows: [{ ...rows[0], male: -1 }] },
  })
  t.equal(negative.statusCode, 400)
  t.match(json(negative).errors, [{ pointer: '/body/rows/0/male' }])
  const personal = await app.inject({
    method: 'PUT',
    url: `/v1/meetings/${m.id}/attendance`,
    headers: admin,
    payload: { rows: [{ ...rows[0], name: 'Somchai' }] },
  })
  t.equal(personal.statusCode, 400, 'no personal data: unknown fields are refused')
  const unknown = await app.inject({
    method: 'PUT',
    url: `/v1/meetings/${m.id}/attendance`,
    headers: admin,
    payload: { rows: [{ ...rows[0], country: 'XX' }] },
  })
  t.equal(unknown.statusCode, 422)
  t.match(json(unknown).errors, [{ pointer: '/body/rows/0/country' }])
  const stale = await app.inject({
    method: 'PUT',
    url: `/v1/meetings/${m.id}/attendance`,
    headers: { ...admin, 'if-match': '"1"' },
    payload: { rows: [] },
  })
  t.equal(stale.statusCode, 412)

  const lao = await ctx.key(['meetings:write'], { countries: ['LA'] })
  t.equal(
    (
      await app.inject({
        method: 'PUT',
        url: `/v1/meetings/${m.id}/attendance`,
        headers: lao,
        payload: { rows: [rows[0]] },
      })
    ).statusCode,
    403,
    'a Lao key may not write a Lao-Thai meeting',
  )
  const cleared = json(
    await app.inject({ method: 'PUT', url: `/v1/meetings/${m.id}/attendance`, headers: admin, payload: { rows: [] } }),
  )
  t.equal(cleared.totals.total, 0)
  t.equal(json(await app.inject({ url: `/v1/meetings/${m.id}` })).attendance, null)
})
