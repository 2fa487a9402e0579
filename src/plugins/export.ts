import { Readable } from 'node:stream'
import type { FastifyReply, FastifyRequest } from 'fastify'

// Bulk export by content negotiation (DESIGN §3): a list asked for as application/x-ndjson or
// text/csv streams the whole filtered set, in the list's sort, without paging. It walks the same
// keyset query the pages use, a batch at a time, so memory stays flat whatever the size, and a
// row that exists throughout the export is written exactly once.

export const exportTypes = ['application/x-ndjson', 'text/csv'] as const
export type ExportType = (typeof exportTypes)[number]
const BATCH = 1000

/** The export format the Accept header prefers over JSON, if any. */
export function exportFormat(request: FastifyRequest): ExportType | undefined {
  const accept = request.headers.accept
  if (!accept || !/ndjson|csv/.test(accept)) return undefined
  let best: { type: string; q: number } | undefined
  for (const part of accept.split(',')) {
    const [type = '', ...params] = part.trim().split(';')
    const q = Number(params.map((p) => /^\s*q=([\d.]+)/.exec(p)?.[1]).find(Boolean) ?? 1)
    const t = type.trim().toLowerCase()
    if ((t === 'application/json' || (exportTypes as readonly string[]).includes(t)) && (!best || q > best.q)) best = { type: t, q }
  }
  return best && best.type !== 'application/json' ? (best.type as ExportType) : undefined
}

/** Pulls batches from `next(after)` until one comes back short. */
export function streamExport<T>(reply: FastifyReply, format: ExportType, batches: () => AsyncGenerator<T[]>) {
  async function* lines() {
    let columns: string[] | undefined
    for await (const batch of batches()) {
      let chunk = ''
      for (const item of batch) {
        if (format === 'application/x-ndjson') {
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
  reply.header('content-type', format === 'text/csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8')
  reply.header('vary', 'accept')
  return reply.send(Readable.from(lines()))
}

export { BATCH as exportBatchSize }

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return ''
  let text = typeof value === 'object' ? JSON.stringify(value) : String(value)
  // A cell a spreadsheet would run as a formula is written as text (OWASP CSV injection).
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}
