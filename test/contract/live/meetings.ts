import type { Scenario } from '../scenarios.ts'

// Meetings (SOMs, workshops, seminars), their calendar feed, agenda and attendance counts.

const workshop = (w: {
  plans: { commit: string }
  organizations: { uniap: string }
  activities: { activity11: string }
}) => ({
  kind: 'workshop',
  title: 'Sub-regional workshop on victim identification',
  planId: w.plans.commit,
  status: 'held',
  startDate: '2005-02-01',
  endDate: '2005-02-03',
  timeZone: 'Asia/Bangkok',
  venue: { city: 'Bangkok', country: 'TH' },
  organizerIds: [w.organizations.uniap],
  countries: ['LA', 'TH'],
  activityIds: [w.activities.activity11],
  agenda: [
    { title: 'National assessments of identification practice' },
    { title: 'Criteria and processes for identification', description: 'Towards common guidelines' },
  ],
})

export const scenarios: Scenario[] = [
  {
    operation: 'GET /v1/meetings',
    statuses: [200, 400, 406],
    async run(live) {
      await live.list('GET /v1/meetings', {
        query: { planId: live.world.plans.commit, status: 'held', sort: 'startDate' },
        badQuery: { from: 'last year' },
      })
    },
  },
  {
    operation: 'GET /v1/meetings/export',
    statuses: [200, 400],
    async run(live) {
      await live.exports('GET /v1/meetings/export', {
        query: { country: 'LA', from: '2004-01-01', to: '2007-12-31' },
        badQuery: { kind: 'party' },
      })
    },
  },
  {
    operation: 'GET /v1/meetings.ics',
    statuses: [200, 400],
    async run(live) {
      const feed = await live.call('GET /v1/meetings.ics', 200, {
        query: { planId: live.world.plans.commit },
        note: 'COMMIT’s meetings for a calendar app',
      })
      live.t.match(feed.body, /BEGIN:VCALENDAR[\s\S]*Senior Officials Meeting II/, 'SOM 2 is in the feed')
      await live.call('GET /v1/meetings.ics', 400, { query: { from: '28/10/2004' }, offContract: true })
    },
  },
  {
    operation: 'GET /v1/meetings/{id}',
    statuses: [200, 304, 404, 400],
    async run(live) {
      await live.conditionalGet('GET /v1/meetings/{id}', { id: live.world.meetings.som2 })
      await live.missing('GET /v1/meetings/{id}', {}, 'id')
      await live.malformedId('GET /v1/meetings/{id}', {}, 'id')
    },
  },
  {
    operation: 'POST /v1/meetings',
    statuses: [201, 422, 400],
    async run(live) {
      const body = workshop(live.world)
      await live.idempotentPost('POST /v1/meetings', { body, otherBody: { ...body, title: 'Another title' } })
      const backwards = await live.call('POST /v1/meetings', 422, {
        body: { ...body, endDate: '2005-01-31' },
        note: 'it ends before it starts',
      })
      live.t.match(backwards.json, { type: '/problems/rule-violation', errors: [{ pointer: '/body/endDate' }] })
      await live.call('POST /v1/meetings', 400, { body: { ...body, kind: 'party' }, offContract: true })
    },
  },
  {
    operation: 'PATCH /v1/meetings/{id}',
    statuses: [200, 412, 422, 404, 400],
    async run(live) {
      const id = live.world.meetings.som2
      const etag = String((await live.call('GET /v1/meetings/{id}', 200, { params: { id } })).headers.etag)
      await live.call('PATCH /v1/meetings/{id}', 200, {
        params: { id },
        headers: { 'if-match': etag },
        body: { venue: { city: 'Yangon' }, description: 'Agreed the Framework Document' },
        expectHeaders: ['etag'],
      })
      await live.call('PATCH /v1/meetings/{id}', 412, {
        params: { id },
        headers: { 'if-match': etag },
        body: { description: null },
        note: 'stale ETag',
      })
      await live.call('PATCH /v1/meetings/{id}', 422, {
        params: { id },
        body: { startDate: '2999-10-28', endDate: '2999-10-28' },
        note: 'a held meeting cannot start in the future',
      })
      await live.missing('PATCH /v1/meetings/{id}', {}, 'id', { body: { description: null } })
      await live.call('PATCH /v1/meetings/{id}', 400, { params: { id }, body: { status: 'over' }, offContract: true })
    },
  },
  {
    operation: 'DELETE /v1/meetings/{id}',
    // Nothing refers to a meeting that would block its deletion (its outcomes go with it): no 409.
    statuses: [412, 204, 404, 400],
    async run(live) {
      const meeting = (
        await live.call('POST /v1/meetings', 201, {
          body: { kind: 'consultation', title: 'To be removed', status: 'planned' },
        })
      ).json
      await live.call('PATCH /v1/meetings/{id}', 200, { params: { id: meeting.id }, body: { status: 'cancelled' } })
      await live.call('DELETE /v1/meetings/{id}', 412, {
        params: { id: meeting.id },
        headers: { 'if-match': '"1"' },
        note: 'stale ETag',
      })
      await live.call('DELETE /v1/meetings/{id}', 204, { params: { id: meeting.id }, headers: { 'if-match': '"2"' } })
      await live.call('DELETE /v1/meetings/{id}', 404, { params: { id: meeting.id }, note: 'already gone' })
      await live.malformedId('DELETE /v1/meetings/{id}', {}, 'id')
    },
  },
  {
    operation: 'GET /v1/meetings/{id}/agenda',
    statuses: [200, 304, 404, 400],
    async run(live) {
      await live.conditionalGet('GET /v1/meetings/{id}/agenda', { id: live.world.meetings.som2 })
      await live.missing('GET /v1/meetings/{id}/agenda', {}, 'id')
      await live.malformedId('GET /v1/meetings/{id}/agenda', {}, 'id')
    },
  },
  {
    operation: 'PUT /v1/meetings/{id}/agenda',
    statuses: [200, 412, 404, 400],
    async run(live) {
      const params = {
        id: (await live.call('POST /v1/meetings', 201, { body: workshop(live.world) })).json.id as string,
      }
      const read = await live.call('GET /v1/meetings/{id}/agenda', 200, { params })
      const [first, second] = read.json.items
      const etag = String(read.headers.etag)
      const reordered = await live.call('PUT /v1/meetings/{id}/agenda', 200, {
        params,
        headers: { 'if-match': etag },
        body: { items: [second, first, { title: 'Any other business' }] },
        expectHeaders: ['etag'],
        note: 'reordered, one item added',
      })
      live.t.same(
        reordered.json.items.map((i: { id: string }) => i.id).slice(0, 2),
        [second.id, first.id],
        'the items keep their ids',
      )
      await live.call('PUT /v1/meetings/{id}/agenda', 412, {
        params,
        headers: { 'if-match': etag },
        body: { items: [] },
        note: 'stale ETag',
      })
      await live.missing('PUT /v1/meetings/{id}/agenda', {}, 'id', { body: { items: [] } })
      await live.call('PUT /v1/meetings/{id}/agenda', 400, {
        params,
        body: { items: [first, first] },
        offContract: true,
        note: 'the same item twice',
      })
    },
  },
  {
    operation: 'GET /v1/meetings/{id}/attendance',
    statuses: [200, 304, 404, 400],
    async run(live) {
      await live.conditionalGet('GET /v1/meetings/{id}/attendance', { id: live.world.meetings.som2 })
      await live.missing('GET /v1/meetings/{id}/attendance', {}, 'id')
      await live.malformedId('GET /v1/meetings/{id}/attendance', {}, 'id')
    },
  },
  {
    operation: 'PUT /v1/meetings/{id}/attendance',
    statuses: [200, 412, 422, 404, 400],
    async run(live) {
      const params = { id: live.world.meetings.som2 }
      const etag = String((await live.call('GET /v1/meetings/{id}/attendance', 200, { params })).headers.etag)
      const rows = [
        { country: 'LA', organizationKind: 'government', female: 3, male: 5 },
        { country: 'TH', organizationKind: 'national_task_force', female: 4, male: 4 },
        { country: null, organizationKind: 'un_agency', female: 1, male: 2, unspecified: 1 },
      ]
      const put = await live.call('PUT /v1/meetings/{id}/attendance', 200, {
        params,
        headers: { 'if-match': etag },
        body: { rows },
        expectHeaders: ['etag'],
        note: 'counts by country and kind',
      })
      live.t.same(put.json.totals, { female: 8, male: 11, unspecified: 1, total: 20 })
      await live.call('PUT /v1/meetings/{id}/attendance', 412, {
        params,
        headers: { 'if-match': etag },
        body: { rows: [] },
        note: 'stale ETag',
      })
      await live.call('PUT /v1/meetings/{id}/attendance', 422, {
        params,
        body: { rows: [{ ...rows[0], country: 'XX' }] },
        note: 'a country that does not exist',
      })
      await live.missing('PUT /v1/meetings/{id}/attendance', {}, 'id', { body: { rows } })
      await live.call('PUT /v1/meetings/{id}/attendance', 400, {
        params,
        body: { rows: [{ ...rows[0], male: -1 }] },
        offContract: true,
      })
    },
  },
]
