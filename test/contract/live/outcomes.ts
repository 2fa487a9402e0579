import type { Live, Scenario } from '../scenarios.ts'

// Outcomes of meetings (decisions, action items …): under their meeting, across meetings, and
// the batch a secretariat's script posts after a meeting.

const batch = 'POST /v1/meetings/{id}/outcomes/batch'

/** An action item of SOM 2 to follow up (or change, or delete). */
const actionItem = (live: Live, externalRef: string) => ({
  externalRef,
  kind: 'action_item',
  text: 'Develop terms of reference for Senior Officials Meetings for finalisation at SOM 3.',
  dueDate: '2005-06-30',
  responsibleOrganizationIds: [live.world.organizations.uniap],
  activityId: live.world.activities.activity11,
})

const createActionItem = async (live: Live, externalRef: string) =>
  (
    await live.call('POST /v1/meetings/{id}/outcomes', 201, {
      params: { id: live.world.meetings.som2 },
      body: actionItem(live, externalRef),
    })
  ).json

export const scenarios: Scenario[] = [
  {
    operation: 'GET /v1/meetings/{id}/outcomes',
    statuses: [200, 400, 406, 404],
    async run(live) {
      await live.list('GET /v1/meetings/{id}/outcomes', {
        params: { id: live.world.meetings.som2 },
        query: { sort: 'createdAt' },
        badQuery: { kind: 'resolution' },
      })
      await live.missing('GET /v1/meetings/{id}/outcomes', {}, 'id')
    },
  },
  {
    operation: 'GET /v1/meetings/{id}/outcomes/export',
    statuses: [200, 400, 404],
    async run(live) {
      await live.exports('GET /v1/meetings/{id}/outcomes/export', {
        params: { id: live.world.meetings.som2 },
        query: { kind: 'decision' },
        badQuery: { dueBefore: 'soon' },
      })
      await live.missing('GET /v1/meetings/{id}/outcomes/export', {}, 'id')
    },
  },
  {
    operation: 'POST /v1/meetings/{id}/outcomes',
    statuses: [201, 409, 422, 404, 400],
    async run(live) {
      const params = { id: live.world.meetings.som2 }
      const body = actionItem(live, 'som2-live-tor')
      await live.idempotentPost('POST /v1/meetings/{id}/outcomes', {
        params,
        body,
        otherBody: { ...body, text: 'Something else' },
      })
      await live.call('POST /v1/meetings/{id}/outcomes', 409, {
        params,
        body: { kind: 'decision', text: 'The framework again', externalRef: 'som2-framework' },
        note: 'externalRef taken within the meeting',
      })
      const rule = await live.call('POST /v1/meetings/{id}/outcomes', 422, {
        params,
        body: { kind: 'decision', text: 'A decision', status: 'open' },
        note: 'only action items have a status',
      })
      live.t.match(rule.json, { type: '/problems/rule-violation', errors: [{ pointer: '/body/status' }] })
      await live.missing('POST /v1/meetings/{id}/outcomes', {}, 'id', { body })
      await live.call('POST /v1/meetings/{id}/outcomes', 400, {
        params,
        body: { ...body, externalRef: 'x', kind: 'resolution' },
        offContract: true,
      })
    },
  },
  {
    operation: 'GET /v1/outcomes',
    statuses: [200, 400, 406],
    async run(live) {
      // The follow-up to chase: open action items of the COMMIT plan.
      await live.list('GET /v1/outcomes', {
        query: { planId: live.world.plans.commit, sort: 'dueDate' },
        badQuery: { status: 'closed' },
      })
    },
  },
  {
    operation: 'GET /v1/outcomes/export',
    statuses: [200, 400],
    async run(live) {
      await live.exports('GET /v1/outcomes/export', {
        query: { meetingId: live.world.meetings.som2 },
        badQuery: { meetingId: 'SOM 2' },
      })
    },
  },
  {
    operation: 'GET /v1/outcomes/{id}',
    statuses: [200, 304, 404, 400],
    async run(live) {
      await live.conditionalGet('GET /v1/outcomes/{id}', { id: live.world.outcomes.framework })
      await live.missing('GET /v1/outcomes/{id}', {}, 'id')
      await live.malformedId('GET /v1/outcomes/{id}', {}, 'id')
    },
  },
  {
    operation: 'PATCH /v1/outcomes/{id}',
    statuses: [200, 412, 409, 422, 404, 400],
    async run(live) {
      const item = await createActionItem(live, 'som2-follow-up-1')
      const params = { id: item.id as string }
      await live.call('PATCH /v1/outcomes/{id}', 200, {
        params,
        headers: { 'if-match': '"1"' },
        body: { status: 'in_progress' },
        expectHeaders: ['etag'],
        note: 'the follow-up started',
      })
      await live.call('PATCH /v1/outcomes/{id}', 412, {
        params,
        headers: { 'if-match': '"1"' },
        body: { status: 'done' },
        note: 'stale ETag',
      })
      await live.call('PATCH /v1/outcomes/{id}', 409, {
        params,
        body: { externalRef: 'som2-framework' },
        note: 'another outcome of SOM 2 has that externalRef',
      })
      await live.call('PATCH /v1/outcomes/{id}', 422, {
        params: { id: live.world.outcomes.framework },
        body: { dueDate: '2005-01-31' },
        note: 'a decision has no due date',
      })
      await live.missing('PATCH /v1/outcomes/{id}', {}, 'id', { body: { status: 'done' } })
      await live.call('PATCH /v1/outcomes/{id}', 400, { params, body: { status: 'closed' }, offContract: true })
    },
  },
  {
    operation: 'DELETE /v1/outcomes/{id}',
    // Nothing refers to an outcome: no 409.
    statuses: [412, 204, 404, 400],
    async run(live) {
      const item = await createActionItem(live, 'som2-to-remove')
      const params = { id: item.id as string }
      await live.call('PATCH /v1/outcomes/{id}', 200, { params, body: { status: 'dropped' } })
      await live.call('DELETE /v1/outcomes/{id}', 412, { params, headers: { 'if-match': '"1"' }, note: 'stale ETag' })
      await live.call('DELETE /v1/outcomes/{id}', 204, { params, headers: { 'if-match': '"2"' } })
      await live.call('DELETE /v1/outcomes/{id}', 404, { params, note: 'already gone' })
      await live.malformedId('DELETE /v1/outcomes/{id}', {}, 'id')
    },
  },
  {
    operation: batch,
    statuses: [200, 422, 404, 400],
    async run(live) {
      const params = { id: live.world.meetings.som2 }
      const items = [
        {
          externalRef: 'som2-batch-1',
          kind: 'recommendation',
          text: 'Each country to nominate a focal point for victim identification.',
          responsibleOrganizationIds: [live.world.organizations.uniap],
        },
        { ...actionItem(live, 'som2-batch-2'), text: 'Circulate the draft guidelines to the Task Forces.' },
        { externalRef: 'som2-framework', kind: 'decision', text: 'Sub-Regional Action Plan agreed at SOM 2.' },
      ]
      const first = await live.idempotentPost(
        batch,
        { params, body: { items }, otherBody: { items: items.slice(0, 1) } },
        200,
      )
      live.t.match(first.json.summary, { total: 3, rejected: 0 })
      const again = await live.call(batch, 200, {
        params,
        body: { items },
        note: 'posted again without a key: nothing changes',
      })
      live.t.match(again.json.summary, { total: 3, unchanged: 3 })
      const added = [
        ...items,
        {
          externalRef: 'som2-batch-3',
          kind: 'finding',
          text: 'Identification practice differs widely between the six countries.',
        },
      ]
      const dry = await live.call(batch, 200, {
        params,
        query: { dryRun: true },
        body: { items: added },
        note: 'dry run: reported, not written',
      })
      live.t.match(dry.json.summary, { created: 1, unchanged: 3 })
      const invalid = [
        ...items,
        { externalRef: 'som2-batch-4', kind: 'decision', text: 'A decision with a status', status: 'open' },
      ]
      await live.call(batch, 200, {
        params,
        query: { mode: 'partial' },
        body: { items: invalid },
        note: 'partial: the valid items are written, the bad one rejected',
      })
      const atomic = await live.call(batch, 422, {
        params,
        body: { items: invalid },
        note: 'atomic: one bad item, nothing written',
      })
      live.t.match(atomic.json, { type: '/problems/rule-violation', items: [{ index: 3, result: 'rejected' }] })
      await live.missing(batch, {}, 'id', { body: { items } })
      await live.call(batch, 400, {
        params,
        body: { items: Array.from({ length: 1001 }, (_, i) => ({ externalRef: `r${i}`, kind: 'finding', text: 'x' })) },
        offContract: true,
        note: 'more than 1000 items',
      })
    },
  },
]
