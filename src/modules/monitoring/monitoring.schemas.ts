import { Type, type Static } from 'typebox'
import {
  InferredFilter,
  CountryCode,
  described,
  lenientItem,
  ListOf,
  nullable,
  PageQuery,
  Problem,
  ProblemFieldError,
  problemLimits,
  ref,
  ResourceMeta,
  Timestamp,
  UpdatedSince,
  Uuid,
} from '../../schemas/common.ts'
import { Provenance } from '../../schemas/provenance.ts'
import { seedId } from '../../schemas/seed-ids.ts'
import { frequencies, periodPattern } from '../../domain/periods.ts'

export const units = ['count', 'percent', 'boolean', 'currency', 'ratio'] as const
export const directions = ['increase', 'decrease', 'maintain'] as const
export const aggregations = ['sum', 'mean', 'latest', 'min', 'max'] as const
export const disaggregationKinds = ['country', 'sex'] as const
export const measurementStatuses = ['draft', 'submitted', 'verified'] as const
export const sexes = ['female', 'male'] as const

/** The most values one batch may carry. */
export const measurementBatchLimit = 10_000

export const PeriodString = Type.String({
  pattern: periodPattern,
  maxLength: 7,
  description:
    'A reporting period as DHIS2 writes it: `2006` (year), `2006S1`/`2006S2` (half year), `2006Q3` (quarter), `2006-07` (month).',
  examples: ['2006S1'],
})

const Unit = Type.Enum(units, {
  description:
    'What a value counts. `count`: a non-negative integer; `percent`: 0–100; `boolean`: 0 or 1 (1 = yes); `currency`: a non-negative amount; `ratio`: a non-negative number.',
})
const Direction = Type.Enum(directions, {
  description:
    'Which way is better. `increase` and `maintain`: at or above the target is achieved; `decrease`: at or below the target is achieved.',
})
const Aggregation = Type.Enum(aggregations, {
  description:
    'How values roll up. Across countries in one period: `sum` adds, `mean` averages, `min`/`max` take the extreme, `latest` adds each country’s latest value so far (averages them for percent and ratio units). Across periods: `sum` adds, `mean` averages, `min`/`max`, `latest` takes the last period’s value. A regional value (no country) of a period is used as is instead of the roll-up of its countries.',
})
const Frequency = Type.Enum(frequencies, {
  description: 'How often it is measured: the kind of period its values and targets use (`once`: any period).',
})

const indicatorFields = {
  code: Type.String({ minLength: 1, maxLength: 100, examples: ['PPC 3.1'] }),
  title: Type.String({
    minLength: 1,
    maxLength: 1000,
    examples: ['Countries with a national plan of action against human trafficking'],
  }),
  definition: nullable(Type.String({ maxLength: 20000 }), 'What is counted and how.'),
  unit: Unit,
  direction: Direction,
  aggregation: Aggregation,
  frequency: Frequency,
  areaId: nullable(Uuid, 'The area of the plan it measures.'),
  projectId: nullable(Uuid, 'The project (PPC) it measures.'),
  resultId: nullable(Uuid, 'The expected result of the project it measures.'),
  activityId: nullable(Uuid, 'The activity it measures.'),
  dataSource: nullable(Type.String({ maxLength: 2000 }), 'Where the values come from.'),
  disaggregations: Type.Array(Type.Enum(disaggregationKinds), {
    uniqueItems: true,
    maxItems: 2,
    description:
      'How values may be broken down: `country` (values per country; without it only regional values) and `sex` (values per sex beside or instead of the total).',
  }),
}

const indicatorExample = {
  id: '5c1e2f3a-4b5d-5e6f-8a7b-9c0d1e2f3a4b',
  planId: '3f1c6a52-8d7e-4c1b-9a8e-2f0c1d5b7a90',
  code: 'PPC 3.1',
  title: 'Countries with a national plan of action against human trafficking',
  definition: null,
  unit: 'boolean',
  direction: 'increase',
  aggregation: 'latest',
  frequency: 'six_monthly',
  areaId: null,
  projectId: null,
  resultId: null,
  activityId: null,
  dataSource: 'COMMIT Task Force reports',
  disaggregations: ['country'],
  createdAt: '2026-11-22T09:30:00.000Z',
  updatedAt: '2026-11-22T09:30:00.000Z',
  version: 1,
  provenance: { origin: 'api', sources: [], inferred: [], doubtful: [], createdBy: null },
}

export const Indicator = Type.Object(
  { id: Uuid, planId: Uuid, ...indicatorFields, ...ResourceMeta, provenance: ref(Provenance) },
  {
    $id: 'Indicator',
    additionalProperties: false,
    description:
      'What progress is measured against: for a plan, optionally tied to an area, project, expected result or activity.',
    examples: [indicatorExample],
  },
)

const optionalIndicator = {
  definition: Type.Optional(indicatorFields.definition),
  direction: Type.Optional(indicatorFields.direction),
  aggregation: Type.Optional(indicatorFields.aggregation),
  frequency: Type.Optional(indicatorFields.frequency),
  areaId: Type.Optional(indicatorFields.areaId),
  projectId: Type.Optional(indicatorFields.projectId),
  resultId: Type.Optional(indicatorFields.resultId),
  activityId: Type.Optional(indicatorFields.activityId),
  dataSource: Type.Optional(indicatorFields.dataSource),
  disaggregations: Type.Optional(indicatorFields.disaggregations),
}

export const IndicatorCreate = Type.Object(
  {
    planId: Uuid,
    code: indicatorFields.code,
    title: indicatorFields.title,
    unit: indicatorFields.unit,
    ...optionalIndicator,
  },
  {
    $id: 'IndicatorCreate',
    additionalProperties: false,
    description:
      'Defaults: direction increase, aggregation sum, frequency six_monthly, disaggregations [country]. The area, project, result and activity must belong to the plan.',
    examples: [{ planId: indicatorExample.planId, code: 'PPC 1.2', title: 'Persons trained', unit: 'count' }],
  },
)

export const IndicatorPatch = Type.Object(
  {
    code: Type.Optional(indicatorFields.code),
    title: Type.Optional(indicatorFields.title),
    unit: Type.Optional(indicatorFields.unit),
    ...optionalIndicator,
  },
  {
    $id: 'IndicatorPatch',
    additionalProperties: false,
    description:
      'A JSON Merge Patch (RFC 7396). The unit and frequency cannot change once values exist (422): they decide what the values mean.',
    examples: [{ title: 'Persons trained in sub-regional courses' }],
  },
)

export const IndicatorList = ListOf(Indicator, 'IndicatorList')
export const indicatorSorts = ['code', '-code', 'createdAt', '-createdAt', 'updatedAt', '-updatedAt'] as const

export const IndicatorQuery = Type.Object(
  {
    planId: Type.Optional(Uuid),
    areaId: Type.Optional(Uuid),
    projectId: Type.Optional(Uuid),
    resultId: Type.Optional(Uuid),
    activityId: Type.Optional(Uuid),
    frequency: Type.Optional(Frequency),
    q: Type.Optional(
      Type.String({ minLength: 1, maxLength: 200, description: 'Text in the code or title (case-insensitive).' }),
    ),
    updatedSince: Type.Optional(UpdatedSince('indicators')),
    inferred: Type.Optional(InferredFilter),
    sort: Type.Enum(indicatorSorts, { default: 'code', description: 'Order; a leading minus sorts descending.' }),
    ...PageQuery,
  },
  { additionalProperties: false },
)
export type IndicatorFilters = Omit<Static<typeof IndicatorQuery>, 'sort' | 'limit' | 'cursor'>

// Baselines and targets ------------------------------------------------------------------------

/** A seeded indicator of the COMMIT plan (the examples below are its seeded rows). */
export const seededIndicatorId = seedId('indicator', 'commit-spa-1/PPC 1.a')
const targetExample = {
  id: seedId('indicator-target', 'commit-spa-1/PPC 1.a/2006S1'),
  indicatorId: seededIndicatorId,
  period: '2006S1',
  country: null,
  baseline: null,
  target: 1,
  comment: null,
  createdAt: '2026-11-22T09:30:00.000Z',
  updatedAt: '2026-11-22T09:30:00.000Z',
  version: 1,
  provenance: {
    origin: 'source',
    sources: [
      {
        document: 'commit-spa',
        title:
          'Coordinated Mekong Ministerial Initiative against Trafficking, Final COMMIT Sub-Regional Plan of Action',
        date: 'not given; written after the consultations of November 2004 – early 2005 it describes',
        file: '001_5a47ec7a16bd1325.txt',
        locator: 'line 58',
      },
    ],
    inferred: [
      {
        field: 'target',
        reason:
          'The plan sets six courses over the three years (line 58); one per half year is an even spread, not stated.',
      },
    ],
    doubtful: [],
    createdBy: null,
  },
}

const targetFields = {
  period: PeriodString,
  country: nullable(CountryCode, 'The country; null for the regional (whole-plan) figure.'),
  baseline: nullable(Type.Number({ minimum: -1e15, maximum: 1e15 }), 'The value before the plan (if known).'),
  target: nullable(Type.Number({ minimum: -1e15, maximum: 1e15 }), 'The value planned for the period.'),
  comment: nullable(Type.String({ maxLength: 2000 })),
}

export const IndicatorTarget = Type.Object(
  { id: Uuid, indicatorId: Uuid, ...targetFields, ...ResourceMeta, provenance: ref(Provenance) },
  {
    $id: 'IndicatorTarget',
    additionalProperties: false,
    examples: [targetExample],
    description: 'The baseline and target of an indicator for one period, regional or for one country.',
  },
)

export const IndicatorTargetInput = Type.Object(
  {
    period: targetFields.period,
    country: Type.Optional(targetFields.country),
    baseline: Type.Optional(targetFields.baseline),
    target: Type.Optional(targetFields.target),
    comment: Type.Optional(targetFields.comment),
  },
  {
    $id: 'IndicatorTargetInput',
    additionalProperties: false,
    description:
      'Upserts by (period, country): posting the same period and country again replaces the baseline and target. At least one of them.',
    examples: [{ period: '2007S2', target: 6 }],
  },
)

export const IndicatorTargetList = Type.Object(
  { data: Type.Array(ref(IndicatorTarget), { maxItems: 10000 }) },
  {
    $id: 'IndicatorTargetList',
    additionalProperties: false,
    examples: [
      {
        data: [
          targetExample,
          {
            ...targetExample,
            id: seedId('indicator-target', 'commit-spa-1/PPC 1.a/2006S2'),
            period: '2006S2',
          },
        ],
      },
    ],
    description: 'Every baseline and target, in period order.',
  },
)

export const TargetParams = Type.Object({ id: Uuid, targetId: Uuid }, { additionalProperties: false })

// Measurements -------------------------------------------------------------------------------

const valueField = Type.Number({
  minimum: -1e15,
  maximum: 1e15,
  description: 'The value, in the indicator’s unit (its range is checked: 422 outside it).',
  examples: [3],
})
const measurementFields = {
  period: PeriodString,
  country: nullable(CountryCode, 'The country; null for a regional value.'),
  sex: nullable(Type.Enum(sexes), 'For sex-disaggregated indicators; null for the total.'),
  value: valueField,
  status: Type.Enum(measurementStatuses, {
    description:
      '`draft` → `submitted` → `verified`. A verified value is changed only by an `admin` key, and only with a `reason` (kept in its history).',
  }),
  source: nullable(Type.String({ maxLength: 2000 }), 'Where the value comes from.'),
  comment: nullable(Type.String({ maxLength: 2000 })),
  reportingOrganizationId: nullable(Uuid, 'Who reported it.'),
}

export const Measurement = Type.Object(
  { id: Uuid, indicatorId: Uuid, ...measurementFields, ...ResourceMeta, provenance: ref(Provenance) },
  {
    $id: 'Measurement',
    additionalProperties: false,
    description: 'One value of an indicator: per period, country (or regional) and sex (or total).',
    examples: [
      {
        id: '7a1e2f3a-4b5d-5e6f-8a7b-9c0d1e2f3a4b',
        indicatorId: indicatorExample.id,
        period: '2006S1',
        country: 'LA',
        sex: null,
        value: 1,
        status: 'submitted',
        source: 'COMMIT Task Force Lao PDR',
        comment: null,
        reportingOrganizationId: null,
        createdAt: '2026-11-22T09:30:00.000Z',
        updatedAt: '2026-11-22T09:30:00.000Z',
        version: 1,
        provenance: indicatorExample.provenance,
      },
    ],
  },
)

const measurementInputFields = {
  period: measurementFields.period,
  country: Type.Optional(measurementFields.country),
  sex: Type.Optional(measurementFields.sex),
  value: measurementFields.value,
  status: Type.Optional(
    described(measurementFields.status, 'Absent: a new value is `draft`, an existing one keeps its status.'),
  ),
  source: Type.Optional(measurementFields.source),
  comment: Type.Optional(measurementFields.comment),
  reportingOrganizationId: Type.Optional(measurementFields.reportingOrganizationId),
  reason: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 2000,
      description: 'Why a verified value changes (required then, and kept in the measurement’s history).',
    }),
  ),
}

export const MeasurementInput = Type.Object(measurementInputFields, {
  $id: 'MeasurementInput',
  additionalProperties: false,
  description:
    'Upserts by (period, country, sex): the same key again updates that value (or leaves it unchanged when equal).',
  examples: [{ period: '2006S1', country: 'LA', value: 1, status: 'submitted' }],
})

export const MeasurementBatchItem = Type.Object(
  { indicatorId: Uuid, ...measurementInputFields },
  {
    $id: 'MeasurementBatchItem',
    additionalProperties: false,
    description: 'One value of a batch: a MeasurementInput with its indicator.',
    examples: [{ indicatorId: indicatorExample.id, period: '2006S1', country: 'LA', value: 1 }],
  },
)

export const MeasurementList = ListOf(Measurement, 'MeasurementList')
export const measurementSorts = ['period', '-period', 'updatedAt', '-updatedAt'] as const

export const MeasurementQuery = Type.Object(
  {
    period: Type.Optional(described(PeriodString, 'Only this period.')),
    from: Type.Optional(described(PeriodString, 'Only periods that end on or after this period starts.')),
    to: Type.Optional(described(PeriodString, 'Only periods that start on or before this period ends.')),
    country: Type.Optional(
      Type.Union([CountryCode, Type.Literal('none')], { description: 'Only this country (`none`: regional values).' }),
    ),
    sex: Type.Optional(
      Type.Union([Type.Enum(sexes), Type.Literal('none')], { description: 'Only this sex (`none`: totals).' }),
    ),
    status: Type.Optional(Type.Enum(measurementStatuses)),
    updatedSince: Type.Optional(UpdatedSince('measurements')),
    sort: Type.Enum(measurementSorts, { default: 'period', description: 'Order; a leading minus sorts descending.' }),
    ...PageQuery,
  },
  { additionalProperties: false },
)
export type MeasurementFilters = Omit<Static<typeof MeasurementQuery>, 'sort' | 'limit' | 'cursor'> & {
  indicatorId: string
}

export const MeasurementChange = Type.Object(
  {
    version: Type.Integer({ minimum: 1, description: 'The measurement’s version after the change.' }),
    valueBefore: Type.Union([Type.Number(), Type.Null()]),
    statusBefore: Type.Union([Type.Enum(measurementStatuses), Type.Null()]),
    valueAfter: Type.Union([Type.Number(), Type.Null()]),
    statusAfter: Type.Union([Type.Enum(measurementStatuses), Type.Null()]),
    reason: Type.Union([Type.String({ maxLength: 2000 }), Type.Null()]),
    actorKeyId: Type.Union([Uuid, Type.Null()]),
    changedAt: Timestamp,
  },
  { $id: 'MeasurementChange', additionalProperties: false },
)
export const MeasurementHistory = Type.Object(
  { data: Type.Array(ref(MeasurementChange), { maxItems: 10000 }) },
  {
    $id: 'MeasurementHistory',
    additionalProperties: false,
    examples: [
      {
        data: [
          {
            version: 2,
            valueBefore: 1,
            statusBefore: 'submitted',
            valueAfter: 2,
            statusAfter: 'submitted',
            reason: 'A second course was held in December',
            actorKeyId: '7c2e9a41-5b3f-4d8e-a1c6-0f9b2d4e8a73',
            changedAt: '2026-11-23T10:00:00.000Z',
          },
        ],
      },
    ],
    description: 'Every change of the value or status of a submitted or verified measurement, oldest first.',
  },
)

// The batch ----------------------------------------------------------------------------------

export const MeasurementBatch = Type.Object(
  {
    items: Type.Array(lenientItem('MeasurementBatchItem'), {
      minItems: 1,
      maxItems: measurementBatchLimit,
      description: `1 to ${measurementBatchLimit} values across indicators (more is a 400 problem on /body/items).`,
    }),
  },
  {
    $id: 'MeasurementBatch',
    additionalProperties: false,
    examples: [{ items: [{ indicatorId: indicatorExample.id, period: '2006S1', country: 'LA', value: 1 }] }],
  },
)

export const MeasurementBatchQuery = Type.Object(
  {
    mode: Type.Enum(['atomic', 'partial'], {
      default: 'atomic',
      description:
        '`atomic`: any rejected value and nothing is written (422). `partial`: the valid values are written and the others reported.',
    }),
    dryRun: Type.Boolean({ default: false, description: 'Validate and count, writing nothing.' }),
  },
  { additionalProperties: false },
)

const batchCount = () => Type.Integer({ minimum: 0, maximum: measurementBatchLimit })

export const MeasurementRejection = Type.Object(
  {
    index: Type.Integer({ minimum: 0, maximum: measurementBatchLimit - 1, description: 'Position in `items`.' }),
    reason: Type.Enum(['invalid', 'forbidden', 'locked', 'not-found', 'conflict'], {
      description:
        '`invalid`: a field breaks a rule (pointer names it); `forbidden`: the key may not write it (country or verified value); `locked`: its period is locked; `not-found`: no such indicator; `conflict`: repeats an earlier item’s key.',
    }),
    errors: Type.Array(ref(ProblemFieldError), { maxItems: problemLimits.errors }),
  },
  { $id: 'MeasurementRejection', additionalProperties: false },
)

export const MeasurementBatchResult = Type.Object(
  {
    mode: Type.Enum(['atomic', 'partial']),
    dryRun: Type.Boolean(),
    summary: Type.Object(
      {
        total: batchCount(),
        created: batchCount(),
        updated: batchCount(),
        unchanged: batchCount(),
        rejected: batchCount(),
      },
      { additionalProperties: false },
    ),
    rejections: Type.Array(ref(MeasurementRejection), {
      maxItems: measurementBatchLimit,
      description: 'Every rejected value, by index, with the pointer and reason.',
    }),
  },
  {
    $id: 'MeasurementBatchResult',
    additionalProperties: false,
    description: 'An import summary (as DHIS2’s dataValueSets): what the batch did, or in a dry run would do.',
    examples: [
      {
        mode: 'partial',
        dryRun: false,
        summary: { total: 3, created: 1, updated: 0, unchanged: 1, rejected: 1 },
        rejections: [
          {
            index: 2,
            reason: 'invalid',
            errors: [{ pointer: '/body/items/2/value', detail: 'a percent must be between 0 and 100' }],
          },
        ],
      },
    ],
  },
)

export const MeasurementBatchProblem = Type.Object(
  {
    ...Problem.properties,
    rejections: Type.Optional(Type.Array(ref(MeasurementRejection), { maxItems: measurementBatchLimit })),
  },
  {
    $id: 'MeasurementBatchProblem',
    additionalProperties: true,
    description: 'An atomic batch with rejected values: nothing was written; `rejections` lists every one.',
  },
)

// Period locks -------------------------------------------------------------------------------

const periodLockExample = {
  id: '2b6e8d4f-0a3c-4e7b-9f15-6d2a8c0e4b37',
  planId: seedId('plan', 'commit-spa-1'),
  period: '2006S1',
  reason: 'Report sent to the Governments',
  createdAt: '2026-11-22T09:30:00.000Z',
  updatedAt: '2026-11-22T09:30:00.000Z',
  version: 1,
  provenance: {
    origin: 'api',
    sources: [],
    inferred: [],
    doubtful: [],
    createdBy: { keyId: '7c2e9a41-5b3f-4d8e-a1c6-0f9b2d4e8a73' },
  },
}
export const PeriodLock = Type.Object(
  {
    id: Uuid,
    planId: Uuid,
    period: PeriodString,
    reason: nullable(Type.String({ maxLength: 2000 })),
    ...ResourceMeta,
    provenance: ref(Provenance),
  },
  {
    $id: 'PeriodLock',
    additionalProperties: false,
    examples: [periodLockExample],
    description:
      'A period closed for reporting: values of the plan’s indicators whose period shares a day with it are read-only except to `admin` keys (409).',
  },
)
export const PeriodLockCreate = Type.Object(
  { period: PeriodString, reason: Type.Optional(nullable(Type.String({ maxLength: 2000 }))) },
  {
    $id: 'PeriodLockCreate',
    additionalProperties: false,
    examples: [{ period: '2006S1', reason: 'Report sent to the Governments' }],
  },
)
export const PeriodLockList = Type.Object(
  { data: Type.Array(ref(PeriodLock), { maxItems: 10000 }) },
  { $id: 'PeriodLockList', additionalProperties: false, examples: [{ data: [periodLockExample] }] },
)
export const LockParams = Type.Object({ id: Uuid, lockId: Uuid }, { additionalProperties: false })

export type IndicatorT = Static<typeof Indicator>
export type IndicatorCreateT = Static<typeof IndicatorCreate>
export type IndicatorTargetT = Static<typeof IndicatorTarget>
export type MeasurementT = Static<typeof Measurement>
export type MeasurementBatchItemT = Static<typeof MeasurementBatchItem>
export type MeasurementRejectionT = Static<typeof MeasurementRejection>
export type MeasurementBatchResultT = Static<typeof MeasurementBatchResult>
export type PeriodLockT = Static<typeof PeriodLock>

export const schemas = [
  Indicator,
  IndicatorCreate,
  IndicatorPatch,
  IndicatorList,
  IndicatorTarget,
  IndicatorTargetInput,
  IndicatorTargetList,
  Measurement,
  MeasurementInput,
  MeasurementBatchItem,
  MeasurementList,
  MeasurementChange,
  MeasurementHistory,
  MeasurementBatch,
  MeasurementRejection,
  MeasurementBatchResult,
  MeasurementBatchProblem,
  PeriodLock,
  PeriodLockCreate,
  PeriodLockList,
]
