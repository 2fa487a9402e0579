import fp from 'fastify-plugin'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { FastifyInstance, RouteOptions } from 'fastify'
import { problemKinds } from './problems.ts'

// The contract is generated from the route schemas. This plugin also completes every /v1
// operation with the responses the shared mechanisms can give (401, 412, 429 …), so each module
// declares only its own, and no operation can forget one.

const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: { $ref: 'Problem' } } } })

const common: Record<string, string> = {
  400: 'The request is not valid: see `errors` for each field.',
  429: 'Too many requests: wait for `Retry-After` seconds.',
  500: 'An unexpected error; the response says nothing more.',
  503: 'The database is unreachable or the service is overloaded: retry after `Retry-After`.',
}

export const tags = [
  { name: 'Countries', description: 'ISO 3166-1 countries (read-only reference data).' },
  { name: 'Organizations', description: 'Governments, task forces, UN agencies, sectoral bodies, NGOs, donors and others.' },
  { name: 'Plans', description: 'Regional plans of action, their structure (sections › areas › sub-areas, or pillars › provisions) and whole-plan views.' },
  { name: 'Activities', description: 'The numbered activities of a plan, with the organizations leading, implementing, funding or taking part in them.' },
  { name: 'Projects', description: 'Project Proposal Concepts: the activities they cover, their expected results and their work plan of tasks.' },
  { name: 'Meetings', description: 'Senior Officials Meetings, seminars, workshops, roundtables and other meetings: agenda, documents, attendance (aggregate counts) and an iCalendar feed.' },
  { name: 'Outcomes', description: 'What meetings produced: decisions, recommendations, agreements, action items (with responsible organizations, due date and status) and findings; posted one by one or in idempotent batches.' },
  { name: 'Health', description: 'Liveness and readiness probes.' },
]

/** Headers the shared mechanisms read, declared on the route so they are validated. */
export function declareHeaders(route: RouteOptions) {
  if (!route.url.startsWith('/v1') || route.schema?.hide) return
  const methods = [route.method].flat()
  const single = /\/:[A-Za-z]+$/.test(route.url)
  const schema = (route.schema ??= {}) as Record<string, any>
  const header = (name: string, description: string) => {
    const headers = (schema.headers ??= { type: 'object', properties: {} })
    headers.properties[name] = { type: 'string', description }
  }
  if (single && methods.some((m) => m === 'PATCH' || m === 'DELETE')) header('if-match', 'The ETag you read; the write happens only if it is still current.')
  if (single && methods.includes('GET')) header('if-none-match', 'An ETag you hold; 304 when it is still current.')
}

/**
 * Completes an operation for the contract with what the shared mechanisms can answer. Only the
 * document gets these: problems are serialized without a schema, so no route compiles a
 * serializer per problem status (that was most of the start-up time).
 */
export function documentRoute(routeSchema: Record<string, any>, route: RouteOptions): Record<string, any> {
  if (!route.url.startsWith('/v1') || routeSchema.hide) return routeSchema
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
  if (route.url.includes('/:')) add(404, 'The resource does not exist.')
  if (methods.some((m) => m === 'POST' || m === 'PATCH' || m === 'PUT')) {
    add(413, 'The body is larger than the limit.')
    add(415, 'The body is not JSON (or merge-patch JSON for PATCH).')
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
  if (single && methods.some((m) => m === 'PATCH' || m === 'DELETE')) add(412, 'If-Match names a version that is no longer current; nothing was changed.')
  // Lists built on listPage also export: document the streamed media types beside JSON.
  const ok = responses[200] as { $ref?: string } | undefined
  if (methods.includes('GET') && ok?.$ref?.endsWith('List')) {
    responses[200] = {
      description: 'A page of results; or, with `Accept: application/x-ndjson` or `text/csv`, every matching row streamed (filters and sort apply, `limit` does not).',
      content: {
        'application/json': { schema: ok },
        'application/x-ndjson': { schema: { type: 'string', description: 'One JSON object per line.' } },
        'text/csv': { schema: { type: 'string', description: 'A header row, then one row per item; nested values as JSON.' } },
      },
    }
  }
  if (single && methods.includes('GET')) responses[304] ??= { description: 'Not modified: the ETag in If-None-Match is current.', type: 'null' }
  return schema
}

async function openapi(app: FastifyInstance, opts: { version: string }) {
  app.addHook('onRoute', declareHeaders)
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Action Plan API',
        version: opts.version,
        description:
          'The system of record for regional plans of action against trafficking in persons: plans, their structure and activities, ' +
          'meetings and outcomes, training and indicators.\n\n' +
          'Lists are cursor-paginated (`limit`, `cursor`, `nextCursor`, `Link: rel="next"`); single resources carry an `ETag` ' +
          '(their `version`); every POST honours `Idempotency-Key`; PATCH takes JSON Merge Patch; errors are RFC 9457 problems. ' +
          `Problem types: ${Object.keys(problemKinds).map((k) => `\`/problems/${k}\``).join(', ')}.`,
        license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' },
        contact: { name: 'Action Plan API team' },
      },
      servers: [{ url: '/', description: 'This server' }],
      tags,
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', description: 'An API key: `Authorization: Bearer apk_…`. Create one with `npm run key:create`.' },
        },
      },
    },
    transform: ({ schema, url, route }) => ({ schema: documentRoute(schema as Record<string, any>, route) as never, url }),
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`),
    },
  })
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true })
  app.get('/v1/openapi.json', { schema: { hide: true }, config: { scope: 'public' } }, () => app.swagger())
}

export default fp(openapi, { name: 'openapi' })
