import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { problemLimits, type ProblemBody } from '../schemas/common.ts'
import { mapDatabaseError } from './db-errors.ts'

// Every kind of problem the API answers with: a stable slug (the `type`), a status, a title.
// GET /problems lists them; the OpenAPI document links here.
export const problemKinds = {
  'validation-error': [400, 'Your request is not valid.'],
  'malformed-json': [400, 'The request body is not valid JSON.'],
  'invalid-cursor': [400, 'The cursor is not valid for this query.'],
  unauthorized: [401, 'Authentication is required.'],
  forbidden: [403, 'This API key may not do that.'],
  'not-found': [404, 'The resource does not exist.'],
  'route-not-found': [404, 'No such route.'],
  'method-not-allowed': [405, 'The route does not support this method.'],
  'not-acceptable': [406, 'None of the accepted media types can be produced.'],
  conflict: [409, 'The request conflicts with the current state.'],
  'still-referenced': [409, 'The resource is still referenced.'],
  'idempotency-in-flight': [409, 'A request with this Idempotency-Key is still being processed.'],
  'precondition-failed': [412, 'The resource has changed since you read it.'],
  'payload-too-large': [413, 'The request body is too large.'],
  'uri-too-long': [414, 'The request URI is too long.'],
  'unsupported-media-type': [415, 'The request body media type is not supported.'],
  'rule-violation': [422, 'The request breaks a rule of the domain.'],
  'invalid-reference': [422, 'The request refers to something that does not exist.'],
  'idempotency-key-reuse': [422, 'This Idempotency-Key was used with a different request.'],
  'cursor-expired': [410, 'The cursor points before the oldest change still kept.'],
  'rate-limited': [429, 'Too many requests.'],
  'headers-too-large': [431, 'The request headers are too large.'],
  internal: [500, 'Something went wrong on our side.'],
  'not-implemented': [501, 'This server cannot provide this operation.'],
  unavailable: [503, 'The service is temporarily unavailable.'],
} as const satisfies Record<string, readonly [number, string]>

export type ProblemKind = keyof typeof problemKinds
export type FieldError = { pointer: string; detail: string }

export interface ProblemExtras {
  errors?: FieldError[]
  references?: { resource: string; field?: string; id?: string }[]
  headers?: Record<string, string>
  [extension: string]: unknown
}

/** A problem a handler throws on purpose; the error handler renders it as RFC 9457. */
export class ApiError extends Error {
  readonly status: number
  constructor(
    readonly kind: ProblemKind,
    detail?: string,
    readonly extras: ProblemExtras = {},
  ) {
    super(detail ?? problemKinds[kind][1])
    this.status = problemKinds[kind][0]
  }
}

export const notFound = (resource: string, id: string) => new ApiError('not-found', `No ${resource} with id ${id}.`)
export const ruleViolation = (pointer: string, detail: string) =>
  new ApiError('rule-violation', detail, { errors: [{ pointer, detail }] })
export const badRequest = (pointer: string, detail: string) =>
  new ApiError('validation-error', detail, { errors: [{ pointer, detail }] })

/** `text` cut to at most `max` characters (code points, as maxLength counts them), ending in … when cut. */
export function cut(text: string, max: number): string {
  if (text.length <= max) return text
  const chars = Array.from(text)
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`
}

/**
 * Field errors as a problem holds them: the first problemLimits.errors, each pointer and detail
 * cut to problemLimits.text (a pointer names whatever property the client sent, however long).
 */
export function boundedErrors(errors: FieldError[]): FieldError[] {
  return errors.slice(0, problemLimits.errors).map(({ pointer, detail }) => ({
    pointer: cut(pointer, problemLimits.text),
    detail: cut(detail, problemLimits.text),
  }))
}

/** The problem as sent: within the limits the Problem schema documents, whatever the request held. */
export function problemBody(
  kind: ProblemKind,
  request: FastifyRequest,
  detail?: string,
  extras: ProblemExtras = {},
): ProblemBody {
  const { headers: _h, ...rest } = extras
  const [status, title] = problemKinds[kind]
  const { errors, references } = rest
  if (errors && errors.length > problemLimits.errors)
    detail = `${detail ?? title} (\`errors\` lists the first ${problemLimits.errors} of ${errors.length}.)`
  const body: ProblemBody = {
    type: `/problems/${kind}`,
    title,
    status,
    ...(detail ? { detail: cut(detail, problemLimits.detail) } : {}),
    instance: `/requests/${request.id}`,
    ...rest,
  }
  if (errors) body.errors = boundedErrors(errors)
  if (references) {
    body.references = references.slice(0, problemLimits.references).map(({ resource, field, id }) => ({
      resource: cut(resource, problemLimits.name),
      ...(field !== undefined ? { field: cut(field, problemLimits.name) } : {}),
      ...(id !== undefined ? { id: cut(id, problemLimits.name) } : {}),
    }))
  }
  return body
}

export function sendProblem(reply: FastifyReply, kind: ProblemKind, detail?: string, extras: ProblemExtras = {}) {
  if (extras.headers) reply.headers(extras.headers)
  return reply
    .code(problemKinds[kind][0])
    .type('application/problem+json; charset=utf-8')
    .send(problemBody(kind, reply.request, detail, extras))
}

/** Turns any thrown error into the problem the client sees; 5xx never show their message. */
export function toProblem(
  err: FastifyError | Error,
  params: object = {},
  body?: unknown,
): { kind: ProblemKind; detail?: string; extras?: ProblemExtras } {
  if (err instanceof ApiError) return { kind: err.kind, detail: err.message, extras: err.extras }
  const fe = err as FastifyError & { validation?: ValidationIssue[]; validationContext?: string }
  if (fe.validation)
    return { kind: 'validation-error', ...validationProblem(fe.validation, fe.validationContext ?? 'body') }
  switch (fe.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return {
        kind: 'unsupported-media-type',
        detail: 'Send application/json (or application/merge-patch+json for PATCH).',
      }
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { kind: 'payload-too-large', detail: fe.message }
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return {
        kind: 'malformed-json',
        detail: 'The body is empty but its content type is JSON.',
        extras: { errors: [{ pointer: '/body', detail: 'is empty' }] },
      }
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return { kind: 'validation-error', detail: 'Content-Length does not match the body.' }
  }
  if (err instanceof SyntaxError || fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
    return {
      kind: 'malformed-json',
      detail: err.message,
      extras: { errors: [{ pointer: '/body', detail: 'is not valid JSON' }] },
    }
  }
  if (fe.code === 'FST_ERR_MAX_PARAM_LENGTH')
    return { kind: 'uri-too-long', detail: 'A path segment is longer than any identifier of this API.' }
  if (fe.code === 'FST_ERR_BAD_URL')
    return {
      kind: 'validation-error',
      detail: 'The path holds an invalid percent-encoding.',
      extras: { errors: [{ pointer: '/params', detail: 'is not a valid URL component' }] },
    }
  const db = mapDatabaseError(
    err,
    Object.keys(params),
    body && typeof body === 'object' && !Array.isArray(body) ? Object.keys(body) : undefined,
  )
  if (db) return db
  const status = fe.statusCode ?? 500
  if (status === 413) return { kind: 'payload-too-large' }
  if (status === 415) return { kind: 'unsupported-media-type' }
  if (status === 406) return { kind: 'not-acceptable' }
  if (status === 404) return { kind: 'route-not-found' }
  if (status >= 400 && status < 500) return { kind: 'validation-error', detail: fe.message }
  return { kind: 'internal' }
}

interface ValidationIssue {
  instancePath: string
  schemaPath: string
  keyword: string
  message?: string
  params: Record<string, unknown>
}

const formatDetails: Record<string, string> = {
  date: 'must be a valid date (YYYY-MM-DD, years 0001–9999)',
  'date-time': 'must be a valid RFC 3339 date-time (years 0001–9999, UTC offset within ±15:59)',
  uri: 'must be an http(s) URL',
}

const parts: Record<string, string> = { body: 'body', querystring: 'query', params: 'params', headers: 'headers' }

function describe(issue: ValidationIssue): string {
  switch (issue.keyword) {
    case 'required':
      return 'is required'
    case 'additionalProperties':
      return 'is not a known property'
    case 'enum':
      return `must be one of: ${(issue.params.allowedValues as unknown[]).join(', ')}`
    case 'format':
      return formatDetails[String(issue.params.format)] ?? `must be a valid ${String(issue.params.format)}`
    default:
      return issue.message ?? 'is not valid'
  }
}

/** Ajv errors → one { pointer, detail } per offending field, worded for people. */
export function validationProblem(issues: ValidationIssue[], context: string) {
  // A union (anyOf) reports every branch's failure; say them once, as alternatives.
  const unions = issues.filter((i) => i.keyword === 'anyOf' || i.keyword === 'oneOf')
  const branchOf = (i: ValidationIssue) =>
    unions.find((u) => u !== i && i.schemaPath.startsWith(`${u.schemaPath}/`) && i.instancePath === u.instancePath)
  const errors: FieldError[] = []
  const seen = new Set<string>()
  for (const issue of issues) {
    if (branchOf(issue)) continue
    let pointer = `/${parts[context] ?? context}${issue.instancePath}`
    let detail = describe(issue)
    if (issue.keyword === 'required') pointer += `/${String(issue.params.missingProperty)}`
    if (issue.keyword === 'additionalProperties') pointer += `/${String(issue.params.additionalProperty)}`
    if (unions.includes(issue)) {
      const alternatives = [...new Set(issues.filter((i) => branchOf(i) === issue).map(describe))]
      if (alternatives.length) detail = alternatives.map((a, n) => (n === 0 ? a : a.replace(/^must /, ''))).join(' or ')
    }
    const key = `${pointer} ${detail}`
    if (seen.has(key)) continue
    seen.add(key)
    // One entry per field: a value that breaks two rules gets both, joined.
    const same = errors.find((e) => e.pointer === pointer)
    if (same) same.detail = `${same.detail}, and ${detail}`
    else errors.push({ pointer, detail })
  }
  // At most problemLimits.errors are listed; the detail says how many there were.
  const first = errors[0]
  const more =
    errors.length > problemLimits.errors
      ? ` (and ${errors.length - 1} more; \`errors\` lists the first ${problemLimits.errors})`
      : errors.length > 1
        ? ` (and ${errors.length - 1} more)`
        : ''
  const detail = first
    ? `${cut(first.pointer.slice(1), problemLimits.text)} ${first.detail}${more}`
    : 'The request is not valid.'
  return { detail, extras: { errors: boundedErrors(errors) } }
}
