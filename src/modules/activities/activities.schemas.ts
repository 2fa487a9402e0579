import { Type, type Static } from 'typebox'
import {
  CountryList,
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
import { seedId } from '../../schemas/seed-ids.ts'

export const activityStatuses = ['planned', 'in_progress', 'completed', 'cancelled', 'on_hold'] as const
export const activityCategories = [
  'institutional_development',
  'research',
  'training',
  'prevention',
  'coordination',
  'monitoring',
] as const
export const organizationRoles = ['lead', 'implementing', 'funding', 'participating'] as const

export const ActivityStatus = Type.Enum(activityStatuses, { description: 'Where the work stands.' })
const documentsText = 'Links to documents about it.'
const Category = Type.Enum(activityCategories, {
  description: 'The kind of work (the ASEAN matrix’s columns plus COMMIT’s): training covers capacity building.',
})
const Role = Type.Enum(organizationRoles, {
  description:
    'As IATI’s participating-org roles: lead (the responsible body — an ASEAN sectoral body), implementing, funding, participating.',
})

export const ActivityOrganization = Type.Object(
  { organizationId: Uuid, role: Role },
  {
    $id: 'ActivityOrganization',
    additionalProperties: false,
    description: 'An organization taking part in an activity, and in which role.',
    examples: [{ organizationId: seedId('organization', 'uniap'), role: 'implementing' }],
  },
)

export const wordingSources = ['framework', 'plan'] as const

export const ActivityWording = Type.Object(
  {
    source: Type.Enum(wordingSources, {
      description:
        'Which document words it so: `framework`, the framework the plan elaborates (COMMIT: the SOM 2 Framework Document of 28 October 2004); `plan`, the plan’s own text (COMMIT: the final Sub-Regional Plan of Action).',
    }),
    text: Type.String({ minLength: 1, maxLength: 5000 }),
  },
  {
    $id: 'ActivityWording',
    additionalProperties: false,
    description: 'The activity as one document words it.',
    examples: [
      {
        source: 'plan',
        text: 'Collection of information on job, marriage and adoption brokers and agencies that the governments reasonably believe are involved in trafficking in persons.',
      },
    ],
  },
)

const fields = {
  areaId: Type.Union([Uuid, Type.Null()], {
    description: 'The node of the plan’s structure it belongs to; must be in the same plan.',
  }),
  code: Type.String({
    minLength: 1,
    maxLength: 100,
    description: 'Unique within the plan.',
    examples: ['Activity 11'],
  }),
  title: Type.String({
    minLength: 1,
    maxLength: 2000,
    examples: ['Workshop on criteria and processes for identification of victims'],
  }),
  description: Type.Union([Type.String({ maxLength: 20000 }), Type.Null()]),
  category: Type.Union([Category, Type.Null()]),
  status: ActivityStatus,
  countries: CountryList(
    'The countries it concerns; empty when it concerns all its plan’s member countries (countriesSource: plan).',
  ),
  plannedStart: nullableDate('Planned first day.'),
  plannedEnd: nullableDate('Planned last day; not before plannedStart.'),
  actualStart: nullableDate('When it really started; not in the future.'),
  actualEnd: nullableDate('When it really ended; not in the future, not before actualStart.'),
  organizations: Type.Array(ref(ActivityOrganization), {
    uniqueItems: true,
    maxItems: 200,
    description:
      'Who leads, implements, funds or takes part, in the order given. Replaced as a whole when sent in a PATCH.',
  }),
  wordings: Type.Array(ref(ActivityWording), {
    maxItems: 10,
    description:
      'Where the documents word the activity differently: each wording with the document it comes from (`title` is the framework’s). Empty when they agree or there is one document.',
  }),
  documents: Documents(documentsText),
}

const example = {
  id: seedId('activity', 'commit-spa-1/Activity 11'),
  planId: seedId('plan', 'commit-spa-1'),
  areaId: seedId('area', 'commit-spa-1/Area 4'),
  code: 'Activity 11',
  title: 'Workshop on criteria and processes for identification of victims',
  description: null,
  category: 'coordination',
  status: 'planned',
  countries: ['KH', 'CN', 'LA', 'MM', 'TH', 'VN'],
  countriesSource: 'own',
  plannedStart: null,
  plannedEnd: null,
  actualStart: null,
  actualEnd: null,
  organizations: [],
  wordings: [],
  documents: [],
  createdAt: '2026-11-22T09:30:00.000Z',
  updatedAt: '2026-11-22T09:30:00.000Z',
  version: 1,
  provenance: exampleSourceProvenance,
}

export const Activity = Type.Object(
  {
    id: Uuid,
    planId: Uuid,
    ...fields,
    countriesSource: Type.Enum(['own', 'plan'], {
      description:
        '`own`: the activity names the countries it concerns (`countries`). `plan`: it names none (`countries` is empty), so it concerns every member country of its plan — ' +
        'the `country` filter matches it for each of them, and a country-limited key may write it only if the plan’s countries are all its own.',
    }),
    ...ResourceMeta,
    provenance: ref(Provenance),
  },
  {
    $id: 'Activity',
    additionalProperties: false,
    description: 'A numbered activity of a plan, with the organizations taking part in it.',
    examples: [example],
  },
)

export const ActivityCreate = Type.Object(
  {
    planId: UuidOf(seedId('plan', 'commit-spa-1'), 'The plan it belongs to; cannot change later.'),
    code: fields.code,
    title: fields.title,
    areaId: Type.Optional(fields.areaId),
    description: Type.Optional(fields.description),
    category: Type.Optional(fields.category),
    status: Type.Optional(fields.status),
    countries: Type.Optional(fields.countries),
    plannedStart: Type.Optional(fields.plannedStart),
    plannedEnd: Type.Optional(fields.plannedEnd),
    actualStart: Type.Optional(fields.actualStart),
    actualEnd: Type.Optional(fields.actualEnd),
    organizations: Type.Optional(fields.organizations),
    wordings: Type.Optional(fields.wordings),
    documents: Type.Optional(DocumentsInput(documentsText)),
  },
  {
    $id: 'ActivityCreate',
    additionalProperties: false,
    examples: [
      {
        planId: example.planId,
        areaId: example.areaId,
        code: 'Activity 11a',
        title: 'Follow-up workshop on identification of victims',
        category: 'coordination',
        countries: ['LA', 'TH'],
        plannedStart: '2006-03-01',
        plannedEnd: '2006-03-02',
        organizations: [{ organizationId: seedId('organization', 'uniap'), role: 'lead' }],
      },
    ],
  },
)

export const ActivityPatch = Type.Partial(
  // The create shape with every field optional (planId fixed at creation): one definition per field.
  Type.Omit(ActivityCreate, ['planId']),
  {
    $id: 'ActivityPatch',
    additionalProperties: false,
    description:
      'A JSON Merge Patch (RFC 7396): absent fields stay, null clears, arrays (countries, organizations, documents) are replaced as a whole. planId cannot change: the code, area and projects of an activity belong to its plan.',
    examples: [{ status: 'completed', actualStart: '2005-09-12', actualEnd: '2005-09-13' }],
  },
)

export const ActivityList = ListOf(Activity, 'ActivityList')

export const activitySorts = ['code', '-code', 'createdAt', '-createdAt', 'updatedAt', '-updatedAt'] as const

export const ActivityQuery = Type.Object(
  {
    planId: Type.Optional(UuidOf(seedId('plan', 'commit-spa-1'), 'Only activities of this plan.')),
    areaId: Type.Optional(
      UuidOf(seedId('area', 'commit-spa-1/Area 5'), 'Only activities of this node or any node below it.'),
    ),
    status: Type.Optional(ActivityStatus),
    category: Type.Optional(Category),
    country: Type.Optional(
      Type.String({
        pattern: '^[A-Z]{2}$',
        maxLength: 2,
        description: 'Only activities concerning this country (ISO 3166-1 alpha-2).',
        examples: ['KH'],
      }),
    ),
    organizationId: Type.Optional(
      UuidOf(seedId('organization', 'uniap'), 'Only activities this organization takes part in (in `role`, if given).'),
    ),
    role: Type.Optional(Role),
    code: Type.Optional({ ...fields.code, description: 'Exactly this code.' }),
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Text in the code or title.' })),
    updatedSince: Type.Optional(UpdatedSince('activities')),
    inferred: Type.Optional(InferredFilter),
    sort: Type.Enum(activitySorts, {
      default: 'code',
      description:
        'Order; a leading minus sorts descending. A crawl by code or createdAt sees every activity that exists throughout it exactly once.',
    }),
    ...PageQuery,
  },
  { additionalProperties: false },
)

export type ActivityT = Static<typeof Activity>
export type ActivityCreateT = Static<typeof ActivityCreate>
export type ActivityPatchT = Static<typeof ActivityPatch>
export type ActivityQueryT = Static<typeof ActivityQuery>
export type ActivityOrganizationT = Static<typeof ActivityOrganization>

export const schemas = [ActivityOrganization, ActivityWording, Activity, ActivityCreate, ActivityPatch, ActivityList]
