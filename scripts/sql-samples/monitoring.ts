import type { Invocation } from '../sql-snapshots.samples.ts'
import { load } from '../sql-snapshots.sources.ts'
import type { PageRequest, SortTable } from '../../src/http/pagination.ts'

// Monitoring and evaluation: indicators, targets, values, locks (monitoring.queries.ts), and the
// reads of progress and reports with their snapshots (reports.queries.ts).

const m = await load<typeof import('../../src/modules/monitoring/monitoring.queries.ts')>('monitoring.queries.ts')
const r = await load<typeof import('../../src/modules/monitoring/reports.queries.ts')>('reports.queries.ts')
const { resolveSort, idKey } = await load<typeof import('../../src/http/pagination.ts')>('pagination.ts')

const PLAN = '11111111-1111-4111-8111-000000000001'
const AREA = '22222222-2222-4222-8222-000000000001'
const PROJECT = '44444444-4444-4444-8444-000000000001'
const RESULT = '55555555-5555-4555-8555-000000000001'
const ACTIVITY = '33333333-3333-4333-8333-000000000001'
const INDICATOR = '99999999-9999-4999-8999-000000000001'
const INDICATOR_2 = '99999999-9999-4999-8999-000000000002'
const TARGET = '99999999-9999-4999-8999-000000000101'
const MEASUREMENT = '99999999-9999-4999-8999-000000000201'
const LOCK = '99999999-9999-4999-8999-000000000301'
const SNAPSHOT = '99999999-9999-4999-8999-000000000401'
const ORG = '66666666-6666-4666-8666-000000000001'
const PROVENANCE = { origin: 'api' as const, sources: [], inferred: [], doubtful: [], createdBy: null }

const page = (sorts: SortTable, sort: string, table: string): PageRequest => ({
  sort: resolveSort(sort, sorts, idKey(table)),
  after: undefined,
  limit: 50,
  binding: 'sql-snapshots',
})
const call = (args: string, run: Invocation['run']): Invocation => ({ call: args, run })

const state = {
  planId: PLAN,
  code: 'PPC 1.a',
  title: 'Sub-regional training courses held',
  definition: null,
  unit: 'count' as const,
  direction: 'increase' as const,
  aggregation: 'sum' as const,
  frequency: 'six_monthly' as const,
  areaId: AREA,
  projectId: PROJECT,
  resultId: RESULT,
  activityId: ACTIVITY,
  dataSource: null,
  disaggregations: ['country' as const],
}
const value = {
  indicatorId: INDICATOR,
  period: '2006S1',
  periodStart: '2006-01-01',
  periodEnd: '2006-06-30',
  country: 'LA',
  sex: null,
  value: 2,
  status: 'submitted',
  source: null,
  comment: null,
  reportingOrganizationId: ORG,
}

export const ignore: Record<string, string> = {
  'monitoring.queries.ts:toIndicator': 'maps a row; no SQL',
  'monitoring.queries.ts:toTarget': 'maps a row; no SQL',
  'monitoring.queries.ts:toMeasurement': 'maps a row; no SQL',
  'monitoring.queries.ts:toLock': 'maps a row; no SQL',
}

export const samples: Record<string, Invocation[]> = {
  'monitoring.queries.ts:planCountries': [call('planId', (db) => m.planCountries(db, PLAN))],
  'monitoring.queries.ts:listIndicators': [
    call('filters: { planId, projectId, frequency, q }, page: sort=code, limit=50', (db) =>
      m.listIndicators(
        db,
        { planId: PLAN, projectId: PROJECT, frequency: 'six_monthly', q: 'training' },
        page(m.indicatorSortTable, 'code', 'indicators'),
      ),
    ),
  ],
  'monitoring.queries.ts:getIndicator': [call('id', (db) => m.getIndicator(db, INDICATOR))],
  'monitoring.queries.ts:lockIndicator': [call('id', (db) => m.lockIndicator(db, INDICATOR))],
  'monitoring.queries.ts:insertIndicator': [
    call('state, provenance', (db) => m.insertIndicator(db, state, PROVENANCE)),
  ],
  'monitoring.queries.ts:updateIndicator': [call('id, state', (db) => m.updateIndicator(db, INDICATOR, state))],
  'monitoring.queries.ts:deleteIndicator': [call('id', (db) => m.deleteIndicator(db, INDICATOR))],
  'monitoring.queries.ts:indicatorsByIds': [call('[id, id]', (db) => m.indicatorsByIds(db, [INDICATOR, INDICATOR_2]))],
  'monitoring.queries.ts:foreignLinks': [
    call('planId, { areaId, projectId, resultId, activityId }', (db) =>
      m.foreignLinks(db, PLAN, { areaId: AREA, projectId: PROJECT, resultId: RESULT, activityId: ACTIVITY }),
    ),
  ],
  'monitoring.queries.ts:countMeasurements': [call('indicatorId', (db) => m.countMeasurements(db, INDICATOR))],
  'monitoring.queries.ts:listTargets': [call('[indicatorId]', (db) => m.listTargets(db, [INDICATOR]))],
  'monitoring.queries.ts:getTarget': [call('indicatorId, id', (db) => m.getTarget(db, INDICATOR, TARGET))],
  'monitoring.queries.ts:upsertTarget': [
    call('indicatorId, { period: 2007S2, country: null, target: 6 }, provenance', (db) =>
      m.upsertTarget(
        db,
        INDICATOR,
        {
          period: '2007S2',
          periodStart: '2007-07-01',
          periodEnd: '2007-12-31',
          country: null,
          baseline: null,
          target: 6,
          comment: null,
        },
        PROVENANCE,
      ),
    ),
  ],
  'monitoring.queries.ts:findTarget': [
    call('indicatorId, 2007S2, null', (db) => m.findTarget(db, INDICATOR, '2007S2', null)),
  ],
  'monitoring.queries.ts:deleteTarget': [call('id', (db) => m.deleteTarget(db, TARGET))],
  'monitoring.queries.ts:listMeasurements': [
    call('filters: { indicatorId, from, to, country: LA, sex: none, status }, page: sort=period, limit=50', (db) =>
      m.listMeasurements(
        db,
        {
          indicatorId: INDICATOR,
          from: '2006-01-01',
          to: '2006-12-31',
          country: 'LA',
          sex: 'none',
          status: 'verified',
        },
        page(m.measurementSortTable, 'period', 'measurements'),
      ),
    ),
  ],
  'monitoring.queries.ts:getMeasurement': [call('id', (db) => m.getMeasurement(db, MEASUREMENT))],
  'monitoring.queries.ts:findMeasurement': [
    call('indicatorId, 2006S1, LA, null', (db) => m.findMeasurement(db, INDICATOR, '2006S1', 'LA', null)),
  ],
  'monitoring.queries.ts:lockMeasurement': [call('id', (db) => m.lockMeasurement(db, MEASUREMENT))],
  'monitoring.queries.ts:deleteMeasurement': [call('id', (db) => m.deleteMeasurement(db, MEASUREMENT))],
  'monitoring.queries.ts:existingMeasurements': [
    call('[indicatorId], [2006S1, 2006S2]', (db) => m.existingMeasurements(db, [INDICATOR], ['2006S1', '2006S2'])),
  ],
  'monitoring.queries.ts:upsertMeasurements': [
    call('[2 values], provenance', (db) =>
      m.upsertMeasurements(db, [value, { ...value, country: 'TH', value: 3 }], PROVENANCE),
    ),
  ],
  'monitoring.queries.ts:insertHistory': [
    call('actor, [1 entry]', (db) =>
      m.insertHistory(db, null, [
        {
          measurementId: MEASUREMENT,
          version: 2,
          valueBefore: 3,
          statusBefore: 'verified',
          valueAfter: 4,
          statusAfter: 'verified',
          reason: 'corrected',
        },
      ]),
    ),
  ],
  'monitoring.queries.ts:measurementHistory': [call('measurementId', (db) => m.measurementHistory(db, MEASUREMENT))],
  'monitoring.queries.ts:listLocks': [call('[planId]', (db) => m.listLocks(db, [PLAN]))],
  'monitoring.queries.ts:insertLock': [
    call('planId, 2006S1, reason, provenance', (db) =>
      m.insertLock(db, PLAN, { period: '2006S1', start: '2006-01-01', end: '2006-06-30' }, 'sent', PROVENANCE),
    ),
  ],
  'monitoring.queries.ts:getLock': [call('planId, id', (db) => m.getLock(db, PLAN, LOCK))],
  'monitoring.queries.ts:deleteLock': [call('id', (db) => m.deleteLock(db, LOCK))],
  'monitoring.queries.ts:indicatorsForIati': [call('planId', (db) => m.indicatorsForIati(db, PLAN))],
  'monitoring.queries.ts:upsertSeedIndicators': [
    call('[1 row]', (db) =>
      m.upsertSeedIndicators(db, [
        {
          id: INDICATOR,
          ...state,
          provenance: JSON.stringify(PROVENANCE),
        },
      ]),
    ),
  ],
  'monitoring.queries.ts:upsertSeedTargets': [
    call('[1 row]', (db) =>
      m.upsertSeedTargets(db, [
        {
          id: TARGET,
          indicatorId: INDICATOR,
          period: '2007S2',
          periodStart: '2007-07-01',
          periodEnd: '2007-12-31',
          target: 6,
          baseline: null,
          provenance: JSON.stringify(PROVENANCE),
        },
      ]),
    ),
  ],
  'monitoring.queries.ts:insertSampleMeasurements': [
    call('[1 value], provenance', (db) => m.insertSampleMeasurements(db, [{ ...value, status: 'draft' }], PROVENANCE)),
  ],
  'reports.queries.ts:progressData': [
    call('{ planId }, includeDrafts=false', (db) => r.progressData(db, { planId: PLAN }, false)),
    call('{ indicatorId }, includeDrafts=true', (db) => r.progressData(db, { indicatorId: INDICATOR }, true)),
  ],
  'reports.queries.ts:planForReport': [call('planId', (db) => r.planForReport(db, PLAN))],
  'reports.queries.ts:activitySection': [
    call('planId, 2006-01-01, 2006-06-30', (db) => r.activitySection(db, PLAN, '2006-01-01', '2006-06-30')),
  ],
  'reports.queries.ts:meetingSection': [
    call('planId, 2006-01-01, 2006-06-30', (db) => r.meetingSection(db, PLAN, '2006-01-01', '2006-06-30')),
  ],
  'reports.queries.ts:hasTraining': [call('', (db) => r.hasTraining(db))],
  'reports.queries.ts:trainingSection': [
    call('planId, 2006-01-01, 2006-06-30', (db) => r.trainingSection(db, PLAN, '2006-01-01', '2006-06-30')),
  ],
  'reports.queries.ts:insertSnapshot': [
    call('planId, 2006S1, report, note, provenance', (db) =>
      r.insertSnapshot(db, PLAN, '2006S1', { period: '2006S1' }, 'sent', PROVENANCE),
    ),
  ],
  'reports.queries.ts:listSnapshots': [call('planId, 2006S1', (db) => r.listSnapshots(db, PLAN, '2006S1'))],
  'reports.queries.ts:getSnapshot': [call('planId, id', (db) => r.getSnapshot(db, PLAN, SNAPSHOT))],
}
