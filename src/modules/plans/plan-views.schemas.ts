import { Type, type Static } from 'typebox'
import { ref, Uuid } from '../../schemas/common.ts'
import { Area } from '../areas/areas.schemas.ts'
import { Activity, ActivityStatus, organizationRoles } from '../activities/activities.schemas.ts'
import { Plan } from './plans.schemas.ts'

const example = (schema: object) =>
  ((schema as { examples?: unknown[] }).examples?.[0] ?? {}) as Record<string, unknown>

// Read-only views of a whole plan: its tree with the activities on each node, and the matrix
// of activities by area and category / organization / country.

export const AreaNode = Type.Object(
  {
    ...Area.properties,
    activities: Type.Array(ref(Activity), {
      description:
        'The activities attached to this node itself (not to the nodes below it), in natural code order (Activity 2 before Activity 10).',
    }),
    // A node holds nodes: the schema refers to itself by its $id.
    children: Type.Array(Type.Unsafe<Record<string, unknown>>({ $ref: 'AreaNode' }), {
      description: 'The nodes below this one, by position, then natural code order.',
    }),
  },
  {
    $id: 'AreaNode',
    additionalProperties: false,
    description: 'A node of the plan’s tree, with its activities and the nodes below it.',
  },
)

export const PlanStructure = Type.Object(
  {
    plan: ref(Plan),
    areas: Type.Array(ref(AreaNode), { description: 'The top-level nodes, by position, then natural code order.' }),
    unassignedActivities: Type.Array(ref(Activity), { description: 'Activities of the plan attached to no node.' }),
  },
  {
    $id: 'PlanStructure',
    additionalProperties: false,
    description: 'The whole structure of a plan with each node’s activities, in one response.',
    examples: [
      {
        plan: example(Plan),
        areas: [{ ...example(Area), activities: [example(Activity)], children: [] }],
        unassignedActivities: [],
      },
    ],
  },
)

export const matrixColumns = ['category', 'organization', 'country'] as const

export const MatrixQuery = Type.Object(
  {
    rows: Type.Enum(['area'], { default: 'area', description: 'What the rows are: the nodes of the plan’s tree.' }),
    columns: Type.Enum(matrixColumns, {
      description:
        'What the columns are: activity category, organization taking part (a sectoral body, for the ASEAN plan), or country.',
    }),
    role: Type.Optional(
      Type.Enum(organizationRoles, {
        description:
          'With columns=organization: count organizations in this role only (lead: the responsible sectoral body).',
      }),
    ),
    status: Type.Optional(ActivityStatus),
  },
  { additionalProperties: false },
)

const MatrixRow = Type.Object(
  {
    id: Type.Union([Uuid, Type.Null()], { description: 'The node; null for activities attached to no node.' }),
    parentId: Type.Union([Uuid, Type.Null()]),
    // The node's own code, title and kind (null, and "No area", for the row of unattached activities).
    code: Type.Union([Type.String({ maxLength: 100 }), Type.Null()], { examples: ['A.A'] }),
    title: Type.String({ maxLength: 2000 }),
    kind: Type.Union([Type.String({ maxLength: 40 }), Type.Null()], { examples: ['provision'] }),
    depth: Type.Integer({ minimum: 0, description: '0 for top-level nodes.' }),
    total: Type.Integer({
      minimum: 0,
      description:
        'Activities of this node and of every node below it, each counted once: a pillar’s total includes its provisions’.',
    }),
    own: Type.Integer({ minimum: 0, description: 'Activities attached to this node itself.' }),
  },
  { additionalProperties: false },
)

const MatrixColumn = Type.Object(
  {
    key: Type.Union([Type.String({ maxLength: 100 }), Type.Null()], {
      description: 'The category, organization id or country code; null for activities without one.',
      examples: ['training'],
    }),
    label: Type.String({
      maxLength: 300,
      description: 'The category’s name, the organization’s acronym or name, or the country code.',
      examples: ['Training / capacity building'],
    }),
    total: Type.Integer({ minimum: 0, description: 'Activities in this column.' }),
  },
  { additionalProperties: false },
)

const MatrixCell = Type.Object(
  {
    row: Type.Union([Uuid, Type.Null()]),
    column: Type.Union([Type.String({ maxLength: 100 }), Type.Null()]),
    count: Type.Integer({ minimum: 0, description: 'The same as `own`.' }),
    own: Type.Integer({ minimum: 0, description: 'Activities attached to the row’s node itself in this column.' }),
    total: Type.Integer({
      minimum: 1,
      description: 'Activities in this column of the row’s node and of every node below it, each counted once.',
    }),
    activityIds: Type.Array(Uuid, { description: 'The `own` activities, in natural code order.' }),
  },
  {
    additionalProperties: false,
    description:
      'A row × column cell. A parent’s cell is present when any node below it has activities in the column, even if its own count is 0.',
  },
)

export const PlanMatrix = Type.Object(
  {
    planId: Uuid,
    rows: Type.Literal('area'),
    columns: Type.Enum(matrixColumns),
    rowHeaders: Type.Array(MatrixRow, {
      description: 'Every node of the plan in tree order (parents before children), so empty provisions show too.',
    }),
    columnHeaders: Type.Array(MatrixColumn),
    cells: Type.Array(MatrixCell, { description: 'Only the cells whose total is not 0, in row order, then column.' }),
    total: Type.Integer({ minimum: 0, description: 'Activities counted.' }),
  },
  {
    $id: 'PlanMatrix',
    additionalProperties: false,
    description:
      'Counts and ids of a plan’s activities by node and column — as the ASEAN plan’s table of provisions × categories, or provisions × sectoral bodies. With organization or country columns, one activity can count in several columns.',
    examples: [
      {
        planId: (example(Plan) as { id: string }).id,
        rows: 'area',
        columns: 'category',
        rowHeaders: [
          {
            id: (example(Area) as { id: string }).id,
            parentId: null,
            code: 'Area 4',
            title: 'Development of effective systems for victim identification, including tracing of victims',
            kind: 'area',
            depth: 1,
            total: 2,
            own: 2,
          },
        ],
        columnHeaders: [{ key: 'coordination', label: 'Coordination', total: 2 }],
        cells: [
          {
            row: (example(Area) as { id: string }).id,
            column: 'coordination',
            count: 2,
            own: 2,
            total: 2,
            activityIds: [(example(Activity) as { id: string }).id],
          },
        ],
        total: 2,
      },
    ],
  },
)

export type PlanStructureT = Static<typeof PlanStructure>
export type PlanMatrixT = Static<typeof PlanMatrix>
export type AreaNodeT = Static<typeof AreaNode>

export const schemas = [AreaNode, PlanStructure, PlanMatrix]
