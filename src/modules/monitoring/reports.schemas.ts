import { Type, type Static } from 'typebox'
import { CountryCode, DateString, nullable, ref, ResourceMeta, Timestamp, Uuid } from '../../schemas/common.ts'
import { Provenance } from '../../schemas/provenance.ts'
import { periodPattern } from '../../domain/periods.ts'
import { seedId } from '../../schemas/seed-ids.ts'
import { PeriodString, seededIndicatorId } from './monitoring.schemas.ts'

// The examples: the seeded COMMIT plan and its indicator PPC 1.a (one course a half year).
const commitPlanId = seedId('plan', 'commit-spa-1')
const indicatorHeadExample = {
  indicatorId: seededIndicatorId,
  code: 'PPC 1.a',
  title: 'Sub-regional training courses held at the Regional Training Centre',
  unit: 'count',
  direction: 'increase',
  aggregation: 'sum',
}
const figureExample = {
  actual: 1,
  target: 1,
  baseline: null,
  percentOfTarget: 100,
  status: 'achieved',
  countries: [],
}
const planProgressExample = {
  planId: commitPlanId,
  period: '2006S1',
  from: '2006-01-01',
  to: '2006-06-30',
  summary: { achieved: 1, on_track: 0, at_risk: 0, off_track: 0, no_data: 6 },
  indicators: [{ ...indicatorHeadExample, ...figureExample }],
}
const reportExample = {
  plan: {
    id: commitPlanId,
    code: 'COMMIT SPA I',
    title: 'COMMIT Sub-Regional Plan of Action',
  },
  period: '2006S1',
  kind: 'six_monthly',
  from: '2006-01-01',
  to: '2006-06-30',
  generatedAt: '2026-11-22T09:30:00.000Z',
  activities: {
    byStatus: [
      { status: 'planned', count: 40 },
      { status: 'in_progress', count: 3 },
    ],
    changedStatus: [
      {
        id: seedId('activity', 'commit-spa-1/Activity 11'),
        code: 'Activity 11',
        title: 'Workshop on criteria and processes for identification of victims',
        status: 'in_progress',
        changedAt: '2006-03-14T08:00:00.000Z',
      },
    ],
  },
  meetings: { held: [], openActionItems: [] },
  training: {
    courses: [{ status: 'completed', count: 1 }],
    participants: [
      { country: 'KH', sex: 'female', status: 'completed', count: 6 },
      { country: 'KH', sex: 'male', status: 'completed', count: null },
    ],
    suppressedBelow: 5,
  },
  indicators: planProgressExample,
}
const snapshotHeadExample = {
  id: '4e7a1c9d-3b5f-4d2a-8c60-1f9e3b7d5a28',
  planId: commitPlanId,
  period: '2006S1',
  note: 'Sent to the Governments on 15 July 2006',
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

export const progressStatuses = ['achieved', 'on_track', 'at_risk', 'off_track', 'no_data'] as const

export const progressRules =
  'Actual: a country’s total for the period (without one, its values by sex added for count and currency, averaged otherwise); submitted and verified values only unless `includeDrafts=true`. ' +
  '`latest` indicators carry a country’s last value and target forward to later periods. ' +
  'Regional: the regional value (no country) when there is one, else the countries combined by the aggregation (sum adds, mean averages, min/max, latest adds — averages for percent and ratio). ' +
  'Over periods: sum adds, mean averages, min/max, latest takes the last period’s. ' +
  'Percent of target: increase and maintain, actual ÷ target × 100 (a target of 0 is met by any value ≥ 0); decrease with a baseline above the target, (baseline − actual) ÷ (baseline − target) × 100, the share of the planned reduction achieved; decrease without one, 100 when actual ≤ target, else target ÷ actual × 100. ' +
  'Status: `no_data` when the actual or the target is missing; `achieved` at 100 % or more; `on_track` from 75 %; `at_risk` from 50 %; `off_track` below 50 %.'

const figureFields = {
  actual: Type.Union([Type.Number(), Type.Null()], { description: 'The actual value (null: none reported).' }),
  target: Type.Union([Type.Number(), Type.Null()], { description: 'The target (null: none set).' }),
  baseline: Type.Union([Type.Number(), Type.Null()], { description: 'The earliest baseline known.' }),
  percentOfTarget: Type.Union([Type.Number(), Type.Null()], {
    description: 'Percent of target, one decimal (null without actual or target); see the rules above.',
  }),
  status: Type.Enum(progressStatuses, {
    description:
      '`achieved` ≥ 100 %, `on_track` ≥ 75 %, `at_risk` ≥ 50 %, `off_track` < 50 %, `no_data` without actual or target.',
  }),
}
const CountryFigure = Type.Object({ country: CountryCode, ...figureFields }, { additionalProperties: false })

export const ProgressFigure = Type.Object(
  { ...figureFields, countries: Type.Array(CountryFigure, { maxItems: 300 }) },
  { $id: 'ProgressFigure', additionalProperties: false, description: 'Regional figures and one per country.' },
)

const PeriodFigure = Type.Object(
  { period: PeriodString, ...figureFields, countries: Type.Array(CountryFigure, { maxItems: 300 }) },
  { additionalProperties: false },
)

const indicatorHead = {
  indicatorId: Uuid,
  code: Type.String({ maxLength: 100 }),
  title: Type.String({ maxLength: 1000 }),
  unit: Type.String({ maxLength: 20 }),
  direction: Type.String({ maxLength: 20 }),
  aggregation: Type.String({ maxLength: 20 }),
}

export const IndicatorProgress = Type.Object(
  {
    ...indicatorHead,
    periods: Type.Array(PeriodFigure, {
      maxItems: 10000,
      description: 'Each period with a value or target, in order.',
    }),
    overall: ref(ProgressFigure),
  },
  {
    $id: 'IndicatorProgress',
    additionalProperties: false,
    examples: [
      {
        ...indicatorHeadExample,
        periods: [
          { period: '2005S2', ...figureExample },
          { period: '2006S1', ...figureExample, actual: 0, percentOfTarget: 0, status: 'off_track' },
        ],
        overall: { ...figureExample, actual: 1, target: 2, percentOfTarget: 50, status: 'at_risk' },
      },
    ],
    description: `Actual against target per period and country, and rolled up over the periods shown. ${progressRules}`,
  },
)

export const IndicatorProgressQuery = Type.Object(
  {
    from: Type.Optional({ ...PeriodString, description: 'Only periods that end on or after this one starts.' }),
    to: Type.Optional({ ...PeriodString, description: 'Only periods that end on or before this one ends.' }),
    includeDrafts: Type.Boolean({ default: false, description: 'Count draft values too.' }),
  },
  { additionalProperties: false },
)

export const ReportPeriod = Type.String({
  pattern: `^(final|${periodPattern.slice(1, -1)})$`,
  maxLength: 7,
  description:
    'A period (`2006S1` for a six-monthly report; any period kind works) or `final`: the whole plan period (its start to end dates).',
  examples: ['2006S1'],
})

export const PlanProgressQuery = Type.Object(
  {
    period: Type.Optional(ReportPeriod),
    includeDrafts: Type.Boolean({ default: false, description: 'Count draft values too.' }),
  },
  { additionalProperties: false },
)

const PlanIndicatorProgress = Type.Object(
  { ...indicatorHead, ...ProgressFigure.properties },
  { additionalProperties: false },
)

const statusCounts = Type.Object(
  Object.fromEntries(progressStatuses.map((s) => [s, Type.Integer({ minimum: 0 })])) as Record<
    (typeof progressStatuses)[number],
    ReturnType<typeof Type.Integer>
  >,
  { additionalProperties: false, description: 'How many indicators have each status.' },
)

export const PlanProgress = Type.Object(
  {
    planId: Uuid,
    period: ReportPeriod,
    from: nullable(DateString, 'First day of the period (null: the plan has no dates and no period was asked).'),
    to: nullable(DateString),
    summary: statusCounts,
    indicators: Type.Array(PlanIndicatorProgress, { maxItems: 100000 }),
  },
  {
    $id: 'PlanProgress',
    additionalProperties: false,
    examples: [planProgressExample],
    description: `Each indicator of the plan rolled up over the periods that end within the period asked (a latest indicator: its latest value up to the period’s end). ${progressRules}`,
  },
)

export const ReportParams = Type.Object({ id: Uuid, period: ReportPeriod }, { additionalProperties: false })
export const SnapshotParams = Type.Object(
  { id: Uuid, period: ReportPeriod, snapshotId: Uuid },
  { additionalProperties: false },
)

const count = Type.Integer({ minimum: 0 })
const smallCount = Type.Union([Type.Integer({ minimum: 0 }), Type.Null()], {
  description: 'Null when suppressed: fewer than 5 (and not 0) people, which could identify them.',
})

export const Report = Type.Object(
  {
    plan: Type.Object(
      { id: Uuid, code: Type.String({ maxLength: 200 }), title: Type.String({ maxLength: 1000 }) },
      { additionalProperties: false },
    ),
    period: ReportPeriod,
    kind: Type.Enum(['six_monthly', 'final', 'period'], {
      description: '`six_monthly` for a half year, `final` for the whole plan, `period` for any other period.',
    }),
    from: DateString,
    to: DateString,
    generatedAt: Timestamp,
    activities: Type.Object(
      {
        byStatus: Type.Array(
          Type.Object({ status: Type.String({ maxLength: 50 }), count }, { additionalProperties: false }),
          {
            maxItems: 20,
          },
        ),
        changedStatus: Type.Array(
          Type.Object(
            {
              id: Uuid,
              code: Type.String({ maxLength: 200 }),
              title: Type.String({ maxLength: 2000 }),
              status: Type.String({ maxLength: 50 }),
              changedAt: Timestamp,
            },
            { additionalProperties: false },
          ),
          { maxItems: 500, description: 'Activities whose status was changed within the period (the change log).' },
        ),
      },
      { additionalProperties: false },
    ),
    meetings: Type.Object(
      {
        held: Type.Array(
          Type.Object(
            {
              id: Uuid,
              title: Type.String({ maxLength: 1000 }),
              sequence: Type.Union([Type.String({ maxLength: 100 }), Type.Null()]),
              kind: Type.String({ maxLength: 50 }),
              startDate: Type.Union([DateString, Type.Null()]),
              endDate: Type.Union([DateString, Type.Null()]),
              outcomes: count,
              decisions: count,
              recommendations: count,
              agreements: count,
              actionItems: count,
            },
            { additionalProperties: false },
          ),
          { maxItems: 500, description: 'Meetings held that began within the period, with their outcomes counted.' },
        ),
        openActionItems: Type.Array(
          Type.Object(
            {
              id: Uuid,
              meetingId: Uuid,
              text: Type.String({ maxLength: 20000 }),
              status: Type.String({ maxLength: 50 }),
              dueDate: Type.Union([DateString, Type.Null()]),
            },
            { additionalProperties: false },
          ),
          {
            maxItems: 500,
            description: 'Action items still open or in progress, from meetings up to the period’s end.',
          },
        ),
      },
      { additionalProperties: false },
    ),
    training: Type.Union(
      [
        Type.Object(
          {
            courses: Type.Array(
              Type.Object({ status: Type.String({ maxLength: 50 }), count }, { additionalProperties: false }),
              {
                maxItems: 20,
              },
            ),
            participants: Type.Array(
              Type.Object(
                {
                  country: Type.Union([CountryCode, Type.Null()]),
                  sex: Type.String({ maxLength: 20 }),
                  status: Type.String({ maxLength: 50 }),
                  count: smallCount,
                },
                { additionalProperties: false },
              ),
              {
                maxItems: 10000,
                description: 'Participants of those courses by country, sex and status; small counts suppressed.',
              },
            ),
            suppressedBelow: Type.Integer({ minimum: 1, description: 'Counts from 1 to this minus one are null.' }),
          },
          { additionalProperties: false, description: 'Courses that began within the period.' },
        ),
        Type.Null(),
      ],
      { description: 'Null when this installation has no training data (the training tables do not exist).' },
    ),
    indicators: ref(PlanProgress),
  },
  {
    $id: 'Report',
    additionalProperties: false,
    examples: [reportExample],
    description:
      'The summary report of a plan for a period: activities by status and those that changed status, meetings held with their outcomes and the open action items, courses and participants (aggregates), and indicator progress.',
  },
)

export const ReportSnapshotCreate = Type.Object(
  { note: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })) },
  {
    $id: 'ReportSnapshotCreate',
    additionalProperties: false,
    examples: [{ note: 'Sent to the Governments on 15 July 2006' }],
  },
)

const snapshotHead = {
  id: Uuid,
  planId: Uuid,
  period: ReportPeriod,
  note: Type.Union([Type.String({ maxLength: 2000 }), Type.Null()]),
  ...ResourceMeta,
  provenance: ref(Provenance),
}

export const ReportSnapshot = Type.Object(
  { ...snapshotHead, report: ref(Report) },
  {
    $id: 'ReportSnapshot',
    additionalProperties: false,
    description: 'A report frozen as it was when posted.',
    examples: [{ ...snapshotHeadExample, report: reportExample }],
  },
)
export const ReportSnapshotSummary = Type.Object(snapshotHead, {
  $id: 'ReportSnapshotSummary',
  additionalProperties: false,
})
export const ReportSnapshotList = Type.Object(
  { data: Type.Array(ref(ReportSnapshotSummary), { maxItems: 1000 }) },
  {
    $id: 'ReportSnapshotList',
    additionalProperties: false,
    description: 'Newest first.',
    examples: [{ data: [snapshotHeadExample] }],
  },
)

export type ReportT = Static<typeof Report>
export type PlanProgressT = Static<typeof PlanProgress>
export type IndicatorProgressT = Static<typeof IndicatorProgress>

export const reportSchemas = [
  ProgressFigure,
  IndicatorProgress,
  PlanProgress,
  Report,
  ReportSnapshotCreate,
  ReportSnapshot,
  ReportSnapshotSummary,
  ReportSnapshotList,
]
