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

export const Uuid = Type.String({ format: 'uuid', description: 'A UUID.', examples: ['3f1c6a52-8d7e-4c1b-9a8e-2f0c1d5b7a90'] })
export const DateString = Type.String({ format: 'date', description: 'A calendar date, YYYY-MM-DD.', examples: ['2004-10-28'] })
export const Timestamp = Type.String({ format: 'date-time', description: 'An RFC 3339 timestamp in UTC.', examples: ['2026-11-22T09:30:00.000Z'] })
export const CountryCode = Type.String({ pattern: '^[A-Z]{2}$', description: 'ISO 3166-1 alpha-2 country code.', examples: ['KH'] })

/** Country lists of plans, activities and projects; codes are checked against the countries table. */
export const CountryList = (description: string) =>
  Type.Array(CountryCode, { uniqueItems: true, maxItems: 300, description, examples: [['KH', 'CN', 'LA', 'MM', 'TH', 'VN']] })

/** A uuid whose documented example is a seeded row (so examples in the docs resolve). */
export const UuidOf = (example: string, description?: string) => Type.String({ format: 'uuid', examples: [example], ...(description ? { description } : {}) })

/** The schema, or null. */
export const nullable = <T extends TSchema>(schema: T, description?: string) => Type.Union([schema, Type.Null()], description ? { description } : {})
export const nullableDate = (description: string) => nullable(DateString, description)

/** The same schema with its own description (TypeBox schemas are plain objects). */
export const described = <T extends TSchema>(schema: T, description: string): T => ({ ...schema, description }) as T

/** createdAt, updatedAt and version: every resource carries them. */
export const ResourceMeta = {
  createdAt: Timestamp,
  updatedAt: Timestamp,
  version: Type.Integer({ minimum: 1, description: 'Bumped on every write; sent as the ETag.', examples: [1] }),
}

export const ProblemFieldError = Type.Object(
  {
    pointer: Type.String({ description: 'JSON Pointer into the request: /body/…, /query/…, /params/…, /headers/…', examples: ['/body/startDate'] }),
    detail: Type.String({ examples: ['must be a date (YYYY-MM-DD)'] }),
  },
  { $id: 'ProblemFieldError', additionalProperties: false },
)

export const Problem = Type.Object(
  {
    type: Type.String({ description: 'A URI reference naming the kind of problem; stable, documented under /problems.', examples: ['/problems/validation-error'] }),
    title: Type.String({ examples: ['Your request is not valid.'] }),
    status: Type.Integer({ minimum: 400, maximum: 599, examples: [400] }),
    detail: Type.Optional(Type.String({ examples: ['body/name must NOT have fewer than 1 characters'] })),
    instance: Type.Optional(Type.String({ description: 'This occurrence: the request id.', examples: ['/requests/4c1e9a52-7b1d-4a47-9d7e-0b1f7c2e5a10'] })),
    errors: Type.Optional(Type.Array(ref(ProblemFieldError))),
    references: Type.Optional(
      Type.Array(Type.Object({ resource: Type.String(), field: Type.Optional(Type.String()), id: Type.Optional(Type.String()) }), {
        description: 'For 409 on delete: what still references the resource.',
      }),
    ),
  },
  {
    $id: 'Problem',
    description: 'An RFC 9457 problem detail (application/problem+json).',
    additionalProperties: true,
  },
)
export type ProblemBody = Static<typeof Problem>

/** The list envelope: a page of items and the cursor of the next page (null on the last). */
export function ListOf<T extends TSchema & { $id?: string }>(item: T, id: string) {
  return Type.Object(
    {
      data: Type.Array(ref(item)),
      nextCursor: Type.Union([Type.String(), Type.Null()], { description: 'Pass as `cursor` to get the next page; null on the last page.' }),
    },
    { $id: id, additionalProperties: false, examples: [{ data: (item as { examples?: unknown[] }).examples?.slice(0, 1) ?? [], nextCursor: 'eyJwIjpbIlVOSUFQIiwiMGI5ZjVjOGUiXSwiYiI6ImFiYyJ9.c2lnbmF0dXJl' }] },
  )
}

export const PageQuery = {
  limit: Type.Integer({ minimum: 1, maximum: 500, default: 50, description: 'Page size, 1–500.' }),
  cursor: Type.Optional(Type.String({ maxLength: 2000, description: 'The `nextCursor` of the previous page. Bound to the filters and sort it was issued for.' })),
}

export const IdParams = Type.Object({ id: Uuid }, { additionalProperties: false })

const documentLinkFields = {
  title: Type.String({ minLength: 1, maxLength: 500, examples: ['COMMIT Sub-regional Plan of Action'] }),
  url: Type.String({ format: 'uri', maxLength: 2000, description: 'An http(s) URL.', examples: ['http://no-trafficking.org/content/COMMIT_Process/COMMIT_background.html'] }),
  type: Type.Enum(['plan', 'framework', 'report', 'minutes', 'agenda', 'concept_note', 'guidance', 'presentation', 'other'], { description: 'What the document is.' }),
  language: Type.String({ pattern: '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$', description: 'BCP 47 language tag.', examples: ['en'] }),
  date: Type.Union([DateString, Type.Null()], { description: 'The date the document bears, if known.' }),
}

/** A document link as sent: the server fills what is left out. */
export const DocumentLinkInput = Type.Object(
  {
    title: documentLinkFields.title,
    url: documentLinkFields.url,
    type: Type.Optional({ ...documentLinkFields.type, default: 'other' }),
    language: Type.Optional({ ...documentLinkFields.language, default: 'en' }),
    date: Type.Optional({ ...documentLinkFields.date, default: null }),
  },
  { $id: 'DocumentLinkInput', additionalProperties: false, description: 'A link to a document about the resource; `type` defaults to other, `language` to en, `date` to null.' },
)

/** A document link as stored and returned: every field present. */
export const DocumentLink = Type.Object(documentLinkFields, { $id: 'DocumentLink', additionalProperties: false, description: 'A link to a document about the resource.' })

/** A link as stored: what the client left out filled as validation does (for callers that skip it). */
export const documentLink = (d: Static<typeof DocumentLinkInput>): Static<typeof DocumentLink> => ({ title: d.title, url: d.url, type: d.type ?? 'other', language: d.language ?? 'en', date: d.date ?? null })

export const Documents = (description: string) => Type.Array(ref(DocumentLink), { maxItems: 100, description })
export const DocumentsInput = (description: string) => Type.Array(ref(DocumentLinkInput), { maxItems: 100, description })

export const sharedSchemas = [ProblemFieldError, Problem, DocumentLinkInput, DocumentLink]
