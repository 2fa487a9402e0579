import { Type } from 'typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { IdParams, ref } from '../../schemas/common.ts'
import { idKey, listPage } from '../../http/pagination.ts'
import { created, etagOf, sendResource } from '../../http/conditional.ts'
import { createResource, deleteResource, updateResource, write } from '../../http/writes.ts'
import { assertCountries } from '../../http/access.ts'
import { ApiError, notFound } from '../../http/problems.ts'
import { assertReferences, one } from '../../db/references.queries.ts'
import { parsePeriod, periodError, type Frequency } from '../../domain/periods.ts'
import { apiProvenance } from '../../schemas/provenance.ts'
import type { Database } from '../../db/database.ts'
import {
  Indicator,
  IndicatorCreate,
  IndicatorList,
  IndicatorPatch,
  IndicatorQuery,
  IndicatorTarget,
  IndicatorTargetInput,
  IndicatorTargetList,
  TargetParams,
} from './monitoring.schemas.ts'
import * as q from './monitoring.queries.ts'

const tags = ['Monitoring']

/**
 * An indicator belongs to its plan's member countries (as an activity that names none does): a
 * country-limited key writes only indicators of plans within its countries.
 */
async function assertPlanCountries(request: FastifyRequest, db: Database, planId: string, pointer: string) {
  if (!request.principal?.countries) return
  assertCountries(request, await q.planCountries(db, planId), pointer)
}

async function checkLinks(db: Database, s: q.IndicatorState, prefix: string) {
  await assertReferences(db, one('plans', s.planId, `${prefix}/planId`))
  const bad = await q.foreignLinks(db, s.planId, s)
  if (bad.length)
    throw new ApiError('invalid-reference', `${bad.join(', ')} must name something of the indicator's plan.`, {
      errors: bad.map((k) => ({ pointer: `${prefix}/${k}`, detail: 'no such record in this plan' })),
    })
}

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/indicators',
    {
      schema: {
        operationId: 'listIndicators',
        tags,
        summary: 'List indicators',
        description:
          'Filter by plan and by what is measured (area, project, expected result, activity), frequency, update time or text (`q`).',
        querystring: IndicatorQuery,
        response: { 200: ref(IndicatorList) },
      },
      config: {
        scope: 'read',
        export: true,
        exportNames: { planId: 'plan', areaId: 'area', projectId: 'project', activityId: 'activity' },
      },
    },
    (request, reply) =>
      listPage(request, reply, {
        sorts: q.indicatorSortTable,
        key: idKey('indicators'),
        fetch: (page) => q.listIndicators(app.db, request.query, page),
        map: q.toIndicator,
      }),
  )

  app.get(
    '/indicators/:id',
    {
      schema: {
        operationId: 'getIndicator',
        tags,
        summary: 'Get an indicator',
        description: 'Sends `ETag`; with `If-None-Match` holding it, 304.',
        params: IdParams,
        response: { 200: ref(Indicator) },
      },
      config: { scope: 'read' },
    },
    async (request, reply) =>
      sendResource(
        request,
        reply,
        await q.getIndicator(app.db, request.params.id),
        () => notFound('indicator', request.params.id),
        q.toIndicator,
      ),
  )

  app.post(
    '/indicators',
    {
      schema: {
        operationId: 'createIndicator',
        tags,
        summary: 'Create an indicator',
        description:
          'The area, project, expected result and activity it measures must belong to its plan (422). A code is unique within a plan (409).',
        body: ref(IndicatorCreate),
        response: { 201: ref(Indicator) },
      },
      config: { scope: 'indicators:write' },
    },
    async (request, reply) => {
      const b = request.body
      await assertPlanCountries(request, app.db, b.planId, '/body/planId')
      const state: q.IndicatorState = {
        planId: b.planId,
        code: b.code,
        title: b.title,
        definition: b.definition ?? null,
        unit: b.unit,
        direction: b.direction ?? 'increase',
        aggregation: b.aggregation ?? 'sum',
        frequency: b.frequency ?? 'six_monthly',
        areaId: b.areaId ?? null,
        projectId: b.projectId ?? null,
        resultId: b.resultId ?? null,
        activityId: b.activityId ?? null,
        dataSource: b.dataSource ?? null,
        disaggregations: b.disaggregations ?? ['country'],
      }
      const indicator = await createResource(
        request,
        'indicator',
        async (trx) => {
          await checkLinks(trx, state, '/body')
          return q.toIndicator(await q.insertIndicator(trx, state, apiProvenance(request.principal?.keyId ?? null)))
        },
        Object.keys(b),
      )
      created(reply, `/v1/indicators/${indicator.id}`, indicator.version)
      return indicator
    },
  )

  app.patch(
    '/indicators/:id',
    {
      schema: {
        operationId: 'updateIndicator',
        tags,
        summary: 'Update an indicator',
        description:
          'JSON Merge Patch. The unit and frequency cannot change once it has values (422): they decide what the values mean.',
        params: IdParams,
        body: ref(IndicatorPatch),
        response: { 200: ref(Indicator) },
      },
      config: { scope: 'indicators:write' },
    },
    async (request, reply) => {
      const { id } = request.params
      const patch = request.body
      const indicator = await updateResource(request, {
        resource: 'indicator',
        id,
        lock: async (trx) => {
          const row = await q.lockIndicator(trx, id)
          return row && q.toIndicator(row)
        },
        update: async (trx, before) => {
          await assertPlanCountries(request, trx, before.planId, '/params/id')
          const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined))
          const { id: _i, createdAt: _c, updatedAt: _u, version: _v, provenance: _p, ...current } = before
          const state = { ...current, ...defined } as q.IndicatorState
          for (const field of ['unit', 'frequency'] as const)
            if (state[field] !== before[field] && (await q.countMeasurements(trx, id)) > 0)
              throw new ApiError('rule-violation', `The ${field} cannot change: the indicator has values.`, {
                errors: [{ pointer: `/body/${field}`, detail: 'cannot change once the indicator has values' }],
              })
          await checkLinks(trx, state, '/body')
          return q.toIndicator(await q.updateIndicator(trx, id, state))
        },
      })
      reply.header('etag', etagOf(indicator.version))
      return indicator
    },
  )

  app.delete(
    '/indicators/:id',
    {
      schema: {
        operationId: 'deleteIndicator',
        tags,
        summary: 'Delete an indicator',
        description: '204, with its targets. An indicator that has values is still referenced by them: 409.',
        params: IdParams,
        response: { 204: Type.Null({ description: 'Deleted.' }) },
      },
      config: { scope: 'indicators:write' },
    },
    async (request, reply) => {
      const { id } = request.params
      await deleteResource(request, {
        resource: 'indicator',
        id,
        lock: async (trx) => {
          const row = await q.lockIndicator(trx, id)
          if (row) await assertPlanCountries(request, trx, row.planId, '/params/id')
          return row
        },
        remove: (trx) => q.deleteIndicator(trx, id),
      })
      return reply.code(204).send(null)
    },
  )

  // Baselines and targets ----------------------------------------------------------------------

  app.get(
    '/indicators/:id/targets',
    {
      schema: {
        operationId: 'listIndicatorTargets',
        tags,
        summary: 'List an indicator’s baselines and targets',
        description: 'Every period’s baseline and target, regional and per country, in period order.',
        params: IdParams,
        response: { 200: ref(IndicatorTargetList) },
      },
      config: { scope: 'read' },
    },
    async (request) => {
      if (!(await q.getIndicator(app.db, request.params.id))) throw notFound('indicator', request.params.id)
      return { data: (await q.listTargets(app.db, [request.params.id])).map(q.toTarget) }
    },
  )

  app.post(
    '/indicators/:id/targets',
    {
      schema: {
        operationId: 'upsertIndicatorTarget',
        tags,
        summary: 'Set a baseline and target',
        description:
          'Upserts by (period, country): 201 when new, 200 when it replaced (or equalled) the stored one. The period must match the indicator’s frequency (422). A country-limited key sets only its countries’ targets.',
        params: IdParams,
        body: ref(IndicatorTargetInput),
        response: { 200: ref(IndicatorTarget), 201: ref(IndicatorTarget) },
      },
      config: { scope: 'indicators:write' },
    },
    async (request, reply) => {
      const indicatorId = request.params.id
      const b = request.body
      const country = b.country ?? null
      const indicator = await q.getIndicator(app.db, indicatorId)
      if (!indicator) throw notFound('indicator', indicatorId)
      if (country) assertCountries(request, [country], '/body/country')
      else await assertPlanCountries(request, app.db, indicator.planId, '/body/country')
      const bad = periodError(b.period, indicator.frequency as Frequency)
      if (bad)
        throw new ApiError('rule-violation', `period ${bad}.`, { errors: [{ pointer: '/body/period', detail: bad }] })
      if ((b.baseline ?? null) === null && (b.target ?? null) === null)
        throw new ApiError('rule-violation', 'Give a baseline, a target or both.', {
          errors: [{ pointer: '/body/target', detail: 'a baseline or a target is required' }],
        })
      if (country) await assertReferences(app.db, one('countries', country, '/body/country'))
      const p = parsePeriod(b.period)!
      const state: q.TargetState = {
        period: b.period,
        periodStart: p.start,
        periodEnd: p.end,
        country,
        baseline: b.baseline ?? null,
        target: b.target ?? null,
        comment: b.comment ?? null,
      }
      const result = await write(request, async (w) => {
        const r = await q.upsertTarget(w.trx, indicatorId, state, apiProvenance(request.principal?.keyId ?? null))
        if (!r) return { row: (await q.findTarget(w.trx, indicatorId, b.period, country))!, inserted: false }
        await w.record({
          resource: 'indicator-target',
          resourceId: r.row.id,
          operation: r.inserted ? 'create' : 'update',
          version: r.row.version,
          fields: ['baseline', 'target', 'comment'],
        })
        return r
      })
      const target = q.toTarget(result.row)
      if (result.inserted) created(reply, `/v1/indicators/${indicatorId}/targets/${target.id}`, target.version)
      return target
    },
  )

  app.delete(
    '/indicators/:id/targets/:targetId',
    {
      schema: {
        operationId: 'deleteIndicatorTarget',
        tags,
        summary: 'Delete a baseline and target',
        description: '204. A country-limited key deletes only its countries’ targets.',
        params: TargetParams,
        response: { 204: Type.Null({ description: 'Deleted.' }) },
      },
      config: { scope: 'indicators:write' },
    },
    async (request, reply) => {
      const { id, targetId } = request.params
      await deleteResource(request, {
        resource: 'indicator-target',
        id: targetId,
        lock: async (trx) => {
          const row = await q.getTarget(trx, id, targetId)
          if (row?.country) assertCountries(request, [row.country], '/params/targetId')
          else if (row)
            await assertPlanCountries(request, trx, (await q.getIndicator(trx, id))!.planId, '/params/targetId')
          return row
        },
        remove: (trx) => q.deleteTarget(trx, targetId),
      })
      return reply.code(204).send(null)
    },
  )
}

export default routes
