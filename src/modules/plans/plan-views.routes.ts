import type { FastifyReply } from 'fastify'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ref } from '../../schemas/common.ts'
import { notFound } from '../../http/problems.ts'
import { notModifiedTag, viewTagOf } from '../../http/conditional.ts'
import { inSnapshot } from '../../db/snapshot.ts'
import { listAreasOfPlan, toArea } from '../areas/areas.queries.ts'
import { activityMatrixCells, listActivitiesOfPlan, toActivity } from '../activities/activities.queries.ts'
import { getOrganizationsByIds } from '../organizations/organizations.queries.ts'
import { MatrixQuery, PlanMatrix, PlanStructure } from './plan-views.schemas.ts'
import { PlanParams } from './plans.schemas.ts'
import { buildMatrix, buildTree, categoryLabels } from './plan-views.ts'
import { getPlan, getPlanWithStructureTag, toPlan } from './plans.queries.ts'

const tags = ['Plans']

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/:planId/structure',
    {
      schema: {
        operationId: 'getPlanStructure',
        tags,
        summary: 'Get a plan’s whole structure with its activities',
        description:
          'The tree of sections, areas and sub-areas (or pillars and provisions), each node with its activities, in one response: siblings by position, then natural code order; ' +
          'a node’s activities in natural code order (Activity 2 before Activity 10). Read from one snapshot, so the tree is consistent, in three SQL statements whatever the size of the plan. ' +
          'Sends a weak `ETag` that changes whenever the plan, any of its nodes or any of its activities is created, changed or deleted; with `If-None-Match` holding it, 304 and no body.',
        params: PlanParams,
        response: { 200: ref(PlanStructure) },
      },
      config: { scope: 'read', etag: true },
    },
    async (request, reply) => {
      const { planId } = request.params
      // One snapshot: a node moved or an activity deleted while the three statements run would
      // otherwise give a tree that never existed, under a tag that does not describe it.
      const view = await inSnapshot(app.db, async (trx) => {
        const plan = await getPlanWithStructureTag(trx, planId)
        if (!plan) throw notFound('plan', planId)
        if (notModifiedTag(request, reply, viewTagOf(plan.structureTag))) return undefined
        return { plan, areas: await listAreasOfPlan(trx, planId), activities: await listActivitiesOfPlan(trx, planId) }
      })
      if (!view) return (reply as FastifyReply).send() // 304: no body
      const tree = buildTree(view.areas.map(toArea), view.activities.map(toActivity))
      return { plan: toPlan(view.plan), areas: tree.roots, unassignedActivities: tree.unassigned }
    },
  )

  app.get(
    '/:planId/matrix',
    {
      schema: {
        operationId: 'getPlanMatrix',
        tags,
        summary: 'Count a plan’s activities by area and category, organization or country',
        description:
          'The ASEAN plan’s table: `rows=area&columns=category` gives provisions × categories; `columns=organization&role=lead` gives provisions × sectoral bodies. ' +
          'Each cell has the count and the ids of its activities.',
        params: PlanParams,
        querystring: MatrixQuery,
        response: { 200: ref(PlanMatrix) },
      },
      config: { scope: 'read' },
    },
    async (request) => {
      const { planId } = request.params
      const { columns, role, status } = request.query
      const [plan, areas, cells] = await Promise.all([
        getPlan(app.db, planId),
        listAreasOfPlan(app.db, planId),
        activityMatrixCells(app.db, planId, columns, { role, status }),
      ])
      if (!plan) throw notFound('plan', planId)
      const labels = new Map<string, string>()
      if (columns === 'organization') {
        const ids = [...new Set(cells.flatMap((c) => (c.column ? [c.column] : [])))]
        for (const o of await getOrganizationsByIds(app.db, ids)) labels.set(o.id, o.acronym ?? o.name)
      }
      const labelOf = (key: string) => (columns === 'category' ? categoryLabels[key] : labels.get(key)) ?? key
      return buildMatrix(planId, columns, areas.map(toArea), cells, labelOf)
    },
  )
}

export default routes
