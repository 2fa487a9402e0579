import { Type } from 'typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { ref } from '../../schemas/common.ts'
import { idKey, listPage } from '../../http/pagination.ts'
import { created, etagOf, sendResource } from '../../http/conditional.ts'
import { createResource, deleteResource, updateResource } from '../../http/writes.ts'
import { assertCountries } from '../../http/access.ts'
import { ApiError, notFound, ruleViolation } from '../../http/problems.ts'
import type { Database } from '../../db/database.ts'
import { getPlanSummary } from '../plans/plans.queries.ts'
import { Area, AreaCreate, AreaList, AreaParams, AreaPatch, AreaQuery, PlanAreasParams } from './areas.schemas.ts'
import * as q from './areas.queries.ts'
import { apiProvenance } from '../../schemas/provenance.ts'

const tags = ['Plans']

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/',
    {
      schema: {
        operationId: 'listAreas',
        tags,
        summary: 'List the nodes of a plan’s structure',
        description:
          'Sections, areas, sub-areas, pillars or provisions of one plan, flat and cursor-paginated. For the whole tree with its activities in one response, use GET /v1/plans/{planId}/structure.',
        params: PlanAreasParams,
        querystring: AreaQuery,
        response: { 200: ref(AreaList) },
      },
      config: { scope: 'read', export: true, exportNames: { planId: 'plan', parentId: 'area' } },
    },
    (request, reply) => {
      const { planId } = request.params
      return listPage(request, reply, {
        sorts: q.areaSortTable,
        key: idKey('areas'),
        fetch: async (page) => {
          const rows = await q.listAreas(app.db, planId, request.query, page)
          // An empty page may mean the plan does not exist; only then is it worth a second statement.
          if (rows.length === 0 && !(await getPlanSummary(app.db, planId))) throw notFound('plan', planId)
          return rows
        },
        map: q.toArea,
      })
    },
  )

  app.get(
    '/:areaId',
    {
      schema: {
        operationId: 'getArea',
        tags,
        summary: 'Get a node of a plan’s structure',
        description:
          'Sends `ETag` (the version); with `If-None-Match` holding it, 304 and no body. 404 when the id is unknown.',
        params: AreaParams,
        response: { 200: ref(Area) },
      },
      config: { scope: 'read' },
    },
    async (request, reply) => {
      const { planId, areaId } = request.params
      return sendResource(
        request,
        reply,
        await q.getArea(app.db, planId, areaId),
        () => notFound('area', areaId),
        q.toArea,
      )
    },
  )

  app.post(
    '/',
    {
      schema: {
        operationId: 'createArea',
        tags,
        summary: 'Add a node to a plan’s structure',
        description:
          'A section, area, sub-area, pillar or provision. `parentId` must be a node of the same plan (else 422); without `position` the node goes after its last sibling. Needs `plans:write` and, for a country-limited key, a plan of its countries only.',
        params: PlanAreasParams,
        body: ref(AreaCreate),
        response: { 201: ref(Area) },
      },
      config: { scope: 'plans:write' },
    },
    async (request, reply) => {
      const { planId } = request.params
      const body = request.body
      const area = await createResource(
        request,
        'area',
        async (trx) => {
          await assertPlanWritable(request, trx, planId)
          if (body.parentId) await assertParentInPlan(trx, planId, body.parentId)
          return q.toArea(await q.insertArea(trx, planId, body, apiProvenance(request.principal?.keyId ?? null)))
        },
        Object.keys(body),
      )
      created(reply, `/v1/plans/${planId}/areas/${area.id}`, area.version)
      return area
    },
  )

  app.patch(
    '/:areaId',
    {
      schema: {
        operationId: 'updateArea',
        tags,
        summary: 'Update or move a node of a plan’s structure',
        description:
          'JSON Merge Patch. Setting `parentId` moves the node with everything under it; moving it under itself or one of its own descendants is 422.',
        params: AreaParams,
        body: ref(AreaPatch),
        response: { 200: ref(Area) },
      },
      config: { scope: 'plans:write' },
    },
    async (request, reply) => {
      const { planId, areaId } = request.params
      const patch = request.body
      const area = await updateResource(request, {
        resource: 'area',
        id: areaId,
        lock: async (trx) => mapped(await q.lockArea(trx, planId, areaId)),
        update: async (trx) => {
          await assertPlanWritable(request, trx, planId)
          if (patch.parentId) {
            await assertParentInPlan(trx, planId, patch.parentId)
            if (await q.isSelfOrDescendant(trx, areaId, patch.parentId))
              throw ruleViolation('/body/parentId', 'would move the node under itself or one of its own descendants')
          }
          return q.toArea(await q.updateArea(trx, areaId, patch))
        },
      })
      reply.header('etag', etagOf(area.version))
      return area
    },
  )

  app.delete(
    '/:areaId',
    {
      schema: {
        operationId: 'deleteArea',
        tags,
        summary: 'Delete a node of a plan’s structure',
        description: 'Fails with 409 while nodes or activities are under it: move or delete them first.',
        params: AreaParams,
        response: { 204: Type.Null({ description: 'Deleted.' }) },
      },
      config: { scope: 'plans:write' },
    },
    async (request, reply) => {
      const { planId, areaId } = request.params
      await deleteResource(request, {
        resource: 'area',
        id: areaId,
        lock: (trx) => q.lockArea(trx, planId, areaId),
        remove: async (trx) => {
          await assertPlanWritable(request, trx, planId)
          return q.deleteArea(trx, areaId)
        },
      })
      return reply.code(204).send(null)
    },
  )
}

const mapped = (row: q.AreaRow | undefined) => row && q.toArea(row)

/** 404 for an unknown plan; 403 for a country-limited key when the plan has other members. */
async function assertPlanWritable(request: FastifyRequest, db: Database, planId: string) {
  const plan = await getPlanSummary(db, planId)
  if (!plan) throw notFound('plan', planId)
  assertCountries(request, plan.countries, '/params/planId')
}

async function assertParentInPlan(db: Database, planId: string, parentId: string) {
  const [parent] = await q.getAreaPlans(db, [parentId])
  if (!parent)
    throw new ApiError('invalid-reference', `parentId refers to a node that does not exist.`, {
      errors: [{ pointer: '/body/parentId', detail: 'no such area' }],
    })
  if (parent.planId !== planId)
    throw ruleViolation('/body/parentId', 'is a node of another plan; a node’s parent must be in the same plan')
}

export default routes
