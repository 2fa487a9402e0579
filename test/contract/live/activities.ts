import type { Scenario } from '../scenarios.ts'

// Activities of a plan: COMMIT's 18 and the ASEAN matrix's.

export const scenarios: Scenario[] = [
  {
    operation: 'GET /v1/activities',
    statuses: [200, 400, 406],
    async run(live) {
      await live.list('GET /v1/activities', {
        query: { planId: live.world.plans.commit, country: 'LA', sort: 'code' },
        badQuery: { status: 'done' },
      })
    },
  },
  {
    operation: 'GET /v1/activities/export',
    statuses: [200, 400],
    async run(live) {
      // The ASEAN matrix's training activities, led by a sectoral body.
      await live.exports('GET /v1/activities/export', {
        query: { planId: live.world.plans.apa, category: 'training', role: 'lead' },
        badQuery: { category: 'sports' },
      })
    },
  },
  {
    operation: 'GET /v1/activities/{id}',
    statuses: [200, 304, 404, 400],
    async run(live) {
      await live.conditionalGet('GET /v1/activities/{id}', { id: live.world.activities.activity11 })
      await live.missing('GET /v1/activities/{id}', {}, 'id')
      await live.malformedId('GET /v1/activities/{id}', {}, 'id')
    },
  },
  {
    operation: 'POST /v1/activities',
    statuses: [201, 409, 422, 400],
    async run(live) {
      const { plans, areas, organizations } = live.world
      const body = {
        planId: plans.commit,
        areaId: areas.area4,
        code: 'Activity 19',
        title: 'Sub-regional training on victim identification for border officials',
        category: 'training',
        status: 'completed',
        countries: ['LA', 'TH'],
        plannedStart: '2006-01-01',
        plannedEnd: '2006-06-30',
        actualStart: '2006-02-13',
        actualEnd: '2006-02-17',
        organizations: [{ organizationId: organizations.uniap, role: 'implementing' }],
      }
      await live.idempotentPost('POST /v1/activities', { body, otherBody: { ...body, title: 'Another title' } })
      await live.call('POST /v1/activities', 409, { body, note: 'Activity 19 exists now' })
      const future = await live.call('POST /v1/activities', 422, {
        body: { ...body, code: 'Activity 20', actualStart: '2999-01-01', actualEnd: null },
        note: 'an actual start in the future',
      })
      live.t.match(future.json, { type: '/problems/rule-violation', errors: [{ pointer: '/body/actualStart' }] })
      await live.call('POST /v1/activities', 400, {
        body: { ...body, code: 'Activity 21', status: 'done' },
        offContract: true,
      })
    },
  },
  {
    operation: 'PATCH /v1/activities/{id}',
    statuses: [200, 412, 409, 422, 404, 400],
    async run(live) {
      const id = live.world.activities.activity12
      const read = await live.call('GET /v1/activities/{id}', 200, { params: { id } })
      const etag = String(read.headers.etag)
      await live.call('PATCH /v1/activities/{id}', 200, {
        params: { id },
        headers: { 'if-match': etag },
        body: { status: 'in_progress', actualStart: '2005-09-01' },
        expectHeaders: ['etag'],
      })
      await live.call('PATCH /v1/activities/{id}', 412, {
        params: { id },
        headers: { 'if-match': etag },
        body: { status: 'completed' },
        note: 'stale ETag',
      })
      await live.call('PATCH /v1/activities/{id}', 409, {
        params: { id },
        body: { code: 'Activity 11' },
        note: 'Activity 11 has that code',
      })
      await live.call('PATCH /v1/activities/{id}', 422, {
        params: { id },
        body: { actualEnd: '2999-12-31' },
        note: 'an actual end in the future',
      })
      await live.missing('PATCH /v1/activities/{id}', {}, 'id', { body: { status: 'completed' } })
      await live.call('PATCH /v1/activities/{id}', 400, {
        params: { id },
        body: { planId: live.world.plans.apa },
        offContract: true,
        note: 'planId cannot change',
      })
    },
  },
  {
    operation: 'DELETE /v1/activities/{id}',
    statuses: [409, 412, 204, 404, 400],
    async run(live) {
      const referenced = await live.call('DELETE /v1/activities/{id}', 409, {
        params: { id: live.world.activities.activity11 },
        note: 'PPC 2 covers Activity 11',
      })
      live.t.match(referenced.json, { type: '/problems/still-referenced' })
      const activity = (
        await live.call('POST /v1/activities', 201, {
          body: { planId: live.world.plans.commit, code: 'Activity 99', title: 'To be removed' },
        })
      ).json
      await live.call('PATCH /v1/activities/{id}', 200, { params: { id: activity.id }, body: { status: 'cancelled' } })
      await live.call('DELETE /v1/activities/{id}', 412, {
        params: { id: activity.id },
        headers: { 'if-match': '"1"' },
        note: 'stale ETag',
      })
      await live.call('DELETE /v1/activities/{id}', 204, {
        params: { id: activity.id },
        headers: { 'if-match': '"2"' },
      })
      await live.call('DELETE /v1/activities/{id}', 404, { params: { id: activity.id }, note: 'already gone' })
      await live.malformedId('DELETE /v1/activities/{id}', {}, 'id')
    },
  },
]
