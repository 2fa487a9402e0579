import fp from 'fastify-plugin'
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify'
import { exportFormats } from '../http/export.ts'
import { exportNamesDescription } from '../http/export-names.ts'
import { ApiError } from '../http/problems.ts'

// Every list route marked `config.export` gets its `…/export` sibling (the streaming itself is
// http/export.ts, reached through listPage): same handler and filters, a format instead of paging.

/** The export route of a list route: same handler and filters; format instead of paging. */
function exportRoute(route: RouteOptions & { routePath: string }): RouteOptions {
  const {
    url: _u,
    path: _p,
    prefix: _x,
    routePath,
    ...rest
  } = route as RouteOptions & { path?: string; prefix?: string; routePath: string }
  const schema = (route.schema ?? {}) as Record<string, any>
  const query = schema.querystring ?? { type: 'object', properties: {} }
  const { limit: _l, cursor: _c, ...filters } = query.properties ?? {}
  const name = route.url
    .replace(/^\/v1\//, '')
    .replace(/\/:[^/]+/g, '')
    .replace(/\//g, '-')
  return {
    ...rest,
    url: `${routePath.replace(/\/$/, '')}/export`,
    schema: {
      ...schema,
      operationId: `export${String(schema.operationId).replace(/^list/, '')}`,
      summary: `Export: ${String(schema.summary).replace(/^List /, '')}`,
      description:
        `Every row that \`${schema.operationId}\` would page through, streamed in one response in the same sort: ` +
        '`format=ndjson` (default) one JSON object per line, or `format=csv` with a header row (lists of values joined with `; `, nested values as JSON, ' +
        "a UTF-8 byte order mark so spreadsheets read accents unless `bom=false`, cells that would run as formulas prefixed with `'`). " +
        'Filters apply as on the list; there is no paging, so a partner can take a whole copy in one request and follow the change feed after.' +
        exportNamesDescription(route.config?.exportNames),
      querystring: {
        ...query,
        properties: {
          ...filters,
          // No schema default: without `format`, the Accept header chooses.
          format: {
            type: 'string',
            enum: Object.keys(exportFormats),
            description: '`ndjson` or `csv`. Without it, `Accept: text/csv` chooses CSV, anything else NDJSON.',
          },
          bom: {
            type: 'boolean',
            default: true,
            description: 'CSV only: start with a UTF-8 byte order mark (Excel needs it to read UTF-8).',
          },
        },
        required: (query.required ?? []).filter((n: string) => n !== 'limit' && n !== 'cursor'),
      },
      response: {
        200: {
          description: 'The whole filtered set, streamed.',
          content: {
            'application/x-ndjson': {
              schema: { type: 'string', description: 'One JSON object per line, as in the list’s `data`.' },
            },
            'text/csv': { schema: { type: 'string', description: 'A header row, then one row per item.' } },
          },
        },
      },
      'x-export': true,
    },
    config: {
      ...(route.config ?? {}),
      export: { of: name },
      documentResponses: {
        ...(route.config?.documentResponses ?? {}),
        429: {
          description:
            'Too many requests, or this API key (or client address, without one) already runs as many exports as it may at once (`EXPORTS_PER_KEY`, 2 by default): retry after `Retry-After` seconds.',
          schema: { $ref: 'Problem' },
        },
      },
    },
  } as RouteOptions
}

export interface ExportOptions {
  /** Exports one API key (or, without one, one client address) may run at once on this node. */
  perKey?: number
}

async function exports(app: FastifyInstance, opts: ExportOptions) {
  // An export holds a database connection for as long as the client reads: a few at a time per
  // caller, so one partner's parallel downloads cannot take the pool from everyone else. Counted
  // per node (like the rate limiter); a slot is given back when the response ends or the client
  // goes away, whichever comes first. The hooks are the export routes' own (route hooks run after
  // the app's, so auth has named the key): no other request pays for them.
  const perKey = opts.perKey ?? 2
  const running = new Map<string, number>()
  const releases = new WeakMap<object, () => void>()
  const takeSlot = async (request: FastifyRequest, reply: FastifyReply) => {
    const caller = request.principal ? `key:${request.principal.keyId}` : `ip:${request.ip}`
    const count = running.get(caller) ?? 0
    if (count >= perKey)
      throw new ApiError(
        'rate-limited',
        `At most ${perKey} exports run at once per API key (or client address); retry when one has finished.`,
        { headers: { 'retry-after': String(exportRetryAfterSeconds) } },
      )
    running.set(caller, count + 1)
    let released = false
    const release = () => {
      if (released) return
      released = true
      const left = (running.get(caller) ?? 1) - 1
      if (left > 0) running.set(caller, left)
      else running.delete(caller)
    }
    // 'close' comes when the response is complete or the connection is gone; onResponse covers
    // responses that never reach a socket (inject).
    reply.raw.once('close', release)
    releases.set(request, release)
  }
  const giveSlotBack = async (request: FastifyRequest) => releases.get(request)?.()

  app.addHook('onRoute', function (route) {
    if (route.method !== 'GET' || route.config?.export !== true) return
    const exported = exportRoute(route as RouteOptions & { routePath: string })
    this.route({
      ...exported,
      onRequest: [...[exported.onRequest ?? []].flat(), takeSlot],
      onResponse: [...[exported.onResponse ?? []].flat(), giveSlotBack],
    } as RouteOptions)
  })
}

/** What a 429 for too many exports tells the client to wait: an export usually takes seconds. */
export const exportRetryAfterSeconds = 5

export default fp(exports, { name: 'exports' })
