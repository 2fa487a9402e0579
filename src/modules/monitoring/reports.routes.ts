import { Type } from 'typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { IdParams, ref } from '../../schemas/common.ts'
import { created, sendResource } from '../../http/conditional.ts'
import { createResource, deleteResource } from '../../http/writes.ts'
import { ApiError, notFound } from '../../http/problems.ts'
import { assertCountries } from '../../http/access.ts'
import { negotiate } from '../../http/export.ts'
import { parsePeriod } from '../../domain/periods.ts'
import { apiProvenance, provenanceOf } from '../../schemas/provenance.ts'
import { LockParams, PeriodLock, PeriodLockCreate, PeriodLockList } from './monitoring.schemas.ts'
import {
  IndicatorProgress,
  IndicatorProgressQuery,
  PlanProgress,
  PlanProgressQuery,
  Report,
  ReportParams,
  ReportSnapshot,
  ReportSnapshotCreate,
  ReportSnapshotList,
  SnapshotParams,
  type ReportT,
} from './reports.schemas.ts'
import { buildReport, indicatorProgress, planOrThrow, planProgress } from './reports.service.ts'
import { reportCsp, reportCsv, reportHtml } from './reports.render.ts'
import * as q from './monitoring.queries.ts'
import * as rq from './reports.queries.ts'

const tags = ['Monitoring']
const offers = ['application/json', 'text/csv', 'text/html'] as const

const reportResponse = (description: string) => ({
  description,
  headers: {
    'content-disposition': {
      type: 'string',
      maxLength: 300,
      description: 'On CSV: `attachment; filename="<plan code>-<period>.csv"`.',
    },
    'content-security-policy': {
      type: 'string',
      maxLength: 200,
      description: `On the HTML page: \`${reportCsp}\` (no script runs; the charts are inline SVG).`,
    },
  },
  content: {
    'application/json': { schema: ref(Report) },
    'text/csv': {
      schema: {
        type: 'string',
        maxLength: 100_000_000,
        description: 'One row per figure: section, item, label, measure, value.',
      },
    },
    'text/html': {
      schema: {
        type: 'string',
        maxLength: 100_000_000,
        description: 'A printable page with inline SVG charts and no script.',
      },
    },
  },
})

const routes: FastifyPluginAsyncTypebox = async (app) => {
  /** Sends a report in the media type Accept prefers (JSON, CSV or HTML); 406 for anything else. */
  function sendReport(request: Parameters<typeof negotiate>[0], reply: import('fastify').FastifyReply, r: ReportT) {
    reply.header('vary', 'Accept')
    const type = negotiate(request, offers)
    if (!type) throw new ApiError('not-acceptable', 'A report is application/json, text/csv or text/html.')
    if (type === 'text/csv') {
      const name = `${r.plan.code}-${r.period}`.replace(/[^A-Za-z0-9._-]+/g, '-')
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${name}.csv"`)
        .send(reportCsv(r))
    }
    if (type === 'text/html')
      return reply.type('text/html; charset=utf-8').header('content-security-policy', reportCsp).send(reportHtml(r))
    return r
  }

  app.get(
    '/indicators/:id/progress',
    {
      schema: {
        operationId: 'getIndicatorProgress',
        tags,
        summary: 'An indicator’s progress',
        description:
          'Actual against target for every period with a value or a target (optionally `from`/`to`), per country and regional, and rolled up over those periods. See `IndicatorProgress` for the rules of roll-up, percent of target and status.',
        params: IdParams,
        querystring: IndicatorProgressQuery,
        response: { 200: ref(IndicatorProgress) },
      },
      config: { scope: 'read' },
    },
    (request) => indicatorProgress(app.db, request.params.id, request.query),
  )

  app.get(
    '/plans/:id/progress',
    {
      schema: {
        operationId: 'getPlanProgress',
        tags,
        summary: 'A plan’s progress',
        description:
          'Each indicator of the plan for a period (`period=2006S1`), or over the whole plan (`period=final`, the default), with counts by status. See `PlanProgress` for the rules.',
        params: IdParams,
        querystring: PlanProgressQuery,
        response: { 200: ref(PlanProgress) },
      },
      config: { scope: 'read' },
    },
    async (request) => {
      const plan = await planOrThrow(app.db, request.params.id)
      return planProgress(app.db, plan, request.query.period ?? 'final', request.query.includeDrafts)
    },
  )

  app.get(
    '/plans/:id/reports/:period',
    {
      schema: {
        operationId: 'getPlanReport',
        tags,
        summary: 'A plan’s summary report',
        description:
          'The six-monthly summary report (`2006S1`), the final report (`final`: the plan’s whole period) or a report for any period, computed now: activities by status and those whose status changed in the period, meetings held with their outcomes and the open action items, courses and participants (aggregates, small counts suppressed), and indicator progress. ' +
          '`Accept: text/csv` gives it as CSV, `Accept: text/html` as a printable page with charts (no script). POST the same path to freeze it as a snapshot.',
        params: ReportParams,
        response: { 200: reportResponse('The report.') },
      },
      config: { scope: 'read' },
    },
    async (request, reply) =>
      sendReport(request, reply, await buildReport(app.db, request.params.id, request.params.period)),
  )

  app.post(
    '/plans/:id/reports/:period',
    {
      schema: {
        operationId: 'createPlanReportSnapshot',
        tags,
        summary: 'Freeze a report',
        description:
          'Computes the report and keeps it as it is now (201, `Location` of the snapshot), so that a report sent to the Governments can always be reproduced. Snapshots are listed at `…/snapshots`.',
        params: ReportParams,
        body: Type.Optional(ref(ReportSnapshotCreate)),
        response: { 201: ref(ReportSnapshot) },
      },
      config: { scope: 'indicators:write' },
    },
    async (request, reply) => {
      const { id, period } = request.params
      assertCountries(request, (await planOrThrow(app.db, id)).countries, '/params/id')
      const report = await buildReport(app.db, id, period)
      const snapshot = await createResource(
        request,
        'report-snapshot',
        async (trx) => {
          const row = await rq.insertSnapshot(
            trx,
            id,
            period,
            report,
            request.body?.note ?? null,
            apiProvenance(request.principal?.keyId ?? null),
          )
          return { ...row, report, provenance: provenanceOf(row.provenance) }
        },
        ['report'],
      )
      created(reply, `/v1/plans/${id}/reports/${period}/snapshots/${snapshot.id}`, snapshot.version)
      return snapshot
    },
  )

  app.get(
    '/plans/:id/reports/:period/snapshots',
    {
      schema: {
        operationId: 'listPlanReportSnapshots',
        tags,
        summary: 'List a report’s snapshots',
        description: 'The frozen copies of this plan’s report for this period, newest first (without their contents).',
        params: ReportParams,
        response: { 200: ref(ReportSnapshotList) },
      },
      config: { scope: 'read' },
    },
    async (request) => {
      await planOrThrow(app.db, request.params.id)
      const rows = await rq.listSnapshots(app.db, request.params.id, request.params.period)
      return { data: rows.map((r) => ({ ...r, provenance: provenanceOf(r.provenance) })) }
    },
  )

  app.get(
    '/plans/:id/reports/:period/snapshots/:snapshotId',
    {
      schema: {
        operationId: 'getPlanReportSnapshot',
        tags,
        summary: 'Get a report snapshot',
        description: 'The report exactly as it was frozen. Sends `ETag`; with `If-None-Match` holding it, 304.',
        params: SnapshotParams,
        response: { 200: ref(ReportSnapshot) },
      },
      config: { scope: 'read' },
    },
    async (request, reply) => {
      const row = await rq.getSnapshot(app.db, request.params.id, request.params.snapshotId)
      return sendResource(
        request,
        reply,
        row && row.period === request.params.period ? row : undefined,
        () => notFound('report snapshot', request.params.snapshotId),
        (r) => ({
          id: r.id,
          planId: r.planId,
          period: r.period,
          note: r.note,
          createdAt: r.createdAt,
          updatedAt: r.updatedAt,
          version: r.version,
          provenance: provenanceOf(r.provenance),
          report: r.report as ReportT,
        }),
      )
    },
  )

  // Period locks -------------------------------------------------------------------------------

  app.get(
    '/plans/:id/period-locks',
    {
      schema: {
        operationId: 'listPeriodLocks',
        tags,
        summary: 'List a plan’s locked periods',
        params: IdParams,
        response: { 200: ref(PeriodLockList) },
      },
      config: { scope: 'read' },
    },
    async (request) => {
      await planOrThrow(app.db, request.params.id)
      return { data: (await q.listLocks(app.db, [request.params.id])).map(q.toLock) }
    },
  )

  app.post(
    '/plans/:id/period-locks',
    {
      schema: {
        operationId: 'createPeriodLock',
        tags,
        summary: 'Lock a period',
        description:
          'Closes a period for reporting: values of the plan’s indicators whose period shares a day with it (2006S1 locks 2006S1, 2006Q1, 2006-03 and 2006) can then be written only by `admin` keys (409 otherwise; a batch reports them as `locked`). A period locked already is 409.',
        params: IdParams,
        body: ref(PeriodLockCreate),
        response: { 201: ref(PeriodLock) },
      },
      config: { scope: 'admin' },
    },
    async (request, reply) => {
      const planId = request.params.id
      assertCountries(request, (await planOrThrow(app.db, planId)).countries, '/params/id')
      const p = parsePeriod(request.body.period)
      if (!p)
        throw new ApiError('rule-violation', 'Not a period.', {
          errors: [{ pointer: '/body/period', detail: 'must be a period: 2006, 2006S1, 2006Q3 or 2006-07' }],
        })
      const lock = await createResource(
        request,
        'period-lock',
        async (trx) =>
          q.toLock(
            await q.insertLock(
              trx,
              planId,
              p,
              request.body.reason ?? null,
              apiProvenance(request.principal?.keyId ?? null),
            ),
          ),
        Object.keys(request.body),
      )
      created(reply, `/v1/plans/${planId}/period-locks/${lock.id}`, lock.version)
      return lock
    },
  )

  app.delete(
    '/plans/:id/period-locks/:lockId',
    {
      schema: {
        operationId: 'deletePeriodLock',
        tags,
        summary: 'Unlock a period',
        params: LockParams,
        response: { 204: Type.Null({ description: 'Unlocked.' }) },
      },
      config: { scope: 'admin' },
    },
    async (request, reply) => {
      const { id, lockId } = request.params
      await deleteResource(request, {
        resource: 'period-lock',
        id: lockId,
        lock: async (trx) => {
          const row = await q.getLock(trx, id, lockId)
          if (row) assertCountries(request, (await planOrThrow(trx, id)).countries, '/params/id')
          return row
        },
        remove: (trx) => q.deleteLock(trx, lockId),
      })
      return reply.code(204).send(null)
    },
  )
}

export default routes
