import { Type } from 'typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { IdParams, ref } from '../../schemas/common.ts'
import { idKey, listPage } from '../../http/pagination.ts'
import { created, sendResource } from '../../http/conditional.ts'
import { deleteResource } from '../../http/writes.ts'
import { assertCountries, hasScope } from '../../http/access.ts'
import { ApiError, notFound, type ProblemKind } from '../../http/problems.ts'
import {
  Measurement,
  MeasurementBatch,
  MeasurementBatchQuery,
  MeasurementBatchResult,
  MeasurementHistory,
  MeasurementInput,
  MeasurementList,
  MeasurementQuery,
  measurementBatchLimit,
  type MeasurementRejectionT,
} from './monitoring.schemas.ts'
import { AtomicRejection, applyMeasurements } from './measurements.service.ts'
import { itemValidator } from '../../http/batch.ts'
import * as q from './monitoring.queries.ts'
import { parsePeriod } from '../../domain/periods.ts'

const tags = ['Monitoring']

/** The problem a single upsert answers for what the batch reports as a rejection. */
const kindOf: Record<MeasurementRejectionT['reason'], ProblemKind> = {
  invalid: 'rule-violation',
  forbidden: 'forbidden',
  locked: 'conflict',
  'not-found': 'not-found',
  conflict: 'conflict',
}

/** A 10 000-value batch is about 1.5 MB of JSON: this route alone takes up to 8 MiB. */
export const batchBodyLimit = 8 * 1024 * 1024

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const validator = itemValidator(app, 'MeasurementBatchItem', '/v1/measurements/batch')

  app.get(
    '/indicators/:id/measurements',
    {
      schema: {
        operationId: 'listIndicatorMeasurements',
        tags,
        summary: 'List an indicator’s values',
        description:
          'Filter by `period`, a range (`from`/`to`), `country` (`none`: regional), `sex` (`none`: totals), `status`, update time. In period order by default.',
        params: IdParams,
        querystring: MeasurementQuery,
        response: { 200: ref(MeasurementList) },
      },
      config: { scope: 'read', export: true, exportNames: { reportingOrganizationId: 'organization' } },
    },
    async (request, reply) => {
      if (!(await q.getIndicator(app.db, request.params.id))) throw notFound('indicator', request.params.id)
      const { from, to, ...rest } = request.query
      const filters = {
        ...rest,
        indicatorId: request.params.id,
        from: from ? parsePeriod(from)?.start : undefined,
        to: to ? parsePeriod(to)?.end : undefined,
      }
      return listPage(request, reply, {
        sorts: q.measurementSortTable,
        key: idKey('measurements'),
        fetch: (page) => q.listMeasurements(app.db, filters, page),
        map: q.toMeasurement,
      })
    },
  )

  app.get(
    '/measurements/:id',
    {
      schema: {
        operationId: 'getMeasurement',
        tags,
        summary: 'Get a value',
        description: 'Sends `ETag`; with `If-None-Match` holding it, 304.',
        params: IdParams,
        response: { 200: ref(Measurement) },
      },
      config: { scope: 'read' },
    },
    async (request, reply) =>
      sendResource(
        request,
        reply,
        await q.getMeasurement(app.db, request.params.id),
        () => notFound('measurement', request.params.id),
        q.toMeasurement,
      ),
  )

  app.get(
    '/measurements/:id/history',
    {
      schema: {
        operationId: 'getMeasurementHistory',
        tags,
        summary: 'A value’s history',
        description:
          'Every change of a submitted or verified value: value and status before and after, the key and the reason (required when the value was verified).',
        params: IdParams,
        response: { 200: ref(MeasurementHistory) },
      },
      config: { scope: 'read' },
    },
    async (request) => {
      if (!(await q.getMeasurement(app.db, request.params.id))) throw notFound('measurement', request.params.id)
      const rows = await q.measurementHistory(app.db, request.params.id)
      return {
        data: rows.map((r) => ({
          ...r,
          statusBefore: r.statusBefore as 'draft' | null,
          statusAfter: r.statusAfter as 'draft' | null,
        })),
      }
    },
  )

  app.post(
    '/indicators/:id/measurements',
    {
      schema: {
        operationId: 'upsertIndicatorMeasurement',
        tags,
        summary: 'Post a value',
        description:
          'Upserts by (period, country, sex): 201 when new, 200 when it updated or equalled the stored value. ' +
          'A period not of the indicator’s frequency, or a value outside its unit’s range (a percent over 100, a boolean not 0/1, a count not a non-negative integer) is 422 naming the field. ' +
          'A country-limited key writes only its countries’ values (403; regional values are read-only to it). A value in a locked period is 409 unless the key has `admin`. A verified value is changed only by an `admin` key (403) with a `reason` (422 without).',
        params: IdParams,
        body: ref(MeasurementInput),
        response: { 200: ref(Measurement), 201: ref(Measurement) },
      },
      config: { scope: 'indicators:write' },
    },
    async (request, reply) => {
      const indicatorId = request.params.id
      if (!(await q.getIndicator(app.db, indicatorId))) throw notFound('indicator', indicatorId)
      let result: Awaited<ReturnType<typeof applyMeasurements>>
      try {
        result = await applyMeasurements(request, [{ indicatorId, ...request.body }], {
          mode: 'atomic',
          dryRun: false,
          validate: null,
          pointer: () => '/body',
        })
      } catch (err) {
        if (!(err instanceof AtomicRejection)) throw err
        const r = err.result.rejections[0]!
        throw new ApiError(kindOf[r.reason], r.errors[0]?.detail, { errors: r.errors })
      }
      const b = request.body
      const row =
        result.row ?? (await q.findMeasurement(app.db, indicatorId, b.period, b.country ?? null, b.sex ?? null))!
      const m = q.toMeasurement(row)
      if (result.results.get(0) === 'created') created(reply, `/v1/measurements/${m.id}`, m.version)
      return m
    },
  )

  app.delete(
    '/measurements/:id',
    {
      schema: {
        operationId: 'deleteMeasurement',
        tags,
        summary: 'Delete a value',
        description:
          '204. A verified value, or one in a locked period, is deleted only by an `admin` key; a country-limited key deletes only its countries’ values.',
        params: IdParams,
        response: { 204: Type.Null({ description: 'Deleted.' }) },
      },
      config: { scope: 'indicators:write' },
    },
    async (request, reply) => {
      const { id } = request.params
      await deleteResource(request, {
        resource: 'measurement',
        id,
        lock: async (trx) => {
          const row = await q.lockMeasurement(trx, id)
          if (!row) return row
          assertCountries(request, [row.country], '/params/id')
          if (row.status === 'verified' && !hasScope(request.principal ?? null, 'admin'))
            throw new ApiError('forbidden', 'The value is verified: only an admin key may delete it.', {
              errors: [{ pointer: '/params/id', detail: 'is verified' }],
            })
          return row
        },
        remove: (trx) => q.deleteMeasurement(trx, id),
      })
      return reply.code(204).send(null)
    },
  )

  app.post(
    '/measurements/batch',
    {
      bodyLimit: batchBodyLimit,
      schema: {
        operationId: 'importMeasurements',
        tags,
        summary: 'Import a batch of values',
        description:
          `Up to ${measurementBatchLimit} values across indicators, each a \`MeasurementBatchItem\` upserted by (indicator, period, country, sex), answered with an import summary as DHIS2’s dataValueSets: counts created, updated, unchanged and rejected, and every rejection by index, pointer and reason. ` +
          'Each value meets the rules of the single upsert (frequency, unit range, country-limited keys, locked periods, verified values). ' +
          '`mode=atomic` (default): any rejection and nothing is written — a 422 problem listing every rejection (403 when a value is outside the key’s countries or a verified value changed without `admin`). `mode=partial`: the valid values are written. `dryRun=true` writes nothing. ' +
          `Posting the same batch again reports every value unchanged. The body may be up to ${batchBodyLimit / 1024 / 1024} MiB (413 above).`,
        querystring: MeasurementBatchQuery,
        body: ref(MeasurementBatch),
        response: { 200: ref(MeasurementBatchResult) },
      },
      config: {
        scope: 'indicators:write',
        documentResponses: {
          422: {
            description:
              'Atomic mode and some values were rejected: nothing was written; `rejections` lists each by index with its pointer and reason.',
            schema: { $ref: 'MeasurementBatchProblem' },
          },
        },
      },
    },
    async (request) => {
      const { mode, dryRun } = request.query
      const items = request.body.items
      try {
        const r = await applyMeasurements(request, items, {
          mode,
          dryRun,
          validate: validator(),
          pointer: (i) => `/body/items/${i}`,
        })
        return { mode, dryRun, summary: r.summary, rejections: r.rejections }
      } catch (err) {
        if (!(err instanceof AtomicRejection)) throw err
        const { rejections } = err.result
        // A value the key may not write makes the batch a 403 (nothing written), as the single upsert.
        const forbidden = rejections.filter((r) => r.reason === 'forbidden')
        if (forbidden.length)
          throw new ApiError(
            'forbidden',
            `${forbidden.length} of ${items.length} values may not be written with this key (first: item ${forbidden[0]!.index}): outside its countries, or verified; nothing was written.`,
            { errors: forbidden.flatMap((r) => r.errors), rejections },
          )
        throw new ApiError(
          'rule-violation',
          `${rejections.length} of ${items.length} values were rejected (first: item ${rejections[0]!.index}); nothing was written.`,
          { errors: rejections.flatMap((r) => r.errors), rejections },
        )
      }
    },
  )
}

export default routes
