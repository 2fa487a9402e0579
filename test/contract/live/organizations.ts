import type { Live, Scenario } from '../scenarios.ts'

// Organizations: government bodies, task forces, UN agencies, sectoral bodies and partners.

const centre = {
  name: 'Regional Training Centre on Victim Identification',
  acronym: 'RTC-VI',
  kind: 'training_centre',
  country: 'TH',
  website: 'https://example.org/rtc',
}

/** A fresh organization to change or delete, so the seeded ones keep their meaning. */
async function scratch(live: Live, name: string) {
  return (
    await live.call('POST /v1/organizations', 201, {
      body: { name, kind: 'ngo', country: 'LA' },
      note: 'a scratch organization',
    })
  ).json
}

export const scenarios: Scenario[] = [
  {
    operation: 'GET /v1/organizations',
    statuses: [200, 400, 406],
    async run(live) {
      await live.list('GET /v1/organizations', {
        query: { kind: 'national_task_force', sort: 'name' },
        badQuery: { kind: 'club' },
      })
    },
  },
  {
    operation: 'GET /v1/organizations/export',
    statuses: [200, 400],
    async run(live) {
      await live.exports('GET /v1/organizations/export', {
        query: { kind: 'sectoral_body', sort: '-name' },
        badQuery: { country: 'Thailand' },
      })
    },
  },
  {
    operation: 'GET /v1/organizations/{id}',
    statuses: [200, 304, 404, 400],
    async run(live) {
      const { uniap } = live.world.organizations
      await live.conditionalGet('GET /v1/organizations/{id}', { id: uniap })
      await live.missing('GET /v1/organizations/{id}', {}, 'id')
      await live.malformedId('GET /v1/organizations/{id}', {}, 'id')
    },
  },
  {
    operation: 'POST /v1/organizations',
    // 409 (a retry still running) is not provoked: it needs two requests racing.
    statuses: [201, 422, 400],
    async run(live) {
      await live.idempotentPost('POST /v1/organizations', {
        body: { ...centre, parentId: live.world.organizations.asean },
        otherBody: { ...centre, name: 'Another centre' },
      })
      const orphan = await live.call('POST /v1/organizations', 422, {
        body: { ...centre, parentId: '00000000-0000-4000-8000-000000000000' },
        note: 'a parent that does not exist',
      })
      live.t.match(orphan.json, { errors: [{ pointer: '/body/parentId' }] })
      const bad = await live.call('POST /v1/organizations', 400, {
        body: { ...centre, name: '', kind: 'club' },
        offContract: true,
        note: 'an empty name and an unknown kind',
      })
      live.t.same(
        bad.json.errors.map((e: { pointer: string }) => e.pointer).sort(),
        ['/body/kind', '/body/name'],
        'each bad field is named',
      )
    },
  },
  {
    operation: 'PATCH /v1/organizations/{id}',
    statuses: [200, 412, 422, 404, 400],
    async run(live) {
      const id = live.world.organizations.uniap
      const read = await live.call('GET /v1/organizations/{id}', 200, { params: { id } })
      const etag = String(read.headers.etag)
      const patched = await live.call('PATCH /v1/organizations/{id}', 200, {
        params: { id },
        headers: { 'if-match': etag },
        body: { website: 'https://www.no-trafficking.org' },
        expectHeaders: ['etag'],
        note: 'with the ETag just read',
      })
      live.t.not(patched.headers.etag, etag, 'the version moved on')
      await live.call('PATCH /v1/organizations/{id}', 412, {
        params: { id },
        headers: { 'if-match': etag },
        body: { website: null },
        note: 'with the ETag from before',
      })
      await live.call('PATCH /v1/organizations/{id}', 422, {
        params: { id },
        body: { country: 'XX' },
        note: 'a country that does not exist',
      })
      await live.missing('PATCH /v1/organizations/{id}', {}, 'id', { body: { website: null } })
      await live.call('PATCH /v1/organizations/{id}', 400, {
        params: { id },
        body: { kind: 'club' },
        offContract: true,
      })
    },
  },
  {
    operation: 'DELETE /v1/organizations/{id}',
    statuses: [409, 412, 204, 404, 400],
    async run(live) {
      const referenced = await live.call('DELETE /v1/organizations/{id}', 409, {
        params: { id: live.world.organizations.uniap },
        note: 'UNIAP organizes meetings',
      })
      live.t.match(referenced.json, { type: '/problems/still-referenced' })
      const org = await scratch(live, 'Mekong Youth Network')
      await live.call('PATCH /v1/organizations/{id}', 200, { params: { id: org.id }, body: { acronym: 'MYN' } })
      await live.call('DELETE /v1/organizations/{id}', 412, {
        params: { id: org.id },
        headers: { 'if-match': '"1"' },
        note: 'someone changed it since',
      })
      await live.call('DELETE /v1/organizations/{id}', 204, { params: { id: org.id }, headers: { 'if-match': '"2"' } })
      await live.call('DELETE /v1/organizations/{id}', 404, { params: { id: org.id }, note: 'already gone' })
      await live.malformedId('DELETE /v1/organizations/{id}', {}, 'id')
    },
  },
]
