import fp from 'fastify-plugin'
import swagger from '@fastify/swagger'
import type { FastifyInstance, RouteOptions } from 'fastify'
import { problemKinds } from '../http/problems.ts'
import { entityTagsMaxLength, ifMatchSchema } from '../schemas/common.ts'
import { finishDocument } from './openapi-document.ts'
import { xLogo } from './docs.ts'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A GET that sends ETag and answers If-None-Match with 304 (single resources always do). */
    etag?: boolean
    /**
     * Responses for the document only: problems are sent without a compiled serializer, so a
     * route that answers one with extra members (a batch's `items`) declares its shape here.
     */
    documentResponses?: Record<number, { description: string; schema: unknown }>
  }
}

// The contract is generated from the route schemas. This plugin also completes every /v1
// operation with the responses the shared mechanisms can give (401, 412, 429 …), so each module
// declares only its own, and no operation can forget one.

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: 'Problem' } } },
})

const common: Record<string, string> = {
  400: 'The request is not valid: see `errors` for each field.',
  429: 'Too many requests: wait for `Retry-After` seconds.',
  500: 'An unexpected error; the response says nothing more.',
  431: 'The request line and headers exceed 16 KiB.',
  503: 'The database is unreachable or the service is overloaded: retry after `Retry-After`.',
}

/** Headers the shared mechanisms read, declared on the route so they are validated. */
export function declareHeaders(route: RouteOptions) {
  if (!route.url.startsWith('/v1') || route.schema?.hide) return
  const methods = [route.method].flat()
  const single = /\/:[A-Za-z]+$/.test(route.url)
  const schema = (route.schema ??= {}) as Record<string, any>
  const header = (name: string, description: string, extra: object = {}) => {
    const headers = (schema.headers ??= { type: 'object', properties: {} })
    headers.properties[name] = { type: 'string', description, ...extra }
  }
  if (single && methods.some((m) => m === 'PATCH' || m === 'DELETE')) {
    header('if-match', 'The ETag you read; the write happens only if it is still current.', ifMatchSchema)
  }
  if ((single || route.config?.etag) && methods.includes('GET'))
    header('if-none-match', 'An ETag you hold; 304 when it is still current.', { maxLength: entityTagsMaxLength })
}

/**
 * Completes an operation for the contract with what the shared mechanisms can answer. Only the
 * document gets these: problems are serialized without a schema, so no route compiles a
 * serializer per problem status (that was most of the start-up time).
 */
export function documentRoute(routeSchema: Record<string, any>, route: RouteOptions): Record<string, any> {
  if (routeSchema.hide) return routeSchema
  const documented = Object.entries(route.config?.documentResponses ?? {})
  if (documented.length) {
    routeSchema = { ...routeSchema, response: { ...(routeSchema.response ?? {}) } }
    for (const [code, { description, schema: body }] of documented) {
      routeSchema.response[code] = { description, content: { 'application/problem+json': { schema: body } } }
    }
  }
  if (!route.url.startsWith('/v1')) return routeSchema
  const methods = [route.method].flat()
  const responses: Record<string, unknown> = { ...(routeSchema.response ?? {}) }
  const schema: Record<string, any> = { ...routeSchema, response: responses }
  const scope = route.config?.scope
  const single = /\/:[A-Za-z]+$/.test(route.url)
  const add = (code: number, description: string) => void (responses[code] ??= problem(description))
  for (const [code, text] of Object.entries(common)) add(Number(code), text)
  if (scope && scope !== 'public') {
    add(401, 'No API key, or one that is not valid.')
    add(403, `The API key lacks the scope \`${scope}\`${scope === 'read' ? '' : ' or is limited to other countries'}.`)
    schema.security = scope === 'read' ? [{ bearerAuth: [] }, {}] : [{ bearerAuth: [] }]
  }
  if (route.url.includes('/:')) {
    add(404, 'The resource does not exist.')
    add(414, 'A path segment is longer than any identifier of this API.')
  }
  if (methods.some((m) => m === 'POST' || m === 'PATCH' || m === 'PUT' || m === 'DELETE')) {
    add(413, 'The body is larger than the limit.')
    add(415, 'The body is not JSON (or merge-patch JSON for PATCH); a DELETE takes no body.')
  }
  if (methods.includes('POST')) {
    add(409, 'A request with the same Idempotency-Key is still running, or the resource conflicts with another.')
    add(422, 'The Idempotency-Key was used with another body, or the request breaks a rule of the domain.')
  }
  if (methods.some((m) => m === 'PATCH' || m === 'PUT')) {
    add(409, 'The change conflicts with another resource (a unique field already taken).')
    add(422, 'The change breaks a rule of the domain or refers to something that does not exist.')
  }
  if (methods.includes('DELETE')) add(409, 'Something still refers to the resource: `references` says what.')
  if (methods.includes('PATCH')) schema.consumes ??= ['application/merge-patch+json', 'application/json']
  if (single && methods.some((m) => m === 'PATCH' || m === 'DELETE'))
    add(412, 'If-Match names a version that is no longer current; nothing was changed.')
  if (methods.includes('GET') && route.config?.export === true) {
    schema['x-list'] = true
    add(
      406,
      `The Accept header rules out JSON; the NDJSON and CSV export is \`${route.url.replace(/:(\w+)/g, '{$1}')}/export\`.`,
    )
  }
  if ((single || route.config?.etag) && methods.includes('GET'))
    responses[304] ??= { description: 'Not modified: the ETag in If-None-Match is current.', type: 'null' }
  return schema
}

/** The document's introduction: the conventions every operation follows (Redoc shows its headings in the menu). */
const conventions = `The system of record for regional plans of action against trafficking in persons — the COMMIT Sub-regional Plan of Action of the six Mekong countries, the ASEAN Plan of Action and others: plans, their structure and activities, project proposals, meetings and their outcomes.

# Conventions

## Requests and responses
Paths start with \`/v1\` and are kebab-case; JSON is camelCase. Dates are \`YYYY-MM-DD\`; timestamps are RFC 3339 in UTC. Unknown fields in a body, and unknown query parameters, are errors. Every response carries \`x-request-id\`; send your own to trace a call across systems.

## Authentication and scopes
Send \`Authorization: Bearer apk_…\`. A key carries scopes — \`read\`, \`plans:write\`, \`meetings:write\`, \`training:write\`, \`participants:read\`, \`indicators:write\`, \`admin\` (all) — and may be limited to countries: such a key writes only rows that belong to its countries (a row of no country, or with countries beyond the key's, is read-only to it). Whether anonymous callers may read is a setting of the server. Repeated failed authentications from one address are answered 429.

## Lists and pagination
Lists answer \`{ "data": [...], "nextCursor": "…" | null }\` and a \`Link: <…>; rel="next"\` header. Pass \`nextCursor\` as \`cursor\` with the same filters and sort: a crawl never skips or repeats a row that exists throughout it, and page 10 000 costs what page 1 costs. \`limit\` is 1–500 (default 50). Filters are named after fields; \`updatedSince\` with \`sort=updatedAt\` syncs a copy. Every list has an \`…/export\` sibling that streams the whole filtered set as NDJSON or CSV.

## ETags and conditional requests
A single resource's \`ETag\` is its \`version\`. \`If-None-Match\` answers 304 when you are current; \`If-Match\` on PATCH, PUT or DELETE makes the write happen only if nobody changed the resource since you read it (412 otherwise, nothing changed).

## Writes and idempotency
\`POST\` creates (201, \`Location\`, \`ETag\`). Every POST honours \`Idempotency-Key\`: the same key and body within 24 hours returns the first response again (\`Idempotent-Replayed: true\`) without doing the work twice; another body under the key is 422; while the first is still running, 409. \`PATCH\` takes JSON Merge Patch (\`application/merge-patch+json\`): absent fields stay, \`null\` clears. \`DELETE\` answers 204, or 409 naming what still refers to the resource. Batches take up to 1 000 items, keyed by your \`externalRef\`, and report each item.

## Errors
Errors are RFC 9457 problems (\`application/problem+json\`) with \`type\`, \`title\`, \`status\`, \`detail\` and \`instance\`; validation problems list \`errors: [{ pointer, detail }]\` with a JSON Pointer into the request. Each \`type\` is a page: ${Object.keys(
  problemKinds,
)
  .map((k) => `[\`${k}\`](/problems/${k})`)
  .join(', ')}.

## Limits
Bodies are limited in size (413), \`limit\` to 500, batches to 1 000 items, and requests per key and window (429 with \`RateLimit-Limit\`, \`RateLimit-Remaining\`, \`RateLimit-Reset\` and \`Retry-After\`). An overloaded or draining node answers 503 with \`Retry-After\`.`

async function openapi(app: FastifyInstance, opts: { version: string; tags: { name: string; description: string }[] }) {
  app.addHook('onRoute', declareHeaders)
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Action Plan API',
        version: opts.version,
        description: conventions,
        license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' },
        contact: { name: 'Action Plan API team' },
        // Redoc's logo extension; the InfoObject type does not know x- keys.
        ...({ 'x-logo': xLogo } as object),
      },
      // The document describes the node that serves it, whatever its environment (local,
      // staging or production): its url is that node's own root, and it is public.
      servers: [
        {
          url: '/',
          description: 'This server: local, staging or production alike, the node that serves this document.',
          'x-internal': false,
        } as never,
      ],
      tags: [...opts.tags, { name: 'Health', description: 'Liveness and readiness probes.' }],
      components: {
        securitySchemes: {
          bearerAuth: {
            type: 'http',
            scheme: 'bearer',
            description: 'An API key: `Authorization: Bearer apk_…`. Create one with `npm run key:create`.',
          },
        },
      },
    },
    transform: ({ schema, url, route }) => ({
      schema: documentRoute(schema as Record<string, any>, route) as never,
      url,
    }),
    transformObject: (documents) =>
      finishDocument((documents as { openapiObject: Record<string, any> }).openapiObject) as never,
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`),
    },
  })
  app.get('/v1/openapi.json', { schema: { hide: true }, config: { scope: 'public' } }, () => app.swagger())
}

export default fp(openapi, { name: 'openapi' })
