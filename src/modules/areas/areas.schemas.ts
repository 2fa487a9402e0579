import { Type, type Static } from 'typebox'
import {
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

// A plan's structure: a tree of nodes whose `kind` says what they are in that plan — COMMIT's
// sections › areas › sub-areas, the ASEAN plan's section › pillars › provisions.

const fields = {
  parentId: Type.Union([Uuid, Type.Null()], {
    description: 'The node above this one, in the same plan; null at the top.',
  }),
  code: Type.String({ minLength: 1, maxLength: 100, description: 'Unique within the plan.', examples: ['Area 4'] }),
  title: Type.String({
    minLength: 1,
    maxLength: 2000,
    examples: ['Development of effective systems for victim identification, including tracing of victims'],
  }),
  kind: Type.String({
    pattern: '^[a-z_]{1,40}$',
    maxLength: 40,
    description: 'What the node is in this plan: section, area, sub_area, pillar, provision, objective …',
    examples: ['area'],
  }),
  position: Type.Integer({
    minimum: 0,
    maximum: 1_000_000,
    description: 'Order among its siblings (ascending).',
    examples: [0],
  }),
  description: Type.Union([Type.String({ maxLength: 20000 }), Type.Null()]),
}

const example = {
  id: seedId('area', 'commit-spa-1/Area 4'),
  planId: seedId('plan', 'commit-spa-1'),
  parentId: seedId('area', 'commit-spa-1/3'),
  code: 'Area 4',
  title: 'Development of effective systems for victim identification, including tracing of victims',
  kind: 'area',
  position: 0,
  description: null,
  createdAt: '2026-11-22T09:30:00.000Z',
  updatedAt: '2026-11-22T09:30:00.000Z',
  version: 1,
  provenance: exampleSourceProvenance,
}

export const Area = Type.Object(
  { id: Uuid, planId: Uuid, ...fields, ...ResourceMeta, provenance: ref(Provenance) },
  {
    $id: 'Area',
    additionalProperties: false,
    description: 'A node of a plan’s structure: a section, area, sub-area, pillar or provision.',
    examples: [example],
  },
)

export const AreaCreate = Type.Object(
  {
    code: fields.code,
    title: fields.title,
    parentId: Type.Optional(fields.parentId),
    kind: Type.Optional({ ...fields.kind, default: 'area' }),
    position: Type.Optional({
      ...fields.position,
      description: 'Order among its siblings; by default after the last one.',
    }),
    description: Type.Optional(fields.description),
  },
  {
    $id: 'AreaCreate',
    additionalProperties: false,
    examples: [
      {
        code: '5.4',
        title: 'Improve access to justice for victims',
        kind: 'sub_area',
        parentId: seedId('area', 'commit-spa-1/Area 5'),
      },
    ],
  },
)

export const AreaPatch = Type.Object(
  {
    code: Type.Optional(fields.code),
    title: Type.Optional(fields.title),
    parentId: Type.Optional({
      ...fields.parentId,
      description: 'Moves the node (with everything under it); not under itself or its own descendants.',
    }),
    kind: Type.Optional(fields.kind),
    position: Type.Optional(fields.position),
    description: Type.Optional(fields.description),
  },
  {
    $id: 'AreaPatch',
    additionalProperties: false,
    description: 'A JSON Merge Patch (RFC 7396): absent fields stay, null clears.',
    examples: [{ parentId: seedId('area', 'commit-spa-1/3'), position: 2 }],
  },
)

export const AreaList = ListOf(Area, 'AreaList')

export const areaSorts = [
  'code',
  '-code',
  'position',
  '-position',
  'createdAt',
  '-createdAt',
  'updatedAt',
  '-updatedAt',
] as const

export const AreaQuery = Type.Object(
  {
    parentId: Type.Optional(UuidOf(seedId('area', 'commit-spa-1/3'), 'Only the direct children of this node.')),
    kind: Type.Optional(fields.kind),
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Text in the code or title.' })),
    updatedSince: Type.Optional(UpdatedSince('nodes')),
    inferred: Type.Optional(InferredFilter),
    sort: Type.Enum(areaSorts, {
      default: 'code',
      description:
        'Order; a leading minus sorts descending. For the tree in order, use GET /v1/plans/{planId}/structure.',
    }),
    ...PageQuery,
  },
  { additionalProperties: false },
)

const planId = UuidOf(seedId('plan', 'commit-spa-1'), 'The plan.')
export const PlanAreasParams = Type.Object({ planId }, { additionalProperties: false })
export const AreaParams = Type.Object(
  { planId, areaId: UuidOf(seedId('area', 'commit-spa-1/Area 4'), 'The node.') },
  { additionalProperties: false },
)

export type AreaT = Static<typeof Area>
export type AreaCreateT = Static<typeof AreaCreate>
export type AreaPatchT = Static<typeof AreaPatch>
export type AreaQueryT = Static<typeof AreaQuery>

export const schemas = [Area, AreaCreate, AreaPatch, AreaList]
