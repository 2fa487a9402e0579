import { Type } from 'typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { IdParams, ref } from '../../schemas/common.ts'
import { idKey, listPage } from '../../http/pagination.ts'
import { created, etagOf, notModifiedTag, sendResource, viewTagOf } from '../../http/conditional.ts'
import { createResource, deleteResource, updateResource } from '../../http/writes.ts'
import { notFound } from '../../http/problems.ts'
import { insertChanges } from '../../http/writes.queries.ts'
import { deleteOutcomesOfMeeting } from '../outcomes/outcomes.queries.ts'
import {
  CalendarQuery,
  Meeting,
  MeetingCreate,
  MeetingList,
  MeetingPatch,
  MeetingQuery,
  type MeetingFilters,
} from './meetings.schemas.ts'
import { assertMeetingCountries, checkMeeting, createState, patchState } from './meetings.service.ts'
import { baseUrlOf, calendarLimit, calendarTag, meetingsCalendar, tooManyForCalendar } from './meetings.calendar.ts'
import * as q from './meetings.queries.ts'
import { apiProvenance } from '../../schemas/provenance.ts'

const tags = ['Meetings']
const calendarResponse = {
  description: 'An iCalendar (RFC 5545) feed: one whole-day event per meeting whose days are known.',
  type: 'string',
}
// openapi.ts documents the NDJSON/CSV exports of a list whose 200 is a plain $ref; this list also
// offers text/calendar, so it states all four itself, in the same words.
const routes: FastifyPluginAsyncTypebox = async (app) => {
  async function calendar(filters: MeetingFilters, request: Parameters<typeof baseUrlOf>[0]) {
    const rows = await q.listCalendarMeetings(app.db, filters, calendarLimit)
    if (rows.length > calendarLimit) throw tooManyForCalendar()
    return meetingsCalendar(rows, baseUrlOf(request))
  }

  app.get(
    '/meetings',
    {
      schema: {
        operationId: 'listMeetings',
        tags,
        summary: 'List meetings',
        description:
          'Filter by plan, kind, status, country (venue or participant), activity, project, period (`from`/`to`), update time or text; cursor-paginated. ' +
          'The same filters give the iCalendar feed at `/v1/meetings.ics`, and every row at once at `/v1/meetings/export`.',
        querystring: MeetingQuery,
        response: { 200: ref(MeetingList) },
      },
      config: {
        scope: 'read',
        export: true,
        exportNames: { planId: 'plan', organizerIds: 'organization', activityIds: 'activity', projectIds: 'project' },
      },
    },
    (request, reply) =>
      listPage(request, reply, {
        sorts: q.meetingSortTable,
        key: idKey('meetings'),
        fetch: (page) => q.listMeetings(app.db, request.query, page),
        map: q.toMeeting,
      }),
  )

  app.get(
    '/meetings.ics',
    {
      schema: {
        operationId: 'getMeetingsCalendar',
        tags,
        summary: 'Meetings as an iCalendar feed',
        description:
          `Subscribe to it from a calendar app. Takes the list's filters; holds every matching meeting whose days are known (at most ${calendarLimit}, otherwise 400), as whole-day events. ` +
          'Meetings known only to the month or year (`datePrecision`) are left out: an event would claim days that are not known. So are options (status `option`): alternatives a plan lists are no events. ' +
          'Sends a weak `ETag` that changes whenever a meeting the feed holds changes, or one comes or goes; with `If-None-Match` holding it, 304 and no body.',
        querystring: CalendarQuery,
        response: {
          200: {
            description: calendarResponse.description,
            content: { 'text/calendar': { schema: calendarResponse } },
          },
        },
      },
      config: { scope: 'read', etag: true },
    },
    async (request, reply) => {
      // The tag is read before the rows: a write landing in between gives a body newer than its
      // tag, which the next poll fetches again. Read after, it could name data the body lacks,
      // and the client would keep the stale feed.
      const { count, digest } = await q.calendarDigest(app.db, request.query)
      if (count > calendarLimit) throw tooManyForCalendar()
      if (notModifiedTag(request, reply, viewTagOf(calendarTag(request.query, count, digest)))) return reply.send()
      return reply.type('text/calendar; charset=utf-8').send(await calendar(request.query, request))
    },
  )

  app.get(
    '/meetings/:id',
    {
      schema: {
        operationId: 'getMeeting',
        tags,
        summary: 'Get a meeting',
        description:
          'Sends `ETag` (the version); with `If-None-Match` holding it, 304 and no body. 404 when the id is unknown. Attendance counts and the agenda are part of the meeting; they also have their own endpoints.',
        params: IdParams,
        response: { 200: ref(Meeting) },
      },
      config: { scope: 'read' },
    },
    async (request, reply) =>
      sendResource(
        request,
        reply,
        await q.getMeeting(app.db, request.params.id),
        () => notFound('meeting', request.params.id),
        q.toMeeting,
      ),
  )

  app.post(
    '/meetings',
    {
      schema: {
        operationId: 'createMeeting',
        tags,
        summary: 'Create a meeting',
        description:
          'A meeting ends on or after its start day and cannot be `held` before it starts (today is taken in its `timeZone`).',
        body: ref(MeetingCreate),
        response: { 201: ref(Meeting) },
      },
      config: { scope: 'meetings:write' },
    },
    async (request, reply) => {
      const state = createState(request.body)
      assertMeetingCountries(request, state, '/body/countries')
      const meeting = await createResource(
        request,
        'meeting',
        async (trx) => {
          await checkMeeting(trx, state)
          const row = await q.insertMeeting(trx, state, apiProvenance(request.principal?.keyId ?? null))
          await q.syncMeetingLinks(trx, row.id, null, state)
          return q.toMeeting(row)
        },
        Object.keys(request.body),
      )
      created(reply, `/v1/meetings/${meeting.id}`, meeting.version)
      return meeting
    },
  )

  app.patch(
    '/meetings/:id',
    {
      schema: {
        operationId: 'updateMeeting',
        tags,
        summary: 'Update a meeting',
        description:
          'JSON Merge Patch: send only the fields to change; null clears a field; arrays (agenda, countries, organizerIds …) are replaced whole. The rules are checked on the result.',
        params: IdParams,
        body: ref(MeetingPatch),
        response: { 200: ref(Meeting) },
      },
      config: { scope: 'meetings:write' },
    },
    async (request, reply) => {
      const { id } = request.params
      const meeting = await updateResource(request, {
        resource: 'meeting',
        id,
        lock: async (trx) => {
          const row = await q.lockMeeting(trx, id)
          return row && q.toMeeting(row)
        },
        update: async (trx, before) => {
          const old = q.stateOf(before)
          assertMeetingCountries(request, old, '/params/id')
          const next = patchState(old, request.body)
          assertMeetingCountries(request, next, '/body/countries')
          await checkMeeting(trx, next)
          const row = await q.updateMeeting(trx, id, next)
          await q.syncMeetingLinks(trx, id, before, next)
          return q.toMeeting(row)
        },
      })
      reply.header('etag', etagOf(meeting.version))
      return meeting
    },
  )

  app.delete(
    '/meetings/:id',
    {
      schema: {
        operationId: 'deleteMeeting',
        tags,
        summary: 'Delete a meeting',
        description:
          'Deletes its agenda, attendance and outcomes with it (each outcome’s deletion is in the change feed).',
        params: IdParams,
        response: { 204: Type.Null({ description: 'Deleted.' }) },
      },
      config: { scope: 'meetings:write' },
    },
    async (request, reply) => {
      const { id } = request.params
      await deleteResource(request, {
        resource: 'meeting',
        id,
        lock: (trx) => q.lockMeeting(trx, id),
        remove: async (trx, before) => {
          assertMeetingCountries(request, q.stateOf(q.toMeeting(before)), '/params/id')
          const gone = await deleteOutcomesOfMeeting(trx, id)
          // The same log the write helpers append to, in the same transaction.
          await insertChanges(
            trx,
            request.principal?.keyId ?? null,
            gone.map((o) => ({
              resource: 'outcome',
              resourceId: o.id,
              operation: 'delete' as const,
              version: o.version + 1,
              fields: [],
            })),
          )
          return q.deleteMeeting(trx, id)
        },
      })
      return reply.code(204).send(null)
    },
  )
}

export default routes
