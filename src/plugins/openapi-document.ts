import { problemKinds } from '../http/problems.ts'
import { linkMaxLength } from '../http/pagination.ts'

// The last pass over the generated document (@fastify/swagger's transformObject): what holds for
// every operation is stated here once, from the same facts the mechanisms act on, so a generated
// client sees exactly what the service sends — every response header, optional parameters as
// optional, enums typed, one true example per problem — and no module can forget any of it.

type Json = Record<string, any>

/** The largest value of a Postgres integer (int4): versions, positions and counts are no larger. */
const int32Max = 2147483647

/** Response headers the shared mechanisms send, as named components. */
const headers: Record<string, { name: string; description: string; schema: Json }> = {
  XRequestId: {
    name: 'x-request-id',
    description:
      'This request’s id, also in a problem’s `instance`. Send your own (1–128 of `A-Z a-z 0-9 _ . : -`) to trace a call across systems.',
    schema: { type: 'string', maxLength: 128 },
  },
  AccessControlAllowOrigin: {
    name: 'Access-Control-Allow-Origin',
    description:
      'CORS: which web origins may read the response. `*` (any) by default; when the server is configured with a list of origins, the request’s `Origin` if it is one of them, and no header otherwise.',
    schema: { type: 'string', maxLength: 2000, examples: ['*'] },
  },
  RateLimitLimit: {
    name: 'RateLimit-Limit',
    description: 'Requests allowed per window for this API key (or address, without one).',
    schema: { type: 'integer', minimum: 0 },
  },
  RateLimitRemaining: {
    name: 'RateLimit-Remaining',
    description: 'Requests left in the current window.',
    schema: { type: 'integer', minimum: 0 },
  },
  RateLimitReset: {
    name: 'RateLimit-Reset',
    description: 'Seconds until the window resets.',
    schema: { type: 'integer', minimum: 0 },
  },
  RetryAfter: {
    name: 'Retry-After',
    description: 'Seconds to wait before retrying.',
    schema: { type: 'integer', minimum: 0 },
  },
  ETag: {
    name: 'ETag',
    description:
      'The resource’s version as an entity tag (`"3"`): send it in If-Match to write safely, or in If-None-Match to revalidate.',
    schema: { type: 'string', maxLength: 100, examples: ['"3"'] },
  },
  Location: {
    name: 'Location',
    description: 'The path of the created resource.',
    schema: { type: 'string', maxLength: 2000, examples: ['/v1/organizations/3f1c6a52-8d7e-4c1b-9a8e-2f0c1d5b7a90'] },
  },
  Link: {
    name: 'Link',
    description: `RFC 8288 link to the next page (\`<…>; rel="next"\`): this request's URL with \`nextCursor\` as \`cursor\`. Absent on the last page, and when it would be longer than ${linkMaxLength} characters (only an outsized Host or URL makes it so; \`nextCursor\` still leads on).`,
    schema: { type: 'string', maxLength: linkMaxLength },
  },
  IdempotentReplayed: {
    name: 'Idempotent-Replayed',
    description:
      '`true` when this is the stored response of an earlier request with the same Idempotency-Key: the work was not done again.',
    schema: { type: 'string', enum: ['true'] },
  },
  WwwAuthenticate: {
    name: 'WWW-Authenticate',
    description: 'The authentication scheme: `Bearer realm="action-plan-api"`.',
    schema: { type: 'string', maxLength: 200 },
  },
  ContentDisposition: {
    name: 'Content-Disposition',
    description: 'The file name a browser saves the export as.',
    schema: { type: 'string', maxLength: 300, examples: ['attachment; filename="organizations.csv"'] },
  },
}

const use = (component: keyof typeof headers) => ({
  [headers[component]!.name]: { $ref: `#/components/headers/${component}` },
})

function responseHeaders(method: string, path: string, status: string, operation: Json): Json {
  const code = Number(status)
  const single = /\/\{[A-Za-z]+\}$/.test(path)
  const conditional = !!operation.responses?.['304']
  const list = method === 'get' && !!operation['x-list']
  const out: Json = { ...use('XRequestId'), ...use('AccessControlAllowOrigin') }
  // Health probes are exempt from rate limiting (plugins/limits.ts): no RateLimit-* there.
  if (!path.startsWith('/health'))
    Object.assign(out, use('RateLimitLimit'), use('RateLimitRemaining'), use('RateLimitReset'))
  if (code === 429 || code === 503 || (method === 'post' && code === 409)) Object.assign(out, use('RetryAfter'))
  if (code === 401) Object.assign(out, use('WwwAuthenticate'))
  if (code === 412 || code === 304 || (code === 200 && (conditional || method === 'patch' || method === 'put')))
    Object.assign(out, use('ETag'))
  if (code === 201) Object.assign(out, use('ETag'), use('Location'))
  if (list && code === 200) Object.assign(out, use('Link'))
  if (method === 'post') Object.assign(out, use('IdempotentReplayed'))
  if (operation['x-export'] && code === 200) Object.assign(out, use('ContentDisposition'))
  void single
  return out
}

/** One example per kind of problem a status can carry, each true to what the service sends. */
function problemExamples(status: number): Json | undefined {
  const kinds = Object.entries(problemKinds).filter(([, [s]]) => s === status)
  if (!kinds.length) return undefined
  return Object.fromEntries(
    kinds.map(([kind, [, title]]) => [
      kind,
      {
        summary: title,
        value: {
          type: `/problems/${kind}`,
          title,
          status,
          ...(problemDetails[kind] ?? {}),
          instance: '/requests/4c1e9a52-7b1d-4a47-9d7e-0b1f7c2e5a10',
        },
      },
    ]),
  )
}

const problemDetails: Record<string, Json> = {
  'validation-error': {
    detail: 'body/startDate must be a valid date (YYYY-MM-DD, years 0001–9999)',
    errors: [{ pointer: '/body/startDate', detail: 'must be a valid date (YYYY-MM-DD, years 0001–9999)' }],
  },
  'malformed-json': {
    detail: 'Unexpected end of JSON input',
    errors: [{ pointer: '/body', detail: 'is not valid JSON' }],
  },
  'invalid-cursor': {
    detail: 'was issued for other filters or another sort; start again without a cursor',
    errors: [
      {
        pointer: '/query/cursor',
        detail: 'was issued for other filters or another sort; start again without a cursor',
      },
    ],
  },
  unauthorized: { detail: 'The API key is not valid or has been revoked.' },
  forbidden: {
    detail: 'This API key is limited to LA; it may not write data of TH.',
    errors: [{ pointer: '/body/countries', detail: "country TH is outside this key's countries" }],
  },
  'not-found': { detail: 'No plan with id 3f1c6a52-8d7e-4c1b-9a8e-2f0c1d5b7a90.' },
  'route-not-found': { detail: 'GET /v1/plan is not a route of this API.' },
  'not-acceptable': { detail: 'This list answers application/json; for NDJSON or CSV use /v1/activities/export.' },
  conflict: {
    detail: 'A plan with the same code already exists.',
    errors: [{ pointer: '/body/code', detail: 'is already taken' }],
  },
  'still-referenced': {
    detail: 'It is still referenced by activities (areaId); remove those references first.',
    references: [{ resource: 'activities', field: 'areaId' }],
  },
  'idempotency-in-flight': { detail: 'The first request with this key has not finished; retry in a moment.' },
  'precondition-failed': { detail: 'The resource is at version 4; read it again and retry with If-Match: "4".' },
  'payload-too-large': { detail: 'Request body is too large' },
  'uri-too-long': { detail: 'A path segment is longer than any identifier of this API.' },
  'unsupported-media-type': { detail: 'Send application/json (or application/merge-patch+json for PATCH).' },
  'rule-violation': {
    detail: 'A meeting ends on or after its start day (2004-10-28).',
    errors: [{ pointer: '/body/endDate', detail: 'must be on or after startDate' }],
  },
  'invalid-reference': {
    detail: 'areaId refers to an area that does not exist.',
    errors: [{ pointer: '/body/areaId', detail: 'no such area' }],
  },
  'idempotency-key-reuse': {
    detail: 'This Idempotency-Key was first used with a different request; use a new key for a new request.',
    errors: [{ pointer: '/headers/idempotency-key', detail: 'was used with a different body or path' }],
  },
  'rate-limited': { detail: 'At most 6000 requests per minute; retry in 12 s.' },
  'headers-too-large': { detail: 'The request headers exceed 16 KiB.' },
  unavailable: { detail: 'The database is not reachable right now; retry shortly.' },
}

/** Walks every schema object of the document. */
function walk(node: unknown, visit: (schema: Json) => void) {
  if (Array.isArray(node)) return node.forEach((n) => walk(n, visit))
  if (typeof node !== 'object' || node === null) return
  visit(node as Json)
  for (const value of Object.values(node)) walk(value, visit)
}

export function finishDocument(doc: Json): Json {
  doc.components ??= {}
  doc.components.headers = Object.fromEntries(
    Object.entries(headers).map(([id, { description, schema }]) => [id, { description, schema }]),
  )

  walk(doc, (schema) => {
    // Lenient item schemas (validated one by one, reported by index) are documented as exactly
    // what a valid item is.
    if (typeof schema['x-document-as'] === 'string') {
      const id = schema['x-document-as']
      for (const key of Object.keys(schema)) delete schema[key]
      schema.$ref = `#/components/schemas/${id}`
    }
    // TypeBox enums carry no `type`; viewers then show "any" and generators widen them.
    if (
      Array.isArray(schema.enum) &&
      schema.type === undefined &&
      schema.enum.every((v: unknown) => typeof v === 'string')
    )
      schema.type = 'string'
    // Integers are Postgres int4 values (versions, positions) or counts of rows: int32, unless a
    // schema says otherwise (attendance sums are int64). Every integer a request carries has
    // its own, smaller maximum in its schema, so validation refuses larger values with a 400.
    if (schema.type === 'integer') {
      schema.format ??= 'int32'
      if (schema.maximum === undefined && schema.exclusiveMaximum === undefined) schema.maximum = int32Max
    }
  })

  for (const [path, item] of Object.entries(doc.paths ?? {}) as [string, Json][]) {
    for (const [method, operation] of Object.entries(item) as [string, Json][]) {
      if (typeof operation !== 'object' || !operation.responses) continue
      // A parameter with a default may be left out.
      for (const p of operation.parameters ?? []) if (p.schema?.default !== undefined) delete p.required
      for (const [status, response] of Object.entries(operation.responses) as [string, Json][]) {
        response.headers = { ...responseHeaders(method, path, status, operation), ...(response.headers ?? {}) }
        const problem = response.content?.['application/problem+json']
        if (problem && !problem.examples && problem.schema?.$ref === '#/components/schemas/Problem') {
          const examples = problemExamples(Number(status))
          if (examples) problem.examples = examples
        }
      }
      delete operation['x-list']
      delete operation['x-export']
    }
  }
  return doc
}
