import type { Live, Scenario } from '../scenarios.ts'

// Training courses (the six PPC 1 courses are seeded), their participants (personal data: read
// with the admin key, refused to a reader), the summary everyone reads, and the batch a country
// task force posts.

const courses = '/v1/training-courses'

/** A seeded PPC 1 course (found once per scenario). */
async function seeded(live: Live): Promise<string> {
  const res = await live.server.app.inject({ url: `${courses}?q=Safe%20repatriation&limit=1` })
  const id = JSON.parse(res.body).data[0]?.id as string | undefined
  if (!id) throw new Error('the seed has no PPC 1 course on safe repatriation')
  return id
}

/** A course made here, so that writes do not change the seeded ones. */
async function fresh(live: Live, title: string, extra: object = {}): Promise<string> {
  const res = await live.call(`POST ${courses}`, 201, {
    body: { title, topic: 'law_enforcement', scope: 'bilateral', countries: ['LA', 'TH'], ...extra },
    note: 'a course for this scenario',
  })
  return res.json.id as string
}

async function enrolled(live: Live, courseId: string, name: string): Promise<string> {
  const res = await live.call(`POST ${courses}/{id}/participants`, 201, {
    params: { id: courseId },
    body: { name, country: 'LA', occupationGroup: 'immigration' },
    note: 'a participant for this scenario',
  })
  return res.json.id as string
}

export const scenarios: Scenario[] = [
  {
    operation: `GET ${courses}`,
    statuses: [200, 400, 406],
    async run(live) {
      await live.list(`GET ${courses}`, {
        query: { planId: live.world.plans.commit, sort: 'title' },
        badQuery: { topic: 'cooking' },
      })
    },
  },
  {
    operation: `GET ${courses}/export`,
    statuses: [200, 400],
    async run(live) {
      await live.exports(`GET ${courses}/export`, { query: { scope: 'subregional' }, badQuery: { level: 'expert' } })
    },
  },
  {
    operation: `GET ${courses}/{id}`,
    statuses: [200, 304, 404, 400],
    async run(live) {
      await live.conditionalGet(`GET ${courses}/{id}`, { id: await seeded(live) })
      await live.missing(`GET ${courses}/{id}`, {}, 'id')
      await live.malformedId(`GET ${courses}/{id}`, {}, 'id')
    },
  },
  {
    operation: `POST ${courses}`,
    statuses: [201, 422, 400],
    async run(live) {
      const body = {
        title: 'Bilateral training for BLO officials, Lao PDR and Thailand',
        topic: 'law_enforcement',
        scope: 'bilateral',
        countries: ['LA', 'TH'],
        maxParticipants: 24,
        quotas: [
          { country: 'LA', seats: 12 },
          { country: 'TH', seats: 12 },
        ],
      }
      await live.idempotentPost(`POST ${courses}`, { body, otherBody: { ...body, maxParticipants: 26 } })
      const rule = await live.call(`POST ${courses}`, 422, {
        body: { ...body, maxParticipants: 20, minParticipants: 10 },
        note: 'quotas beyond the capacity',
      })
      live.t.match(rule.json, { errors: [{ pointer: '/body/quotas' }] })
      await live.call(`POST ${courses}`, 400, { body: { ...body, topic: 'cooking' }, offContract: true })
    },
  },
  {
    operation: `PATCH ${courses}/{id}`,
    statuses: [200, 412, 422, 404, 400],
    async run(live) {
      const params = { id: await fresh(live, 'Course to update') }
      await live.call(`PATCH ${courses}/{id}`, 200, {
        params,
        headers: { 'if-match': '"1"' },
        body: { startDate: '2006-03-06', endDate: '2006-03-08', minDurationDays: 5 },
        expectHeaders: ['etag'],
        note: 'dated: three days, shorter than the minimum (a warning)',
      })
      await live.call(`PATCH ${courses}/{id}`, 412, {
        params,
        headers: { 'if-match': '"1"' },
        body: { status: 'open' },
      })
      await live.call(`PATCH ${courses}/{id}`, 422, {
        params,
        body: { endDate: '2006-03-01' },
        note: 'ends before it starts',
      })
      await live.missing(`PATCH ${courses}/{id}`, {}, 'id', { body: { status: 'open' } })
      await live.call(`PATCH ${courses}/{id}`, 400, { params, body: { level: 'expert' }, offContract: true })
    },
  },
  {
    operation: `DELETE ${courses}/{id}`,
    statuses: [204, 412, 404, 400],
    async run(live) {
      const params = { id: await fresh(live, 'Course to delete') }
      await live.call(`DELETE ${courses}/{id}`, 412, { params, headers: { 'if-match': '"7"' } })
      await live.call(`DELETE ${courses}/{id}`, 204, { params, headers: { 'if-match': '"1"' } })
      await live.call(`DELETE ${courses}/{id}`, 404, { params, note: 'already gone' })
      await live.malformedId(`DELETE ${courses}/{id}`, {}, 'id')
    },
  },
  {
    operation: `POST ${courses}/{id}/participants`,
    statuses: [201, 422, 404, 400],
    async run(live) {
      const params = { id: await fresh(live, 'Course to enrol into', { maxParticipants: 1, minParticipants: 1 }) }
      const body = { name: 'Live Participant One', country: 'LA', sex: 'female', occupationGroup: 'police' }
      const first = await live.idempotentPost(`POST ${courses}/{id}/participants`, {
        params,
        body,
        otherBody: { ...body, name: 'Live Participant Two' },
      })
      live.t.equal(first.json.status, 'confirmed')
      const second = await live.call(`POST ${courses}/{id}/participants`, 201, {
        params,
        body: { ...body, name: 'Live Participant Three' },
        note: 'the course is full: waitlisted',
      })
      live.t.equal(second.json.status, 'waitlisted')
      await live.call(`POST ${courses}/{id}/participants`, 422, {
        params,
        body: { ...body, country: 'ZZ' },
        note: 'no such country',
      })
      await live.missing(`POST ${courses}/{id}/participants`, {}, 'id', { body })
      await live.call(`POST ${courses}/{id}/participants`, 400, {
        params,
        body: { ...body, sex: 'x' },
        offContract: true,
      })
    },
  },
  {
    operation: `GET ${courses}/{id}/participants`,
    statuses: [200, 403, 400, 406, 404],
    async run(live) {
      const id = await fresh(live, 'Course to list')
      for (const n of [1, 2, 3]) await enrolled(live, id, `Listed Participant ${n}`)
      await live.list(`GET ${courses}/{id}/participants`, {
        params: { id },
        as: 'admin',
        badQuery: { sort: 'name' },
      })
      await live.call(`GET ${courses}/{id}/participants`, 403, {
        params: { id },
        as: 'reader',
        note: 'personal data: a reader without participants:read is refused',
      })
      await live.missing(`GET ${courses}/{id}/participants`, {}, 'id', { as: 'admin' })
    },
  },
  {
    operation: `GET ${courses}/{id}/participants/export`,
    statuses: [200, 400, 404],
    async run(live) {
      const id = await fresh(live, 'Course to export')
      await enrolled(live, id, 'Exported Participant')
      await live.exports(`GET ${courses}/{id}/participants/export`, {
        params: { id },
        as: 'admin',
        badQuery: { status: 'gone' },
      })
      await live.missing(`GET ${courses}/{id}/participants/export`, {}, 'id', { as: 'admin' })
    },
  },
  {
    operation: `GET ${courses}/{id}/participants/{participantId}`,
    statuses: [200, 304, 404, 400],
    async run(live) {
      const id = await fresh(live, 'Course to read a participant of')
      const participantId = await enrolled(live, id, 'Read Participant')
      const op = `GET ${courses}/{id}/participants/{participantId}`
      const full = await live.call(op, 200, { params: { id, participantId }, as: 'admin', expectHeaders: ['etag'] })
      await live.call(op, 304, {
        params: { id, participantId },
        as: 'admin',
        headers: { 'if-none-match': String(full.headers.etag) },
      })
      await live.missing(op, { id }, 'participantId', { as: 'admin' })
      await live.malformedId(op, { id }, 'participantId', { as: 'admin' })
    },
  },
  {
    operation: `GET ${courses}/{id}/summary`,
    statuses: [200, 404, 400],
    async run(live) {
      const id = await fresh(live, 'Course to summarise')
      for (const n of [1, 2, 3, 4]) await enrolled(live, id, `Summarised Participant ${n}`)
      const s = await live.call(`GET ${courses}/{id}/summary`, 200, { params: { id } })
      live.t.match(s.json, { total: 4, byCountry: [{ key: 'LA', count: 4, suppressed: false }] })
      await live.missing(`GET ${courses}/{id}/summary`, {}, 'id')
      await live.malformedId(`GET ${courses}/{id}/summary`, {}, 'id')
    },
  },
  {
    operation: `PATCH ${courses}/{id}/participants/{participantId}`,
    statuses: [200, 412, 422, 404, 400],
    async run(live) {
      const id = await fresh(live, 'Course to update a participant of', { maxParticipants: 1, minParticipants: 1 })
      const participantId = await enrolled(live, id, 'Patched Participant')
      const waiting = await enrolled(live, id, 'Waiting Participant')
      const op = `PATCH ${courses}/{id}/participants/{participantId}`
      await live.call(op, 200, {
        params: { id, participantId },
        headers: { 'if-match': '"1"' },
        body: { daysAttended: 5, preScore: 45, postScore: 72.5 },
        expectHeaders: ['etag'],
      })
      await live.call(op, 412, {
        params: { id, participantId },
        headers: { 'if-match': '"1"' },
        body: { daysAttended: 4 },
      })
      await live.call(op, 422, {
        params: { id, participantId: waiting },
        body: { status: 'confirmed' },
        note: 'no free seat',
      })
      await live.missing(op, { id }, 'participantId', { body: { daysAttended: 1 } })
      await live.call(op, 400, { params: { id, participantId }, body: { preScore: 101 }, offContract: true })
    },
  },
  {
    operation: `DELETE ${courses}/{id}/participants/{participantId}`,
    statuses: [204, 412, 404, 400],
    async run(live) {
      const id = await fresh(live, 'Course to remove a participant from')
      const participantId = await enrolled(live, id, 'Removed Participant')
      const op = `DELETE ${courses}/{id}/participants/{participantId}`
      await live.call(op, 412, { params: { id, participantId }, headers: { 'if-match': '"9"' } })
      await live.call(op, 204, { params: { id, participantId }, headers: { 'if-match': '"1"' } })
      await live.call(op, 404, { params: { id, participantId }, note: 'already gone' })
      await live.malformedId(op, { id }, 'participantId')
    },
  },
  {
    operation: `POST ${courses}/{id}/participants/batch`,
    statuses: [200, 422, 404, 400],
    async run(live) {
      const op = `POST ${courses}/{id}/participants/batch`
      const params = {
        id: await fresh(live, 'Course for a nomination list', { maxParticipants: 2, minParticipants: 1 }),
      }
      const items = [1, 2, 3].map((n) => ({
        externalRef: `tf-la-${n}`,
        name: `Nominated Participant ${n}`,
        country: 'LA',
        occupationGroup: 'police',
      }))
      const first = await live.idempotentPost(
        op,
        { params, body: { items }, otherBody: { items: items.slice(0, 1) } },
        200,
      )
      live.t.match(first.json.summary, { total: 3, created: 3 })
      const again = await live.call(op, 200, { params, body: { items }, note: 'posted again: nothing changes' })
      live.t.match(again.json.summary, { unchanged: 3 })
      const invalid = await live.call(op, 422, {
        params,
        body: { items: [...items, { externalRef: 'tf-la-4', name: 'Nominated Participant 4', sex: 'x' }] },
        note: 'one invalid item: nothing written',
        offContract: true,
      })
      live.t.match(invalid.json, { errors: [{ pointer: '/body/items/3/sex' }] })
      await live.missing(op, {}, 'id', { body: { items } })
      await live.call(op, 400, { params, body: { items: [] }, offContract: true })
    },
  },
]
