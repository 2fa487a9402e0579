import { Type, type Static } from 'typebox'
import {
  CountryList,
  described,
  Documents,
  DocumentsInput,
  InferredFilter,
  ListOf,
  nullableDate,
  PageQuery,
  ref,
  ResourceMeta,
  UpdatedSince,
  Uuid,
  UuidOf,
} from '../../schemas/common.ts'
import { exampleSourceProvenance, Provenance } from '../../schemas/provenance.ts'
import { NumberRange } from '../../schemas/range.ts'
import { seedId } from '../../schemas/seed-ids.ts'

// Examples are the seeded COMMIT Sub-regional Plan of Action, with the ids `npm run seed` gives
// it, so a request copied from the docs works against a seeded server.

export const planStatuses = ['draft', 'adopted', 'active', 'completed', 'superseded'] as const

/** Country lists of plans, activities and projects; codes are checked against the countries table. */
const documentsText = 'Links to documents about it: the plan text, reports, concept notes.'

const nullableText = (maxLength: number, description?: string) =>
  Type.Union([Type.String({ maxLength }), Type.Null()], description ? { description } : {})

const Status = Type.Enum(planStatuses, { description: 'Where the plan is in its life.' })
const statusText =
  'Where the plan is in its life; null when it is not known (no source says, and none is guessed). A plan created without `status` is a `draft`.'

export const datePrecisions = ['day', 'month', 'year'] as const
const Precision = Type.Enum(datePrecisions, {
  description:
    'How precisely the dates are known, as for meetings. `day`: date … endDate are the days. `month`: the span covers whole months (September 2005 is 2005-09-01 … 2005-09-30). `year`: whole years. Null when there is no date.',
})
const spanFields = {
  date: nullableDate(
    'The first day it may have happened on (the first day of the month or year when known only to that).',
  ),
  endDate: nullableDate('The last day it may have happened on; equal to date when the day is known.'),
  datePrecision: Type.Union([Precision, Type.Null()]),
}
const spanInputText =
  'Without endDate the span is the one day, month or year of date; without datePrecision it is known to the day.'

export const Adoption = Type.Object(
  {
    ...spanFields,
    place: nullableText(300),
    meeting: nullableText(1000, 'The meeting that adopted it.'),
  },
  {
    $id: 'PlanAdoption',
    additionalProperties: false,
    description:
      'When, where and by which meeting the plan itself was adopted, as precisely as known; null when nothing of it is known. The dates of the framework it elaborates, its drafting and consultations are `milestones`.',
    examples: [
      {
        date: '2001-12-20',
        endDate: '2001-12-21',
        datePrecision: 'day',
        place: 'Dakar',
        meeting: 'Twenty-fifth Ordinary Session of the Authority of Heads of State and Government of ECOWAS',
      },
    ],
  },
)
const AdoptionInput = Type.Object(
  {
    date: Type.Optional(Adoption.properties.date),
    endDate: Type.Optional(Adoption.properties.endDate),
    datePrecision: Type.Optional(Adoption.properties.datePrecision),
    place: Type.Optional(Adoption.properties.place),
    meeting: Type.Optional(Adoption.properties.meeting),
  },
  {
    additionalProperties: false,
    description: `The adoption; absent fields are null. ${spanInputText} In a PATCH it is merged field by field (RFC 7396): sending date alone makes the span that day (or month, year), and null clears it all.`,
  },
)

export const milestoneKinds = ['framework_adopted', 'drafted', 'consulted', 'other'] as const

export const Milestone = Type.Object(
  {
    kind: Type.Enum(milestoneKinds, {
      description:
        '`framework_adopted`: the framework the plan elaborates was agreed (COMMIT: the SOM 2 Framework Document). `drafted`: the plan was written. `consulted`: consultations on it. `other`: see description.',
    }),
    ...spanFields,
    place: nullableText(300),
    meeting: nullableText(1000, 'The meeting at which it happened.'),
    description: nullableText(5000),
    participatingOrganizations: Type.Union([ref(NumberRange), Type.Null()], {
      description: 'How many organizations took part, as the source gives it ("some sixteen agencies").',
    }),
  },
  {
    $id: 'PlanMilestone',
    additionalProperties: false,
    description: 'A dated step in the making of the plan, as precisely as its date is known (null dates: not known).',
    examples: [
      {
        kind: 'framework_adopted',
        date: '2004-10-28',
        endDate: '2004-10-28',
        datePrecision: 'day',
        place: 'Yangon',
        meeting: 'SOM 2',
        description: 'The Sub-regional Plan of Action Framework Document: 18 Activities in seven Areas.',
        participatingOrganizations: null,
      },
    ],
  },
)
const MilestoneInput = Type.Object(
  {
    kind: Milestone.properties.kind,
    date: Type.Optional(Milestone.properties.date),
    endDate: Type.Optional(Milestone.properties.endDate),
    datePrecision: Type.Optional(Milestone.properties.datePrecision),
    place: Type.Optional(Milestone.properties.place),
    meeting: Type.Optional(Milestone.properties.meeting),
    description: Type.Optional(Milestone.properties.description),
    participatingOrganizations: Type.Optional(Milestone.properties.participatingOrganizations),
  },
  {
    $id: 'PlanMilestoneInput',
    additionalProperties: false,
    description: `A milestone as sent; absent fields are null. ${spanInputText}`,
  },
)

const Milestones = Type.Array(ref(MilestoneInput), {
  maxItems: 50,
  description: 'The dated steps in the plan’s making, in order: the whole list, replacing the current one.',
})

const fields = {
  code: Type.String({
    minLength: 1,
    maxLength: 100,
    description: 'A human identifier, unique among plans.',
    examples: ['COMMIT SPA I'],
  }),
  title: Type.String({ minLength: 1, maxLength: 1000, examples: ['COMMIT Sub-Regional Plan of Action'] }),
  initiativeId: Type.Union([Uuid, Type.Null()], {
    description: 'The organization that owns the plan (COMMIT, ASEAN, OSCE …).',
  }),
  status: Type.Union([Status, Type.Null()], { description: statusText }),
  countries: CountryList('Member countries.'),
  region: Type.Union([Type.String({ minLength: 1, maxLength: 200 }), Type.Null()], {
    description:
      'The region the plan covers, in the words of its documents ("Greater Mekong Sub-region", "South-Eastern Europe", "Pacific"): regional plans follow political groupings, which no fixed list of regions matches. Null when not given.',
    examples: ['Greater Mekong Sub-region'],
  }),
  startDate: nullableDate('First day of the plan period.'),
  endDate: nullableDate('Last day of the plan period; not before startDate.'),
  supersedesId: Type.Union([Uuid, Type.Null()], { description: 'The plan this one replaces (COMMIT SPA I → SPA II).' }),
  adoption: Type.Union([ref(Adoption), Type.Null()]),
  milestones: Type.Array(ref(Milestone), { maxItems: 50, description: 'Dated steps in its making, in order.' }),
  description: nullableText(20000),
  documents: Documents(documentsText),
}

export const commitPlanId = seedId('plan', 'commit-spa-1')

const example = {
  id: commitPlanId,
  code: 'COMMIT SPA I',
  title: 'COMMIT Sub-Regional Plan of Action',
  initiativeId: seedId('organization', 'commit'),
  status: 'adopted',
  countries: ['KH', 'CN', 'LA', 'MM', 'TH', 'VN'],
  region: 'Greater Mekong Sub-region',
  startDate: '2005-01-01',
  endDate: '2007-12-31',
  supersedesId: null,
  adoption: null,
  milestones: [
    {
      kind: 'framework_adopted',
      date: '2004-10-28',
      endDate: '2004-10-28',
      datePrecision: 'day',
      place: 'Yangon',
      meeting: 'SOM 2',
      description: 'The Sub-regional Plan of Action Framework Document: 18 Activities in seven Areas.',
      participatingOrganizations: null,
    },
    {
      kind: 'drafted',
      date: '2004-11-01',
      endDate: '2005-02-28',
      datePrecision: 'month',
      place: null,
      meeting: null,
      description: 'Developed into Project Proposal Concepts with the COMMIT Task Forces and seven roundtables.',
      participatingOrganizations: { min: 16, max: 16, approximate: true },
    },
    {
      kind: 'consulted',
      date: null,
      endDate: null,
      datePrecision: null,
      place: null,
      meeting: null,
      description: 'National consultations in all six Mekong countries, held after the roundtables.',
      participatingOrganizations: null,
    },
  ],
  description:
    'Sub-regional Plan of Action of the six Governments of the Greater Mekong Sub-region … The SPA is for an initial period of three years (2005 - 2007).',
  documents: [
    {
      title: 'COMMIT Subregional Plan of Action',
      url: 'http://no-trafficking.org/content/COMMIT_Process/COMMIT_background.html#05',
      type: 'plan',
      language: null,
      date: null,
    },
  ],
  createdAt: '2026-11-22T09:30:00.000Z',
  updatedAt: '2026-11-22T09:30:00.000Z',
  version: 1,
  provenance: exampleSourceProvenance,
}

export const Plan = Type.Object(
  { id: Uuid, ...fields, ...ResourceMeta, provenance: ref(Provenance) },
  {
    $id: 'Plan',
    additionalProperties: false,
    description:
      'A regional plan of action: its period, members and status. Its structure is under /areas, its activities and projects are filtered by planId.',
    examples: [example],
  },
)

export const PlanCreate = Type.Object(
  {
    code: fields.code,
    title: fields.title,
    initiativeId: Type.Optional(fields.initiativeId),
    status: Type.Optional(fields.status),
    countries: Type.Optional(fields.countries),
    region: Type.Optional(fields.region),
    startDate: Type.Optional(fields.startDate),
    endDate: Type.Optional(fields.endDate),
    supersedesId: Type.Optional(fields.supersedesId),
    adoption: Type.Optional(Type.Union([AdoptionInput, Type.Null()])),
    milestones: Type.Optional(Milestones),
    description: Type.Optional(fields.description),
    documents: Type.Optional(DocumentsInput(documentsText)),
  },
  {
    $id: 'PlanCreate',
    additionalProperties: false,
    examples: [
      {
        code: 'COMMIT SPA II',
        title: 'COMMIT Sub-Regional Plan of Action II',
        initiativeId: example.initiativeId,
        status: 'draft',
        countries: example.countries,
        startDate: '2008-01-01',
        endDate: '2010-12-31',
        supersedesId: commitPlanId,
      },
    ],
  },
)

export const PlanPatch = Type.Object(
  {
    code: Type.Optional(fields.code),
    title: Type.Optional(fields.title),
    initiativeId: Type.Optional(fields.initiativeId),
    status: Type.Optional(fields.status),
    countries: Type.Optional(fields.countries),
    region: Type.Optional(fields.region),
    startDate: Type.Optional(fields.startDate),
    endDate: Type.Optional(fields.endDate),
    supersedesId: Type.Optional(fields.supersedesId),
    adoption: Type.Optional(Type.Union([AdoptionInput, Type.Null()])),
    milestones: Type.Optional(Milestones),
    description: Type.Optional(fields.description),
    documents: Type.Optional(DocumentsInput(documentsText)),
  },
  {
    $id: 'PlanPatch',
    additionalProperties: false,
    description: 'A JSON Merge Patch (RFC 7396): absent fields stay, null clears, arrays are replaced.',
    examples: [{ status: 'superseded', adoption: { place: 'Yangon' } }],
  },
)

export const PlanList = ListOf(Plan, 'PlanList')

export const planSorts = ['relevance', 'code', '-code', 'createdAt', '-createdAt', 'updatedAt', '-updatedAt'] as const

export const PlanQuery = Type.Object(
  {
    status: Type.Optional(
      described(Status, 'Only plans in this status (plans whose status is not known, null, match no status).'),
    ),
    region: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        description: 'Only plans of exactly this region.',
        examples: ['Pacific'],
      }),
    ),
    country: Type.Optional(
      Type.String({
        pattern: '^[A-Z]{2}$',
        maxLength: 2,
        description: 'Only plans with this member country (ISO 3166-1 alpha-2).',
        examples: ['KH'],
      }),
    ),
    initiativeId: Type.Optional(
      UuidOf(seedId('organization', 'commit'), 'Only plans of this initiative (owning organization).'),
    ),
    code: Type.Optional({
      ...fields.code,
      description: 'Exactly this code (GET /v1/plans/by-code/{code} gives the one plan).',
    }),
    q: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        description:
          'Text in the code or title, in any case. Sorted by `relevance` unless `sort` says otherwise: first the plan whose code is the term, then plans whose code or title starts with it, ' +
          'then those with a word starting with it, then the rest; ties in code order.',
        examples: ['ASEAN'],
      }),
    ),
    updatedSince: Type.Optional(UpdatedSince('plans')),
    inferred: Type.Optional(InferredFilter),
    // No schema default: the default depends on q (see the route).
    sort: Type.Optional(
      Type.Enum(planSorts, {
        description:
          'Order; a leading minus sorts descending. `code` is natural order (SPA 2 before SPA 10). Default: `relevance` with `q` (and only with it), `code` without.',
      }),
    ),
    ...PageQuery,
  },
  { additionalProperties: false },
)

export const PlanParams = Type.Object({ planId: UuidOf(commitPlanId, 'The plan.') }, { additionalProperties: false })

export const PlanCodeParams = Type.Object(
  { code: { ...fields.code, description: 'The plan’s code, URL-encoded (`COMMIT%20SPA%20I`).' } },
  { additionalProperties: false },
)

export type PlanT = Static<typeof Plan>
export type PlanCreateT = Static<typeof PlanCreate>
export type PlanPatchT = Static<typeof PlanPatch>
export type PlanQueryT = Static<typeof PlanQuery>
export type AdoptionT = Static<typeof Adoption>
export type AdoptionInputT = Static<typeof AdoptionInput>
export type MilestoneT = Static<typeof Milestone>
export type MilestoneInputT = Static<typeof MilestoneInput>

export const schemas = [Adoption, Milestone, MilestoneInput, Plan, PlanCreate, PlanPatch, PlanList]
