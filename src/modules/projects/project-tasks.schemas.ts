import { Type, type Static } from 'typebox'
import {
  DateString,
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
import { NumberRange } from '../../schemas/range.ts'
import { ActivityStatus } from '../activities/activities.schemas.ts'
import { seedId } from '../../schemas/seed-ids.ts'
import { ProjectParams } from './projects.schemas.ts'

// A project's work plan: tasks before, during and after its meeting or core activity.

export const taskPhases = ['preparation', 'core', 'follow_up'] as const
const Phase = Type.Enum(taskPhases, {
  description:
    'preparation ("pre-meeting/preparation work"), core ("meeting/core activity work"), follow_up ("post-meeting/follow-up work").',
})

const fields = {
  phase: Phase,
  title: Type.String({
    minLength: 1,
    maxLength: 5000,
    examples: ['Conduct national level assessments and analysis of victim identification practices currently used …'],
  }),
  status: ActivityStatus,
  dueDate: Type.Union([DateString, Type.Null()]),
  responsibleOrganizationId: Type.Union([Uuid, Type.Null()], { description: 'The organization responsible for it.' }),
  quantity: Type.Union([Type.Integer({ minimum: 0, maximum: 1_000_000 }), Type.Null()], {
    description:
      'How many of what the task names it calls for ("six (6) sub-regional training courses"); null when it gives no number.',
    examples: [6],
  }),
  durationDays: Type.Union([ref(NumberRange), Type.Null()], {
    description: 'How long each one lasts, in days, as the text gives it ("minimum 5-day duration": min 5, no max).',
  }),
  participants: Type.Union([ref(NumberRange), Type.Null()], {
    description: 'How many people take part in each, as the text gives it ("approximately 20-30").',
  }),
  position: Type.Integer({
    minimum: 0,
    maximum: 1_000_000,
    description: 'Order within the project (ascending), across phases.',
    examples: [1],
  }),
}

const example = {
  id: seedId('task', 'commit-spa-1/PPC 2/1'),
  projectId: seedId('project', 'commit-spa-1/PPC 2'),
  phase: 'preparation',
  title:
    'Conduct national level assessments and analysis of victim identification practices currently used, i.e. a field-based assessment of how victim identification actually occurs (or does not occur). …',
  status: 'planned',
  dueDate: null,
  responsibleOrganizationId: null,
  quantity: null,
  durationDays: null,
  participants: null,
  position: 1,
  createdAt: '2026-11-22T09:30:00.000Z',
  updatedAt: '2026-11-22T09:30:00.000Z',
  version: 1,
  provenance: exampleSourceProvenance,
}

export const ProjectTask = Type.Object(
  { id: Uuid, projectId: Uuid, ...fields, ...ResourceMeta, provenance: ref(Provenance) },
  {
    $id: 'ProjectTask',
    additionalProperties: false,
    description: 'A work item of a project, in its phase.',
    examples: [example],
  },
)

export const ProjectTaskCreate = Type.Object(
  {
    phase: fields.phase,
    title: fields.title,
    status: Type.Optional(fields.status),
    dueDate: Type.Optional(fields.dueDate),
    responsibleOrganizationId: Type.Optional(fields.responsibleOrganizationId),
    quantity: Type.Optional(fields.quantity),
    durationDays: Type.Optional(fields.durationDays),
    participants: Type.Optional(fields.participants),
    position: Type.Optional({ ...fields.position, description: 'By default after the last task.' }),
  },
  {
    $id: 'ProjectTaskCreate',
    additionalProperties: false,
    examples: [
      {
        phase: 'follow_up',
        title: 'Circulate the workshop report to the COMMIT Task Forces',
        dueDate: '2006-04-30',
        responsibleOrganizationId: seedId('organization', 'uniap'),
      },
    ],
  },
)

export const ProjectTaskPatch = Type.Object(
  {
    phase: Type.Optional(fields.phase),
    title: Type.Optional(fields.title),
    status: Type.Optional(fields.status),
    dueDate: Type.Optional(fields.dueDate),
    responsibleOrganizationId: Type.Optional(fields.responsibleOrganizationId),
    quantity: Type.Optional(fields.quantity),
    durationDays: Type.Optional(fields.durationDays),
    participants: Type.Optional(fields.participants),
    position: Type.Optional(fields.position),
  },
  {
    $id: 'ProjectTaskPatch',
    additionalProperties: false,
    description: 'A JSON Merge Patch (RFC 7396): absent fields stay, null clears.',
    examples: [{ status: 'completed' }],
  },
)

export const ProjectTaskList = ListOf(ProjectTask, 'ProjectTaskList')

export const ProjectTaskQuery = Type.Object(
  {
    phase: Type.Optional(Phase),
    status: Type.Optional(ActivityStatus),
    responsibleOrganizationId: Type.Optional(
      UuidOf(seedId('organization', 'uniap'), 'Only tasks this organization is responsible for.'),
    ),
    updatedSince: Type.Optional(UpdatedSince('tasks')),
    inferred: Type.Optional(InferredFilter),
    sort: Type.Enum(['position', '-position', 'createdAt', '-createdAt', 'updatedAt', '-updatedAt'], {
      default: 'position',
      description: 'Order; a leading minus sorts descending.',
    }),
    ...PageQuery,
  },
  { additionalProperties: false },
)

export const ProjectTaskParams = Type.Object(
  { projectId: ProjectParams.properties.projectId, taskId: UuidOf(example.id, 'The task.') },
  { additionalProperties: false },
)

export type ProjectTaskT = Static<typeof ProjectTask>
export type ProjectTaskCreateT = Static<typeof ProjectTaskCreate>
export type ProjectTaskPatchT = Static<typeof ProjectTaskPatch>
export type ProjectTaskQueryT = Static<typeof ProjectTaskQuery>

export const schemas = [ProjectTask, ProjectTaskCreate, ProjectTaskPatch, ProjectTaskList]
