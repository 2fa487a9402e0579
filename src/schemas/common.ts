import { Type, type Static, type TSchema } from 'typebox'

// Shapes shared by every module. Schemas with an $id are registered once (see app.ts) and
// become named components in the OpenAPI document; routes point at them through ref().

/** A $ref to a registered schema that keeps the schema's static type for handlers. */
export function ref<T extends TSchema & { $id?: string }>(schema: T) {
  if (!schema.$id) throw new Error('ref() needs a schema with an $id')
  return Type.Unsafe<Static<T>>({ $ref: schema.$id })
}

/**
 * A batch item: accepted as anything, validated one by one (so one bad item is reported by its
 * index, and in partial mode the others are still written), and documented as exactly `id`.
 */
export const lenientItem = (id: string) => Type.Unsafe<unknown>({ 'x-document-as': id })

export const Uuid = Type.String({
  format: 'uuid',
  maxLength: 36,
  description: 'A UUID.',
  examples: ['3f1c6a52-8d7e-4c1b-9a8e-2f0c1d5b7a90'],
})
export const DateString = Type.String({
  format: 'date',
  maxLength: 10,
  description: 'A calendar date, YYYY-MM-DD.',
  examples: ['2004-10-28'],
})
export const Timestamp = Type.String({
  format: 'date-time',
  maxLength: 64,
  description: 'An RFC 3339 timestamp in UTC.',
  examples: ['2026-11-22T09:30:00.000Z'],
})
export const CountryCode = Type.String({
  pattern: '^[A-Z]{2}$',
  maxLength: 2,
  description: 'ISO 3166-1 alpha-2 country code.',
  examples: ['KH'],
})

/** Country lists of plans, activities and projects; codes are checked against the countries table. */
export const CountryList = (description: string) =>
  Type.Array(CountryCode, {
    uniqueItems: true,
    maxItems: 300,
    description,
    examples: [['KH', 'CN', 'LA', 'MM', 'TH', 'VN']],
  })

/** A uuid whose documented example is a seeded row (so examples in the docs resolve). */
export const UuidOf = (example: string, description?: string) =>
  Type.String({ format: 'uuid', maxLength: 36, examples: [example], ...(description ? { description } : {}) })

/** The `updatedSince` filter of the lists: rows updated at or after this time. */
export const UpdatedSince = (what: string) =>
  Type.String({
    format: 'date-time',
    maxLength: 64,
    description: `Only ${what} updated at or after this time (RFC 3339).`,
  })

/** The `inferred` filter of the lists of records with provenance (see `provenance` on each record). */
export const InferredFilter = Type.Boolean({
  description:
    '`true`: only records with at least one inferred field (`provenance.inferred` not empty): a value the source documents do not give, placed by rule or assumed. `false`: only records with none.',
})

/** The schema, or null. */
export const nullable = <T extends TSchema>(schema: T, description?: string) =>
  Type.Union([schema, Type.Null()], description ? { description } : {})
export const nullableDate = (description: string) => nullable(DateString, description)

/** The same schema with its own description (TypeBox schemas are plain objects). */
export const described = <T extends TSchema>(schema: T, description: string): T => ({ ...schema, description }) as T

/** createdAt, updatedAt and version: every resource carries them. */
export const ResourceMeta = {
  createdAt: Timestamp,
  updatedAt: Timestamp,
  version: Type.Integer({ minimum: 1, description: 'Bumped on every write; sent as the ETag.', examples: [1] }),
}

/** What a problem holds at most; problemBody (http/problems.ts) cuts what is longer. */
export const problemLimits = { detail: 4000, text: 1000, name: 100, errors: 100, references: 50 } as const

export const ProblemFieldError = Type.Object(
  {
    pointer: Type.String({
      maxLength: problemLimits.text,
      description:
        'JSON Pointer into the request: /body/…, /query/…, /params/…, /headers/… (a longer one, naming a long unknown property, is cut short with …).',
      examples: ['/body/startDate'],
    }),
    detail: Type.String({ maxLength: problemLimits.text, examples: ['must be a date (YYYY-MM-DD)'] }),
  },
  { $id: 'ProblemFieldError', additionalProperties: false },
)

export const Problem = Type.Object(
  {
    type: Type.String({
      maxLength: 200,
      description: 'A URI reference naming the kind of problem; stable, documented under /problems.',
      examples: ['/problems/validation-error'],
    }),
    title: Type.String({ maxLength: 200, examples: ['Your request is not valid.'] }),
    status: Type.Integer({ minimum: 400, maximum: 599, examples: [400] }),
    detail: Type.Optional(
      Type.String({ maxLength: problemLimits.detail, examples: ['body/name must NOT have fewer than 1 characters'] }),
    ),
    instance: Type.Optional(
      Type.String({
        maxLength: 200,
        description: 'This occurrence: the request id.',
        examples: ['/requests/4c1e9a52-7b1d-4a47-9d7e-0b1f7c2e5a10'],
      }),
    ),
    errors: Type.Optional(
      Type.Array(ref(ProblemFieldError), {
        maxItems: problemLimits.errors,
        description: `One entry per offending field, the first ${problemLimits.errors} when there are more (\`detail\` then says how many there were).`,
      }),
    ),
    references: Type.Optional(
      Type.Array(
        Type.Object({
          resource: Type.String({ maxLength: problemLimits.name }),
          field: Type.Optional(Type.String({ maxLength: problemLimits.name })),
          id: Type.Optional(Type.String({ maxLength: problemLimits.name })),
        }),
        {
          maxItems: problemLimits.references,
          description: 'For 409 on delete: what still references the resource.',
        },
      ),
    ),
  },
  {
    $id: 'Problem',
    description: 'An RFC 9457 problem detail (application/problem+json).',
    additionalProperties: true,
  },
)
export type ProblemBody = Static<typeof Problem>

/**
 * The longest cursor the lists issue, and so accept. A cursor carries the last row's sort value:
 * a meeting's title (1 000 characters, each up to 6 bytes as JSON: \u0001) sorted by title
 * makes one of 8 119 characters.
 */
export const cursorMaxLength = 8192

/** The list envelope: a page of items and the cursor of the next page (null on the last). */
export function ListOf<T extends TSchema & { $id?: string }>(item: T, id: string) {
  return Type.Object(
    {
      data: Type.Array(ref(item), { maxItems: 500, description: 'At most `limit` items (1–500).' }),
      nextCursor: Type.Union([Type.String({ maxLength: cursorMaxLength }), Type.Null()], {
        description: 'Pass as `cursor` to get the next page; null on the last page.',
      }),
    },
    {
      $id: id,
      additionalProperties: false,
      examples: [
        {
          data: (item as { examples?: unknown[] }).examples?.slice(0, 1) ?? [],
          nextCursor: 'eyJwIjpbIlVOSUFQIiwiMGI5ZjVjOGUiXSwiYiI6ImFiYyJ9.c2lnbmF0dXJl',
        },
      ],
    },
  )
}

export const PageQuery = {
  limit: Type.Integer({ minimum: 1, maximum: 500, default: 50, description: 'Page size, 1–500.' }),
  cursor: Type.Optional(
    Type.String({
      maxLength: cursorMaxLength,
      description: 'The `nextCursor` of the previous page. Bound to the filters and sort it was issued for.',
    }),
  ),
}

export const IdParams = Type.Object({ id: Uuid }, { additionalProperties: false })

/** If-Match and If-None-Match hold a list of entity tags; no longer than this. */
export const entityTagsMaxLength = 1000
const entityTag = '(W/)?"[^"]*"'
/** If-Match: `*` or a list of quoted entity tags, as ETag sends them (for a header schema). */
export const ifMatchSchema = {
  pattern: `^\\s*(\\*|${entityTag}(\\s*,\\s*${entityTag})*)\\s*$`,
  maxLength: entityTagsMaxLength,
}

const documentLinkFields = {
  title: Type.String({ minLength: 1, maxLength: 500, examples: ['COMMIT Sub-regional Plan of Action'] }),
  url: Type.String({
    format: 'uri',
    maxLength: 2000,
    description: 'An http(s) URL.',
    examples: ['http://no-trafficking.org/content/COMMIT_Process/COMMIT_background.html'],
  }),
  type: Type.Enum(
    ['plan', 'framework', 'report', 'minutes', 'agenda', 'concept_note', 'guidance', 'presentation', 'other'],
    { description: 'What the document is.' },
  ),
  language: Type.Union(
    [Type.String({ pattern: '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$', maxLength: 35, examples: ['en'] }), Type.Null()],
    { description: 'BCP 47 language tag; null when not known (no default language is assumed).' },
  ),
  date: Type.Union([DateString, Type.Null()], { description: 'The date the document bears, if known.' }),
}

/** A document link as sent: the server fills what is left out. */
export const DocumentLinkInput = Type.Object(
  {
    title: documentLinkFields.title,
    url: documentLinkFields.url,
    type: Type.Optional({ ...documentLinkFields.type, default: 'other' }),
    language: Type.Optional({ ...documentLinkFields.language, default: null }),
    date: Type.Optional({ ...documentLinkFields.date, default: null }),
  },
  {
    $id: 'DocumentLinkInput',
    additionalProperties: false,
    description: 'A link to a document about the resource; `type` defaults to other, `language` and `date` to null.',
  },
)

/** A document link as stored and returned: every field present. */
export const DocumentLink = Type.Object(documentLinkFields, {
  $id: 'DocumentLink',
  additionalProperties: false,
  description: 'A link to a document about the resource.',
})

/** A link as stored: what the client left out filled as validation does (for callers that skip it). */
export const documentLink = (d: Static<typeof DocumentLinkInput>): Static<typeof DocumentLink> => ({
  title: d.title,
  url: d.url,
  type: d.type ?? 'other',
  language: d.language ?? null,
  date: d.date ?? null,
})

export const Documents = (description: string) => Type.Array(ref(DocumentLink), { maxItems: 100, description })
export const DocumentsInput = (description: string) =>
  Type.Array(ref(DocumentLinkInput), { maxItems: 100, description })

export const sharedSchemas = [ProblemFieldError, Problem, DocumentLinkInput, DocumentLink]
