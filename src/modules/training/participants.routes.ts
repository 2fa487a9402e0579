import { Type } from 'typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { IdParams, ref } from '../../schemas/common.ts'
import { apiProvenance } from '../../schemas/provenance.ts'
import { idKey, listPage } from '../../http/pagination.ts'
import { created, etagOf, sendResource } from '../../http/conditional.ts'
import { deleteResource, updateResource, write, type Write } from '../../http/writes.ts'
import { insertChanges } from '../../http/writes.queries.ts'
import { ApiError, notFound } from '../../http/problems.ts'
import {
  Participant,
  ParticipantCreate,
  ParticipantList,
  ParticipantParams,
  ParticipantPatch,
  ParticipantQuery,
} from './participants.schemas.ts'
import {
  assertParticipantCountry,
  checkParticipantReferences,
  createParticipantState,
  participantNotFound,
  participantStateOf,
  readableCountries,
  seesPersonal,
  toParticipant,
} from './participants.service.ts'
import { assertWithinCapacity, hasRoom, holdsSeat, oneAtATime, promote } from './seats.service.ts'
import { TrainingSummary } from './summary.schemas.ts'
import { courseSummary } from './summary.service.ts'
import * as q from './training.queries.ts'

const tags = ['Training']
const personalNote =
  'Personal data: needs the `participants:read` scope (403 otherwise; the summary is for everyone). A country-limited key sees only its countries’ participants.'

const routes: FastifyPluginAsyncTypebox<{ minCell: number }> = async (app, opts) => {
  const courseExists = async (id: string) => {
    if (!(await q.getCourse(app.db, id))) throw notFound('training course', id)
  }

  app.get(
    '/training-courses/:id/participants',
    {
      schema: {
        operationId: 'listTrainingParticipants',
        tags,
        summary: 'List a course’s participants',
        description: `${personalNote} Filter by status, country or update time; in enrolment order by default. There is no filter or sort by name: names never travel in a URL (or an access log).`,
        params: IdParams,
        querystring: ParticipantQuery,
        response: { 200: ref(ParticipantList) },
      },
      // Never cached (src/plugins/read-cache.ts): a country-limited key sees its countries only.
      config: {
        scope: 'participants:read',
        readCache: false,
        export: true,
        exportNames: { courseId: 'course', organizationId: 'organization' },
      },
    },
    async (request, reply) => {
      await courseExists(request.params.id)
      const countries = readableCountries(request)
      return listPage(request, reply, {
        sorts: q.participantSortTable,
        key: idKey('training_participants'),
        fetch: (page) => q.listParticipants(app.db, request.params.id, request.query, countries, page),
        map: (row) => toParticipant(row, true),
      })
    },
  )

  app.get(
    '/training-courses/:id/participants/:participantId',
    {
      schema: {
        operationId: 'getTrainingParticipant',
        tags,
        summary: 'Get a participant',
        description: `${personalNote} Sends \`ETag\`; 304 with \`If-None-Match\`.`,
        params: ParticipantParams,
        response: { 200: ref(Participant) },
      },
      config: { scope: 'participants:read', readCache: false },
    },
    async (request, reply) => {
      const { id, participantId } = request.params
      return sendResource(
        request,
        reply,
        await q.getParticipant(app.db, id, participantId, readableCountries(request)),
        () => participantNotFound(participantId),
        (row) => toParticipant(row, true),
      )
    },
  )

  app.get(
    '/training-courses/:id/summary',
    {
      schema: {
        operationId: 'getTrainingSummary',
        tags,
        summary: 'Participants in aggregate',
        description: `Counts by country, sex, occupation group and status, and mean pre/post scores and gain, for every reader. Counts under ${opts.minCell} (SUMMARY_MIN_CELL) are suppressed, with a second cell where the total would give one away; the rule is in the schema.`,
        params: IdParams,
        response: { 200: ref(TrainingSummary) },
      },
      config: { scope: 'read' },
    },
    async (request) => {
      await courseExists(request.params.id)
      return courseSummary(app.db, request.params.id, opts.minCell)
    },
  )

  app.post(
    '/training-courses/:id/participants',
    {
      schema: {
        operationId: 'enrolTrainingParticipant',
        tags,
        summary: 'Enrol a participant',
        description:
          'Confirmed when a seat is free within the country’s quota, waitlisted otherwise (the response’s `status` says which), whatever the concurrency: enrolments of one course are serialized on the course row. `status: nominated` asks for no seat yet. The response carries the personal fields only for keys with `participants:read`.',
        params: IdParams,
        body: ref(ParticipantCreate),
        response: { 201: ref(Participant) },
      },
      config: { scope: 'training:write' },
    },
    async (request, reply) => {
      const courseId = request.params.id
      const state = createParticipantState(request.body)
      assertParticipantCountry(request, state.country, '/body/country')
      // Checked before the course is locked: the lock is held only for the seat itself.
      await checkParticipantReferences(app.db, state)
      const row = await oneAtATime(courseId, () =>
        write(request, async (w) => {
          const course = await q.lockCourseRow(w.trx, courseId)
          if (!course) throw notFound('training course', courseId)
          if (state.status === 'confirmed' && !(await hasRoom(w.trx, course, state.country)))
            state.status = 'waitlisted'
          const inserted = await q.insertParticipant(
            w.trx,
            courseId,
            state,
            apiProvenance(request.principal?.keyId ?? null),
          )
          await w.record({
            resource: 'trainingParticipant',
            resourceId: inserted.id,
            operation: 'create',
            version: inserted.version,
            fields: Object.keys(request.body),
          })
          return inserted
        }),
      )
      created(reply, `/v1/training-courses/${courseId}/participants/${row.id}`, row.version)
      return toParticipant(row, seesPersonal(request))
    },
  )

  app.patch(
    '/training-courses/:id/participants/:participantId',
    {
      schema: {
        operationId: 'updateTrainingParticipant',
        tags,
        summary: 'Update a participant',
        description:
          'JSON Merge Patch: status, days attended, scores … `confirmed` needs a free seat within the country’s quota (422 otherwise); `withdrawn` (or any status that gives up a seat) confirms the first on the waitlist whose country has room, in the same transaction.',
        params: ParticipantParams,
        body: ref(ParticipantPatch),
        response: { 200: ref(Participant) },
      },
      config: { scope: 'training:write' },
    },
    async (request, reply) => {
      const { id: courseId, participantId } = request.params
      const patch = request.body
      let course: Awaited<ReturnType<typeof q.lockCourseRow>>
      const row = await oneAtATime(courseId, () =>
        updateResource(request, {
          resource: 'trainingParticipant',
          id: participantId,
          lock: async (trx) => {
            // The course first, then the participant: every seat write locks in this order.
            course = await q.lockCourseRow(trx, courseId)
            if (!course) throw notFound('training course', courseId)
            return q.lockParticipant(trx, courseId, participantId)
          },
          update: async (trx, before, w) => {
            const old = participantStateOf(before)
            assertParticipantCountry(request, old.country, '/params/participantId')
            const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined))
            const next = { ...old, ...defined }
            assertParticipantCountry(request, next.country, '/body/country')
            await checkParticipantReferences(trx, next)
            const requeue = next.status === 'waitlisted' && old.status !== 'waitlisted'
            const after = await q.updateParticipant(trx, participantId, next, requeue)
            if (holdsSeat(next.status)) await assertWithinCapacity(trx, course!, '/body/status')
            if (holdsSeat(old.status) && !holdsSeat(next.status)) await promote(w, course!)
            return after
          },
        }),
      ).catch((err) => {
        // Not found under a course that exists is the participant's 404, not the course's.
        if (err instanceof ApiError && err.kind === 'not-found' && course) throw participantNotFound(participantId)
        throw err
      })
      reply.header('etag', etagOf(row.version))
      return toParticipant(row, seesPersonal(request))
    },
  )

  app.delete(
    '/training-courses/:id/participants/:participantId',
    {
      schema: {
        operationId: 'deleteTrainingParticipant',
        tags,
        summary: 'Remove a participant',
        description:
          'Erases the participant and their personal data (the change log keeps only that a participant was deleted). A seat it held goes to the first on the waitlist.',
        params: ParticipantParams,
        response: { 204: Type.Null({ description: 'Deleted.' }) },
      },
      config: { scope: 'training:write' },
    },
    async (request, reply) => {
      const { id: courseId, participantId } = request.params
      let course: Awaited<ReturnType<typeof q.lockCourseRow>>
      await oneAtATime(courseId, () =>
        deleteResource(request, {
          resource: 'trainingParticipant',
          id: participantId,
          lock: async (trx) => {
            course = await q.lockCourseRow(trx, courseId)
            if (!course) throw notFound('training course', courseId)
            return q.lockParticipant(trx, courseId, participantId)
          },
          remove: async (trx, before) => {
            assertParticipantCountry(request, before.country, '/params/participantId')
            await q.deleteParticipant(trx, participantId)
            // A freed seat goes to the waitlist; the promotions are logged with this key as actor.
            const record = (c: Parameters<Write['record']>[0]) =>
              insertChanges(trx, request.principal?.keyId ?? null, [c].flat())
            if (holdsSeat(before.status)) await promote({ trx, record }, course!)
          },
        }),
      )
      return reply.code(204).send(null)
    },
  )
}

export default routes
