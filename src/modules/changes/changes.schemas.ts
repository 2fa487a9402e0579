import { Type, type Static } from 'typebox'
import { ref, Timestamp } from '../../schemas/common.ts'
import { seedId } from '../../schemas/seed-ids.ts'

/** The resource types the change log names (`resource` of each change record). */
export const resourceTypes = [
  'activity',
  'api-key',
  'area',
  'indicator',
  'measurement',
  'meeting',
  'organization',
  'outcome',
  'participant',
  'plan',
  'project',
  'project-result',
  'project-task',
  'training-course',
  'webhook-subscription',
] as const

const Cursor = Type.String({
  minLength: 1,
  maxLength: 200,
  pattern: '^[A-Za-z0-9_-]+$',
  description: 'An opaque position in the feed, as received in `nextCursor` or an item’s `cursor`.',
  examples: ['MTIzNDU2LjQy'],
})

export const Change = Type.Object(
  {
    cursor: { ...Cursor, description: 'The position just after this change: pass it as `after` to resume here.' },
    resource: Type.String({
      maxLength: 50,
      description: `The resource type: ${resourceTypes.map((r) => `\`${r}\``).join(', ')} (more as the API grows).`,
      examples: ['activity'],
    }),
    id: Type.String({
      maxLength: 100,
      description: 'The resource’s id.',
      examples: ['3f1c6a52-8d7e-4c1b-9a8e-2f0c1d5b7a90'],
    }),
    operation: Type.Enum(['create', 'update', 'delete'], {
      description: '`delete` is a tombstone: the resource is gone; only its type and id remain.',
    }),
    version: Type.Integer({
      minimum: 0,
      description: 'The resource’s version after the change (for a delete, one past the last).',
      examples: [2],
    }),
    fields: Type.Array(Type.String({ maxLength: 100 }), {
      maxItems: 500,
      description:
        'The names of the fields the change set or changed (never their values: fetch the resource for those). Empty for deletes.',
      examples: [['title', 'status']],
    }),
    occurredAt: { ...Timestamp, description: 'When the transaction that made the change began.' },
  },
  { $id: 'Change', additionalProperties: false, description: 'One change record: a create, an update or a deletion.' },
)

export const ChangeFeed = Type.Object(
  {
    items: Type.Array(ref(Change), { maxItems: 1000 }),
    nextCursor: {
      ...Cursor,
      description: 'Pass it as `after` to read on; present even when there are no items (poll with it).',
    },
    hasMore: Type.Boolean({ description: '`true`: more changes are ready now; `false`: poll again later.' }),
  },
  {
    $id: 'ChangeFeed',
    additionalProperties: false,
    examples: [
      {
        items: [
          {
            cursor: 'MTIzNDU2LjQy',
            resource: 'activity',
            id: seedId('activity', 'commit-spa-1/Activity 11'),
            operation: 'update',
            version: 2,
            fields: ['title', 'status'],
            occurredAt: '2026-11-22T09:30:00.000Z',
          },
        ],
        nextCursor: 'MTIzNDU2LjQy',
        hasMore: false,
      },
    ],
  },
)

export const ChangeFeedQuery = Type.Object(
  {
    after: Type.Optional(Cursor),
    types: Type.Optional(
      Type.String({
        maxLength: 1000,
        pattern: '^[a-z][a-z-]*(,[a-z][a-z-]*)*$',
        description: 'Only these resource types, comma-separated (`activity,meeting`).',
        examples: ['activity,meeting'],
      }),
    ),
    limit: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 1000, default: 100, description: 'At most this many changes.' }),
    ),
  },
  { additionalProperties: false },
)
export type ChangeFeedQuery = Static<typeof ChangeFeedQuery>

export const schemas = [Change, ChangeFeed]
