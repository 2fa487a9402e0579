import { Type, type Static } from 'typebox'
import {
  CountryCode,
  DateString,
  described,
  Documents,
  DocumentsInput,
  InferredFilter,
  ListOf,
  nullable,
  PageQuery,
  ref,
  ResourceMeta,
  UpdatedSince,
  Uuid,
} from '../../schemas/common.ts'
import { exampleApiProvenance, Provenance } from '../../schemas/provenance.ts'
import { AttendanceCounts } from './attendance.schemas.ts'

export const meetingKinds = [
  'senior_officials',
  'ministerial',
  'summit',
  'conference',
  'regional_seminar',
  'subregional_seminar',
  'workshop',
  'roundtable',
  'bilateral',
  'technical_working_group',
  'consultation',
] as const
export const meetingStatuses = ['option', 'planned', 'confirmed', 'held', 'postponed', 'cancelled'] as const
export const datePrecisions = ['day', 'month', 'year'] as const

const documentsText = 'Links to its documents: concept note, agenda, minutes, report.'
const kindDescription =
  'What sort of meeting it is. `summit`: heads of state and government; `conference`: a standing conference or a conference of states (the Regional Conference on Migration, the Pacific Immigration Directors’ Conference).'
const Kind = Type.Enum(meetingKinds, { description: kindDescription })
const kindText = `${kindDescription} Null when no source says (the MOU signing of 29 October 2004).`
const Status = Type.Enum(meetingStatuses, {
  description:
    '`option`: one of the alternatives a plan lists ("options include …"), not an event anyone has planned: it is in the list, but never in the iCalendar feed. `held` only once it has started: a meeting cannot be held in the future.',
})
const datePrecisionText =
  'How precisely the dates are known. `day`: startDate and endDate are the days of the meeting. `month`: only the months are known, and the dates span them — ' +
  '"January and February 2005" is 2005-01-01 … 2005-02-28. `year`: only the years, 2005-01-01 … 2005-12-31. ' +
  'The period filters match such a meeting when its span overlaps the period; the iCalendar feed leaves it out, since it cannot say on which days it is.'
const uniqueIds = (description: string, maxItems: number) =>
  Type.Array(Uuid, { uniqueItems: true, maxItems, description })

export const Venue = Type.Object(
  {
    city: nullable(Type.String({ minLength: 1, maxLength: 200, examples: ['Yangon'] })),
    country: nullable(CountryCode),
  },
  { $id: 'Venue', additionalProperties: false, description: 'Where the meeting takes place.' },
)

export const AgendaItem = Type.Object(
  {
    id: Uuid,
    title: Type.String({ minLength: 1, maxLength: 1000, examples: ['Review training assessments'] }),
    description: nullable(Type.String({ maxLength: 10000 })),
  },
  { $id: 'AgendaItem', additionalProperties: false, description: 'One item of the agenda; the agenda is ordered.' },
)

export const AgendaItemInput = Type.Object(
  {
    id: Type.Optional(described(Uuid, 'Send the id of an item you read to keep it; leave it out for a new item.')),
    title: AgendaItem.properties.title,
    description: Type.Optional(AgendaItem.properties.description),
  },
  { $id: 'AgendaItemInput', additionalProperties: false },
)

/** The most items an agenda holds (what a write may send, so what a read returns). */
const agendaLimit = 300

const Agenda = Type.Array(ref(AgendaItemInput), {
  maxItems: agendaLimit,
  description: 'The whole agenda, in order: it replaces the current one (this is how items are reordered).',
})

const fields = {
  planId: nullable(
    Uuid,
    'The plan it serves; null for meetings that govern the whole process (a SOM, the MOU signing).',
  ),
  kind: Type.Union([Kind, Type.Null()], { description: kindText }),
  title: Type.String({ minLength: 1, maxLength: 1000, examples: ['Senior Officials Meeting II'] }),
  sequence: nullable(Type.String({ minLength: 1, maxLength: 100 }), 'Its label in a series, e.g. "SOM 2".'),
  status: Status,
  startDate: nullable(
    DateString,
    'First day, in the meeting’s time zone; with datePrecision month or year, the first day of the first month or year known.',
  ),
  endDate: nullable(
    DateString,
    'Last day (on or after startDate); with datePrecision month or year, the last day of the last month or year known.',
  ),
  datePrecision: Type.Enum(datePrecisions, { description: datePrecisionText }),
  timeZone: nullable(
    Type.String({ minLength: 1, maxLength: 100, examples: ['Asia/Yangon'] }),
    'IANA time zone of the venue; "today" for the held-in-the-future rule is taken there.',
  ),
  organizerIds: uniqueIds('Organizations that convene it.', 100),
  countries: Type.Array(CountryCode, { uniqueItems: true, maxItems: 250, description: 'Participating countries.' }),
  activityIds: uniqueIds('Activities it serves.', 500),
  projectIds: uniqueIds('Projects (PPCs) it serves.', 200),
  documents: Documents(documentsText),
  description: nullable(Type.String({ maxLength: 20000 })),
}

const example = {
  id: '9a0e3c7b-5f1d-5e2a-8b4c-6d7e8f9a0b1c',
  planId: '4b6f0c1e-2d3a-5b4c-9d8e-7f6a5b4c3d2e',
  kind: 'senior_officials',
  title: 'Senior Officials Meeting II',
  sequence: 'SOM 2',
  status: 'held',
  startDate: '2004-10-28',
  endDate: '2004-10-28',
  datePrecision: 'day',
  timeZone: 'Asia/Yangon',
  venue: { city: 'Yangon', country: 'MM' },
  organizerIds: ['0b9f5c8e-2d6a-4f51-9a3e-7c1d2b4e6f80'],
  countries: ['KH', 'CN', 'LA', 'MM', 'TH', 'VN'],
  activityIds: [],
  projectIds: [],
  agenda: [],
  documents: [],
  description: null,
  attendance: null,
  createdAt: '2026-11-22T09:30:00.000Z',
  updatedAt: '2026-11-22T09:30:00.000Z',
  version: 1,
  provenance: exampleApiProvenance,
}

export const Meeting = Type.Object(
  {
    id: Uuid,
    ...fields,
    venue: Type.Union([ref(Venue), Type.Null()]),
    agenda: Type.Array(ref(AgendaItem), { maxItems: agendaLimit }),
    attendance: Type.Union([ref(AttendanceCounts), Type.Null()], {
      description:
        'Totals of the recorded attendance (GET …/attendance for the breakdown); null when none is recorded.',
    }),
    ...ResourceMeta,
    provenance: ref(Provenance),
  },
  {
    $id: 'Meeting',
    additionalProperties: false,
    description: 'A Senior Officials Meeting, seminar, workshop, roundtable or other meeting of a plan.',
    examples: [example],
  },
)

const VenueInput = Type.Object(
  { city: Type.Optional(Venue.properties.city), country: Type.Optional(Venue.properties.country) },
  { additionalProperties: false, description: 'Where it takes place; in a PATCH, absent fields stay.' },
)

export const MeetingCreate = Type.Object(
  {
    kind: fields.kind,
    title: fields.title,
    planId: Type.Optional(fields.planId),
    sequence: Type.Optional(fields.sequence),
    status: Type.Optional(fields.status),
    startDate: Type.Optional(fields.startDate),
    endDate: Type.Optional(fields.endDate),
    datePrecision: Type.Optional(described(fields.datePrecision, `${datePrecisionText} Default \`day\`.`)),
    timeZone: Type.Optional(fields.timeZone),
    venue: Type.Optional(Type.Union([VenueInput, Type.Null()])),
    organizerIds: Type.Optional(fields.organizerIds),
    countries: Type.Optional(fields.countries),
    activityIds: Type.Optional(fields.activityIds),
    projectIds: Type.Optional(fields.projectIds),
    agenda: Type.Optional(Agenda),
    documents: Type.Optional(DocumentsInput(documentsText)),
    description: Type.Optional(fields.description),
  },
  {
    $id: 'MeetingCreate',
    additionalProperties: false,
    examples: [
      {
        kind: 'regional_seminar',
        title: 'Regional seminar on trafficking and labour migration',
        status: 'planned',
        startDate: '2005-06-14',
        endDate: '2005-06-15',
        timeZone: 'Asia/Bangkok',
        venue: { city: 'Bangkok', country: 'TH' },
        countries: ['KH', 'CN', 'LA', 'MM', 'TH', 'VN'],
      },
    ],
  },
)

export const MeetingPatch = Type.Partial(
  // The create shape with every field optional: one definition per field.
  MeetingCreate,
  {
    $id: 'MeetingPatch',
    additionalProperties: false,
    description:
      'A JSON Merge Patch (RFC 7396): absent fields stay, null clears; arrays (agenda, countries, …) are replaced whole.',
    examples: [{ status: 'held', venue: { city: 'Vientiane' } }],
  },
)

export const MeetingList = ListOf(Meeting, 'MeetingList')

export const MeetingAgenda = Type.Object(
  {
    meetingId: Uuid,
    items: Type.Array(ref(AgendaItem), { maxItems: agendaLimit }),
    version: Type.Integer({
      minimum: 1,
      description: 'The meeting’s version: the agenda is part of the meeting, and its ETag is the meeting’s.',
    }),
  },
  {
    $id: 'MeetingAgenda',
    additionalProperties: false,
    description: 'A meeting’s agenda, in order.',
    examples: [
      {
        meetingId: example.id,
        items: [
          { id: '5d1c2b3a-4e5f-4a6b-8c7d-9e0f1a2b3c4d', title: 'Review training assessments', description: null },
        ],
        version: 3,
      },
    ],
  },
)

export const AgendaReplace = Type.Object(
  { items: Agenda },
  {
    $id: 'AgendaReplace',
    additionalProperties: false,
    examples: [
      {
        items: [
          { id: '5d1c2b3a-4e5f-4a6b-8c7d-9e0f1a2b3c4d', title: 'Priorities and timelines for training' },
          { title: 'Review training assessments', description: 'Moved up.' },
        ],
      },
    ],
  },
)

export const meetingSorts = [
  'startDate',
  '-startDate',
  'title',
  '-title',
  'createdAt',
  '-createdAt',
  'updatedAt',
  '-updatedAt',
] as const

/** The filters of the list and of the iCalendar feed. */
export const meetingFilters = {
  planId: Type.Optional(Uuid),
  kind: Type.Optional(Kind),
  status: Type.Optional(Status),
  country: Type.Optional(described(CountryCode, 'Meetings held in this country or in which it participates.')),
  activityId: Type.Optional(described(Uuid, 'Meetings serving this activity.')),
  projectId: Type.Optional(described(Uuid, 'Meetings serving this project.')),
  from: Type.Optional(
    described(
      DateString,
      'Meetings ending on or after this day (undated meetings are left out). A meeting known to the month or year ends on the last day of it.',
    ),
  ),
  to: Type.Optional(
    described(
      DateString,
      'Meetings starting on or before this day (undated meetings are left out). A meeting known to the month or year starts on the first day of it.',
    ),
  ),
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Text in the title or sequence label.' })),
  updatedSince: Type.Optional(UpdatedSince('meetings')),
  inferred: Type.Optional(InferredFilter),
}

export const MeetingQuery = Type.Object(
  {
    ...meetingFilters,
    sort: Type.Enum(meetingSorts, {
      default: 'startDate',
      description:
        'Order; a leading minus sorts descending. Undated meetings come after dated ones in ascending order.',
    }),
    ...PageQuery,
  },
  { additionalProperties: false },
)

export const CalendarQuery = Type.Object(meetingFilters, { additionalProperties: false })

export type MeetingT = Static<typeof Meeting>
export type MeetingCreateT = Static<typeof MeetingCreate>
export type MeetingPatchT = Static<typeof MeetingPatch>
export type MeetingFilters = Static<typeof CalendarQuery>
export type AgendaItemInputT = Static<typeof AgendaItemInput>

export const schemas = [
  Venue,
  AgendaItem,
  AgendaItemInput,
  Meeting,
  MeetingCreate,
  MeetingPatch,
  MeetingList,
  MeetingAgenda,
  AgendaReplace,
]
