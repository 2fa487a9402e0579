import { Type, type Static } from 'typebox'
import { CountryCode, Uuid, ref } from '../../schemas/common.ts'
import { organizationKinds } from '../organizations/organizations.schemas.ts'

// Attendance is aggregate only: how many people came, per country and kind of organization,
// by sex. No names, nothing that identifies a person.

const countMaximum = 1_000_000
const count = (description: string) => Type.Integer({ minimum: 0, maximum: countMaximum, description })

const counts = {
  female: count('Women.'),
  male: count('Men.'),
  unspecified: count('People whose sex is another or was not recorded.'),
}
/** The most rows an attendance holds: one per country and organization kind, as a write may send. */
const rowLimit = 3000
// What the service adds up exceeds a count's maximum (and int32): a sum of at most rowLimit
// counts, and a row's total of three; so sums are int64, bounded by what they can add up to.
const sum = (description: string, terms = 1) =>
  Type.Integer({ minimum: 0, maximum: terms * rowLimit * countMaximum, format: 'int64', description })
const sums = {
  female: sum('Women.'),
  male: sum('Men.'),
  unspecified: sum('People whose sex is another or was not recorded.'),
  total: sum('The sum of the three.', 3),
}

export const AttendanceCounts = Type.Object(sums, {
  $id: 'AttendanceCounts',
  additionalProperties: false,
  examples: [{ female: 12, male: 18, unspecified: 0, total: 30 }],
})

const who = {
  country: Type.Union([CountryCode, Type.Null()], {
    description: 'The country the participants came for; null for staff of international bodies.',
  }),
  organizationKind: Type.Enum([...organizationKinds, 'other'], {
    description: 'The kind of organization they represented.',
  }),
}

export const AttendanceRowInput = Type.Object(
  {
    ...who,
    female: Type.Optional({ ...counts.female, default: 0 }),
    male: Type.Optional({ ...counts.male, default: 0 }),
    unspecified: Type.Optional({ ...counts.unspecified, default: 0 }),
  },
  {
    $id: 'AttendanceRowInput',
    additionalProperties: false,
    description: 'The participants of one country and kind of organization; absent counts are 0.',
  },
)

export const AttendanceRow = Type.Object(
  {
    ...who,
    ...counts,
    total: Type.Integer({ minimum: 0, maximum: 3 * countMaximum, description: 'The sum of the three.' }),
  },
  { $id: 'AttendanceRow', additionalProperties: false },
)

export const AttendanceReplace = Type.Object(
  {
    rows: Type.Array(ref(AttendanceRowInput), {
      maxItems: rowLimit,
      description:
        'The whole attendance: it replaces what was recorded. At most one row per country and organization kind.',
    }),
  },
  {
    $id: 'AttendanceReplace',
    additionalProperties: false,
    examples: [
      {
        rows: [
          { country: 'LA', organizationKind: 'government', female: 3, male: 5 },
          { country: null, organizationKind: 'un_agency', female: 2, male: 1, unspecified: 1 },
        ],
      },
    ],
  },
)

export const MeetingAttendance = Type.Object(
  {
    meetingId: Uuid,
    rows: Type.Array(ref(AttendanceRow), { maxItems: rowLimit }),
    totals: ref(AttendanceCounts),
    byCountry: Type.Array(Type.Object({ country: who.country, ...sums }, { additionalProperties: false }), {
      maxItems: rowLimit,
    }),
    byOrganizationKind: Type.Array(
      Type.Object({ organizationKind: who.organizationKind, ...sums }, { additionalProperties: false }),
      { maxItems: rowLimit },
    ),
    version: Type.Integer({
      minimum: 1,
      description: 'The meeting’s version: attendance is part of the meeting, and its ETag is the meeting’s.',
    }),
  },
  {
    $id: 'MeetingAttendance',
    additionalProperties: false,
    description: 'Who attended a meeting, in aggregate: per country and organization kind, by sex, with totals.',
    examples: [
      {
        meetingId: '9a0e3c7b-5f1d-5e2a-8b4c-6d7e8f9a0b1c',
        rows: [
          { country: 'LA', organizationKind: 'government', female: 3, male: 5, unspecified: 0, total: 8 },
          { country: null, organizationKind: 'un_agency', female: 2, male: 1, unspecified: 1, total: 4 },
        ],
        totals: { female: 5, male: 6, unspecified: 1, total: 12 },
        byCountry: [
          { country: 'LA', female: 3, male: 5, unspecified: 0, total: 8 },
          { country: null, female: 2, male: 1, unspecified: 1, total: 4 },
        ],
        byOrganizationKind: [
          { organizationKind: 'government', female: 3, male: 5, unspecified: 0, total: 8 },
          { organizationKind: 'un_agency', female: 2, male: 1, unspecified: 1, total: 4 },
        ],
        version: 2,
      },
    ],
  },
)

export type AttendanceRowInputT = Static<typeof AttendanceRowInput>
export type AttendanceRowT = Static<typeof AttendanceRow>
export type AttendanceCountsT = Static<typeof AttendanceCounts>
export type MeetingAttendanceT = Static<typeof MeetingAttendance>

export const attendanceSchemas = [
  AttendanceCounts,
  AttendanceRowInput,
  AttendanceRow,
  AttendanceReplace,
  MeetingAttendance,
]
