import { Type, type Static } from 'typebox'
import {
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
  UpdatedSince,
  Uuid,
} from '../../schemas/common.ts'
import { Provenance } from '../../schemas/provenance.ts'

export const participantStatuses = [
  'nominated',
  'confirmed',
  'waitlisted',
  'withdrawn',
  'attended',
  'completed',
] as const
/** The statuses that hold one of the course's seats. */
export const seatHolding = ['confirmed', 'attended', 'completed'] as const
export const sexes = ['female', 'male', 'unspecified'] as const
export const occupationGroups = [
  'police',
  'prosecutor',
  'judge',
  'immigration',
  'labour_inspector',
  'social_worker',
  'other',
] as const

/** The most items one batch may carry. */
export const participantBatchLimit = 500
export const externalRefMaxLength = 200

const personal = ' Personal: returned only to keys with the `participants:read` scope.'

const Status = Type.Enum(participantStatuses, {
  description:
    'nominated: put forward, no seat asked yet. confirmed: holds a seat. waitlisted: asked for a seat when none was free; the first on the waitlist (whose country quota allows) is confirmed when a seat frees. withdrawn: gave up (a seat it held goes to the waitlist). attended, completed: hold their seat.',
})

/** The fields only `participants:read` may see. */
export const personalFields = [
  'name',
  'sex',
  'organizationId',
  'occupationGroup',
  'contact',
  'daysAttended',
  'preScore',
  'postScore',
] as const

const fields = {
  externalRef: nullable(
    Type.String({ minLength: 1, maxLength: externalRefMaxLength, examples: ['tf-la-2005-07'] }),
    'The nominating body’s own id for the nomination, unique within the course (never a personal identifier): re-posting it in a batch updates this participant.',
  ),
  name: Type.String({ minLength: 1, maxLength: 300, description: `Full name.${personal}` }),
  sex: Type.Enum(sexes, { description: `Default unspecified.${personal}` }),
  country: nullable(CountryCode, 'The country the participant comes from (the country rule of keys applies to it).'),
  organizationId: nullable(Uuid, `Where the participant works.${personal}`),
  occupationGroup: Type.Enum(occupationGroups, { description: `Default other.${personal}` }),
  contact: nullable(Type.String({ minLength: 1, maxLength: 300 }), `E-mail or telephone.${personal}`),
  status: Status,
  daysAttended: nullable(Type.Integer({ minimum: 0, maximum: 366 }), `Days attended.${personal}`),
  preScore: nullable(Type.Number({ minimum: 0, maximum: 100, multipleOf: 0.01 }), `Pre-test score, 0–100.${personal}`),
  postScore: nullable(
    Type.Number({ minimum: 0, maximum: 100, multipleOf: 0.01 }),
    `Post-test score, 0–100.${personal}`,
  ),
}

const opt = <T extends Record<string, import('typebox').TSchema>>(o: T) =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [k, Type.Optional(v)])) as {
    [K in keyof T]: import('typebox').TOptional<T[K]>
  }

const { name, sex, organizationId, occupationGroup, contact, daysAttended, preScore, postScore } = fields

export const Participant = Type.Object(
  {
    id: Uuid,
    courseId: Uuid,
    externalRef: fields.externalRef,
    country: fields.country,
    status: fields.status,
    ...opt({ name, sex, organizationId, occupationGroup, contact, daysAttended, preScore, postScore }),
    provenance: ref(Provenance),
    ...ResourceMeta,
  },
  {
    $id: 'TrainingParticipant',
    additionalProperties: false,
    description:
      'A participant of a course. The personal fields (name, sex, organizationId, occupationGroup, contact, daysAttended, preScore, postScore) are present only for keys with `participants:read`; a key that may enrol (`training:write`) but not read personal data gets the rest.',
    examples: [
      {
        id: '8e1d2a6b-9c0f-5e73-9a4b-3c5d7e9f1a2b',
        courseId: '5d2f8e61-3b7a-5c49-8e1d-2a6b9c0f4e73',
        externalRef: 'tf-la-2005-07',
        country: 'LA',
        status: 'confirmed',
        name: 'Participant name',
        sex: 'female',
        organizationId: null,
        occupationGroup: 'police',
        contact: null,
        daysAttended: null,
        preScore: null,
        postScore: null,
        provenance: { origin: 'api', sources: [], inferred: [], doubtful: [], createdBy: null },
        createdAt: '2026-11-22T09:30:00.000Z',
        updatedAt: '2026-11-22T09:30:00.000Z',
        version: 1,
      },
    ],
  },
)

export const ParticipantCreate = Type.Object(
  {
    name: fields.name,
    externalRef: Type.Optional(fields.externalRef),
    country: Type.Optional(fields.country),
    status: Type.Optional(
      Type.Enum(['nominated', 'confirmed', 'waitlisted'], {
        description:
          'Default confirmed: a seat if one is free (within the country’s quota), otherwise the participant is waitlisted — the response says which. nominated asks for no seat yet.',
      }),
    ),
    ...opt({ sex, organizationId, occupationGroup, contact, daysAttended, preScore, postScore }),
  },
  {
    $id: 'TrainingParticipantCreate',
    additionalProperties: false,
    examples: [{ name: 'Participant name', country: 'LA', sex: 'female', occupationGroup: 'police' }],
  },
)

export const ParticipantPatch = Type.Object(
  {
    ...opt({ name, externalRef: fields.externalRef, country: fields.country, status: fields.status }),
    ...opt({ sex, organizationId, occupationGroup, contact, daysAttended, preScore, postScore }),
  },
  {
    $id: 'TrainingParticipantPatch',
    additionalProperties: false,
    description:
      'JSON Merge Patch. `status: confirmed` needs a free seat within the country’s quota (422 otherwise); `withdrawn` frees the seat for the first on the waitlist, in the same transaction.',
    examples: [{ status: 'withdrawn' }, { daysAttended: 5, postScore: 78.5 }],
  },
)

export const ParticipantList = ListOf(Participant, 'TrainingParticipantList')

export const participantSorts = ['createdAt', '-createdAt', 'updatedAt', '-updatedAt'] as const

export const ParticipantQuery = Type.Object(
  {
    status: Type.Optional(fields.status),
    country: Type.Optional(CountryCode),
    updatedSince: Type.Optional(UpdatedSince('participants')),
    sort: Type.Enum(participantSorts, {
      default: 'createdAt',
      description: 'Enrolment order by default (the waitlist’s order among waitlisted). There is no sort by name.',
    }),
    ...PageQuery,
  },
  { additionalProperties: false },
)

export const ParticipantParams = Type.Object({ id: Uuid, participantId: Uuid }, { additionalProperties: false })

// Batch enrolment: a country task force's nomination list.

export const ParticipantBatchItem = Type.Object(
  {
    externalRef: Type.String({
      minLength: 1,
      maxLength: externalRefMaxLength,
      description: 'Your id for the nomination, unique within the course: a known one updates that participant.',
    }),
    name: fields.name,
    country: Type.Optional(fields.country),
    status: Type.Optional(
      described(
        Status,
        'Absent: a new participant asks for a seat (confirmed if free, else waitlisted); an existing one keeps its status.',
      ),
    ),
    ...opt({ sex, organizationId, occupationGroup, contact, daysAttended, preScore, postScore }),
  },
  {
    $id: 'TrainingParticipantBatchItem',
    additionalProperties: false,
    description: 'One nomination: the participant’s whole state. Absent fields are null or their default.',
    examples: [{ externalRef: 'tf-la-2005-07', name: 'Participant name', country: 'LA', occupationGroup: 'police' }],
  },
)

export const ParticipantBatch = Type.Object(
  {
    items: Type.Array(lenientItem('TrainingParticipantBatchItem'), {
      minItems: 1,
      maxItems: participantBatchLimit,
      description: `1 to ${participantBatchLimit} nominations (more is a 400 validation problem on /body/items).`,
    }),
  },
  {
    $id: 'TrainingParticipantBatch',
    additionalProperties: false,
    examples: [
      {
        items: [
          { externalRef: 'tf-la-2005-07', name: 'Participant name', country: 'LA', occupationGroup: 'police' },
          { externalRef: 'tf-la-2005-08', name: 'Second participant', country: 'LA', sex: 'female' },
        ],
      },
    ],
  },
)

export const ParticipantBatchQuery = Type.Object(
  {
    mode: Type.Enum(['atomic', 'partial'], {
      default: 'atomic',
      description: '`atomic`: any invalid item and nothing is written (422). `partial`: the valid items are written.',
    }),
    dryRun: Type.Boolean({ default: false, description: 'Validate and report what would happen, writing nothing.' }),
  },
  { additionalProperties: false },
)

const itemCount = () => Type.Integer({ minimum: 0, maximum: participantBatchLimit })

export const ParticipantBatchItemResult = Type.Object(
  {
    index: Type.Integer({ minimum: 0, maximum: participantBatchLimit - 1 }),
    externalRef: Type.Union([Type.String({ maxLength: externalRefMaxLength }), Type.Null()]),
    result: Type.Enum(['created', 'updated', 'unchanged', 'rejected']),
    id: Type.Union([Uuid, Type.Null()]),
    status: Type.Union([Status, Type.Null()], {
      description: 'The participant’s status after the batch (confirmed or waitlisted for a new one).',
    }),
    version: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()]),
    errors: Type.Optional(Type.Array(ref(ProblemFieldError), { maxItems: problemLimits.errors })),
  },
  { $id: 'TrainingParticipantBatchItemResult', additionalProperties: false },
)

export const ParticipantBatchResult = Type.Object(
  {
    mode: Type.Enum(['atomic', 'partial']),
    dryRun: Type.Boolean(),
    summary: Type.Object(
      { total: itemCount(), created: itemCount(), updated: itemCount(), unchanged: itemCount(), rejected: itemCount() },
      { additionalProperties: false },
    ),
    items: Type.Array(ref(ParticipantBatchItemResult), { maxItems: participantBatchLimit }),
  },
  {
    $id: 'TrainingParticipantBatchResult',
    additionalProperties: false,
    examples: [
      {
        mode: 'atomic',
        dryRun: false,
        summary: { total: 2, created: 1, updated: 0, unchanged: 1, rejected: 0 },
        items: [
          {
            index: 0,
            externalRef: 'tf-la-2005-07',
            result: 'unchanged',
            id: '6a3d9f1b-2c8e-4b5a-9d07-4e1f8b2c6a95',
            status: 'confirmed',
            version: 1,
          },
          {
            index: 1,
            externalRef: 'tf-la-2005-08',
            result: 'created',
            id: '8c5f1b3d-4e0a-4d7c-b829-6a3e0d4f8c17',
            status: 'waitlisted',
            version: 1,
          },
        ],
      },
    ],
    description: 'What the batch did with each nomination (no personal data: ids, statuses and your externalRefs).',
  },
)

export const ParticipantBatchProblem = Type.Object(
  {
    ...Problem.properties,
    items: Type.Optional(Type.Array(ref(ParticipantBatchItemResult), { maxItems: participantBatchLimit })),
  },
  {
    $id: 'TrainingParticipantBatchProblem',
    additionalProperties: true,
    description: 'A batch in which some items are not valid; nothing was written.',
  },
)

export type ParticipantT = Static<typeof Participant>
export type ParticipantCreateT = Static<typeof ParticipantCreate>
export type ParticipantPatchT = Static<typeof ParticipantPatch>
export type ParticipantBatchItemT = Static<typeof ParticipantBatchItem>
export type ParticipantBatchItemResultT = Static<typeof ParticipantBatchItemResult>
export type ParticipantBatchResultT = Static<typeof ParticipantBatchResult>
export type ParticipantFilters = Omit<Static<typeof ParticipantQuery>, 'sort' | 'limit' | 'cursor'>

export const participantSchemas = [
  Participant,
  ParticipantCreate,
  ParticipantPatch,
  ParticipantList,
  ParticipantBatchItem,
  ParticipantBatch,
  ParticipantBatchItemResult,
  ParticipantBatchResult,
  ParticipantBatchProblem,
]
