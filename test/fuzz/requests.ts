import fc from 'fast-check'
import type { Parameter } from '../contract/document.ts'
import type { FuzzInput, OperationContext } from './model.ts'
import { mutate } from './mutations.ts'
import type { Table } from './values.ts'

// From an operation of the document to generated requests: valid ones built from its parameter
// and body schemas, and the same with one mutation applied. Most requests are mutated — valid
// ones find fewer defects — but enough are valid to reach the handlers behind validation.

const collections: Record<string, Table> = {
  organizations: 'organizations',
  plans: 'plans',
  areas: 'areas',
  activities: 'activities',
  projects: 'projects',
  results: 'project_results',
  tasks: 'project_tasks',
  meetings: 'meetings',
  'meetings.ics': 'meetings',
  outcomes: 'outcomes',
}

/** encodeURIComponent, with lone surrogates (which no URL can carry) sent as U+FFFD as a client would. */
function encode(v: string): string {
  try {
    return encodeURIComponent(v)
  } catch {
    return encodeURIComponent(v.replace(/[\ud800-\udfff]/g, '\ufffd'))
  }
}

/** The table an operation's path is about: its last collection segment. */
export function resourceOf(path: string): Table | undefined {
  const segments = path.split('/').filter((s) => s && !s.startsWith('{'))
  for (const s of segments.reverse()) if (collections[s]) return collections[s]
  return undefined
}

/** Query and header values as text, as a client sends them (arrays repeat the name). */
const asText = (v: unknown): string[] =>
  Array.isArray(v) ? v.flatMap(asText) : [typeof v === 'string' ? v : JSON.stringify(v)]

const headerValues: Record<string, fc.Arbitrary<string>> = {
  'if-match': fc.constantFrom('"1"', '"2"', '*'),
  'if-none-match': fc.constantFrom('"1"', '"2"', '*', 'W/"1"'),
  // A key shared by many requests exercises replay (same body) and reuse (another body).
  'idempotency-key': fc.oneof(fc.uuid(), fc.constant('fuzz-shared-key')),
}

function parameterArb(ctx: OperationContext, p: Parameter): fc.Arbitrary<string[] | undefined> {
  // A random cursor is never valid; `{{cursor}}` becomes the last one this operation returned.
  const value =
    p.name === 'cursor'
      ? fc.constant('{{cursor}}')
      : (headerValues[p.name.toLowerCase()] ?? ctx.values.value(p.schema, { name: p.name, resource: ctx.resource }))
  const text = value.map(asText)
  return p.required ? text : fc.option(text, { freq: 3, nil: undefined })
}

/** A request the document allows (up to the semantics it cannot state: references, rules). */
export function validInput(ctx: OperationContext): fc.Arbitrary<FuzzInput> {
  const op = ctx.operation
  const pathParams = op.parameters.filter((p) => p.in === 'path')
  const randomPath = fc.record(
    Object.fromEntries(
      pathParams.map((p) => [p.name, ctx.values.value(p.schema, { name: p.name, resource: ctx.resource }).map(String)]),
    ),
  )
  const path = ctx.realPaths.length
    ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...ctx.realPaths) }, { weight: 1, arbitrary: randomPath })
    : randomPath

  const query = fc.tuple(
    ...op.parameters
      .filter((p) => p.in === 'query')
      .map((p) => parameterArb(ctx, p).map((vs) => (vs ?? []).map((v) => [p.name, v] as [string, string]))),
  )
  const headerParams = op.parameters.filter((p) => p.in === 'header')
  const headers = fc.tuple(
    ...headerParams.map((p) =>
      parameterArb(ctx, p).map((vs) => (vs ? [[p.name, vs.join(', ')]] : []) as [string, string][]),
    ),
  )

  // Lists also answer NDJSON and CSV; ask for what the success response declares.
  const success = Object.entries(op.raw.responses).find(([status]) => status.startsWith('2'))?.[1]
  const produces = Object.keys((success && 'content' in success && success.content) || {})
  const accept =
    produces.length > 1 ? fc.option(fc.constantFrom(...produces), { freq: 2, nil: undefined }) : fc.constant(undefined)

  const mediaTypes = Object.keys(op.requestBody?.content ?? {})
  const body = mediaTypes.length
    ? fc
        .constantFrom(...mediaTypes)
        .chain((mt) =>
          ctx.values
            .value(op.requestBody!.content[mt]!.schema, { resource: ctx.resource })
            .map((json) => ({ contentType: mt, body: { json } })),
        )
    : fc.constant({})

  const auth: fc.Arbitrary<FuzzInput['auth']> = op.requiresAuth
    ? fc.constant('admin')
    : fc.constantFrom('admin', 'none')

  return fc.record({ path, query, headers, accept, body, auth }).map(
    (r): FuzzInput => ({
      label: 'valid',
      path: r.path,
      query: r.query.flat(),
      headers: { ...Object.fromEntries(r.headers.flat()), ...(r.accept ? { accept: r.accept } : {}) },
      auth: r.auth,
      ...r.body,
    }),
  )
}

/** The requests for an operation: one in three as generated, the rest mutated. */
export function fuzzInput(ctx: OperationContext): fc.Arbitrary<FuzzInput> {
  const valid = validInput(ctx)
  return fc.oneof({ weight: 1, arbitrary: valid }, { weight: 2, arbitrary: valid.chain((input) => mutate(input, ctx)) })
}

export interface WireRequest {
  /** Who sends it, for reports (the Authorization value of a key is a secret of this run). */
  caller: 'admin key' | 'read-only key' | 'anonymous' | 'literal'
  method: string
  url: string
  headers: Record<string, string>
  payload?: string
}

export interface Credentials {
  admin: string
  read: string
}

/**
 * The request as it goes on the wire. `cursors` fills the `{{cursor}}` placeholders: this
 * operation's last nextCursor, or another operation's for `{{foreign-cursor}}` (a query without
 * one drops the parameter).
 */
export function toWire(
  input: FuzzInput,
  ctx: OperationContext,
  credentials: Credentials,
  cursors: { own?: string; foreign?: string },
): WireRequest {
  const op = ctx.operation
  const url = op.path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const v = input.path[name] ?? ''
    return input.rawPath ? v : encode(v)
  })
  const query = input.query
    .map(
      ([k, v]) =>
        [k, v.replace('{{cursor}}', cursors.own ?? '').replace('{{foreign-cursor}}', cursors.foreign ?? '')] as const,
    )
    .filter(([k, v]) => !(k === 'cursor' && v === ''))
    .map(([k, v]) => `${encode(k)}=${encode(v)}`)
    .join('&')
  const headers: Record<string, string> = { ...input.headers }
  const auth = input.auth
  if (auth === 'admin') headers.authorization = credentials.admin
  else if (auth === 'read') headers.authorization = credentials.read
  else if (auth !== 'none') headers.authorization = auth.header
  let payload: string | undefined
  if (input.body) {
    payload = 'json' in input.body ? JSON.stringify(input.body.json) : input.body.text
    const contentType = input.contentType ?? Object.keys(op.requestBody?.content ?? {})[0] ?? 'application/json'
    if (contentType) headers['content-type'] = contentType
  }
  const caller =
    auth === 'admin' ? 'admin key' : auth === 'read' ? 'read-only key' : auth === 'none' ? 'anonymous' : 'literal'
  return {
    caller,
    method: op.method.toUpperCase(),
    url: query ? `${url}?${query}` : url,
    headers,
    ...(payload !== undefined ? { payload } : {}),
  }
}
