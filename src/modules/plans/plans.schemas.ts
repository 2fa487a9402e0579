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
import { Provenance } from '../../schemas/provenance.ts'
import { seedId } from '../../schemas/seed-ids.ts'

// Examples are the seeded COMMIT Sub-regional Plan of Action, with the ids `npm run seed` gives
// it, so a request copied from the docs works against a seeded server.

export const planStatuses = ['draft', 'adopted', 'active', 'completed', 'superseded'] as const

/** Country lists of plans, activities and projects; codes are checked against the countries table. */
const documentsText = 'Links to documents about it: the plan text, reports, concept notes.'

const nullableText = (maxLength: number, description?: string) =>
  Type.Union([Type.String({ maxLength }), Type.Null()], description ? { description } : {})

const Status = Type.Enum(planStatuses, { description: 'Where the plan is in its life.' })

export const Adoption = Type.Object(
  {
    date: nullableDate('When it was adopted.'),
    place: nullableText(300),
    meeting: nullableText(1000, 'The meeting that adopted it.'),
  },
  {
    $id: 'PlanAdoption',
    additionalProperties: false,
    description: 'When, where and by which meeting the plan was adopted; null when unknown.',
    examples: [{ date: '2004-10-28', place: 'Yangon', meeting: 'SOM 2' }],
  },
)
const AdoptionPatch = Type.Object(
  {
    date: Type.Optional(Adoption.properties.date),
    place: Type.Optional(Adoption.properties.place),
    meeting: Type.Optional(Adoption.properties.meeting),
  },
  { additionalProperties: false, description: 'Merged field by field (RFC 7396); null clears all three.' },
)

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
  status: Status,
  countries: CountryList('Member countries.'),
  startDate: nullableDate('First day of the plan period.'),
  endDate: nullableDate('Last day of the plan period; not before startDate.'),
  supersedesId: Type.Union([Uuid, Type.Null()], { description: 'The plan this one replaces (COMMIT SPA I → SPA II).' }),
  adoption: Type.Union([ref(Adoption), Type.Null()]),
  description: nullableText(20000),
  documents: Documents(documentsText),
}

export const commitPlanId = seedId('plan', 'commit-spa-1')

const example = {
  id: commitPlanId,
  code: 'COMMIT SPA I',
  title: 'COMMIT Sub-Regional Plan of Action',
  initiativeId: seedId('organization', 'commit'),
  status: 'completed',
  countries: ['KH', 'CN', 'LA', 'MM', 'TH', 'VN'],
  startDate: '2005-01-01',
  endDate: '2007-12-31',
  supersedesId: null,
  adoption: { date: '2004-10-28', place: 'Yangon', meeting: 'SOM 2' },
  description:
    'Sub-regional Plan of Action of the six Governments of the Greater Mekong Sub-region … The SPA is for an initial period of three years (2005 - 2007).',
  documents: [
    {
      title: 'COMMIT Subregional Plan of Action',
      url: 'http://no-trafficking.org/content/COMMIT_Process/COMMIT_background.html#05',
      type: 'plan',
      language: 'en',
      date: null,
    },
  ],
  createdAt: '2026-11-22T09:30:00.000Z',
  updatedAt: '2026-11-22T09:30:00.000Z',
  version: 1,
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
    startDate: Type.Optional(fields.startDate),
    endDate: Type.Optional(fields.endDate),
    supersedesId: Type.Optional(fields.supersedesId),
    adoption: Type.Optional(fields.adoption),
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
    startDate: Type.Optional(fields.startDate),
    endDate: Type.Optional(fields.endDate),
    supersedesId: Type.Optional(fields.supersedesId),
    adoption: Type.Optional(Type.Union([AdoptionPatch, Type.Null()])),
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
    status: Type.Optional(Status),
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

export const schemas = [Adoption, Plan, PlanCreate, PlanPatch, PlanList]
