import { Type } from 'typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { IdParams, ref } from '../../schemas/common.ts'
import { idKey, listPage } from '../../http/pagination.ts'
import { created, etagOf, sendResource } from '../../http/conditional.ts'
import { createResource, deleteResource, updateResource } from '../../http/writes.ts'
import { assertPlanRowWritable } from '../plans/plan-countries.ts'
import { notFound } from '../../http/problems.ts'
import { Activity, ActivityCreate, ActivityList, ActivityPatch, ActivityQuery } from './activities.schemas.ts'
import { checkActivity, organizationsDiffer } from './activities.service.ts'
import * as q from './activities.queries.ts'
import { apiProvenance } from '../../schemas/provenance.ts'

const tags = ['Activities']

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/',
    {
      schema: {
        operationId: 'listActivities',
        tags,
        summary: 'List activities',
        description:
          'Filter by plan, area (including the nodes below it), status, category, country, organization (and its role), code or text; cursor-paginated. ' +
          'A crawl (following `nextCursor`) returns every activity that exists throughout it exactly once, whatever is created or deleted meanwhile. ' +
          'Partners syncing use `updatedSince` with `sort=updatedAt`, and the change feed for deletions.',
        querystring: ActivityQuery,
        response: { 200: ref(ActivityList) },
      },
      config: { scope: 'read', export: true, exportNames: { planId: 'plan', areaId: 'area' } },
    },
    (request, reply) =>
      listPage(request, reply, {
        sorts: q.activitySortTable,
        key: idKey('activities'),
        fetch: (page) => q.listActivities(app.db, request.query, page),
        map: q.toActivity,
      }),
  )

  app.get(
    '/:id',
    {
      schema: {
        operationId: 'getActivity',
        tags,
        summary: 'Get an activity',
        description:
          'Sends `ETag` (the version); with `If-None-Match` holding it, 304 and no body. 404 when the id is unknown. `countries` empty means the activity concerns all the plan’s member countries (`countriesSource: plan`).',
        params: IdParams,
        response: { 200: ref(Activity) },
      },
      config: { scope: 'read' },
    },
    async (request, reply) =>
      sendResource(
        request,
        reply,
        await q.getActivity(app.db, request.params.id),
        () => notFound('activity', request.params.id),
        q.toActivity,
      ),
  )

  app.post(
    '/',
    {
      schema: {
        operationId: 'createActivity',
        tags,
        summary: 'Create an activity',
        description:
          'With its organizations. The area must belong to the same plan; planned start ≤ planned end; actual dates not in the future.',
        body: ref(ActivityCreate),
        response: { 201: ref(Activity) },
      },
      config: { scope: 'plans:write' },
    },
    async (request, reply) => {
      const body = request.body
      const activity = await createResource(
        request,
        'activity',
        async (trx) => {
          await checkActivity(request, trx, body)
          return q.toActivity(await q.insertActivity(trx, body, apiProvenance(request.principal?.keyId ?? null)))
        },
        Object.keys(body),
      )
      created(reply, `/v1/activities/${activity.id}`, activity.version)
      return activity
    },
  )

  app.patch(
    '/:id',
    {
      schema: {
        operationId: 'updateActivity',
        tags,
        summary: 'Update an activity',
        description:
          'JSON Merge Patch: send only the fields to change; null clears a field; `organizations`, `countries` and `documents` are replaced as a whole. Send If-Match with the ETag you read.',
        params: IdParams,
        body: ref(ActivityPatch),
        response: { 200: ref(Activity) },
      },
      config: { scope: 'plans:write' },
    },
    async (request, reply) => {
      const { id } = request.params
      const patch = request.body
      // Before and after are compared as API shapes, so the change log names API fields.
      const activity = await updateResource(request, {
        resource: 'activity',
        id,
        lock: async (trx) => mapped(await q.lockActivity(trx, id)),
        update: async (trx, before) => {
          await checkActivity(request, trx, patch, before)
          const changed = organizationsDiffer(before, patch.organizations)
          if (changed) await q.replaceActivityOrganizations(trx, id, patch.organizations!)
          return q.toActivity(await q.updateActivity(trx, id, patch, changed))
        },
      })
      reply.header('etag', etagOf(activity.version))
      return activity
    },
  )

  app.delete(
    '/:id',
    {
      schema: {
        operationId: 'deleteActivity',
        tags,
        summary: 'Delete an activity',
        description:
          'Its organization roles go with it. Fails with 409 while a project or a meeting still refers to it.',
        params: IdParams,
        response: { 204: Type.Null({ description: 'Deleted.' }) },
      },
      config: { scope: 'plans:write' },
    },
    async (request, reply) => {
      const { id } = request.params
      await deleteResource(request, {
        resource: 'activity',
        id,
        lock: (trx) => q.lockActivity(trx, id),
        remove: async (trx, before) => {
          await assertPlanRowWritable(request, trx, { before })
          return q.deleteActivity(trx, id)
        },
      })
      return reply.code(204).send(null)
    },
  )
}

const mapped = (row: q.ActivityRow | undefined) => row && q.toActivity(row)

export default routes
