import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { IdParams, ref } from '../../schemas/common.ts'
import { etagOf, sendResource } from '../../http/conditional.ts'
import { updateResource } from '../../http/writes.ts'
import { notFound } from '../../http/problems.ts'
import { AttendanceReplace, MeetingAttendance } from './attendance.schemas.ts'
import { assertMeetingCountries, checkAttendance } from './meetings.service.ts'
import { ifMatchHeaders, preconditionResponse } from './meetings.subresources.ts'
import type { MeetingRow } from './meetings.queries.ts'
import * as q from './meetings.queries.ts'

const tags = ['Meetings']

// Attendance is stored with the meeting (a meeting's attendance changes its version, and the
// change feed says "meeting updated: attendance"); these routes read and replace it whole.
const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/meetings/:id/attendance',
    {
      schema: {
        operationId: 'getMeetingAttendance',
        tags,
        summary: 'Get a meeting’s attendance',
        description:
          'Counts per country and organization kind, by sex, with totals. Aggregates only: no personal data is kept.',
        params: IdParams,
        response: { 200: ref(MeetingAttendance) },
      },
      config: { scope: 'read', etag: true },
    },
    async (request, reply) =>
      sendResource(
        request,
        reply,
        await q.getMeeting(app.db, request.params.id),
        () => notFound('meeting', request.params.id),
        q.toAttendance,
      ),
  )

  app.put(
    '/meetings/:id/attendance',
    {
      schema: {
        operationId: 'replaceMeetingAttendance',
        tags,
        summary: 'Record a meeting’s attendance',
        description:
          'Replaces the whole attendance: one row per country (null for international staff) and organization kind, with counts of women, men and others/unrecorded. An empty list clears it.',
        params: IdParams,
        headers: ifMatchHeaders,
        body: ref(AttendanceReplace),
        response: { 200: ref(MeetingAttendance), 412: preconditionResponse },
      },
      config: { scope: 'meetings:write' },
    },
    async (request, reply) => {
      const { id } = request.params
      let stored: MeetingRow | undefined
      const meeting = await updateResource(request, {
        resource: 'meeting',
        id,
        lock: async (trx) => {
          const row = await q.lockMeeting(trx, id)
          return row && q.toMeeting(row)
        },
        update: async (trx, before) => {
          assertMeetingCountries(request, before, '/params/id')
          const rows = await checkAttendance(request, trx, request.body.rows)
          stored = await q.updateAttendance(trx, id, rows)
          return q.toMeeting(stored)
        },
      })
      reply.header('etag', etagOf(meeting.version))
      return q.toAttendance(stored!)
    },
  )
}

export default routes
