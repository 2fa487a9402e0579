import type { Live, Scenario } from '../scenarios.ts'

// Plans, their views (the structure tree and the ASEAN matrix) and their areas.

const six = ['KH', 'CN', 'LA', 'MM', 'TH', 'VN']
const spa2 = (supersedesId: string) => ({
  code: 'COMMIT SPA II',
  title: 'COMMIT Second Sub-Regional Plan of Action',
  status: 'adopted',
  countries: six,
  startDate: '2008-01-01',
  endDate: '2010-12-31',
  supersedesId,
  adoption: { date: '2007-12-14', place: 'Beijing', meeting: 'SOM 5' },
  documents: [{ title: 'SPA II', url: 'https://example.org/commit-spa-2.pdf', type: 'plan' }],
})

/** A fresh plan to change or delete (the seeded ones are referenced all over). */
const scratchPlan = async (live: Live, code: string) =>
  (
    await live.call('POST /v1/plans', 201, {
      body: { code, title: `${code} national plan`, countries: ['LA'] },
      note: 'a scratch plan',
    })
  ).json

export const scenarios: Scenario[] = [
  {
    operation: 'GET /v1/plans',
    statuses: [200, 400, 406],
    async run(live) {
      await live.list('GET /v1/plans', { query: { country: 'KH', sort: 'code' }, badQuery: { status: 'over' } })
    },
  },
  {
    operation: 'GET /v1/plans/export',
    statuses: [200, 400],
    async run(live) {
      await live.exports('GET /v1/plans/export', { query: { country: 'TH' }, badQuery: { country: 'thailand' } })
    },
  },
  {
    operation: 'GET /v1/plans/{id}',
    statuses: [200, 304, 404, 400],
    async run(live) {
      await live.conditionalGet('GET /v1/plans/{id}', { id: live.world.plans.commit })
      await live.missing('GET /v1/plans/{id}', {}, 'id')
      await live.malformedId('GET /v1/plans/{id}', {}, 'id')
    },
  },
  {
    operation: 'GET /v1/plans/by-code/{code}',
    statuses: [200, 304, 404, 400],
    async run(live) {
      const plan = await live.conditionalGet('GET /v1/plans/by-code/{code}', { code: 'COMMIT SPA I' })
      live.t.equal(plan.json.id, live.world.plans.commit, 'the plan of that code')
      await live.call('GET /v1/plans/by-code/{code}', 404, {
        params: { code: 'NO SUCH PLAN' },
        note: 'no plan has that code',
      })
      await live.call('GET /v1/plans/by-code/{code}', 400, {
        params: { code: 'x'.repeat(101) },
        offContract: true,
        note: 'longer than any code',
      })
    },
  },
  {
    operation: 'POST /v1/plans',
    statuses: [201, 409, 422, 400],
    async run(live) {
      const body = spa2(live.world.plans.commit)
      await live.idempotentPost('POST /v1/plans', { body, otherBody: { ...body, title: 'Another title' } })
      const dup = await live.call('POST /v1/plans', 409, {
        body,
        note: 'the code is taken (no Idempotency-Key: a new request)',
      })
      live.t.match(dup.json, { errors: [{ pointer: '/body/code' }] })
      await live.call('POST /v1/plans', 422, {
        body: { ...body, code: 'COMMIT SPA X', endDate: '2007-12-31' },
        note: 'it ends before it starts',
      })
      await live.call('POST /v1/plans', 400, { body: { ...body, code: '', status: 'finished' }, offContract: true })
    },
  },
  {
    operation: 'PATCH /v1/plans/{id}',
    statuses: [200, 412, 409, 422, 404, 400],
    async run(live) {
      const id = live.world.plans.commit
      const read = await live.call('GET /v1/plans/{id}', 200, { params: { id } })
      const etag = String(read.headers.etag)
      await live.call('PATCH /v1/plans/{id}', 200, {
        params: { id },
        headers: { 'if-match': etag },
        body: { adoption: { place: 'Yangon, Myanmar' } },
        expectHeaders: ['etag'],
        note: 'merge the adoption',
      })
      await live.call('PATCH /v1/plans/{id}', 412, {
        params: { id },
        headers: { 'if-match': etag },
        body: { description: null },
        note: 'stale ETag',
      })
      await live.call('PATCH /v1/plans/{id}', 409, {
        params: { id },
        body: { code: 'APA' },
        note: 'the ASEAN plan has that code',
      })
      await live.call('PATCH /v1/plans/{id}', 422, {
        params: { id },
        body: { supersedesId: id },
        note: 'a plan cannot supersede itself',
      })
      await live.missing('PATCH /v1/plans/{id}', {}, 'id', { body: { description: null } })
      await live.call('PATCH /v1/plans/{id}', 400, { params: { id }, body: { status: 'finished' }, offContract: true })
    },
  },
  {
    operation: 'DELETE /v1/plans/{id}',
    statuses: [409, 412, 204, 404, 400],
    async run(live) {
      const referenced = await live.call('DELETE /v1/plans/{id}', 409, {
        params: { id: live.world.plans.commit },
        note: 'COMMIT has areas and activities',
      })
      live.t.match(referenced.json, { type: '/problems/still-referenced' })
      const plan = await scratchPlan(live, 'LA-NPA-DRAFT')
      await live.call('PATCH /v1/plans/{id}', 200, {
        params: { id: plan.id },
        body: { description: 'Withdrawn before adoption' },
      })
      await live.call('DELETE /v1/plans/{id}', 412, {
        params: { id: plan.id },
        headers: { 'if-match': '"1"' },
        note: 'stale ETag',
      })
      await live.call('DELETE /v1/plans/{id}', 204, { params: { id: plan.id }, headers: { 'if-match': '"2"' } })
      await live.call('DELETE /v1/plans/{id}', 404, { params: { id: plan.id }, note: 'already gone' })
      await live.malformedId('DELETE /v1/plans/{id}', {}, 'id')
    },
  },
  {
    operation: 'GET /v1/plans/{planId}/structure',
    statuses: [200, 404, 400],
    async run(live) {
      const tree = await live.call('GET /v1/plans/{planId}/structure', 200, {
        params: { planId: live.world.plans.commit },
        note: 'COMMIT: sections, areas, activities',
      })
      live.t.ok(JSON.stringify(tree.json).includes('Activity 11'), 'the tree holds the activities')
      await live.missing('GET /v1/plans/{planId}/structure', {}, 'planId')
      await live.malformedId('GET /v1/plans/{planId}/structure', {}, 'planId')
    },
  },
  {
    operation: 'GET /v1/plans/{planId}/matrix',
    statuses: [200, 400, 404],
    async run(live) {
      const planId = live.world.plans.apa
      await live.call('GET /v1/plans/{planId}/matrix', 200, {
        params: { planId },
        query: { rows: 'area', columns: 'category' },
        note: 'provisions × categories',
      })
      await live.call('GET /v1/plans/{planId}/matrix', 200, {
        params: { planId },
        query: { columns: 'organization', role: 'lead' },
        note: 'provisions × lead sectoral bodies',
      })
      await live.call('GET /v1/plans/{planId}/matrix', 400, {
        params: { planId },
        query: { columns: 'budget' },
        offContract: true,
      })
      await live.missing('GET /v1/plans/{planId}/matrix', {}, 'planId', { query: { columns: 'category' } })
    },
  },
  {
    operation: 'GET /v1/plans/{planId}/areas',
    statuses: [200, 400, 406, 404],
    async run(live) {
      const planId = live.world.plans.commit
      await live.list('GET /v1/plans/{planId}/areas', {
        params: { planId },
        query: { parentId: live.world.areas.section3, sort: 'position' },
        badQuery: { sort: 'title' },
      })
      await live.missing('GET /v1/plans/{planId}/areas', {}, 'planId')
    },
  },
  {
    operation: 'GET /v1/plans/{planId}/areas/export',
    statuses: [200, 400, 404],
    async run(live) {
      const planId = live.world.plans.apa
      await live.exports('GET /v1/plans/{planId}/areas/export', {
        params: { planId },
        query: { kind: 'provision' },
        badQuery: { sort: 'title' },
      })
      await live.missing('GET /v1/plans/{planId}/areas/export', {}, 'planId')
    },
  },
  {
    operation: 'POST /v1/plans/{planId}/areas',
    statuses: [201, 409, 422, 404, 400],
    async run(live) {
      const { commit, apa } = live.world.plans
      const params = { planId: commit }
      const body = {
        code: '3.9',
        title: 'Cross-border cooperation on the return of victims',
        kind: 'sub_area',
        parentId: live.world.areas.area4,
      }
      await live.idempotentPost('POST /v1/plans/{planId}/areas', {
        params,
        body,
        otherBody: { ...body, title: 'Something else' },
      })
      await live.call('POST /v1/plans/{planId}/areas', 409, {
        params,
        body: { code: 'Area 4', title: 'Area 4 again' },
        note: 'codes are unique within the plan',
      })
      const apaPillar = (
        await live.call('GET /v1/plans/{planId}/areas', 200, {
          params: { planId: apa },
          query: { kind: 'pillar', limit: 1 },
        })
      ).json.data[0]
      await live.call('POST /v1/plans/{planId}/areas', 422, {
        params,
        body: { ...body, code: '3.10', parentId: apaPillar.id },
        note: 'a parent in another plan',
      })
      await live.missing('POST /v1/plans/{planId}/areas', {}, 'planId', { body })
      await live.call('POST /v1/plans/{planId}/areas', 400, {
        params,
        body: { ...body, kind: 'Not A Kind' },
        offContract: true,
      })
    },
  },
  {
    operation: 'GET /v1/plans/{planId}/areas/{areaId}',
    statuses: [200, 304, 404, 400],
    async run(live) {
      const { commit, apa } = live.world.plans
      const areaId = live.world.areas.area4
      await live.conditionalGet('GET /v1/plans/{planId}/areas/{areaId}', { planId: commit, areaId })
      await live.call('GET /v1/plans/{planId}/areas/{areaId}', 404, {
        params: { planId: apa, areaId },
        note: 'an area is found under its own plan only',
      })
      await live.malformedId('GET /v1/plans/{planId}/areas/{areaId}', { planId: commit }, 'areaId')
    },
  },
  {
    operation: 'PATCH /v1/plans/{planId}/areas/{areaId}',
    statuses: [200, 412, 409, 422, 404, 400],
    async run(live) {
      const planId = live.world.plans.commit
      const { area4, section3 } = live.world.areas
      const read = await live.call('GET /v1/plans/{planId}/areas/{areaId}', 200, { params: { planId, areaId: area4 } })
      const etag = String(read.headers.etag)
      await live.call('PATCH /v1/plans/{planId}/areas/{areaId}', 200, {
        params: { planId, areaId: area4 },
        headers: { 'if-match': etag },
        body: { description: 'Including tracing of victims' },
        expectHeaders: ['etag'],
      })
      await live.call('PATCH /v1/plans/{planId}/areas/{areaId}', 412, {
        params: { planId, areaId: area4 },
        headers: { 'if-match': etag },
        body: { description: null },
        note: 'stale ETag',
      })
      await live.call('PATCH /v1/plans/{planId}/areas/{areaId}', 409, {
        params: { planId, areaId: area4 },
        body: { code: 'Area 5' },
        note: 'Area 5 has that code',
      })
      await live.call('PATCH /v1/plans/{planId}/areas/{areaId}', 422, {
        params: { planId, areaId: section3 },
        body: { parentId: area4 },
        note: 'a section moved under its own area would loop',
      })
      await live.missing('PATCH /v1/plans/{planId}/areas/{areaId}', { planId }, 'areaId', {
        body: { description: null },
      })
      await live.call('PATCH /v1/plans/{planId}/areas/{areaId}', 400, {
        params: { planId, areaId: area4 },
        body: { position: -1 },
        offContract: true,
      })
    },
  },
  {
    operation: 'DELETE /v1/plans/{planId}/areas/{areaId}',
    statuses: [409, 412, 204, 404, 400],
    async run(live) {
      const planId = live.world.plans.commit
      const referenced = await live.call('DELETE /v1/plans/{planId}/areas/{areaId}', 409, {
        params: { planId, areaId: live.world.areas.section3 },
        note: 'section 3 has areas under it',
      })
      live.t.match(referenced.json, { type: '/problems/still-referenced' })
      const area = (
        await live.call('POST /v1/plans/{planId}/areas', 201, {
          params: { planId },
          body: { code: 'Area 9', title: 'To be removed' },
        })
      ).json
      await live.call('PATCH /v1/plans/{planId}/areas/{areaId}', 200, {
        params: { planId, areaId: area.id },
        body: { position: 9 },
      })
      await live.call('DELETE /v1/plans/{planId}/areas/{areaId}', 412, {
        params: { planId, areaId: area.id },
        headers: { 'if-match': '"1"' },
        note: 'stale ETag',
      })
      await live.call('DELETE /v1/plans/{planId}/areas/{areaId}', 204, {
        params: { planId, areaId: area.id },
        headers: { 'if-match': '"2"' },
      })
      await live.call('DELETE /v1/plans/{planId}/areas/{areaId}', 404, {
        params: { planId, areaId: area.id },
        note: 'already gone',
      })
      await live.malformedId('DELETE /v1/plans/{planId}/areas/{areaId}', { planId }, 'areaId')
    },
  },
]
