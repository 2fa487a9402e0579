import fp from 'fastify-plugin'
import { Readable } from 'node:stream'
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify'
import { ApiError } from './problems.ts'

// Bulk export (DESIGN §3): every list marked `config.export` gets a sibling `…/export` that
// streams the whole filtered set, in the list's sort, without paging, as NDJSON or CSV. It walks
// the same keyset query the pages use, a batch at a time, so memory stays flat whatever the
// size, and a row that exists throughout the export is written exactly once. The export is its
// own operation so that a JSON client's list type is the page and nothing else.

export const exportFormats = { ndjson: 'application/x-ndjson', csv: 'text/csv' } as const
export type ExportFormat = keyof typeof exportFormats
const BATCH = 1000

declare module 'fastify' {
  interface FastifyContextConfig {
    /** On a list route: also serve `<url>/export` (set by this plugin on the sibling: the list's name). */
    export?: boolean | { of: string }
  }
}

/**
 * The media type among `offers` the Accept header prefers (RFC 9110 §12.5.1): the first offer
 * when Accept is absent or ties, undefined when it accepts none of them.
 */
export function negotiate<T extends string>(request: FastifyRequest, offers: readonly T[]): T | undefined {
  const header = request.headers.accept
  if (!header) return offers[0]
  const ranges = header.split(',').map((part) => {
    const [type = '', ...params] = part.trim().toLowerCase().split(';')
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='))
    return { type: type.trim(), q: q ? Number(q.slice(2)) : 1 }
  })
  const quality = (offer: string) => {
    const match = ranges.find((r) => r.type === offer) ?? ranges.find((r) => r.type === `${offer.split('/')[0]}/*`) ?? ranges.find((r) => r.type === '*/*')
    return match && Number.isFinite(match.q) ? match.q : 0
  }
  let best: T | undefined
  let bestQ = 0
  for (const offer of offers) {
    const q = quality(offer)
    if (q > bestQ) [best, bestQ] = [offer, q]
  }
  return best
}

/** 406 unless the client takes JSON; lists and their exports are told apart by path, not Accept. */
export function assertJsonAccepted(request: FastifyRequest, reply: FastifyReply) {
  const vary = reply.getHeader('vary')
  reply.header('vary', vary ? `${String(vary)}, Accept` : 'Accept')
  if (negotiate(request, ['application/json']) === undefined) {
    const path = request.url.split('?')[0]
    throw new ApiError('not-acceptable', `This list answers application/json; for NDJSON or CSV use ${path}/export.`)
  }
}

/** The export format a request to an `…/export` route asks for (`format`, else Accept), or undefined on a list. */
export function exportFormatOf(request: FastifyRequest): ExportFormat | undefined {
  if (typeof request.routeOptions.config?.export !== 'object') return undefined
  const given = (request.query as { format?: ExportFormat }).format
  if (given) return given
  return negotiate(request, ['application/x-ndjson', 'text/csv']) === 'text/csv' ? 'csv' : 'ndjson'
}

/** Streams the batches as NDJSON or CSV (with a BOM unless `bom=false`, so spreadsheets read UTF-8). */
export function streamExport<T>(request: FastifyRequest, reply: FastifyReply, format: ExportFormat, batches: () => AsyncGenerator<T[]>) {
  const bom = format === 'csv' && (request.query as { bom?: boolean }).bom !== false
  async function* lines() {
    let columns: string[] | undefined
    if (bom) yield '\uFEFF'
    for await (const batch of batches()) {
      let chunk = ''
      for (const item of batch) {
        if (format === 'ndjson') {
          chunk += `${JSON.stringify(item)}\n`
          continue
        }
        const record = item as Record<string, unknown>
        if (!columns) {
          columns = Object.keys(record)
          chunk += `${columns.map(csvCell).join(',')}\r\n`
        }
        chunk += `${columns.map((c) => csvCell(record[c])).join(',')}\r\n`
      }
      if (chunk) yield chunk
    }
  }
  const name = (request.routeOptions.config?.export as { of: string }).of
  reply.header('content-type', `${exportFormats[format]}; charset=utf-8`)
  reply.header('content-disposition', `attachment; filename="${name}.${format}"`)
  return reply.send(Readable.from(lines()))
}

export { BATCH as exportBatchSize }

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return ''
  // Lists of plain values read as "KH; LA" in a spreadsheet; anything nested stays JSON.
  let text = Array.isArray(value) && value.every((v) => typeof v !== 'object' || v === null) ? value.join('; ') : typeof value === 'object' ? JSON.stringify(value) : String(value)
  // A cell a spreadsheet would run as a formula is written as text (OWASP CSV injection).
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`
  return /[",;\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

/** The export route of a list route: same handler and filters; format instead of paging. */
function exportRoute(route: RouteOptions & { routePath: string }): RouteOptions {
  const { url: _u, path: _p, prefix: _x, routePath, ...rest } = route as RouteOptions & { path?: string; prefix?: string; routePath: string }
  const schema = (route.schema ?? {}) as Record<string, any>
  const query = schema.querystring ?? { type: 'object', properties: {} }
  const { limit: _l, cursor: _c, ...filters } = query.properties ?? {}
  const name = route.url.replace(/^\/v1\//, '').replace(/\/:[^/]+/g, '').replace(/\//g, '-')
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
        'a UTF-8 byte order mark so spreadsheets read accents unless `bom=false`, cells that would run as formulas prefixed with `\'`). ' +
        'Filters apply as on the list; there is no paging, so a partner can take a whole copy in one request and follow the change feed after.',
      querystring: {
        ...query,
        properties: {
          ...filters,
          // No schema default: without `format`, the Accept header chooses.
          format: { type: 'string', enum: Object.keys(exportFormats), description: '`ndjson` or `csv`. Without it, `Accept: text/csv` chooses CSV, anything else NDJSON.' },
          bom: { type: 'boolean', default: true, description: 'CSV only: start with a UTF-8 byte order mark (Excel needs it to read UTF-8).' },
        },
        required: (query.required ?? []).filter((n: string) => n !== 'limit' && n !== 'cursor'),
      },
      response: {
        200: {
          description: 'The whole filtered set, streamed.',
          content: {
            'application/x-ndjson': { schema: { type: 'string', description: 'One JSON object per line, as in the list’s `data`.' } },
            'text/csv': { schema: { type: 'string', description: 'A header row, then one row per item.' } },
          },
        },
      },
      'x-export': true,
    },
    config: { ...(route.config ?? {}), export: { of: name } },
  } as RouteOptions
}

async function exports(app: FastifyInstance) {
  app.addHook('onRoute', function (route) {
    if (route.method === 'GET' && route.config?.export === true) this.route(exportRoute(route as RouteOptions & { routePath: string }))
  })
}

export default fp(exports, { name: 'exports' })
