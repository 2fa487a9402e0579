import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { IdParams, ref } from '../../schemas/common.ts'
import { etagOf, sendResource } from '../../http/conditional.ts'
import { updateResource } from '../../http/writes.ts'
import { notFound } from '../../http/problems.ts'
import { AgendaReplace, MeetingAgenda, type MeetingT } from './meetings.schemas.ts'
import { agendaOf, assertMeetingCountries } from './meetings.service.ts'
import { ifMatchHeaders, preconditionResponse } from './meetings.subresources.ts'
import * as q from './meetings.queries.ts'

const tags = ['Meetings']
const agendaOfMeeting = (m: MeetingT) => ({ meetingId: m.id, items: m.agenda, version: m.version })

// The agenda is part of the meeting (it is in GET /v1/meetings/{id} too); these routes read and
// replace it alone. Replacing is how items are added, removed and reordered, in one request.
const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/meetings/:id/agenda',
    {
      schema: {
        operationId: 'getMeetingAgenda',
        tags,
        summary: 'Get a meeting’s agenda',
        description:
          'The ordered agenda items with their ids. Sends the meeting’s `ETag` (the agenda is part of the meeting); `If-None-Match` gives 304. Replace it with `PUT` and `If-Match`.',
        params: IdParams,
        response: { 200: ref(MeetingAgenda) },
      },
      config: { scope: 'read', etag: true },
    },
    async (request, reply) =>
      sendResource(
        request,
        reply,
        await q.getMeeting(app.db, request.params.id),
        () => notFound('meeting', request.params.id),
        (row) => agendaOfMeeting(q.toMeeting(row)),
      ),
  )

  app.put(
    '/meetings/:id/agenda',
    {
      schema: {
        operationId: 'replaceMeetingAgenda',
        tags,
        summary: 'Replace (or reorder) a meeting’s agenda',
        description:
          'Send the whole agenda in the new order. Items that carry the `id` you read keep it; items without one are new; items left out are removed.',
        params: IdParams,
        headers: ifMatchHeaders,
        body: ref(AgendaReplace),
        response: { 200: ref(MeetingAgenda), 412: preconditionResponse },
      },
      config: { scope: 'meetings:write' },
    },
    async (request, reply) => {
      const { id } = request.params
      const agenda = agendaOf(request.body.items, '/body/items')
      const meeting = await updateResource(request, {
        resource: 'meeting',
        id,
        lock: async (trx) => {
          const row = await q.lockMeeting(trx, id)
          return row && q.toMeeting(row)
        },
        update: async (trx, before) => {
          assertMeetingCountries(request, before, '/params/id')
          return q.toMeeting(await q.updateMeeting(trx, id, { ...q.stateOf(before), agenda }))
        },
      })
      reply.header('etag', etagOf(meeting.version))
      return agendaOfMeeting(meeting)
    },
  )
}

export default routes
