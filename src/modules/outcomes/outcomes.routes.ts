import { Type } from 'typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { IdParams, ref } from '../../schemas/common.ts'
import { idKey, listPage } from '../../http/pagination.ts'
import { created, etagOf, sendResource } from '../../http/conditional.ts'
import { createResource, deleteResource, updateResource } from '../../http/writes.ts'
import { notFound } from '../../http/problems.ts'
import { getMeeting } from '../meetings/meetings.queries.ts'
import {
  MeetingOutcomeQuery,
  Outcome,
  OutcomeCreate,
  OutcomeList,
  OutcomePatch,
  OutcomeQuery,
  type OutcomeFilters,
} from './outcomes.schemas.ts'
import { assertOutcomeMeeting, checkOutcome, meetingForWrite, normalize } from './outcomes.service.ts'
import * as q from './outcomes.queries.ts'
import { apiProvenance } from '../../schemas/provenance.ts'

const tags = ['Outcomes']

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const list = (request: FastifyRequest, reply: FastifyReply, filters: OutcomeFilters) =>
    listPage(request, reply, {
      sorts: q.outcomeSortTable,
      key: idKey('outcomes'),
      fetch: (page) => q.listOutcomes(app.db, filters, page),
      map: q.toOutcome,
    })

  app.get(
    '/meetings/:id/outcomes',
    {
      schema: {
        operationId: 'listMeetingOutcomes',
        tags,
        summary: 'List a meeting’s outcomes',
        description:
          'The decisions, recommendations, agreements, action items and findings of one meeting, newest first by default; the same filters as `/v1/outcomes`. 404 when the meeting does not exist.',
        params: IdParams,
        querystring: MeetingOutcomeQuery,
        response: { 200: ref(OutcomeList) },
      },
      config: {
        scope: 'read',
        export: true,
        exportNames: {
          meetingId: 'meeting',
          responsibleOrganizationIds: 'organization',
          activityId: 'activity',
          projectId: 'project',
        },
      },
    },
    async (request, reply) => {
      // Checked first: an export streams, and could not turn into a 404 once under way.
      if (!(await getMeeting(app.db, request.params.id))) throw notFound('meeting', request.params.id)
      return list(request, reply, { ...request.query, meetingId: request.params.id })
    },
  )

  app.get(
    '/outcomes',
    {
      schema: {
        operationId: 'listOutcomes',
        tags,
        summary: 'List outcomes across meetings',
        description:
          'How a secretariat chases follow-up: `?kind=action_item&status=open&responsibleOrganizationId=…&dueBefore=…`, by due date (undated last).',
        querystring: OutcomeQuery,
        response: { 200: ref(OutcomeList) },
      },
      config: {
        scope: 'read',
        export: true,
        exportNames: {
          meetingId: 'meeting',
          responsibleOrganizationIds: 'organization',
          activityId: 'activity',
          projectId: 'project',
        },
      },
    },
    (request, reply) => list(request, reply, request.query),
  )

  app.get(
    '/outcomes/:id',
    {
      schema: {
        operationId: 'getOutcome',
        tags,
        summary: 'Get an outcome',
        description:
          'Sends `ETag` (the version); with `If-None-Match` holding it, 304 and no body. 404 when the id is unknown.',
        params: IdParams,
        response: { 200: ref(Outcome) },
      },
      config: { scope: 'read' },
    },
    async (request, reply) =>
      sendResource(
        request,
        reply,
        await q.getOutcome(app.db, request.params.id),
        () => notFound('outcome', request.params.id),
        q.toOutcome,
      ),
  )

  app.post(
    '/meetings/:id/outcomes',
    {
      schema: {
        operationId: 'createMeetingOutcome',
        tags,
        summary: 'Add an outcome to a meeting',
        description:
          'An action item is `open` unless a status is given; other kinds have no status or due date. Scripts posting many outcomes use the batch.',
        params: IdParams,
        body: ref(OutcomeCreate),
        response: { 201: ref(Outcome) },
      },
      config: { scope: 'meetings:write' },
    },
    async (request, reply) => {
      const meetingId = request.params.id
      const b = request.body
      const state = normalize({
        externalRef: b.externalRef ?? null,
        kind: b.kind,
        text: b.text,
        status: b.status ?? null,
        dueDate: b.dueDate ?? null,
        responsibleOrganizationIds: b.responsibleOrganizationIds ?? [],
        activityId: b.activityId ?? null,
        projectId: b.projectId ?? null,
      })
      const outcome = await createResource(
        request,
        'outcome',
        async (trx) => {
          await meetingForWrite(request, trx, meetingId)
          await checkOutcome(trx, state, b)
          return q.toOutcome(
            await q.insertOutcome(trx, meetingId, state, apiProvenance(request.principal?.keyId ?? null)),
          )
        },
        Object.keys(b),
      )
      created(reply, `/v1/outcomes/${outcome.id}`, outcome.version)
      return outcome
    },
  )

  app.patch(
    '/outcomes/:id',
    {
      schema: {
        operationId: 'updateOutcome',
        tags,
        summary: 'Update an outcome',
        description:
          'JSON Merge Patch, e.g. `{"status": "done"}` when an action item is completed. Changing the kind away from action_item drops its status and due date.',
        params: IdParams,
        body: ref(OutcomePatch),
        response: { 200: ref(Outcome) },
      },
      config: { scope: 'meetings:write' },
    },
    async (request, reply) => {
      const { id } = request.params
      const patch = request.body
      const outcome = await updateResource(request, {
        resource: 'outcome',
        id,
        lock: async (trx) => {
          const row = await q.lockOutcome(trx, id)
          return row && q.toOutcome(row)
        },
        update: async (trx, before) => {
          await assertOutcomeMeeting(request, trx, before.meetingId)
          const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined))
          const state = normalize({ ...q.stateOf(before), ...defined })
          await checkOutcome(trx, state, patch)
          return q.toOutcome(await q.updateOutcome(trx, id, state))
        },
      })
      reply.header('etag', etagOf(outcome.version))
      return outcome
    },
  )

  app.delete(
    '/outcomes/:id',
    {
      schema: {
        operationId: 'deleteOutcome',
        tags,
        summary: 'Delete an outcome',
        description:
          '204 on success. Send `If-Match` to delete only the version you read (412 otherwise). A country-limited key deletes only outcomes of its countries’ meetings.',
        params: IdParams,
        response: { 204: Type.Null({ description: 'Deleted.' }) },
      },
      config: { scope: 'meetings:write' },
    },
    async (request, reply) => {
      const { id } = request.params
      await deleteResource(request, {
        resource: 'outcome',
        id,
        lock: (trx) => q.lockOutcome(trx, id),
        remove: async (trx, before) => {
          await assertOutcomeMeeting(request, trx, before.meetingId)
          return q.deleteOutcome(trx, id)
        },
      })
      return reply.code(204).send(null)
    },
  )
}

export default routes
