import { Type } from 'typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { IdParams, ref } from '../../schemas/common.ts'
import { idKey, listPage } from '../../http/pagination.ts'
import { created, etagOf, sendResource } from '../../http/conditional.ts'
import { createResource, deleteResource, updateResource } from '../../http/writes.ts'
import { assertCountries } from '../../http/access.ts'
import { ApiError, badRequest, notFound, ruleViolation } from '../../http/problems.ts'
import {
  Plan,
  PlanCodeParams,
  PlanCreate,
  type PlanCreateT,
  PlanList,
  PlanPatch,
  type PlanPatchT,
  PlanQuery,
  type PlanT,
} from './plans.schemas.ts'
import { assertReferences, each } from '../../db/references.queries.ts'
import * as q from './plans.queries.ts'
import { adoptionOf, mergeAdoption, milestonesOf } from './plan-dates.ts'
import { apiProvenance } from '../../schemas/provenance.ts'

const tags = ['Plans']

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/',
    {
      schema: {
        operationId: 'listPlans',
        tags,
        summary: 'List plans',
        description:
          'Filter by status, member country, initiative, exact code or text; cursor-paginated. With `q` the best matches come first (`sort=relevance`, the default with `q`): ' +
          '`q=ASEAN` lists the plans whose code or title starts with ASEAN before those that only mention it. Partners syncing use `updatedSince` with `sort=updatedAt`.',
        querystring: PlanQuery,
        response: { 200: ref(PlanList) },
      },
      config: { scope: 'read', export: true, exportNames: { initiativeId: 'organization', supersedesId: 'plan' } },
    },
    (request, reply) => {
      const query = request.query
      // Relevance is the order someone searching means; it is measured against q, so it needs q.
      // The default is set before the cursor is checked, so every page of a crawl has the same one.
      query.sort ??= query.q ? 'relevance' : 'code'
      if (query.sort === 'relevance' && !query.q)
        throw badRequest('/query/sort', 'relevance needs q: the order is how well each plan matches it')
      return listPage(request, reply, {
        sorts: q.planSortTable,
        key: idKey('plans'),
        fetch: (page) => q.listPlans(app.db, query, page),
        map: q.toPlan,
      })
    },
  )

  app.get(
    '/by-code/:code',
    {
      schema: {
        operationId: 'getPlanByCode',
        tags,
        summary: 'Get a plan by its code',
        description:
          'The plan whose code is exactly `code` (URL-encoded: `/v1/plans/by-code/COMMIT%20SPA%20I`). Sends `ETag` (the version), as `GET /v1/plans/{id}` does; 404 when no plan has this code.',
        params: PlanCodeParams,
        response: { 200: ref(Plan) },
      },
      config: { scope: 'read' },
    },
    async (request, reply) =>
      sendResource(
        request,
        reply,
        await q.getPlanByCode(app.db, request.params.code),
        () => new ApiError('not-found', `No plan with code ${request.params.code}.`),
        q.toPlan,
      ),
  )

  app.get(
    '/:id',
    {
      schema: {
        operationId: 'getPlan',
        tags,
        summary: 'Get a plan',
        description:
          'Sends `ETag` (the version); with `If-None-Match` holding it, 304 and no body. 404 when the id is unknown. `GET /v1/plans/{id}/structure` gives the whole tree with its activities in one call.',
        params: IdParams,
        response: { 200: ref(Plan) },
      },
      config: { scope: 'read' },
    },
    async (request, reply) =>
      sendResource(
        request,
        reply,
        await q.getPlan(app.db, request.params.id),
        () => notFound('plan', request.params.id),
        q.toPlan,
      ),
  )

  app.post(
    '/',
    {
      schema: {
        operationId: 'createPlan',
        tags,
        summary: 'Create a plan',
        description:
          '`code` (unique) and `title` are required. `countries` lists the member states; a plan with none can be written only by keys not limited to countries. `supersedesId` links SPA II to SPA I. Answers 201 with `Location` and `ETag`; safe to retry with `Idempotency-Key`.',
        body: ref(PlanCreate),
        response: { 201: ref(Plan) },
      },
      config: { scope: 'plans:write' },
    },
    async (request, reply) => {
      const body = request.body
      assertCountries(request, body.countries ?? [], '/body/countries')
      const row = await createResource(
        request,
        'plan',
        async (trx) => {
          await assertReferences(trx, each('countries', body.countries, '/body/countries'))
          return q.insertPlan(trx, writeOf(body, null), apiProvenance(request.principal?.keyId ?? null))
        },
        Object.keys(body),
      )
      created(reply, `/v1/plans/${row.id}`, row.version)
      return q.toPlan(row)
    },
  )

  app.patch(
    '/:id',
    {
      schema: {
        operationId: 'updatePlan',
        tags,
        summary: 'Update a plan',
        description:
          'JSON Merge Patch: send only the fields to change; null clears a field; arrays (countries, documents) are replaced; `adoption` is merged field by field. Send If-Match with the ETag you read.',
        params: IdParams,
        body: ref(PlanPatch),
        response: { 200: ref(Plan) },
      },
      config: { scope: 'plans:write' },
    },
    async (request, reply) => {
      const { id } = request.params
      const patch = request.body
      // Before and after are compared as API shapes, so the change log names API fields.
      const plan = await updateResource(request, {
        resource: 'plan',
        id,
        lock: async (trx) => mapped(await q.lockPlan(trx, id)),
        update: async (trx, before) => {
          assertCountries(request, before.countries, '/params/id')
          assertCountries(request, patch.countries ?? before.countries, '/body/countries')
          await assertReferences(trx, each('countries', patch.countries, '/body/countries'))
          if (patch.supersedesId && (await q.supersedesChainReaches(trx, patch.supersedesId, id))) {
            throw ruleViolation(
              '/body/supersedesId',
              'would make the plan supersede itself through the plans it replaces',
            )
          }
          return q.toPlan(await q.updatePlan(trx, id, writeOf(patch, before)))
        },
      })
      reply.header('etag', etagOf(plan.version))
      return plan
    },
  )

  app.delete(
    '/:id',
    {
      schema: {
        operationId: 'deletePlan',
        tags,
        summary: 'Delete a plan',
        description:
          'Fails with 409 while anything (its areas, activities, projects, meetings, a plan superseding it …) still refers to it: delete those first.',
        params: IdParams,
        response: { 204: Type.Null({ description: 'Deleted.' }) },
      },
      config: { scope: 'plans:write' },
    },
    async (request, reply) => {
      const { id } = request.params
      await deleteResource(request, {
        resource: 'plan',
        id,
        lock: (trx) => q.lockPlan(trx, id),
        remove: (trx, before) => {
          assertCountries(request, before.countries, '/params/id')
          return q.deletePlan(trx, id)
        },
      })
      return reply.code(204).send(null)
    },
  )
}

const mapped = (row: q.PlanRow | undefined) => row && q.toPlan(row)

/** The body with its adoption merged on the stored one (a PATCH) and its dates' spans filled in. */
function writeOf<B extends PlanCreateT | PlanPatchT>(body: B, before: PlanT | null) {
  const { adoption, milestones, ...rest } = body
  return {
    ...rest,
    ...(adoption !== undefined ? { adoption: adoptionOf(mergeAdoption(before?.adoption ?? null, adoption)) } : {}),
    ...(milestones !== undefined ? { milestones: milestonesOf(milestones) } : {}),
  }
}

export default routes
