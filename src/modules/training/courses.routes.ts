import { Type } from 'typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { IdParams, ref } from '../../schemas/common.ts'
import { apiProvenance } from '../../schemas/provenance.ts'
import { idKey, listPage } from '../../http/pagination.ts'
import { created, etagOf, sendResource } from '../../http/conditional.ts'
import { createResource, deleteResource, updateResource } from '../../http/writes.ts'
import { notFound } from '../../http/problems.ts'
import { insertChanges } from '../../http/writes.queries.ts'
import {
  TrainingCourse,
  TrainingCourseCreate,
  TrainingCourseList,
  TrainingCoursePatch,
  TrainingCourseQuery,
} from './courses.schemas.ts'
import {
  assertCourseCountries,
  checkCourse,
  courseStateOf,
  createCourseState,
  patchCourseState,
  toCourse,
} from './courses.service.ts'
import { assertWithinCapacity, promote } from './seats.service.ts'
import * as q from './training.queries.ts'

const tags = ['Training']

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/training-courses',
    {
      schema: {
        operationId: 'listTrainingCourses',
        tags,
        summary: 'List training courses',
        description:
          'Filter by plan, activity, topic, level, scope, status, country (venue or participating), period (`from`/`to`), update time or title words (`q`); cursor-paginated. Every course shows its seats and warnings; every row at once at `/v1/training-courses/export`.',
        querystring: TrainingCourseQuery,
        response: { 200: ref(TrainingCourseList) },
      },
      config: {
        scope: 'read',
        export: true,
        exportNames: { planId: 'plan', activityId: 'activity', providerId: 'organization' },
      },
    },
    (request, reply) =>
      listPage(request, reply, {
        sorts: q.courseSortTable,
        key: idKey('training_courses'),
        fetch: (page) => q.listCourses(app.db, request.query, page),
        map: toCourse,
      }),
  )

  app.get(
    '/training-courses/:id',
    {
      schema: {
        operationId: 'getTrainingCourse',
        tags,
        summary: 'Get a training course',
        description:
          'With its seats (confirmed, waitlisted, free) and `warnings`. Sends `ETag` (the version of the course itself; seats change with enrolments, not the version); with `If-None-Match` holding it, 304 and no body.',
        params: IdParams,
        response: { 200: ref(TrainingCourse) },
      },
      config: { scope: 'read' },
    },
    async (request, reply) =>
      sendResource(
        request,
        reply,
        await q.getCourse(app.db, request.params.id),
        () => notFound('training course', request.params.id),
        toCourse,
      ),
  )

  app.post(
    '/training-courses',
    {
      schema: {
        operationId: 'createTrainingCourse',
        tags,
        summary: 'Create a training course',
        description:
          'Defaults: level basic, scope subregional, status planned, 20–30 participants. The country quotas may not add up to more than maxParticipants (422).',
        body: ref(TrainingCourseCreate),
        response: { 201: ref(TrainingCourse) },
      },
      config: { scope: 'training:write' },
    },
    async (request, reply) => {
      const state = createCourseState(request.body)
      assertCourseCountries(request, state, '/body/countries')
      const course = await createResource(
        request,
        'trainingCourse',
        async (trx) => {
          await checkCourse(trx, state)
          return toCourse(await q.insertCourse(trx, state, apiProvenance(request.principal?.keyId ?? null)))
        },
        Object.keys(request.body),
      )
      created(reply, `/v1/training-courses/${course.id}`, course.version)
      return course
    },
  )

  app.patch(
    '/training-courses/:id',
    {
      schema: {
        operationId: 'updateTrainingCourse',
        tags,
        summary: 'Update a training course',
        description:
          'JSON Merge Patch. Lowering maxParticipants or a quota below the seats already taken is a 422; raising them confirms the first on the waitlist, in the same transaction.',
        params: IdParams,
        body: ref(TrainingCoursePatch),
        response: { 200: ref(TrainingCourse) },
      },
      config: { scope: 'training:write' },
    },
    async (request, reply) => {
      const { id } = request.params
      const course = await updateResource(request, {
        resource: 'trainingCourse',
        id,
        lock: async (trx) => {
          const row = await q.lockCourse(trx, id)
          return row && toCourse(row)
        },
        update: async (trx, before, w) => {
          const old = courseStateOf(before)
          assertCourseCountries(request, old, '/params/id')
          const next = patchCourseState(old, request.body)
          assertCourseCountries(request, next, '/body/countries')
          await checkCourse(trx, next)
          const row = await q.updateCourse(trx, id, next)
          const pointer = request.body.quotas !== undefined ? '/body/quotas' : '/body/maxParticipants'
          await assertWithinCapacity(trx, row, pointer)
          if ((await promote(w, row)).length) return toCourse((await q.getCourse(trx, id))!)
          return toCourse(row)
        },
      })
      reply.header('etag', etagOf(course.version))
      return course
    },
  )

  app.delete(
    '/training-courses/:id',
    {
      schema: {
        operationId: 'deleteTrainingCourse',
        tags,
        summary: 'Delete a training course',
        description: 'Deletes its participants with it (each deletion is in the change feed, without personal data).',
        params: IdParams,
        response: { 204: Type.Null({ description: 'Deleted.' }) },
      },
      config: { scope: 'training:write' },
    },
    async (request, reply) => {
      const { id } = request.params
      await deleteResource(request, {
        resource: 'trainingCourse',
        id,
        lock: (trx) => q.lockCourse(trx, id),
        remove: async (trx, before) => {
          assertCourseCountries(request, courseStateOf(toCourse(before)), '/params/id')
          const gone = await q.deleteParticipantsOfCourse(trx, id)
          await insertChanges(
            trx,
            request.principal?.keyId ?? null,
            gone.map((p) => ({
              resource: 'trainingParticipant',
              resourceId: p.id,
              operation: 'delete' as const,
              version: p.version + 1,
              fields: [],
            })),
          )
          return q.deleteCourse(trx, id)
        },
      })
      return reply.code(204).send(null)
    },
  )
}

export default routes
