import type { Test } from 'tap'
import type { App } from '../../src/app.ts'
import { ContractDocument, knownHeaders, type Violation } from './document.ts'

// The harness of the live contract tests (test/contract/live.test.ts): scenarios call the
// service through `Live.call`, which sends the request, checks that the request itself is one
// the document allows (so a scenario cannot pass by calling the API wrongly), and validates the
// response against the document: status declared, content type declared, body matching its
// schema, headers declared. Everything it sees is tallied in a Ledger for the final report and
// for the coverage checks.

export const contract = ContractDocument.load()

/**
 * Response headers verified on every response: the oracle's list, plus the ones the document
 * declares by name on some responses (so sending them elsewhere undeclared is a defect too).
 */
export const checkedHeaders = [...knownHeaders, 'x-request-id', 'www-authenticate', 'content-disposition'] as const

/** An operation as `METHOD /path/template`, e.g. `GET /v1/plans/{id}`. */
export type OperationKey = string
export const keyOf = (method: string, path: string): OperationKey => `${method.toUpperCase()} ${path}`

/** Whether the document declares this status (exactly) for the operation. */
export function declares(operation: OperationKey, status: number) {
  const [method, path] = operation.split(' ') as [string, string]
  return !!contract.operation(method, path)?.raw.responses[String(status)]
}

/** A scenario for one operation of the document: what it shows and the statuses it provokes. */
export interface Scenario {
  operation: OperationKey
  /** The statuses the scenario gets from its own operation; the runner checks it saw exactly these. */
  statuses: number[]
  run(live: Live): Promise<void>
}

/** Who calls: the admin key, a `read`-only key, a key with no scope this API reads or writes with, nobody. */
export type Caller = 'admin' | 'reader' | 'scopeless' | 'anonymous'

export interface Request {
  params?: Record<string, string>
  query?: Record<string, string | number | boolean>
  headers?: Record<string, string>
  /** A JSON body (serialized here), or `raw` text. */
  body?: unknown
  raw?: string
  /** Defaults to application/merge-patch+json for PATCH, application/json otherwise. */
  contentType?: string
  /** Default: anonymous for GET (anonymous reading is on), admin otherwise. */
  as?: Caller
  /** The request breaks the document on purpose (a 400, a 415): it is not checked against it. */
  offContract?: boolean
  /**
   * Send it over a real connection (the server must listen) instead of app.inject: what Node's
   * HTTP parser refuses, and how streamed bodies arrive, only show there.
   */
  wire?: boolean
  /** Response headers that must be present (beyond being declared when present). */
  expectHeaders?: string[]
  /** Why: shown in the assertion's name. */
  note?: string
}

export interface Reply {
  status: number
  headers: Record<string, string | string[] | number | undefined>
  body: string
  /** The body parsed as JSON (undefined when it is not JSON). */
  json: any
}

/** What a server the scenarios call looks like: the app and the Authorization headers of its keys. */
export interface Server {
  app: App
  /** `http://127.0.0.1:<port>` when the app listens (for `wire` requests). */
  origin?: string
  auth: Record<Exclude<Caller, 'anonymous'>, { authorization: string }>
}

/** A request a scenario made that succeeded: replayed by the runner's cross-cutting passes. */
export interface Sample {
  operation: OperationKey
  request: Request
}

/** Everything every Live has seen, for the report and the coverage checks. */
export class Ledger {
  responses = 0
  headersChecked = 0
  readonly statuses = new Map<OperationKey, Set<number>>()
  readonly samples = new Map<OperationKey, Sample>()

  record(operation: OperationKey, status: number, headers: Reply['headers']) {
    this.responses++
    this.headersChecked += checkedHeaders.filter((h) => headers[h] !== undefined).length
    const set = this.statuses.get(operation) ?? new Set()
    set.add(status)
    this.statuses.set(operation, set)
  }

  get pairs() {
    return [...this.statuses.values()].reduce((n, s) => n + s.size, 0)
  }
}

export const unknownId = '00000000-0000-4000-8000-00000000dead'

const describe = (v: Violation) => `${v.kind}: ${v.message}`

export class Live {
  /** The statuses this Live saw, per operation (the runner compares them with the scenario's). */
  readonly seen = new Map<OperationKey, Set<number>>()

  constructor(
    readonly t: Test,
    readonly server: Server,
    readonly world: World,
    private readonly ledger: Ledger,
  ) {}

  /**
   * Sends one request to an operation of the document and asserts, in one assertion, that the
   * status is the expected one, that the response conforms to the document, that the headers
   * asked for are there, and that it carries an x-request-id (every response does).
   */
  async call(operation: OperationKey, expect: number, request: Request = {}): Promise<Reply> {
    const [method, template] = operation.split(' ') as [string, string]
    const url = expand(template, request.params ?? {})
    const query = Object.entries(request.query ?? {}).map(([k, v]) => [k, String(v)] as [string, string])
    const search = query.length ? `?${new URLSearchParams(query)}` : ''
    const payload = request.raw ?? (request.body === undefined ? undefined : JSON.stringify(request.body))
    const caller = request.as ?? (method === 'GET' ? 'anonymous' : 'admin')
    const headers: Record<string, string> = {
      ...(caller === 'anonymous' ? {} : this.server.auth[caller]),
      ...(payload === undefined
        ? {}
        : {
            'content-type':
              request.contentType ?? (method === 'PATCH' ? 'application/merge-patch+json' : 'application/json'),
          }),
      ...request.headers,
    }
    // Overlong values (a 20 001-character id) are shortened in the name, not in the request.
    const shown = (url + search).replace(/[^/?&=]{80,}/g, (v) => `${v.slice(0, 12)}…(${v.length} characters)`)
    const label = `${method} ${shown} → ${expect}${request.note ? ` (${request.note})` : ''}${request.wire ? ' [over a socket]' : ''}`

    if (!request.offContract) {
      const wrong = contract.validateRequest(method, template, {
        path: request.params ?? {},
        query,
        headers,
        body: payload,
      })
      this.t.strictSame(wrong.map(describe), [], `${label}: the request is one the document allows`)
    }
    const res = request.wire
      ? await this.overTheWire(method, url + search, headers, payload)
      : await this.server.app.inject({
          method: method as 'GET',
          url: url + search,
          headers,
          ...(payload === undefined ? {} : { payload }),
        })
    const violations = contract.validateResponse(
      method,
      template,
      { status: res.statusCode, headers: res.headers, body: res.body },
      { checkHeaders: true, headers: checkedHeaders },
    )
    this.ledger.record(operation, res.statusCode, res.headers)
    const seen = this.seen.get(operation) ?? new Set()
    seen.add(res.statusCode)
    this.seen.set(operation, seen)
    this.t.strictSame(
      {
        status: res.statusCode,
        violations: violations.map(describe),
        missingHeaders: ['x-request-id', ...(request.expectHeaders ?? [])].filter(
          (h) => res.headers[h.toLowerCase()] === undefined,
        ),
      },
      { status: expect, violations: [], missingHeaders: [] },
      label,
      // On failure, what came back (problems say what went wrong).
      res.statusCode === expect && violations.length === 0 ? {} : { body: res.body.slice(0, 600) },
    )
    if (res.statusCode === 409 && parsed(res.body)?.type === '/problems/conflict') {
      // "Problems name the field that is wrong": a conflict names what the client sent.
      const stray = (parsed(res.body).errors ?? [])
        .map((e: { pointer: string }) => e.pointer)
        .filter((p: string) => !pointsIntoRequest(p, request))
      this.t.strictSame(stray, [], `${label}: the conflict's pointers name fields of the request`)
    }
    if (
      expect >= 200 &&
      expect < 300 &&
      res.statusCode === expect &&
      !request.offContract &&
      !this.ledger.samples.has(operation)
    ) {
      this.ledger.samples.set(operation, { operation, request })
    }
    return { status: res.statusCode, headers: res.headers, body: res.body, json: parsed(res.body) }
  }

  private async overTheWire(
    method: string,
    path: string,
    headers: Record<string, string>,
    payload: string | undefined,
  ) {
    if (!this.server.origin) throw new Error('this server does not listen: no wire requests')
    const res = await fetch(this.server.origin + path, {
      method,
      headers,
      ...(payload === undefined ? {} : { body: payload }),
    })
    return {
      statusCode: res.status,
      headers: Object.fromEntries(res.headers) as Reply['headers'],
      body: await res.text(),
    }
  }

  // ── The patterns most operations share ────────────────────────────────────────────────────

  /** A single resource: 200 with its ETag, then 304 (no body) when revalidated with that ETag. */
  async conditionalGet(operation: OperationKey, params: Record<string, string>): Promise<Reply> {
    const full = await this.call(operation, 200, { params, expectHeaders: ['etag'] })
    await this.call(operation, 304, {
      params,
      headers: { 'if-none-match': String(full.headers.etag) },
      expectHeaders: ['etag'],
      note: 'revalidated with its ETag',
    })
    return full
  }

  /** The operation on an id nobody has: 404 (and a malformed id: 400). */
  async missing(operation: OperationKey, params: Record<string, string>, name: string, request: Request = {}) {
    await this.call(operation, 404, { ...request, params: { ...params, [name]: unknownId }, note: `no such ${name}` })
  }

  async malformedId(operation: OperationKey, params: Record<string, string>, name: string, request: Request = {}) {
    await this.call(operation, 400, {
      ...request,
      params: { ...params, [name]: 'not-a-uuid' },
      offContract: true,
      note: `${name} is not a UUID`,
    })
  }

  /**
   * A list: a first page of two (with Link to the next when there is one), the next page by its
   * cursor, a bad query (400) and `Accept: text/csv` (406: the list is JSON; CSV is the export's).
   */
  async list(operation: OperationKey, request: Request & { badQuery: Record<string, string | number> }) {
    const { badQuery, ...rest } = request
    const first = await this.call(operation, 200, {
      ...rest,
      query: { ...rest.query, limit: 2 },
      note: 'the first page of two',
    })
    const next = first.json?.nextCursor as string | null | undefined
    if (next) {
      this.t.match(String(first.headers.link), /rel="next"/, `${operation}: a page with a next one links to it`)
      await this.call(operation, 200, {
        ...rest,
        query: { ...rest.query, limit: 2, cursor: next },
        note: 'the next page, by its cursor',
      })
    }
    await this.call(operation, 400, {
      ...rest,
      query: { ...rest.query, ...badQuery },
      offContract: true,
      note: `bad query ${JSON.stringify(badQuery)}`,
    })
    await this.call(operation, 406, {
      ...rest,
      headers: { ...rest.headers, accept: 'text/csv' },
      note: 'CSV is the export’s',
    })
    return first
  }

  /** An export in both formats: NDJSON (the default) and CSV (`format=csv`), each a download. */
  async exports(operation: OperationKey, request: Request & { badQuery: Record<string, string | number> }) {
    const { badQuery, ...rest } = request
    const ndjson = await this.call(operation, 200, { ...rest, expectHeaders: ['content-disposition'], note: 'NDJSON' })
    this.t.match(String(ndjson.headers['content-type']), /^application\/x-ndjson/, `${operation}: NDJSON by default`)
    const csv = await this.call(operation, 200, {
      ...rest,
      query: { ...rest.query, format: 'csv' },
      expectHeaders: ['content-disposition'],
      note: 'CSV',
    })
    this.t.match(String(csv.headers['content-type']), /^text\/csv/, `${operation}: CSV on request`)
    await this.call(operation, 400, {
      ...rest,
      query: { ...rest.query, ...badQuery },
      offContract: true,
      note: `bad query ${JSON.stringify(badQuery)}`,
    })
    return { ndjson, csv }
  }

  /**
   * A POST made safe to retry: the first answer (201, or `created` for a batch), the same again
   * with `Idempotent-Replayed: true` when retried with the same key and body, and 422 when the
   * key is reused for another body.
   */
  async idempotentPost(
    operation: OperationKey,
    request: Request & { otherBody: unknown },
    created = 201,
  ): Promise<Reply> {
    const { otherBody, ...rest } = request
    const key = `live-${operation}-${Math.random().toString(36).slice(2)}`
    const headers = { ...rest.headers, 'idempotency-key': key }
    const expectHeaders = created === 201 ? ['location', 'etag'] : []
    const first = await this.call(operation, created, {
      ...rest,
      headers,
      expectHeaders,
      note: 'with an Idempotency-Key',
    })
    const again = await this.call(operation, created, {
      ...rest,
      headers,
      expectHeaders: [...expectHeaders, 'idempotent-replayed'],
      note: 'retried: the first answer again',
    })
    this.t.equal(again.headers['idempotent-replayed'], 'true', `${operation}: the retry is a replay`)
    this.t.equal(again.body, first.body, `${operation}: the replay is the first answer`)
    await this.call(operation, 422, { ...rest, headers, body: otherBody, note: 'the key reused for another body' })
    return first
  }
}

/** The body as JSON, or undefined when it is not JSON. */
function parsed(body: string): any {
  try {
    return body ? JSON.parse(body) : undefined
  } catch {
    return undefined
  }
}

/** Whether a problem's pointer (`/body/code`, `/params/id`) names something this request sent. */
export function pointsIntoRequest(pointer: string, request: Request): boolean {
  const [, where, ...path] = pointer.split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
  const root: unknown =
    where === 'body'
      ? request.raw === undefined
        ? request.body
        : parsed(request.raw)
      : where === 'params'
        ? request.params
        : where === 'query'
          ? request.query
          : where === 'headers'
            ? request.headers
            : undefined
  let node = root
  for (const part of path) {
    if (node === null || typeof node !== 'object' || !(part in node)) return false
    node = (node as Record<string, unknown>)[part]
  }
  return root !== undefined
}

/** Fills a path template: `/v1/plans/{id}` with `{ id }` (encoded). */
export function expand(template: string, params: Record<string, string>) {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name]
    if (value === undefined) throw new Error(`no value for {${name}} in ${template}`)
    return encodeURIComponent(value)
  })
}

// ── The seeded world ──────────────────────────────────────────────────────────────────────────

/** Ids of seeded rows the scenarios use, looked up through the API by their natural keys. */
export interface World {
  country: string
  organizations: { uniap: string; asean: string }
  plans: { commit: string; apa: string }
  /** COMMIT section 3 (it has areas under it) and Area 4 (under it, with activities). */
  areas: { section3: string; area4: string }
  /** COMMIT Activity 11 (PPC 2 covers it) and Activity 12. */
  activities: { activity11: string; activity12: string }
  /** PPC 2 (with results and tasks), PPC 3. */
  projects: { ppc2: string; ppc3: string }
  results: { first: string }
  tasks: { first: string }
  /** COMMIT Senior Officials Meeting II (with outcomes). */
  meetings: { som2: string }
  outcomes: { framework: string }
}

export async function loadWorld(app: App): Promise<World> {
  const list = async (url: string) => {
    const res = await app.inject({ url })
    if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`)
    return JSON.parse(res.body).data as Record<string, any>[]
  }
  const find = async (url: string, test: (row: Record<string, any>) => boolean) => {
    const row = (await list(url)).find(test)
    if (!row) throw new Error(`the seed data has no row of ${url} as expected`)
    return row.id as string
  }
  const commit = await find('/v1/plans?limit=500', (p) => p.code === 'COMMIT SPA I')
  const apa = await find('/v1/plans?limit=500', (p) => p.code === 'APA')
  const ppc2 = await find(`/v1/projects?planId=${commit}&limit=500`, (p) => p.code === 'PPC 2')
  const som2 = await find(`/v1/meetings?planId=${commit}&limit=500`, (m) => m.sequence === 'SOM 2')
  return {
    country: 'LA',
    organizations: {
      uniap: await find('/v1/organizations?q=UNIAP', (o) => o.acronym === 'UNIAP'),
      asean: await find('/v1/organizations?q=ASEAN&limit=500', (o) => o.acronym === 'ASEAN'),
    },
    plans: { commit, apa },
    areas: {
      section3: await find(`/v1/plans/${commit}/areas?limit=500`, (a) => a.code === '3' && a.kind === 'section'),
      area4: await find(`/v1/plans/${commit}/areas?limit=500`, (a) => a.code === 'Area 4'),
    },
    activities: {
      activity11: await find(`/v1/activities?planId=${commit}&code=Activity%2011`, (a) => a.code === 'Activity 11'),
      activity12: await find(`/v1/activities?planId=${commit}&code=Activity%2012`, (a) => a.code === 'Activity 12'),
    },
    projects: { ppc2, ppc3: await find(`/v1/projects?planId=${commit}&limit=500`, (p) => p.code === 'PPC 3') },
    results: { first: await find(`/v1/projects/${ppc2}/results?limit=1`, () => true) },
    tasks: { first: await find(`/v1/projects/${ppc2}/tasks?limit=1`, () => true) },
    meetings: { som2 },
    outcomes: {
      framework: await find(`/v1/meetings/${som2}/outcomes?limit=500`, (o) => o.externalRef === 'som2-framework'),
    },
  }
}
