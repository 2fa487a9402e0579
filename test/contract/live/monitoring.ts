import type { Live, Scenario } from '../scenarios.ts'

// Monitoring and evaluation: indicators and targets, values one by one and in batches, period
// locks, progress, and the six-monthly report with its snapshots, on the seeded COMMIT plan.

let counter = 0
const unique = (prefix: string) => `${prefix} ${Date.now().toString(36)}${counter++}`

/** A fresh indicator of the COMMIT plan (annual counts by country). */
async function indicator(live: Live, extra: Record<string, unknown> = {}) {
  return (
    await live.call('POST /v1/indicators', 201, {
      body: {
        planId: live.world.plans.commit,
        code: unique('LIVE'),
        title: 'Persons trained',
        unit: 'count',
        ...extra,
      },
    })
  ).json as { id: string }
}

async function value(live: Live, indicatorId: string, body: Record<string, unknown>) {
  return (await live.call('POST /v1/indicators/{id}/measurements', 201, { params: { id: indicatorId }, body }))
    .json as {
    id: string
  }
}

async function seeded(live: Live) {
  const list = await live.call('GET /v1/indicators', 200, { query: { planId: live.world.plans.commit, q: 'PPC 3.a' } })
  return list.json.data[0].id as string
}

export const scenarios: Scenario[] = [
  {
    operation: 'GET /v1/indicators',
    statuses: [200, 400, 406],
    async run(live) {
      await live.list('GET /v1/indicators', {
        query: { planId: live.world.plans.commit, projectId: live.world.projects.ppc3, sort: 'code' },
        badQuery: { frequency: 'weekly' },
      })
    },
  },
  {
    operation: 'GET /v1/indicators/export',
    statuses: [200, 400],
    async run(live) {
      await live.exports('GET /v1/indicators/export', {
        query: { planId: live.world.plans.commit },
        badQuery: { planId: 'COMMIT' },
      })
    },
  },
  {
    operation: 'GET /v1/indicators/{id}',
    statuses: [200, 304, 404, 400],
    async run(live) {
      const id = await seeded(live)
      await live.conditionalGet('GET /v1/indicators/{id}', { id })
      await live.missing('GET /v1/indicators/{id}', {}, 'id')
      await live.malformedId('GET /v1/indicators/{id}', {}, 'id')
    },
  },
  {
    operation: 'POST /v1/indicators',
    statuses: [201, 409, 422, 400],
    async run(live) {
      const body = { planId: live.world.plans.commit, code: unique('LIVE-IDEM'), title: 'Courses held', unit: 'count' }
      await live.idempotentPost('POST /v1/indicators', { body, otherBody: { ...body, title: 'Other' } })
      await live.call('POST /v1/indicators', 409, { body: { ...body, title: 'Again' }, note: 'code taken in the plan' })
      const bad = await live.call('POST /v1/indicators', 422, {
        body: {
          ...body,
          code: unique('LIVE'),
          projectId: live.world.projects.ppc2,
          areaId: '00000000-0000-4000-8000-00000000dead',
        },
        note: 'an area that is not the plan’s',
      })
      live.t.equal(bad.json.errors[0].pointer, '/body/areaId')
      await live.call('POST /v1/indicators', 400, { body: { ...body, unit: 'kg' }, offContract: true })
    },
  },
  {
    operation: 'PATCH /v1/indicators/{id}',
    statuses: [200, 412, 422, 404, 400],
    async run(live) {
      const { id } = await indicator(live)
      await live.call('PATCH /v1/indicators/{id}', 200, {
        params: { id },
        headers: { 'if-match': '"1"' },
        body: { title: 'Persons trained in sub-regional courses' },
        expectHeaders: ['etag'],
      })
      await live.call('PATCH /v1/indicators/{id}', 412, {
        params: { id },
        headers: { 'if-match': '"1"' },
        body: { title: 'x' },
      })
      await value(live, id, { period: '2006S1', country: 'LA', value: 3 })
      await live.call('PATCH /v1/indicators/{id}', 422, {
        params: { id },
        body: { unit: 'percent' },
        note: 'the unit cannot change once there are values',
      })
      await live.missing('PATCH /v1/indicators/{id}', {}, 'id', { body: { title: 'x' } })
      await live.call('PATCH /v1/indicators/{id}', 400, {
        params: { id },
        body: { direction: 'up' },
        offContract: true,
      })
    },
  },
  {
    operation: 'DELETE /v1/indicators/{id}',
    statuses: [204, 409, 412, 404],
    async run(live) {
      const { id } = await indicator(live)
      await live.call('DELETE /v1/indicators/{id}', 412, { params: { id }, headers: { 'if-match': '"7"' } })
      await live.call('DELETE /v1/indicators/{id}', 204, { params: { id } })
      const used = await indicator(live)
      await value(live, used.id, { period: '2006S1', country: 'TH', value: 1 })
      await live.call('DELETE /v1/indicators/{id}', 409, { params: { id: used.id }, note: 'it has values' })
      await live.missing('DELETE /v1/indicators/{id}', {}, 'id')
    },
  },
  {
    operation: 'GET /v1/indicators/{id}/targets',
    statuses: [200, 404],
    async run(live) {
      const r = await live.call('GET /v1/indicators/{id}/targets', 200, { params: { id: await seeded(live) } })
      live.t.equal(r.json.data[0].target, 6, 'the seeded target: six countries by 2007S2')
      await live.missing('GET /v1/indicators/{id}/targets', {}, 'id')
    },
  },
  {
    operation: 'POST /v1/indicators/{id}/targets',
    statuses: [201, 200, 422, 404, 400],
    async run(live) {
      const { id } = await indicator(live)
      await live.call('POST /v1/indicators/{id}/targets', 201, {
        params: { id },
        body: { period: '2007S2', target: 120, baseline: 0 },
        expectHeaders: ['location', 'etag'],
      })
      await live.call('POST /v1/indicators/{id}/targets', 200, {
        params: { id },
        body: { period: '2007S2', target: 180 },
      })
      await live.call('POST /v1/indicators/{id}/targets', 422, {
        params: { id },
        body: { period: '2007', target: 1 },
        note: 'an annual period for a six-monthly indicator',
      })
      await live.missing('POST /v1/indicators/{id}/targets', {}, 'id', { body: { period: '2007S2', target: 1 } })
      await live.call('POST /v1/indicators/{id}/targets', 400, {
        params: { id },
        body: { period: 'soon' },
        offContract: true,
      })
    },
  },
  {
    operation: 'DELETE /v1/indicators/{id}/targets/{targetId}',
    statuses: [204, 404],
    async run(live) {
      const { id } = await indicator(live)
      const t = await live.call('POST /v1/indicators/{id}/targets', 201, {
        params: { id },
        body: { period: '2006S1', target: 1 },
      })
      await live.call('DELETE /v1/indicators/{id}/targets/{targetId}', 204, { params: { id, targetId: t.json.id } })
      await live.missing('DELETE /v1/indicators/{id}/targets/{targetId}', { id }, 'targetId')
    },
  },
  {
    operation: 'GET /v1/indicators/{id}/measurements',
    statuses: [200, 400, 406, 404],
    async run(live) {
      const { id } = await indicator(live)
      await value(live, id, { period: '2006S1', country: 'KH', value: 4 })
      await live.list('GET /v1/indicators/{id}/measurements', {
        params: { id },
        query: { from: '2006S1', country: 'KH' },
        badQuery: { period: '2006S3' },
      })
      await live.missing('GET /v1/indicators/{id}/measurements', {}, 'id')
    },
  },
  {
    operation: 'GET /v1/indicators/{id}/measurements/export',
    statuses: [200, 400, 404],
    async run(live) {
      const { id } = await indicator(live)
      await value(live, id, { period: '2006S2', country: 'KH', value: 4 })
      await live.exports('GET /v1/indicators/{id}/measurements/export', {
        params: { id },
        query: { status: 'draft' },
        badQuery: { status: 'final' },
      })
      await live.missing('GET /v1/indicators/{id}/measurements/export', {}, 'id')
    },
  },
  {
    operation: 'POST /v1/indicators/{id}/measurements',
    statuses: [201, 200, 409, 422, 404, 400],
    async run(live) {
      const { id } = await indicator(live)
      const body = { period: '2005S1', country: 'VN', value: 2, status: 'submitted' }
      await live.idempotentPost('POST /v1/indicators/{id}/measurements', {
        params: { id },
        body,
        otherBody: { ...body, value: 3 },
      })
      await live.call('POST /v1/indicators/{id}/measurements', 200, {
        params: { id },
        body,
        note: 'the same value again',
      })
      const unit = await live.call('POST /v1/indicators/{id}/measurements', 422, {
        params: { id },
        body: { period: '2005S1', country: 'VN', value: 2.5 },
        note: 'a count is an integer',
      })
      live.t.equal(unit.json.errors[0].pointer, '/body/value')
      const locks = await live.call('POST /v1/plans/{id}/period-locks', 201, {
        params: { id: live.world.plans.commit },
        body: { period: '2005-03' },
      })
      await live.call('POST /v1/indicators/{id}/measurements', 409, {
        params: { id },
        body: { period: '2005S1', country: 'LA', value: 1 },
        as: 'scopeless',
        note: 'a locked period, without admin',
      })
      await live.call('DELETE /v1/plans/{id}/period-locks/{lockId}', 204, {
        params: { id: live.world.plans.commit, lockId: locks.json.id },
      })
      await live.missing('POST /v1/indicators/{id}/measurements', {}, 'id', { body })
      await live.call('POST /v1/indicators/{id}/measurements', 400, {
        params: { id },
        body: { ...body, period: '2005H1' },
        offContract: true,
      })
    },
  },
  {
    operation: 'GET /v1/measurements/{id}',
    statuses: [200, 304, 404, 400],
    async run(live) {
      const { id } = await indicator(live)
      const v = await value(live, id, { period: '2007S1', country: 'MM', value: 5 })
      await live.conditionalGet('GET /v1/measurements/{id}', { id: v.id })
      await live.missing('GET /v1/measurements/{id}', {}, 'id')
      await live.malformedId('GET /v1/measurements/{id}', {}, 'id')
    },
  },
  {
    operation: 'GET /v1/measurements/{id}/history',
    statuses: [200, 404],
    async run(live) {
      const { id } = await indicator(live)
      const v = await value(live, id, { period: '2007S1', country: 'CN', value: 5, status: 'verified' })
      await live.call('POST /v1/indicators/{id}/measurements', 200, {
        params: { id },
        body: { period: '2007S1', country: 'CN', value: 6, reason: 'recounted' },
      })
      const h = await live.call('GET /v1/measurements/{id}/history', 200, { params: { id: v.id } })
      live.t.equal(h.json.data[0].reason, 'recounted')
      await live.missing('GET /v1/measurements/{id}/history', {}, 'id')
    },
  },
  {
    operation: 'DELETE /v1/measurements/{id}',
    statuses: [204, 404],
    async run(live) {
      const { id } = await indicator(live)
      const v = await value(live, id, { period: '2007S2', country: 'CN', value: 1 })
      await live.call('DELETE /v1/measurements/{id}', 204, { params: { id: v.id } })
      await live.missing('DELETE /v1/measurements/{id}', {}, 'id')
    },
  },
  {
    operation: 'POST /v1/measurements/batch',
    statuses: [200, 422, 400],
    async run(live) {
      const { id } = await indicator(live)
      const items = ['KH', 'CN', 'LA', 'MM', 'TH', 'VN'].map((country, i) => ({
        indicatorId: id,
        period: '2006S2',
        country,
        value: i,
      }))
      await live.idempotentPost(
        'POST /v1/measurements/batch',
        { body: { items }, otherBody: { items: items.slice(1) } },
        200,
      )
      const bad = await live.call('POST /v1/measurements/batch', 422, {
        body: { items: [...items, { indicatorId: id, period: '2006', country: 'LA', value: 1 }] },
        note: 'atomic: one rejected value and nothing is written',
      })
      live.t.equal(bad.json.rejections[0].index, 6)
      const partial = await live.call('POST /v1/measurements/batch', 200, {
        query: { mode: 'partial' },
        body: { items: [...items, { indicatorId: id, period: '2006', country: 'LA', value: 1 }] },
      })
      live.t.same(partial.json.summary, { total: 7, created: 0, updated: 0, unchanged: 6, rejected: 1 })
      await live.call('POST /v1/measurements/batch', 400, { body: { items: [] }, offContract: true })
    },
  },
  {
    operation: 'GET /v1/indicators/{id}/progress',
    statuses: [200, 404],
    async run(live) {
      const p = await live.call('GET /v1/indicators/{id}/progress', 200, { params: { id: await seeded(live) } })
      live.t.equal(p.json.overall.target, 6)
      await live.missing('GET /v1/indicators/{id}/progress', {}, 'id')
    },
  },
  {
    operation: 'GET /v1/plans/{id}/progress',
    statuses: [200, 404, 400],
    async run(live) {
      await live.call('GET /v1/plans/{id}/progress', 200, {
        params: { id: live.world.plans.commit },
        query: { period: '2006S1' },
      })
      await live.missing('GET /v1/plans/{id}/progress', {}, 'id')
      await live.call('GET /v1/plans/{id}/progress', 400, {
        params: { id: live.world.plans.commit },
        query: { period: 'soon' },
        offContract: true,
      })
    },
  },
  {
    operation: 'GET /v1/plans/{id}/reports/{period}',
    statuses: [200, 404, 400],
    async run(live) {
      const params = { id: live.world.plans.commit, period: '2005S1' }
      const r = await live.call('GET /v1/plans/{id}/reports/{period}', 200, { params })
      live.t.equal(r.json.kind, 'six_monthly')
      const csv = await live.call('GET /v1/plans/{id}/reports/{period}', 200, {
        params,
        headers: { accept: 'text/csv' },
      })
      live.t.match(csv.body, /section,item,label,measure,value/)
      const html = await live.call('GET /v1/plans/{id}/reports/{period}', 200, {
        params: { ...params, period: 'final' },
        headers: { accept: 'text/html' },
        expectHeaders: ['content-security-policy'],
      })
      live.t.match(html.body, /<svg/)
      await live.missing('GET /v1/plans/{id}/reports/{period}', { period: '2005S1' }, 'id')
      await live.call('GET /v1/plans/{id}/reports/{period}', 400, {
        params: { ...params, period: 'first' },
        offContract: true,
      })
    },
  },
  {
    operation: 'POST /v1/plans/{id}/reports/{period}',
    statuses: [201, 422, 404],
    async run(live) {
      const params = { id: live.world.plans.commit, period: '2005S2' }
      await live.idempotentPost('POST /v1/plans/{id}/reports/{period}', {
        params,
        body: { note: 'Sent to the Governments' },
        otherBody: { note: 'Another note' },
      })
      await live.missing('POST /v1/plans/{id}/reports/{period}', { period: '2005S2' }, 'id', { body: {} })
    },
  },
  {
    operation: 'GET /v1/plans/{id}/reports/{period}/snapshots',
    statuses: [200, 404],
    async run(live) {
      const params = { id: live.world.plans.commit, period: '2005S2' }
      const list = await live.call('GET /v1/plans/{id}/reports/{period}/snapshots', 200, { params })
      live.t.ok(list.json.data.length >= 1)
      await live.missing('GET /v1/plans/{id}/reports/{period}/snapshots', { period: '2005S2' }, 'id')
    },
  },
  {
    operation: 'GET /v1/plans/{id}/reports/{period}/snapshots/{snapshotId}',
    statuses: [200, 304, 404],
    async run(live) {
      const params = { id: live.world.plans.commit, period: '2006S1' }
      const s = await live.call('POST /v1/plans/{id}/reports/{period}', 201, { params, body: {} })
      await live.conditionalGet('GET /v1/plans/{id}/reports/{period}/snapshots/{snapshotId}', {
        ...params,
        snapshotId: s.json.id,
      })
      await live.missing('GET /v1/plans/{id}/reports/{period}/snapshots/{snapshotId}', params, 'snapshotId')
    },
  },
  {
    operation: 'GET /v1/plans/{id}/period-locks',
    statuses: [200, 404],
    async run(live) {
      await live.call('GET /v1/plans/{id}/period-locks', 200, { params: { id: live.world.plans.commit } })
      await live.missing('GET /v1/plans/{id}/period-locks', {}, 'id')
    },
  },
  {
    operation: 'POST /v1/plans/{id}/period-locks',
    statuses: [201, 409, 422, 404, 400],
    async run(live) {
      const params = { id: live.world.plans.commit }
      const first = await live.idempotentPost('POST /v1/plans/{id}/period-locks', {
        params,
        body: { period: '2004' },
        otherBody: { period: '2004S1' },
      })
      await live.call('POST /v1/plans/{id}/period-locks', 409, {
        params,
        body: { period: '2004' },
        note: 'locked already',
      })
      await live.call('DELETE /v1/plans/{id}/period-locks/{lockId}', 204, {
        params: { ...params, lockId: first.json.id },
      })
      await live.missing('POST /v1/plans/{id}/period-locks', {}, 'id', { body: { period: '2004' } })
      await live.call('POST /v1/plans/{id}/period-locks', 400, { params, body: { period: 'Q1' }, offContract: true })
    },
  },
  {
    operation: 'DELETE /v1/plans/{id}/period-locks/{lockId}',
    statuses: [204, 404],
    async run(live) {
      const params = { id: live.world.plans.commit }
      const l = await live.call('POST /v1/plans/{id}/period-locks', 201, { params, body: { period: '2003' } })
      await live.call('DELETE /v1/plans/{id}/period-locks/{lockId}', 204, { params: { ...params, lockId: l.json.id } })
      await live.missing('DELETE /v1/plans/{id}/period-locks/{lockId}', params, 'lockId')
    },
  },
]
