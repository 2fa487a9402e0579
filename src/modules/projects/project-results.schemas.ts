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
import { ProjectParams } from './projects.schemas.ts'

// Expected results of a project: the logframe's level between the project and its indicators.

const firstResult =
  'A regional agreement on common guidelines on identification of victims will provide a basis for effective sharing of information and intelligence on trafficking cases and traffickers.'

const fields = {
  position: Type.Integer({
    minimum: 0,
    maximum: 1_000_000,
    description: 'Order within the project (ascending).',
    examples: [1],
  }),
  statement: Type.String({ minLength: 1, maxLength: 5000, examples: [firstResult] }),
}

const example = {
  id: seedId('result', 'commit-spa-1/PPC 2/1'),
  projectId: seedId('project', 'commit-spa-1/PPC 2'),
  position: 1,
  statement: firstResult,
  createdAt: '2026-11-22T09:30:00.000Z',
  updatedAt: '2026-11-22T09:30:00.000Z',
  version: 1,
  provenance: exampleSourceProvenance,
}

export const ProjectResult = Type.Object(
  { id: Uuid, projectId: Uuid, ...fields, ...ResourceMeta, provenance: ref(Provenance) },
  {
    $id: 'ProjectResult',
    additionalProperties: false,
    description: 'An expected result of a project; indicators measure it.',
    examples: [example],
  },
)

export const ProjectResultCreate = Type.Object(
  {
    statement: fields.statement,
    position: Type.Optional({ ...fields.position, description: 'By default after the last result.' }),
  },
  {
    $id: 'ProjectResultCreate',
    additionalProperties: false,
    examples: [{ statement: 'Specialist Anti-Trafficking Police Units established in each of the six countries.' }],
  },
)

export const ProjectResultPatch = Type.Object(
  { statement: Type.Optional(fields.statement), position: Type.Optional(fields.position) },
  {
    $id: 'ProjectResultPatch',
    additionalProperties: false,
    description: 'A JSON Merge Patch (RFC 7396).',
    examples: [{ position: 2 }],
  },
)

export const ProjectResultList = ListOf(ProjectResult, 'ProjectResultList')

export const ProjectResultQuery = Type.Object(
  {
    updatedSince: Type.Optional(UpdatedSince('results')),
    inferred: Type.Optional(InferredFilter),
    sort: Type.Enum(['position', '-position', 'createdAt', '-createdAt', 'updatedAt', '-updatedAt'], {
      default: 'position',
      description: 'Order; a leading minus sorts descending.',
    }),
    ...PageQuery,
  },
  { additionalProperties: false },
)

export const ProjectResultParams = Type.Object(
  { projectId: ProjectParams.properties.projectId, resultId: UuidOf(example.id, 'The expected result.') },
  { additionalProperties: false },
)

export type ProjectResultT = Static<typeof ProjectResult>
export type ProjectResultCreateT = Static<typeof ProjectResultCreate>
export type ProjectResultPatchT = Static<typeof ProjectResultPatch>

export const schemas = [ProjectResult, ProjectResultCreate, ProjectResultPatch, ProjectResultList]
