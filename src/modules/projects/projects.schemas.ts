import { Type, type Static } from 'typebox'
import {
  CountryList,
  Documents,
  DocumentsInput,
  InferredFilter,
  ListOf,
  PageQuery,
  ref,
  ResourceMeta,
  UpdatedSince,
  Uuid,
  UuidOf,
} from '../../schemas/common.ts'
import { exampleSourceProvenance, Provenance } from '../../schemas/provenance.ts'
import { seedId } from '../../schemas/seed-ids.ts'

// Project Proposal Concepts: the COMMIT plan's PPC 1 … PPC 11 and PP 12, each covering some of
// the plan's activities, with expected results and a work plan of tasks as sub-collections.

const documentsText = 'Links to documents about it.'
const activity = (code: string) => seedId('activity', `commit-spa-1/${code}`)

const fields = {
  code: Type.String({ minLength: 1, maxLength: 100, description: 'Unique within the plan.', examples: ['PPC 2'] }),
  title: Type.String({
    minLength: 1,
    maxLength: 2000,
    examples: ['SOM 2 Framework Document Activities 6, 7, 11 and 12'],
  }),
  name: Type.Union([Type.String({ minLength: 1, maxLength: 300 }), Type.Null()], {
    description:
      'A short descriptive name where a document gives one beside the heading (`title`): COMMIT’s twelve PPCs have the names the UNODC toolkit (Tool 2.9) gives the plan’s twelve items. Null when none is given.',
    examples: ['Identification of victims and apprehension of perpetrators'],
  }),
  objective: Type.Union([Type.String({ maxLength: 20000 }), Type.Null()]),
  countries: CountryList('The countries it concerns.'),
  notes: Type.Array(Type.String({ minLength: 1, maxLength: 5000 }), {
    maxItems: 100,
    description: 'Notes and footnotes, in order.',
  }),
  activityIds: Type.Array(Uuid, {
    uniqueItems: true,
    maxItems: 1000,
    description: 'The activities of the same plan it covers, in order. Replaced as a whole when sent in a PATCH.',
  }),
  linkedProjectIds: Type.Array(Uuid, {
    uniqueItems: true,
    maxItems: 200,
    description:
      'Projects it has clear linkages to (one-way, as the documents state them). Replaced as a whole when sent in a PATCH.',
  }),
  documents: Documents(documentsText),
}

const example = {
  id: seedId('project', 'commit-spa-1/PPC 2'),
  planId: seedId('plan', 'commit-spa-1'),
  code: 'PPC 2',
  title: 'SOM 2 Framework Document Activities 6, 7, 11 and 12',
  name: 'Identification of victims and apprehension of perpetrators',
  objective:
    'The objective is to create an effective, standardized system for finding and identifying victims of human trafficking; investigating cases and initiating prosecutions; and exchanging information between countries. Each of these processes will require capacity building for officials.',
  countries: ['KH', 'CN', 'LA', 'MM', 'TH', 'VN'],
  notes: [
    '¹ Preliminary preparations, as well as specific activities, are interwoven among these four Activities and will be jointly coordinated. …',
  ],
  activityIds: [activity('Activity 6'), activity('Activity 7'), activity('Activity 11'), activity('Activity 12')],
  linkedProjectIds: [seedId('project', 'commit-spa-1/PPC 3')],
  documents: [],
  createdAt: '2026-11-22T09:30:00.000Z',
  updatedAt: '2026-11-22T09:30:00.000Z',
  version: 1,
  provenance: exampleSourceProvenance,
}

export const Project = Type.Object(
  { id: Uuid, planId: Uuid, ...fields, ...ResourceMeta, provenance: ref(Provenance) },
  {
    $id: 'Project',
    additionalProperties: false,
    description:
      'A Project Proposal Concept: the activities it covers, its objective and its links to other projects. Expected results and tasks are sub-collections.',
    examples: [example],
  },
)

export const ProjectCreate = Type.Object(
  {
    planId: UuidOf(seedId('plan', 'commit-spa-1'), 'The plan it belongs to; cannot change later.'),
    code: fields.code,
    title: fields.title,
    name: Type.Optional(fields.name),
    objective: Type.Optional(fields.objective),
    countries: Type.Optional(fields.countries),
    notes: Type.Optional(fields.notes),
    activityIds: Type.Optional(fields.activityIds),
    linkedProjectIds: Type.Optional(fields.linkedProjectIds),
    documents: Type.Optional(DocumentsInput(documentsText)),
  },
  {
    $id: 'ProjectCreate',
    additionalProperties: false,
    examples: [
      {
        planId: example.planId,
        code: 'PPC 13',
        title: 'Follow-up on victim identification',
        countries: ['LA', 'TH'],
        activityIds: [activity('Activity 11')],
        linkedProjectIds: [example.id],
      },
    ],
  },
)

export const ProjectPatch = Type.Partial(
  // The create shape with every field optional (planId fixed at creation): one definition per field.
  Type.Omit(ProjectCreate, ['planId']),
  {
    $id: 'ProjectPatch',
    additionalProperties: false,
    description:
      'A JSON Merge Patch (RFC 7396): absent fields stay, null clears, arrays are replaced as a whole. planId cannot change.',
    examples: [{ activityIds: [activity('Activity 6'), activity('Activity 7'), activity('Activity 11')] }],
  },
)

export const ProjectList = ListOf(Project, 'ProjectList')

export const projectSorts = ['code', '-code', 'createdAt', '-createdAt', 'updatedAt', '-updatedAt'] as const

export const ProjectQuery = Type.Object(
  {
    planId: Type.Optional(UuidOf(seedId('plan', 'commit-spa-1'), 'Only projects of this plan.')),
    activityId: Type.Optional(UuidOf(activity('Activity 11'), 'Only projects covering this activity.')),
    country: Type.Optional(
      Type.String({
        pattern: '^[A-Z]{2}$',
        maxLength: 2,
        description: 'Only projects concerning this country (ISO 3166-1 alpha-2).',
        examples: ['LA'],
      }),
    ),
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Text in the code or title.' })),
    updatedSince: Type.Optional(UpdatedSince('projects')),
    inferred: Type.Optional(InferredFilter),
    sort: Type.Enum(projectSorts, { default: 'code', description: 'Order; a leading minus sorts descending.' }),
    ...PageQuery,
  },
  { additionalProperties: false },
)

export const ProjectParams = Type.Object(
  { projectId: UuidOf(seedId('project', 'commit-spa-1/PPC 2'), 'The project.') },
  { additionalProperties: false },
)

export type ProjectT = Static<typeof Project>
export type ProjectCreateT = Static<typeof ProjectCreate>
export type ProjectPatchT = Static<typeof ProjectPatch>
export type ProjectQueryT = Static<typeof ProjectQuery>

export const schemas = [Project, ProjectCreate, ProjectPatch, ProjectList]
