import type { Live, Scenario } from '../scenarios.ts'

// Project proposals (COMMIT's PPC 1 … PP 12), their expected results and their tasks.

const results = 'GET /v1/projects/{projectId}/results'
const tasks = 'GET /v1/projects/{projectId}/tasks'

/** A fresh project of the COMMIT plan, to change or delete. */
const scratchProject = async (live: Live, code: string) =>
  (
    await live.call('POST /v1/projects', 201, {
      body: { planId: live.world.plans.commit, code, title: `${code}: to be removed` },
    })
  ).json

export const scenarios: Scenario[] = [
  // ── Projects ──
  {
    operation: 'GET /v1/projects',
    statuses: [200, 400, 406],
    async run(live) {
      await live.list('GET /v1/projects', {
        query: { planId: live.world.plans.commit, country: 'MM' },
        badQuery: { activityId: 'Activity 11' },
      })
    },
  },
  {
    operation: 'GET /v1/projects/export',
    statuses: [200, 400],
    async run(live) {
      await live.exports('GET /v1/projects/export', {
        query: { activityId: live.world.activities.activity11 },
        badQuery: { sort: 'title' },
      })
    },
  },
  {
    operation: 'GET /v1/projects/{id}',
    statuses: [200, 304, 404, 400],
    async run(live) {
      await live.conditionalGet('GET /v1/projects/{id}', { id: live.world.projects.ppc2 })
      await live.missing('GET /v1/projects/{id}', {}, 'id')
      await live.malformedId('GET /v1/projects/{id}', {}, 'id')
    },
  },
  {
    operation: 'POST /v1/projects',
    statuses: [201, 409, 422, 400],
    async run(live) {
      const { plans, activities, projects } = live.world
      const body = {
        planId: plans.commit,
        code: 'PPC 13',
        title: 'Follow-up to SOM 2 Framework Document Activity 12',
        objective: 'To sustain the information sharing mechanisms established under PPC 2.',
        countries: ['KH', 'LA', 'TH'],
        activityIds: [activities.activity12],
        linkedProjectIds: [projects.ppc2],
        documents: [
          {
            title: 'PPC 13 concept note',
            url: 'https://example.org/ppc13.pdf',
            type: 'concept_note',
            date: '2006-03-01',
          },
        ],
      }
      await live.idempotentPost('POST /v1/projects', { body, otherBody: { ...body, title: 'Another title' } })
      await live.call('POST /v1/projects', 409, { body, note: 'PPC 13 exists now' })
      const asean = (await live.call('GET /v1/activities', 200, { query: { planId: plans.apa, limit: 1 } })).json
        .data[0]
      const foreign = await live.call('POST /v1/projects', 422, {
        body: { ...body, code: 'PPC 14', activityIds: [activities.activity12, asean.id] },
        note: 'an activity of another plan',
      })
      live.t.match(foreign.json, { type: '/problems/rule-violation', errors: [{ pointer: '/body/activityIds/1' }] })
      await live.call('POST /v1/projects', 400, {
        body: { ...body, code: 'PPC 15', activityIds: [activities.activity12, activities.activity12] },
        offContract: true,
        note: 'an activity twice',
      })
    },
  },
  {
    operation: 'PATCH /v1/projects/{id}',
    statuses: [200, 412, 409, 422, 404, 400],
    async run(live) {
      const id = live.world.projects.ppc3
      const etag = String((await live.call('GET /v1/projects/{id}', 200, { params: { id } })).headers.etag)
      await live.call('PATCH /v1/projects/{id}', 200, {
        params: { id },
        headers: { 'if-match': etag },
        body: { linkedProjectIds: [live.world.projects.ppc2] },
        expectHeaders: ['etag'],
      })
      await live.call('PATCH /v1/projects/{id}', 412, {
        params: { id },
        headers: { 'if-match': etag },
        body: { linkedProjectIds: [] },
        note: 'stale ETag',
      })
      await live.call('PATCH /v1/projects/{id}', 409, {
        params: { id },
        body: { code: 'PPC 2' },
        note: 'PPC 2 has that code',
      })
      await live.call('PATCH /v1/projects/{id}', 422, {
        params: { id },
        body: { linkedProjectIds: [id] },
        note: 'a project linked to itself',
      })
      await live.missing('PATCH /v1/projects/{id}', {}, 'id', { body: { objective: null } })
      await live.call('PATCH /v1/projects/{id}', 400, {
        params: { id },
        body: { planId: live.world.plans.apa },
        offContract: true,
        note: 'planId cannot change',
      })
    },
  },
  {
    operation: 'DELETE /v1/projects/{id}',
    statuses: [409, 412, 204, 404, 400],
    async run(live) {
      await live.call('DELETE /v1/projects/{id}', 409, {
        params: { id: live.world.projects.ppc2 },
        note: 'PPC 2 has results and tasks',
      })
      const project = await scratchProject(live, 'PPC 90')
      await live.call('PATCH /v1/projects/{id}', 200, {
        params: { id: project.id },
        body: { objective: 'None any more' },
      })
      await live.call('DELETE /v1/projects/{id}', 412, {
        params: { id: project.id },
        headers: { 'if-match': '"1"' },
        note: 'stale ETag',
      })
      await live.call('DELETE /v1/projects/{id}', 204, { params: { id: project.id }, headers: { 'if-match': '"2"' } })
      await live.call('DELETE /v1/projects/{id}', 404, { params: { id: project.id }, note: 'already gone' })
      await live.malformedId('DELETE /v1/projects/{id}', {}, 'id')
    },
  },

  // ── Expected results ──
  {
    operation: results,
    statuses: [200, 400, 406, 404],
    async run(live) {
      await live.list(results, {
        params: { projectId: live.world.projects.ppc2 },
        query: { sort: 'position' },
        badQuery: { sort: 'statement' },
      })
      await live.missing(results, {}, 'projectId')
    },
  },
  {
    operation: 'GET /v1/projects/{projectId}/results/export',
    statuses: [200, 400, 404],
    async run(live) {
      await live.exports('GET /v1/projects/{projectId}/results/export', {
        params: { projectId: live.world.projects.ppc2 },
        badQuery: { phase: 'core' },
      })
      await live.missing('GET /v1/projects/{projectId}/results/export', {}, 'projectId')
    },
  },
  {
    operation: 'POST /v1/projects/{projectId}/results',
    statuses: [201, 422, 404, 400],
    async run(live) {
      const params = { projectId: live.world.projects.ppc2 }
      const body = {
        statement: 'Common indicators for reporting on victim identification agreed by the six countries.',
      }
      await live.idempotentPost('POST /v1/projects/{projectId}/results', {
        params,
        body,
        otherBody: { statement: 'Something else' },
      })
      await live.missing('POST /v1/projects/{projectId}/results', {}, 'projectId', { body })
      await live.call('POST /v1/projects/{projectId}/results', 400, {
        params,
        body: { statement: '' },
        offContract: true,
      })
    },
  },
  {
    operation: 'GET /v1/projects/{projectId}/results/{resultId}',
    statuses: [200, 304, 404, 400],
    async run(live) {
      const { ppc2, ppc3 } = live.world.projects
      const resultId = live.world.results.first
      await live.conditionalGet('GET /v1/projects/{projectId}/results/{resultId}', { projectId: ppc2, resultId })
      await live.call('GET /v1/projects/{projectId}/results/{resultId}', 404, {
        params: { projectId: ppc3, resultId },
        note: 'found under its own project only',
      })
      await live.malformedId('GET /v1/projects/{projectId}/results/{resultId}', { projectId: ppc2 }, 'resultId')
    },
  },
  {
    operation: 'PATCH /v1/projects/{projectId}/results/{resultId}',
    statuses: [200, 412, 404, 400],
    async run(live) {
      const params = { projectId: live.world.projects.ppc2, resultId: live.world.results.first }
      const etag = String(
        (await live.call('GET /v1/projects/{projectId}/results/{resultId}', 200, { params })).headers.etag,
      )
      await live.call('PATCH /v1/projects/{projectId}/results/{resultId}', 200, {
        params,
        headers: { 'if-match': etag },
        body: { position: 5 },
        expectHeaders: ['etag'],
        note: 'moved to the end',
      })
      await live.call('PATCH /v1/projects/{projectId}/results/{resultId}', 412, {
        params,
        headers: { 'if-match': etag },
        body: { position: 0 },
        note: 'stale ETag',
      })
      await live.missing('PATCH /v1/projects/{projectId}/results/{resultId}', params, 'resultId', {
        body: { position: 0 },
      })
      await live.call('PATCH /v1/projects/{projectId}/results/{resultId}', 400, {
        params,
        body: { statement: '' },
        offContract: true,
      })
    },
  },
  {
    operation: 'DELETE /v1/projects/{projectId}/results/{resultId}',
    statuses: [412, 204, 404, 400],
    async run(live) {
      const projectId = live.world.projects.ppc2
      const result = (
        await live.call('POST /v1/projects/{projectId}/results', 201, {
          params: { projectId },
          body: { statement: 'To be removed' },
        })
      ).json
      const params = { projectId, resultId: result.id }
      await live.call('PATCH /v1/projects/{projectId}/results/{resultId}', 200, {
        params,
        body: { statement: 'To be removed, reworded' },
      })
      await live.call('DELETE /v1/projects/{projectId}/results/{resultId}', 412, {
        params,
        headers: { 'if-match': '"1"' },
        note: 'stale ETag',
      })
      await live.call('DELETE /v1/projects/{projectId}/results/{resultId}', 204, {
        params,
        headers: { 'if-match': '"2"' },
      })
      await live.call('DELETE /v1/projects/{projectId}/results/{resultId}', 404, { params, note: 'already gone' })
      await live.malformedId('DELETE /v1/projects/{projectId}/results/{resultId}', params, 'resultId')
    },
  },

  // ── Tasks ──
  {
    operation: tasks,
    statuses: [200, 400, 406, 404],
    async run(live) {
      await live.list(tasks, {
        params: { projectId: live.world.projects.ppc2 },
        query: { phase: 'core' },
        badQuery: { phase: 'during' },
      })
      await live.missing(tasks, {}, 'projectId')
    },
  },
  {
    operation: 'GET /v1/projects/{projectId}/tasks/export',
    statuses: [200, 400, 404],
    async run(live) {
      await live.exports('GET /v1/projects/{projectId}/tasks/export', {
        params: { projectId: live.world.projects.ppc2 },
        query: { phase: 'preparation' },
        badQuery: { phase: 'during' },
      })
      await live.missing('GET /v1/projects/{projectId}/tasks/export', {}, 'projectId')
    },
  },
  {
    operation: 'POST /v1/projects/{projectId}/tasks',
    statuses: [201, 422, 404, 400],
    async run(live) {
      const params = { projectId: live.world.projects.ppc2 }
      const body = {
        phase: 'follow_up',
        title: 'Circulate the workshop report to the COMMIT Task Forces',
        dueDate: '2006-04-30',
        responsibleOrganizationId: live.world.organizations.uniap,
      }
      await live.idempotentPost('POST /v1/projects/{projectId}/tasks', {
        params,
        body,
        otherBody: { ...body, title: 'Something else' },
      })
      await live.call('POST /v1/projects/{projectId}/tasks', 422, {
        params,
        body: { ...body, responsibleOrganizationId: '00000000-0000-4000-8000-000000000000' },
        note: 'an organization that does not exist',
      })
      await live.missing('POST /v1/projects/{projectId}/tasks', {}, 'projectId', { body })
      await live.call('POST /v1/projects/{projectId}/tasks', 400, {
        params,
        body: { ...body, phase: 'during' },
        offContract: true,
      })
    },
  },
  {
    operation: 'GET /v1/projects/{projectId}/tasks/{taskId}',
    statuses: [200, 304, 404, 400],
    async run(live) {
      const { ppc2, ppc3 } = live.world.projects
      const taskId = live.world.tasks.first
      await live.conditionalGet('GET /v1/projects/{projectId}/tasks/{taskId}', { projectId: ppc2, taskId })
      await live.call('GET /v1/projects/{projectId}/tasks/{taskId}', 404, {
        params: { projectId: ppc3, taskId },
        note: 'found under its own project only',
      })
      await live.malformedId('GET /v1/projects/{projectId}/tasks/{taskId}', { projectId: ppc2 }, 'taskId')
    },
  },
  {
    operation: 'PATCH /v1/projects/{projectId}/tasks/{taskId}',
    statuses: [200, 412, 422, 404, 400],
    async run(live) {
      const params = { projectId: live.world.projects.ppc2, taskId: live.world.tasks.first }
      const etag = String(
        (await live.call('GET /v1/projects/{projectId}/tasks/{taskId}', 200, { params })).headers.etag,
      )
      await live.call('PATCH /v1/projects/{projectId}/tasks/{taskId}', 200, {
        params,
        headers: { 'if-match': etag },
        body: { status: 'completed', dueDate: '2005-12-31' },
        expectHeaders: ['etag'],
      })
      await live.call('PATCH /v1/projects/{projectId}/tasks/{taskId}', 412, {
        params,
        headers: { 'if-match': etag },
        body: { status: 'on_hold' },
        note: 'stale ETag',
      })
      await live.call('PATCH /v1/projects/{projectId}/tasks/{taskId}', 422, {
        params,
        body: { responsibleOrganizationId: '00000000-0000-4000-8000-000000000000' },
        note: 'an organization that does not exist',
      })
      await live.missing('PATCH /v1/projects/{projectId}/tasks/{taskId}', params, 'taskId', {
        body: { status: 'on_hold' },
      })
      await live.call('PATCH /v1/projects/{projectId}/tasks/{taskId}', 400, {
        params,
        body: { phase: 'during' },
        offContract: true,
      })
    },
  },
  {
    operation: 'DELETE /v1/projects/{projectId}/tasks/{taskId}',
    statuses: [412, 204, 404, 400],
    async run(live) {
      const projectId = live.world.projects.ppc2
      const task = (
        await live.call('POST /v1/projects/{projectId}/tasks', 201, {
          params: { projectId },
          body: { phase: 'core', title: 'To be removed' },
        })
      ).json
      const params = { projectId, taskId: task.id }
      await live.call('PATCH /v1/projects/{projectId}/tasks/{taskId}', 200, { params, body: { status: 'cancelled' } })
      await live.call('DELETE /v1/projects/{projectId}/tasks/{taskId}', 412, {
        params,
        headers: { 'if-match': '"1"' },
        note: 'stale ETag',
      })
      await live.call('DELETE /v1/projects/{projectId}/tasks/{taskId}', 204, { params, headers: { 'if-match': '"2"' } })
      await live.call('DELETE /v1/projects/{projectId}/tasks/{taskId}', 404, { params, note: 'already gone' })
      await live.malformedId('DELETE /v1/projects/{projectId}/tasks/{taskId}', params, 'taskId')
    },
  },
]
