import { Type, type Static } from 'typebox'
import {
  CountryCode,
  InferredFilter,
  ListOf,
  PageQuery,
  ref,
  ResourceMeta,
  UpdatedSince,
  Uuid,
} from '../../schemas/common.ts'
import { exampleApiProvenance, Provenance } from '../../schemas/provenance.ts'

export const organizationKinds = [
  'government',
  'national_task_force',
  'un_agency',
  'intergovernmental',
  'sectoral_body',
  'ngo',
  'donor',
  'training_centre',
  'private_sector',
  'academic',
] as const

const Kind = Type.Enum(organizationKinds, { description: 'What kind of body this is.' })

const fields = {
  name: Type.String({
    minLength: 1,
    maxLength: 300,
    examples: ['United Nations Inter-Agency Project on Human Trafficking'],
  }),
  acronym: Type.Union([Type.String({ minLength: 1, maxLength: 50 }), Type.Null()], { examples: ['UNIAP'] }),
  kind: Kind,
  country: Type.Union([CountryCode, Type.Null()], { description: 'Where it is based, if it belongs to one country.' }),
  parentId: Type.Union([Uuid, Type.Null()], { description: 'The body it belongs to (SOMTC under ASEAN).' }),
  website: Type.Union([Type.String({ format: 'uri', maxLength: 2000, description: 'An http(s) URL.' }), Type.Null()]),
  description: Type.Union([Type.String({ maxLength: 10000 }), Type.Null()]),
}

const example = {
  id: '0b9f5c8e-2d6a-4f51-9a3e-7c1d2b4e6f80',
  name: 'United Nations Inter-Agency Project on Human Trafficking',
  acronym: 'UNIAP',
  kind: 'un_agency',
  country: null,
  parentId: null,
  website: null,
  description: 'The COMMIT secretariat.',
  createdAt: '2026-11-22T09:30:00.000Z',
  updatedAt: '2026-11-22T09:30:00.000Z',
  version: 1,
  provenance: exampleApiProvenance,
}

export const Organization = Type.Object(
  { id: Uuid, ...fields, ...ResourceMeta, provenance: ref(Provenance) },
  {
    $id: 'Organization',
    additionalProperties: false,
    description: 'A government body, task force, UN agency, sectoral body, NGO, donor or other partner.',
    examples: [example],
  },
)

export const OrganizationCreate = Type.Object(
  {
    name: fields.name,
    kind: fields.kind,
    acronym: Type.Optional(fields.acronym),
    country: Type.Optional(fields.country),
    parentId: Type.Optional(fields.parentId),
    website: Type.Optional(fields.website),
    description: Type.Optional(fields.description),
  },
  {
    $id: 'OrganizationCreate',
    additionalProperties: false,
    examples: [
      { name: 'COMMIT Task Force Lao PDR', acronym: 'COMMIT TF LA', kind: 'national_task_force', country: 'LA' },
    ],
  },
)

export const OrganizationPatch = Type.Partial(
  // The create shape with every field optional: one definition per field.
  OrganizationCreate,
  {
    $id: 'OrganizationPatch',
    additionalProperties: false,
    description: 'A JSON Merge Patch (RFC 7396): absent fields stay, null clears.',
    examples: [{ website: 'https://example.org', description: null }],
  },
)

export const OrganizationList = ListOf(Organization, 'OrganizationList')

export const organizationSorts = ['name', '-name', 'createdAt', '-createdAt', 'updatedAt', '-updatedAt'] as const

export const OrganizationQuery = Type.Object(
  {
    kind: Type.Optional(Kind),
    country: Type.Optional(CountryCode),
    parentId: Type.Optional(Uuid),
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Text in the name or acronym.' })),
    updatedSince: Type.Optional(UpdatedSince('organizations')),
    inferred: Type.Optional(InferredFilter),
    sort: Type.Enum(organizationSorts, { default: 'name', description: 'Order; a leading minus sorts descending.' }),
    ...PageQuery,
  },
  { additionalProperties: false },
)

export type OrganizationT = Static<typeof Organization>
export type OrganizationCreateT = Static<typeof OrganizationCreate>
export type OrganizationPatchT = Static<typeof OrganizationPatch>
export type OrganizationQueryT = Static<typeof OrganizationQuery>

export const schemas = [Organization, OrganizationCreate, OrganizationPatch, OrganizationList]
