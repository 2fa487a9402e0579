import { Readable } from 'node:stream'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { ApiError } from './problems.ts'
import { withNames } from './export-names.ts'

// Bulk export (docs/conventions.md): every list marked `config.export` gets a sibling `…/export` that
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
    const match =
      ranges.find((r) => r.type === offer) ??
      ranges.find((r) => r.type === `${offer.split('/')[0]}/*`) ??
      ranges.find((r) => r.type === '*/*')
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
export function streamExport<T>(
  request: FastifyRequest,
  reply: FastifyReply,
  format: ExportFormat,
  batches: () => AsyncGenerator<T[]>,
) {
  const bom = format === 'csv' && (request.query as { bom?: boolean }).bom !== false
  async function* lines() {
    let columns: string[] | undefined
    if (bom) yield '\uFEFF'
    const names = format === 'csv' ? request.routeOptions.config.exportNames : undefined
    for await (const rows of batches()) {
      // CSV: a readable name beside each reference the route names (export-names.ts).
      const batch = names ? await withNames(request.server.db, names, rows) : rows
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
  const name = (request.routeOptions.config.export as { of: string }).of
  reply.header('content-type', `${exportFormats[format]}; charset=utf-8`)
  reply.header('content-disposition', `attachment; filename="${name}.${format}"`)
  // Backpressure: a batch is read from the database only when the client has taken the ones
  // before it (at most two batches wait here), so memory stays flat however slowly it reads. When
  // the client goes away Fastify destroys this stream, which ends the generator: the batch in
  // flight (one keyset step of exportBatchSize rows) is the last query the export runs.
  return reply.send(Readable.from(lines(), { highWaterMark: 2 }))
}

export { BATCH as exportBatchSize }

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return ''
  // Lists of plain values read as "KH; LA" in a spreadsheet; anything nested stays JSON.
  let text =
    Array.isArray(value) && value.every((v) => typeof v !== 'object' || v === null)
      ? value.join('; ')
      : typeof value === 'object'
        ? JSON.stringify(value)
        : String(value)
  // A cell a spreadsheet would run as a formula is written as text (OWASP CSV injection).
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`
  return /[",;\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}
