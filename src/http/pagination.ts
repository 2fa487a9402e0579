import { createHash, createHmac, timingSafeEqual } from 'node:crypto'
import { sql, type SelectQueryBuilder } from 'kysely'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { ApiError } from './problems.ts'
import { mapDatabaseError } from './db-errors.ts'
import { assertJsonAccepted, exportBatchSize, exportFormatOf, streamExport } from './export.ts'

// Keyset pagination. A cursor holds the last row's (sort value, id) and a hash of the route,
// filters and sort it was issued for, signed so it cannot be forged or moved to another query.
// Walking (sort key, id) on an index makes page 10 000 cost what page 1 costs, and rows that
// exist throughout a crawl are returned exactly once whatever is inserted or deleted meanwhile.

export interface Sort {
  /** The query parameter value, e.g. "-updatedAt". */
  name: string
  /** Qualified column, e.g. "organizations.updated_at"; must be NOT NULL and indexed with id. */
  column: string
  /** The unique key that breaks ties (usually the id); rows are ordered by (column, key). */
  key: SortKey
  direction: 'asc' | 'desc'
  /** Reads the sort value off a result row (for the next cursor). */
  value: (row: any) => unknown
}

export interface SortKey {
  column: string
  value: (row: any) => unknown
}

export type SortTable = Record<string, SortKey>

/** The common tie-breaker: the table's id column. */
export const idKey = (table: string): SortKey => ({ column: `${table}.id`, value: (r: { id: string }) => r.id })

/** Resolves `sort` ("field" ascending, "-field" descending) against a module's table of sorts. */
export function resolveSort(param: string, table: SortTable, key: SortKey): Sort {
  const direction = param.startsWith('-') ? 'desc' : 'asc'
  const entry = table[param.replace(/^-/, '')]
  if (!entry)
    throw new ApiError('validation-error', `Unknown sort "${param}".`, {
      errors: [
        {
          pointer: '/query/sort',
          detail: `must be one of ${Object.keys(table)
            .flatMap((k) => [k, `-${k}`])
            .join(', ')}`,
        },
      ],
    })
  return { name: param, column: entry.column, key, direction, value: entry.value }
}

export class Paginator {
  constructor(private readonly secret: string) {}

  private sign(data: string) {
    return createHmac('sha256', this.secret).update(data).digest().subarray(0, 16)
  }

  encode(position: unknown[], binding: string): string {
    const data = Buffer.from(JSON.stringify({ p: position, b: binding })).toString('base64url')
    return `${data}.${this.sign(data).toString('base64url')}`
  }

  decode(cursor: string, binding: string): unknown[] {
    const invalid = (detail: string) =>
      new ApiError('invalid-cursor', detail, { errors: [{ pointer: '/query/cursor', detail }] })
    // Exactly the form encode() writes: base64url decoding skips stray characters, so anything
    // appended would otherwise still verify.
    const [, data, mac] = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{22})$/.exec(cursor) ?? []
    if (!data || !mac) throw invalid('is not a cursor issued by this API')
    const given = Buffer.from(mac, 'base64url')
    const expected = this.sign(data)
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      throw invalid('is not a cursor issued by this API')
    const payload = JSON.parse(Buffer.from(data, 'base64url').toString()) as { p: unknown[]; b: string }
    if (payload.b !== binding)
      throw invalid('was issued for other filters or another sort; start again without a cursor')
    return payload.p
  }
}

/** What a cursor is bound to: the route and every query parameter except cursor and limit. */
export function bindingOf(request: FastifyRequest): string {
  const query = { ...(request.query as Record<string, unknown>) }
  delete query.cursor
  delete query.limit
  const canonical = JSON.stringify([
    request.routeOptions.url,
    Object.entries(query).sort(([a], [b]) => a.localeCompare(b)),
  ])
  return createHash('sha256').update(canonical).digest('base64url').slice(0, 16)
}

/** Applies the keyset condition and order; fetches one row more than the page to know if there is a next. */
export function keyset<QB extends SelectQueryBuilder<any, any, any>>(
  qb: QB,
  sort: Sort,
  after: unknown[] | undefined,
  limit: number,
): QB {
  const op = sql.raw(sort.direction === 'asc' ? '>' : '<')
  const dir = sort.direction
  let q = qb as SelectQueryBuilder<any, any, any>
  if (after) {
    q =
      sort.column === sort.key.column
        ? q.where(sql<boolean>`${sql.ref(sort.key.column)} ${op} ${after[0]}`)
        : q.where(sql<boolean>`(${sql.ref(sort.column)}, ${sql.ref(sort.key.column)}) ${op} (${after[0]}, ${after[1]})`)
  }
  if (sort.column !== sort.key.column) q = q.orderBy(sql.ref(sort.column), dir)
  return q.orderBy(sql.ref(sort.key.column), dir).limit(limit + 1) as QB
}

export interface PageRequest {
  sort: Sort
  after: unknown[] | undefined
  limit: number
  binding: string
}

declare module 'fastify' {
  interface FastifyInstance {
    paginator: Paginator
  }
}

/** Reads limit, cursor and sort off a list request. */
export function pageRequest(request: FastifyRequest, sorts: SortTable, key: SortKey): PageRequest {
  const q = request.query as { limit: number; cursor?: string; sort?: string }
  const sort = resolveSort(q.sort ?? Object.keys(sorts)[0]!, sorts, key)
  // The binding (a hash of the query) is only needed to check a cursor or issue the next one.
  let binding: string | undefined
  const bound = () => (binding ??= bindingOf(request))
  const after = q.cursor ? request.server.paginator.decode(q.cursor, bound()) : undefined
  return {
    sort,
    after,
    limit: q.limit,
    get binding() {
      return bound()
    },
  }
}

/** The longest Link header a list sends: room for any cursor and the longest filters. */
export const linkMaxLength = 16384

/** Cuts the extra row, sets Link: rel="next", and returns the list envelope. */
export function pageResponse<T>(request: FastifyRequest, reply: FastifyReply, page: PageRequest, rows: T[]) {
  const more = rows.length > page.limit
  const data = more ? rows.slice(0, page.limit) : rows
  let nextCursor: string | null = null
  if (more) {
    nextCursor = request.server.paginator.encode(positionOf(page.sort, data[data.length - 1]), page.binding)
    const url = new URL(request.url, `${request.protocol}://${request.host}`)
    url.searchParams.set('cursor', nextCursor)
    const link = `<${url.href}>; rel="next"`
    // Bounded as documented: only a request of its own outsized host or URL would make it longer
    // (nextCursor still leads on).
    if (link.length <= linkMaxLength) reply.header('link', link)
  }
  return { data, nextCursor }
}

const serialise = (v: unknown) => (v instanceof Date ? v.toISOString() : v)

/** Where a row stands in its sort: what the next page starts after. */
function positionOf(sort: Sort, row: unknown): unknown[] {
  const id = sort.key.value(row)
  return sort.column === sort.key.column ? [id] : [serialise(sort.value(row)), id]
}

/**
 * Once an export has begun, a failure can only cut it short; but the position of the next batch
 * is known, so a database that drops for a moment (a failover, a restart) is waited out — up to
 * about ten seconds — and the export goes on where it was.
 */
async function outlastingOutages<T>(read: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await read()
    } catch (err) {
      if (attempt >= 20 || mapDatabaseError(err as Error)?.kind !== 'unavailable') throw err
      await new Promise((resolve) => setTimeout(resolve, 500))
    }
  }
}

/**
 * A whole list handler: read the page request, fetch one page, answer with the envelope — or,
 * on the list's `…/export` route, stream every matching row (see export.ts).
 */
export async function listPage<R, T>(
  request: FastifyRequest,
  reply: FastifyReply,
  spec: { sorts: SortTable; key: SortKey; fetch: (page: PageRequest) => Promise<R[]>; map: (row: R) => T },
) {
  const format = exportFormatOf(request)
  if (!format) assertJsonAccepted(request, reply)
  const page = pageRequest(request, spec.sorts, spec.key)
  if (format) {
    // The first batch is read before the response starts, so that a bad filter or an unknown
    // parent is still a problem with its status, not a stream cut short.
    let rows = await spec.fetch({ ...page, limit: exportBatchSize })
    return streamExport(request, reply, format, async function* () {
      for (;;) {
        const batch = rows.slice(0, exportBatchSize)
        yield batch.map(spec.map)
        if (rows.length <= exportBatchSize) return
        const after = positionOf(page.sort, batch[batch.length - 1])
        rows = await outlastingOutages(() => spec.fetch({ ...page, after, limit: exportBatchSize }))
      }
    })
  }
  const result = pageResponse(request, reply, page, await spec.fetch(page))
  return { data: result.data.map(spec.map), nextCursor: result.nextCursor }
}
