import { Type, type Static } from 'typebox'
import {
  DateString,
  described,
  InferredFilter,
  lenientItem,
  ListOf,
  nullable,
  PageQuery,
  Problem,
  ProblemFieldError,
  problemLimits,
  ref,
  ResourceMeta,
  UpdatedSince,
  Uuid,
} from '../../schemas/common.ts'
import { exampleApiProvenance, Provenance } from '../../schemas/provenance.ts'

export const outcomeKinds = ['decision', 'recommendation', 'agreement', 'action_item', 'finding'] as const
export const outcomeStatuses = ['open', 'in_progress', 'done', 'dropped'] as const

/** The most items one batch may carry. */
export const batchLimit = 1000
/** The longest externalRef. */
export const externalRefMaxLength = 200

const Kind = Type.Enum(outcomeKinds, { description: 'What the meeting produced.' })
const Status = Type.Enum(outcomeStatuses, { description: 'Follow-up state; action items only.' })

const fields = {
  externalRef: nullable(
    Type.String({ minLength: 1, maxLength: externalRefMaxLength, examples: ['som2-a18-tor'] }),
    'The poster’s own id for it, unique within the meeting: re-posting it updates this outcome.',
  ),
  kind: Kind,
  text: Type.String({
    minLength: 1,
    maxLength: 20000,
    examples: ['Develop terms of reference for Senior Officials Meetings for finalisation at SOM 3.'],
  }),
  status: nullable(Status, 'For action items (open when not given); null for every other kind.'),
  dueDate: nullable(DateString, 'For action items: when it is due.'),
  responsibleOrganizationIds: Type.Array(Uuid, {
    uniqueItems: true,
    maxItems: 100,
    description: 'Who must act on it (or whom a recommendation addresses).',
  }),
  activityId: nullable(Uuid, 'The activity it concerns.'),
  projectId: nullable(Uuid, 'The project it concerns.'),
}

const example = {
  id: '2c4e6a8b-0d1f-5a3c-9e5b-7d9f1b3d5f70',
  meetingId: '9a0e3c7b-5f1d-5e2a-8b4c-6d7e8f9a0b1c',
  externalRef: 'som2-a18-tor',
  kind: 'action_item',
  text: 'Terms of reference for Senior Officials Meetings, for finalisation at SOM 3',
  status: 'open',
  dueDate: null,
  responsibleOrganizationIds: ['0b9f5c8e-2d6a-4f51-9a3e-7c1d2b4e6f80'],
  activityId: null,
  projectId: null,
  createdAt: '2026-11-22T09:30:00.000Z',
  updatedAt: '2026-11-22T09:30:00.000Z',
  version: 1,
  provenance: exampleApiProvenance,
}

export const Outcome = Type.Object(
  { id: Uuid, meetingId: Uuid, ...fields, ...ResourceMeta, provenance: ref(Provenance) },
  {
    $id: 'Outcome',
    additionalProperties: false,
    description: 'A decision, recommendation, agreement, action item or finding of a meeting.',
    examples: [example],
  },
)

const optional = {
  status: Type.Optional(fields.status),
  dueDate: Type.Optional(fields.dueDate),
  responsibleOrganizationIds: Type.Optional(fields.responsibleOrganizationIds),
  activityId: Type.Optional(fields.activityId),
  projectId: Type.Optional(fields.projectId),
}

export const OutcomeCreate = Type.Object(
  { kind: fields.kind, text: fields.text, externalRef: Type.Optional(fields.externalRef), ...optional },
  {
    $id: 'OutcomeCreate',
    additionalProperties: false,
    examples: [
      { kind: 'recommendation', text: 'Task Forces share their victim identification guidelines before the next SOM.' },
    ],
  },
)

export const OutcomePatch = Type.Partial(
  // The create shape with every field optional: one definition per field.
  OutcomeCreate,
  {
    $id: 'OutcomePatch',
    additionalProperties: false,
    description: 'A JSON Merge Patch (RFC 7396): absent fields stay, null clears.',
    examples: [{ status: 'done' }],
  },
)

const batchItemExample = {
  externalRef: 'som2-a18-tor',
  kind: 'action_item',
  text: 'Terms of reference for Senior Officials Meetings',
  responsibleOrganizationIds: ['0b9f5c8e-2d6a-4f51-9a3e-7c1d2b4e6f80'],
  dueDate: '2005-06-30',
}

export const OutcomeBatchItem = Type.Object(
  {
    externalRef: Type.String({
      minLength: 1,
      maxLength: externalRefMaxLength,
      description:
        'Your id for the outcome, unique within the meeting: a known one updates that outcome, a new one creates it.',
    }),
    kind: fields.kind,
    text: fields.text,
    ...optional,
  },
  {
    $id: 'OutcomeBatchItem',
    additionalProperties: false,
    description:
      'One outcome of a batch: its whole state. Absent fields are null or empty, except `status`: absent, a new action item is open and an existing one keeps its status.',
    examples: [batchItemExample],
  },
)

export const OutcomeBatch = Type.Object(
  {
    items: Type.Array(lenientItem('OutcomeBatchItem'), {
      minItems: 1,
      maxItems: batchLimit,
      description: `1 to ${batchLimit} outcomes (more is a 400 validation problem on /body/items).`,
    }),
  },
  { $id: 'OutcomeBatch', additionalProperties: false, examples: [{ items: [batchItemExample] }] },
)

export const OutcomeBatchQuery = Type.Object(
  {
    mode: Type.Enum(['atomic', 'partial'], {
      default: 'atomic',
      description:
        '`atomic`: any invalid item and nothing is written (422). `partial`: the valid items are written and the invalid ones reported.',
    }),
    dryRun: Type.Boolean({ default: false, description: 'Validate and report what would happen, writing nothing.' }),
  },
  { additionalProperties: false },
)

const itemResults = ['created', 'updated', 'unchanged', 'rejected'] as const
const itemCount = () => Type.Integer({ minimum: 0, maximum: batchLimit })

export const OutcomeBatchItemResult = Type.Object(
  {
    index: Type.Integer({ minimum: 0, maximum: batchLimit - 1, description: 'Position of the item in `items`.' }),
    externalRef: Type.Union([Type.String({ maxLength: externalRefMaxLength }), Type.Null()], {
      description: `As sent (null when it was missing, not a string, or longer than ${externalRefMaxLength} characters).`,
    }),
    result: Type.Enum(itemResults),
    id: Type.Union([Uuid, Type.Null()], {
      description: 'The outcome’s id (null for a rejected item, or a would-be-created one in a dry run).',
    }),
    version: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()]),
    errors: Type.Optional(
      Type.Array(ref(ProblemFieldError), {
        maxItems: problemLimits.errors,
        description: `Why the item was rejected, field by field (the first ${problemLimits.errors}).`,
      }),
    ),
  },
  { $id: 'OutcomeBatchItemResult', additionalProperties: false },
)

export const OutcomeBatchResult = Type.Object(
  {
    mode: Type.Enum(['atomic', 'partial']),
    dryRun: Type.Boolean(),
    summary: Type.Object(
      { total: itemCount(), created: itemCount(), updated: itemCount(), unchanged: itemCount(), rejected: itemCount() },
      { additionalProperties: false },
    ),
    items: Type.Array(ref(OutcomeBatchItemResult), {
      maxItems: batchLimit,
      description: 'One result per item, in the order sent.',
    }),
  },
  {
    $id: 'OutcomeBatchResult',
    additionalProperties: false,
    description: 'What a batch did (or, in a dry run, would do) with each item.',
    examples: [
      {
        mode: 'atomic',
        dryRun: false,
        summary: { total: 2, created: 1, updated: 0, unchanged: 1, rejected: 0 },
        items: [
          { index: 0, externalRef: 'a1', result: 'created', id: example.id, version: 1 },
          { index: 1, externalRef: 'a2', result: 'unchanged', id: example.meetingId, version: 3 },
        ],
      },
    ],
  },
)

export const OutcomeList = ListOf(Outcome, 'OutcomeList')

export const outcomeSorts = ['createdAt', '-createdAt', 'updatedAt', '-updatedAt', 'dueDate', '-dueDate'] as const

const filters = {
  kind: Type.Optional(Kind),
  status: Type.Optional(Status),
  responsibleOrganizationId: Type.Optional(described(Uuid, 'Outcomes this organization is responsible for.')),
  activityId: Type.Optional(Uuid),
  projectId: Type.Optional(Uuid),
  dueBefore: Type.Optional(
    described(DateString, 'Outcomes due before this day (exclusive): `dueBefore` = today lists what is overdue.'),
  ),
  updatedSince: Type.Optional(UpdatedSince('outcomes')),
  inferred: Type.Optional(InferredFilter),
}

const sortOf = (fallback: (typeof outcomeSorts)[number]) =>
  Type.Enum(outcomeSorts, {
    default: fallback,
    description:
      'Order; a leading minus sorts descending. Outcomes without a due date come after the others in ascending dueDate order.',
  })

export const MeetingOutcomeQuery = Type.Object(
  { ...filters, sort: sortOf('createdAt'), ...PageQuery },
  { additionalProperties: false },
)

export const OutcomeQuery = Type.Object(
  {
    meetingId: Type.Optional(Uuid),
    planId: Type.Optional(described(Uuid, 'Outcomes of the meetings of this plan.')),
    ...filters,
    sort: sortOf('dueDate'),
    ...PageQuery,
  },
  { additionalProperties: false },
)

export type OutcomeT = Static<typeof Outcome>
export type OutcomeCreateT = Static<typeof OutcomeCreate>
export type OutcomePatchT = Static<typeof OutcomePatch>
export type OutcomeBatchItemT = Static<typeof OutcomeBatchItem>
export type OutcomeBatchItemResultT = Static<typeof OutcomeBatchItemResult>
export type OutcomeBatchResultT = Static<typeof OutcomeBatchResult>
export type OutcomeFilters = Omit<Static<typeof OutcomeQuery>, 'sort' | 'limit' | 'cursor'>

/** The 422 of an atomic batch: the problem, and every rejected item as the result would list it. */
export const OutcomeBatchProblem = Type.Object(
  {
    ...Problem.properties,
    items: Type.Optional(
      Type.Array(ref(OutcomeBatchItemResult), {
        maxItems: batchLimit,
        description: 'Atomic mode: every rejected item, by index, with its errors.',
      }),
    ),
  },
  {
    $id: 'OutcomeBatchProblem',
    additionalProperties: true,
    description: 'An RFC 9457 problem for a batch in which some items are not valid; nothing was written.',
  },
)

export const schemas = [
  Outcome,
  OutcomeCreate,
  OutcomePatch,
  OutcomeList,
  OutcomeBatchItem,
  OutcomeBatch,
  OutcomeBatchItemResult,
  OutcomeBatchResult,
  OutcomeBatchProblem,
]
