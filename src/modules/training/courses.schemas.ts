import { Type, type Static } from 'typebox'
import {
  InferredFilter,
  CountryCode,
  DateString,
  described,
  Documents,
  DocumentsInput,
  ListOf,
  nullable,
  PageQuery,
  ref,
  ResourceMeta,
  UpdatedSince,
  Uuid,
} from '../../schemas/common.ts'
import { Provenance } from '../../schemas/provenance.ts'

// PPC 1 lists eight "areas identified for special attention"; PPC 2 adds law enforcement
// training (investigation, prosecution, BLO officials); anything else is `other`.
export const courseTopics = [
  'human_rights',
  'safe_repatriation',
  'recovery_reintegration',
  'prevention',
  'research_evaluation',
  'monitoring_evaluation',
  'structural_vulnerability',
  'justice_legal',
  'law_enforcement',
  'other',
] as const
export const courseLevels = ['basic', 'advanced'] as const
export const courseScopes = ['subregional', 'bilateral', 'national'] as const
export const courseStatuses = ['planned', 'open', 'full', 'in_progress', 'completed', 'cancelled'] as const

/** How many days before its start a course short of minParticipants is flagged. */
export const understaffedWindowDays = 14

const topicText =
  'human_rights: human rights/victims rights under international and national law; safe_repatriation; recovery_reintegration: recovery and reintegration/victim services; ' +
  'prevention: initiatives in prevention; research_evaluation: research methodologies and impact evaluation; monitoring_evaluation: monitoring and evaluation techniques; ' +
  'structural_vulnerability: language, ethnicity, birth registration, legal status; justice_legal: justice and legal issues (the eight areas of PPC 1); ' +
  'law_enforcement: investigation, prosecution and cooperation for law enforcers and BLO officials (PPC 2); other.'

export const Quota = Type.Object(
  {
    country: CountryCode,
    seats: Type.Integer({ minimum: 0, maximum: 10000, examples: [5] }),
  },
  {
    $id: 'TrainingQuota',
    additionalProperties: false,
    description:
      'Seats reserved for one country: at most this many of its participants are confirmed. Participants of countries without a quota share the seats no quota reserves.',
  },
)

export const Seats = Type.Object(
  {
    capacity: Type.Integer({ minimum: 1, description: '`maxParticipants`.' }),
    confirmed: Type.Integer({
      minimum: 0,
      description: 'Participants holding a seat (confirmed, attended or completed).',
    }),
    waitlisted: Type.Integer({ minimum: 0 }),
    free: Type.Integer({ minimum: 0, description: 'capacity − confirmed.' }),
  },
  { $id: 'TrainingSeats', additionalProperties: false, description: 'How the course’s seats stand (counts only).' },
)

export const CourseWarning = Type.Object(
  {
    code: Type.Enum(['shorter_than_minimum', 'below_minimum_participants'], {
      description: `\`shorter_than_minimum\`: the course lasts fewer days (start to end, inclusive) than \`minDurationDays\`. \`below_minimum_participants\`: it starts within ${understaffedWindowDays} days (or has started) and has fewer confirmed participants than \`minParticipants\`.`,
    }),
    detail: Type.String({ maxLength: 500 }),
  },
  { $id: 'TrainingCourseWarning', additionalProperties: false, description: 'Something about the course to act on.' },
)

const fields = {
  planId: nullable(Uuid, 'The plan it belongs to.'),
  activityId: nullable(Uuid, 'The activity it delivers (PPC 1: Activity 5).'),
  projectId: nullable(Uuid, 'The project (PPC) that plans it; PPC 1 covers Activities 3 and 5.'),
  title: Type.String({
    minLength: 1,
    maxLength: 1000,
    examples: ['Sub-regional training course on safe repatriation'],
  }),
  topic: Type.Enum(courseTopics, { description: topicText }),
  level: Type.Enum(courseLevels, { description: 'Basic or advanced curriculum (PPC 1).' }),
  scope: Type.Enum(courseScopes, { description: 'Sub-regional (PPC 1), bilateral (PPC 2) or national.' }),
  status: Type.Enum(courseStatuses),
  providerId: nullable(Uuid, 'The training centre or organization that runs it.'),
  venueCity: nullable(Type.String({ minLength: 1, maxLength: 200 })),
  venueCountry: nullable(CountryCode),
  countries: Type.Array(CountryCode, { uniqueItems: true, maxItems: 250, description: 'Countries it is for.' }),
  startDate: nullable(DateString),
  endDate: nullable(DateString, 'Last day (on or after startDate).'),
  minDurationDays: nullable(
    Type.Integer({ minimum: 1, maximum: 366 }),
    'The plan’s minimum length in days (PPC 1: "minimum 5-day duration"); a shorter course is flagged in `warnings`.',
  ),
  minParticipants: Type.Integer({ minimum: 0, maximum: 10000, description: 'Default 20 (PPC 1: "20-30").' }),
  maxParticipants: Type.Integer({
    minimum: 1,
    maximum: 10000,
    description:
      'Seats: confirmations never exceed it, whatever the concurrency (the rest are waitlisted). Default 30.',
  }),
  quotas: Type.Array(ref(Quota), {
    maxItems: 250,
    description: 'Optional seats per country; their sum may not exceed maxParticipants (422).',
  }),
  trainers: Type.Array(Type.String({ minLength: 1, maxLength: 300 }), {
    maxItems: 100,
    description: 'Trainers or training teams, as the provider names them.',
  }),
  materials: Documents('Curriculum, manuals and instructional materials.'),
  description: nullable(Type.String({ maxLength: 20000 })),
}

const example = {
  id: '5d2f8e61-3b7a-5c49-8e1d-2a6b9c0f4e73',
  planId: '4b6f0c1e-2d3a-5b4c-9d8e-7f6a5b4c3d2e',
  activityId: '7c3e9a1b-4d5f-5a6b-8c7d-9e0f1a2b3c4d',
  projectId: null,
  title: 'Sub-regional training course 2: Safe repatriation',
  topic: 'safe_repatriation',
  level: 'basic',
  scope: 'subregional',
  status: 'planned',
  providerId: null,
  venueCity: null,
  venueCountry: null,
  countries: ['KH', 'CN', 'LA', 'MM', 'TH', 'VN'],
  startDate: '2005-11-07',
  endDate: '2005-11-09',
  minDurationDays: 5,
  minParticipants: 20,
  maxParticipants: 30,
  quotas: [{ country: 'LA', seats: 5 }],
  trainers: [],
  materials: [],
  description: null,
  seats: { capacity: 30, confirmed: 12, waitlisted: 0, free: 18 },
  warnings: [{ code: 'shorter_than_minimum', detail: 'The course lasts 3 days; its plan asks for at least 5.' }],
  provenance: { origin: 'api', sources: [], inferred: [], doubtful: [], createdBy: null },
  createdAt: '2026-11-22T09:30:00.000Z',
  updatedAt: '2026-11-22T09:30:00.000Z',
  version: 1,
}

export const TrainingCourse = Type.Object(
  {
    id: Uuid,
    ...fields,
    seats: ref(Seats),
    warnings: Type.Array(ref(CourseWarning), { maxItems: 10 }),
    provenance: ref(Provenance),
    ...ResourceMeta,
  },
  {
    $id: 'TrainingCourse',
    additionalProperties: false,
    description: 'A training course of a plan’s training programme, with its seats and what to act on.',
    examples: [example],
  },
)

export const TrainingCourseCreate = Type.Object(
  {
    title: fields.title,
    topic: fields.topic,
    planId: Type.Optional(fields.planId),
    activityId: Type.Optional(fields.activityId),
    projectId: Type.Optional(fields.projectId),
    level: Type.Optional(described(fields.level, 'Default basic.')),
    scope: Type.Optional(described(fields.scope, 'Default subregional.')),
    status: Type.Optional(described(fields.status, 'Default planned.')),
    providerId: Type.Optional(fields.providerId),
    venueCity: Type.Optional(fields.venueCity),
    venueCountry: Type.Optional(fields.venueCountry),
    countries: Type.Optional(fields.countries),
    startDate: Type.Optional(fields.startDate),
    endDate: Type.Optional(fields.endDate),
    minDurationDays: Type.Optional(fields.minDurationDays),
    minParticipants: Type.Optional(fields.minParticipants),
    maxParticipants: Type.Optional(fields.maxParticipants),
    quotas: Type.Optional(fields.quotas),
    trainers: Type.Optional(fields.trainers),
    materials: Type.Optional(DocumentsInput('Curriculum, manuals and instructional materials.')),
    description: Type.Optional(fields.description),
  },
  {
    $id: 'TrainingCourseCreate',
    additionalProperties: false,
    examples: [
      {
        title: 'Bilateral training for Border Liaison Office officials, Lao PDR and Thailand',
        topic: 'law_enforcement',
        scope: 'bilateral',
        countries: ['LA', 'TH'],
        startDate: '2006-03-06',
        endDate: '2006-03-10',
        maxParticipants: 24,
        quotas: [
          { country: 'LA', seats: 12 },
          { country: 'TH', seats: 12 },
        ],
      },
    ],
  },
)

export const TrainingCoursePatch = Type.Partial(TrainingCourseCreate, {
  $id: 'TrainingCoursePatch',
  additionalProperties: false,
  description: 'A JSON Merge Patch (RFC 7396): absent fields stay, null clears, arrays are replaced whole.',
  examples: [{ maxParticipants: 32 }],
})

export const TrainingCourseList = ListOf(TrainingCourse, 'TrainingCourseList')

export const courseSorts = ['startDate', '-startDate', 'title', '-title', 'updatedAt', '-updatedAt'] as const

export const TrainingCourseQuery = Type.Object(
  {
    planId: Type.Optional(Uuid),
    activityId: Type.Optional(
      described(Uuid, 'Courses delivering this activity, or planned by a project (PPC) that covers it.'),
    ),
    projectId: Type.Optional(Uuid),
    topic: Type.Optional(fields.topic),
    level: Type.Optional(fields.level),
    scope: Type.Optional(fields.scope),
    status: Type.Optional(fields.status),
    country: Type.Optional(described(CountryCode, 'Courses for this country (venue or participating).')),
    from: Type.Optional(described(DateString, 'Courses ending on or after this day.')),
    to: Type.Optional(described(DateString, 'Courses starting on or before this day.')),
    updatedSince: Type.Optional(UpdatedSince('courses')),
    inferred: Type.Optional(InferredFilter),
    q: Type.Optional(
      Type.String({ minLength: 1, maxLength: 200, description: 'Words of the title (never participants’ names).' }),
    ),
    sort: Type.Enum(courseSorts, { default: 'startDate', description: 'Undated courses come last by startDate.' }),
    ...PageQuery,
  },
  { additionalProperties: false },
)

export type TrainingCourseT = Static<typeof TrainingCourse>
export type TrainingCourseCreateT = Static<typeof TrainingCourseCreate>
export type TrainingCoursePatchT = Static<typeof TrainingCoursePatch>
export type CourseFilters = Omit<Static<typeof TrainingCourseQuery>, 'sort' | 'limit' | 'cursor'>
export type CourseWarningT = Static<typeof CourseWarning>

export const courseSchemas = [
  Quota,
  Seats,
  CourseWarning,
  TrainingCourse,
  TrainingCourseCreate,
  TrainingCoursePatch,
  TrainingCourseList,
]
