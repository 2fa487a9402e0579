import { readFileSync } from 'node:fs'
// The named export: under NodeNext the default import of this CommonJS module types as the namespace.
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'

// The committed OpenAPI document as a test oracle: which operations exist, and whether a
// response the service sent is one the document declares (status, media type, body schema and,
// optionally, headers). Shared by the fuzzer (test/fuzz) and the live contract tests, so it knows
// nothing about how a response was obtained: it takes plain values.
//
//   const contract = ContractDocument.load()
//   const res = await app.inject({ url: '/v1/plans?limit=2' })
//   contract.validateResponseToUrl('GET', '/v1/plans?limit=2', { status: res.statusCode, headers: res.headers, body: res.body })
//   // → [] when it conforms; else [{ kind: 'undeclared-status' | 'body-schema' | …, message }]
//   contract.validateResponse('GET', '/v1/plans/{id}', response, { checkHeaders: true })  // by template

export const defaultDocumentPath = new URL('../../openapi/openapi.json', import.meta.url)

/** Response headers whose presence the document must declare (checked with `checkHeaders`). */
export const knownHeaders = [
  'etag',
  'location',
  'link',
  'idempotent-replayed',
  'ratelimit-limit',
  'ratelimit-remaining',
  'ratelimit-reset',
  'retry-after',
  'deprecation',
  'sunset',
] as const

export const httpMethods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const
export type HttpMethod = (typeof httpMethods)[number]

// Only the parts of OpenAPI 3.1 this module reads; everything else passes through untyped.
export type Schema = Record<string, unknown>
export interface MediaType {
  schema?: Schema
}
export interface HeaderObject {
  required?: boolean
  schema?: Schema
}
export interface ResponseObject {
  description?: string
  headers?: Record<string, HeaderObject | { $ref: string }>
  content?: Record<string, MediaType>
}
export interface Parameter {
  name: string
  in: 'query' | 'path' | 'header' | 'cookie'
  required?: boolean
  schema?: Schema
}
export interface OperationObject {
  operationId?: string
  security?: Record<string, string[]>[]
  parameters?: (Parameter | { $ref: string })[]
  requestBody?: { required?: boolean; content: Record<string, MediaType> } | { $ref: string }
  responses: Record<string, ResponseObject | { $ref: string }>
}
export interface OpenApiDocument {
  openapi: string
  paths: Record<string, Partial<Record<HttpMethod, OperationObject>> & { parameters?: Parameter[] }>
  components?: { schemas?: Record<string, Schema>; [section: string]: unknown }
  security?: Record<string, string[]>[]
}

/** One operation of the document, with its path-level parameters merged in and $refs resolved. */
export interface Operation {
  id: string // operationId, or "METHOD /path" when it has none
  method: HttpMethod
  path: string // the template, e.g. /v1/plans/{planId}/areas
  parameters: Parameter[]
  requestBody?: { required: boolean; content: Record<string, MediaType> }
  /** JSON Pointer (in the document) of each request body schema, by media type. */
  requestBodyPointers: Record<string, string>
  /** False when the operation allows anonymous calls (an empty security requirement). */
  requiresAuth: boolean
  raw: OperationObject
}

/** What a response looked like; header names in any case, body as text or already parsed. */
export interface ObservedResponse {
  status: number
  headers: Record<string, string | string[] | number | undefined>
  /** The raw body text (preferred) or a parsed value; '' or undefined for none. */
  body?: string | unknown
}

/** A request as it goes on the wire: parameter values as text, the body as text or parsed. */
export interface ObservedRequest {
  path?: Record<string, string>
  /** Name/value pairs in order (a name may repeat), or an object (arrays for repeated names). */
  query?: [string, string][] | Record<string, string | string[]>
  headers?: Record<string, string | string[] | undefined>
  /** The body text (preferred) or a parsed value; undefined for none. */
  body?: string | unknown
}

export type ViolationKind =
  | 'unknown-operation'
  | 'missing-parameter'
  | 'unknown-parameter'
  | 'parameter-schema'
  | 'missing-body'
  | 'request-content-type'
  | 'request-body-schema'
  | 'undeclared-status'
  | 'undeclared-content-type'
  | 'missing-content-type'
  | 'unexpected-body'
  | 'unparseable-body'
  | 'body-schema'
  | 'undeclared-header'
  | 'missing-header'
  | 'header-schema'

export interface Violation {
  kind: ViolationKind
  message: string
  /** Ajv's errors for body-schema / header-schema violations. */
  errors?: { instancePath: string; message?: string; params?: unknown }[]
}

export interface ValidateOptions {
  /** Also require each present header of `headers` to be declared in the response (default false). */
  checkHeaders?: boolean
  /** The headers checked by `checkHeaders` (default `knownHeaders`). */
  headers?: readonly string[]
}

const escapePointer = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1')
const documentId = 'https://contract.test/openapi.json'

/** Media type without parameters, lower-cased: `application/json; charset=utf-8` → `application/json`. */
export const mediaTypeOf = (contentType: string | undefined) =>
  contentType?.split(';')[0]?.trim().toLowerCase() || undefined
const isJson = (mediaType: string) => mediaType === 'application/json' || mediaType.endsWith('+json')

export class ContractDocument {
  readonly operations: Operation[]
  private readonly ajv: Ajv2020
  /** Parameters arrive as text: this one coerces them to their schema's type, as servers do. */
  private readonly textAjv: Ajv2020
  private readonly validators = new Map<string, ValidateFunction>()
  private readonly parameterPointers = new Map<Parameter, string>()

  constructor(readonly document: OpenApiDocument) {
    // The whole document is registered under one $id and schemas are compiled by JSON Pointer into
    // it, so `#/components/schemas/X` resolves exactly as it does for any other reader of the file.
    this.ajv = makeAjv(document, {})
    this.textAjv = makeAjv(document, { coerceTypes: 'array' })
    this.operations = this.collectOperations()
  }

  /** Reads and parses the document (by default the committed openapi/openapi.json). */
  static load(file: string | URL = defaultDocumentPath): ContractDocument {
    return new ContractDocument(JSON.parse(readFileSync(file, 'utf8')) as OpenApiDocument)
  }

  /** The operation at this method and path template (`/v1/plans/{id}`), if the document has it. */
  operation(method: string, pathTemplate: string): Operation | undefined {
    const m = method.toLowerCase()
    return this.operations.find((o) => o.method === m && o.path === pathTemplate)
  }

  /** The operation a concrete request path (no query string) falls under, and its path parameters. */
  match(method: string, path: string): { operation: Operation; params: Record<string, string> } | undefined {
    const m = method.toLowerCase()
    const segments = path.split('/')
    // Literal segments beat templated ones (`/v1/meetings.ics` over `/v1/meetings/{id}`), as in routers.
    const candidates = this.operations
      .filter((o) => o.method === m)
      .map((o) => ({ o, t: o.path.split('/') }))
      .filter(({ t }) => t.length === segments.length)
      .sort((a, b) => a.t.filter((s) => s.startsWith('{')).length - b.t.filter((s) => s.startsWith('{')).length)
    for (const { o, t } of candidates) {
      const params: Record<string, string> = {}
      const ok = t.every((part, i) => {
        const actual = segments[i]!
        if (part.startsWith('{') && part.endsWith('}')) {
          if (!actual) return false
          params[part.slice(1, -1)] = safeDecode(actual)
          return true
        }
        return part === actual
      })
      if (ok) return { operation: o, params }
    }
    return undefined
  }

  /** validateResponse for a concrete URL (`/v1/plans/…?limit=2`): finds its operation first. */
  validateResponseToUrl(
    method: string,
    url: string,
    response: ObservedResponse,
    options: ValidateOptions = {},
  ): Violation[] {
    const path = url.split('?')[0]!.replace(/^https?:\/\/[^/]+/, '')
    const found = this.match(method, path)
    if (!found)
      return [
        { kind: 'unknown-operation', message: `${method.toUpperCase()} ${path} matches no operation of the document` },
      ]
    return this.validateResponse(method, found.operation.path, response, options)
  }

  /** The document's response entry for a status: exact, then `4XX`-style, then `default`. */
  responseFor(operation: Operation, status: number): { key: string; response: ResponseObject } | undefined {
    const responses = operation.raw.responses
    for (const key of [String(status), `${String(status)[0]}XX`, `${String(status)[0]}xx`, 'default']) {
      const entry = responses[key]
      if (entry) return { key, response: this.deref<ResponseObject>(entry) }
    }
    return undefined
  }

  /**
   * Everything wrong with a response to (method, path template), as a list (empty: it conforms).
   * The content type is taken from the response's headers.
   */
  validateResponse(
    method: string,
    pathTemplate: string,
    response: ObservedResponse,
    options: ValidateOptions = {},
  ): Violation[] {
    const operation = this.operation(method, pathTemplate)
    if (!operation)
      return [{ kind: 'unknown-operation', message: `${method.toUpperCase()} ${pathTemplate} is not in the document` }]
    const found = this.responseFor(operation, response.status)
    if (!found)
      return [{ kind: 'undeclared-status', message: `status ${response.status} is not declared for ${operation.id}` }]
    const headers = lowerCaseKeys(response.headers)
    const violations = this.checkBody(operation, found, headers, response)
    if (options.checkHeaders) violations.push(...this.checkHeaders(found, headers, options.headers ?? knownHeaders))
    return violations
  }

  /**
   * Everything about a request the document does not allow: missing or invalid parameters, query
   * parameters it does not list (the API rejects those), an undeclared body media type, a body
   * its schema rejects. Security requirements are not checked.
   */
  validateRequest(method: string, pathTemplate: string, request: ObservedRequest): Violation[] {
    const operation = this.operation(method, pathTemplate)
    if (!operation)
      return [{ kind: 'unknown-operation', message: `${method.toUpperCase()} ${pathTemplate} is not in the document` }]
    const query = new Map<string, string[]>()
    const pairs = Array.isArray(request.query)
      ? request.query
      : Object.entries(request.query ?? {}).flatMap(([k, v]) =>
          (Array.isArray(v) ? v : [v]).map((x) => [k, x] as [string, string]),
        )
    for (const [k, v] of pairs) query.set(k, [...(query.get(k) ?? []), v])
    const headers = lowerCaseKeys(request.headers ?? {})
    const violations: Violation[] = []
    for (const p of operation.parameters) {
      const raw =
        p.in === 'path'
          ? request.path?.[p.name]
          : p.in === 'query'
            ? query.get(p.name)
            : p.in === 'header'
              ? headers[p.name.toLowerCase()]
              : undefined
      if (raw === undefined) {
        if (p.required)
          violations.push({ kind: 'missing-parameter', message: `${p.in} parameter ${p.name} is required` })
        continue
      }
      const validate = this.parameterValidator(p)
      // Wrapped in an object so that Ajv can coerce the text in place; one value is not an array.
      const data = { value: Array.isArray(raw) && raw.length === 1 ? raw[0] : raw }
      if (!validate(data))
        violations.push({
          kind: 'parameter-schema',
          message: `${p.in} parameter ${p.name}: ${summarize(validate.errors ?? [])}`,
          errors: validate.errors ?? [],
        })
    }
    for (const name of query.keys()) {
      if (!operation.parameters.some((p) => p.in === 'query' && p.name === name))
        violations.push({ kind: 'unknown-parameter', message: `query parameter ${name} is not declared` })
    }
    violations.push(...this.checkRequestBody(operation, headers, request.body))
    return violations
  }

  /** A validator for the schema at a JSON Pointer into the document (compiled once). */
  validatorAt(pointer: string): ValidateFunction {
    const cached = this.validators.get(pointer)
    if (cached) return cached
    const v = this.ajv.getSchema(`${documentId}#${pointer}`)
    if (!v) throw new Error(`no schema at ${pointer}`)
    this.validators.set(pointer, v)
    return v
  }

  /** Follows a local `$ref` (`#/components/...`) to what it points at; other values pass through. */
  deref<T>(value: T | { $ref: string }): T {
    let v: unknown = value
    for (let hops = 0; v && typeof v === 'object' && '$ref' in v; hops++) {
      const ref = (v as { $ref: string }).$ref
      if (!ref.startsWith('#/') || hops > 20) throw new Error(`cannot resolve $ref ${ref}`)
      v = ref
        .slice(2)
        .split('/')
        .reduce<unknown>(
          (node, part) => (node as Record<string, unknown>)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')],
          this.document,
        )
      if (v === undefined) throw new Error(`$ref ${ref} points nowhere`)
    }
    return v as T
  }

  private parameterValidator(p: Parameter): ValidateFunction {
    const pointer = this.parameterPointers.get(p)!
    let v = this.validators.get(`text:${pointer}`)
    if (!v) {
      v = this.textAjv.compile({ type: 'object', properties: { value: { $ref: `${documentId}#${pointer}` } } })
      this.validators.set(`text:${pointer}`, v)
    }
    return v
  }

  private checkRequestBody(operation: Operation, headers: Record<string, string>, body: unknown): Violation[] {
    const absent = body === undefined || body === ''
    if (!operation.requestBody)
      return absent ? [] : [{ kind: 'request-content-type', message: `${operation.id} takes no request body` }]
    if (absent)
      return operation.requestBody.required
        ? [{ kind: 'missing-body', message: `${operation.id} requires a body` }]
        : []
    const mediaType = mediaTypeOf(headers['content-type'])
    const key = mediaType && Object.keys(operation.requestBody.content).find((d) => mediaTypeMatches(d, mediaType))
    if (!key)
      return [
        {
          kind: 'request-content-type',
          message: `${mediaType ?? 'no content type'} is not a declared body media type`,
        },
      ]
    let value = body
    if (typeof body === 'string' && isJson(key)) {
      try {
        // A parser may ignore a byte order mark (RFC 8259 §8.1); JSON.parse does not.
        value = JSON.parse(body.replace(/^\uFEFF/, ''))
      } catch {
        return [{ kind: 'request-body-schema', message: 'the body is not JSON' }]
      }
    }
    const validate = this.validatorAt(this.refPointer(operation.requestBodyPointers[key]!))
    return validate(value)
      ? []
      : [
          {
            kind: 'request-body-schema',
            message: `the body does not match its schema: ${summarize(validate.errors ?? [])}`,
            errors: validate.errors ?? [],
          },
        ]
  }

  private checkBody(
    operation: Operation,
    found: { key: string; response: ResponseObject },
    headers: Record<string, string>,
    response: ObservedResponse,
  ): Violation[] {
    const content = found.response.content ?? {}
    const declared = Object.keys(content)
    const text = typeof response.body === 'string' ? response.body : response.body === undefined ? '' : undefined
    if (declared.length === 0) {
      // 204, 304 and the like: no body is declared, so none may be sent.
      return text === ''
        ? []
        : [{ kind: 'unexpected-body', message: `status ${response.status} declares no content but a body was sent` }]
    }
    const mediaType = mediaTypeOf(headers['content-type'])
    if (!mediaType)
      return text === ''
        ? []
        : [{ kind: 'missing-content-type', message: `a body was sent for ${response.status} without a Content-Type` }]
    const key = declared.find((d) => mediaTypeMatches(d, mediaType))
    if (!key)
      return [
        {
          kind: 'undeclared-content-type',
          message: `${mediaType} is not declared for ${response.status} (declared: ${declared.join(', ')})`,
        },
      ]
    if (!content[key]!.schema) return []

    let value: unknown = response.body
    if (text !== undefined && isJson(mediaType)) {
      try {
        value = JSON.parse(text)
      } catch {
        return [{ kind: 'unparseable-body', message: `the ${mediaType} body is not JSON: ${excerpt(text)}` }]
      }
    }
    if (text !== undefined && mediaType === 'application/x-ndjson') {
      const bad = text.split('\n').findIndex((line) => line !== '' && !parsesAsJson(line))
      if (bad >= 0) return [{ kind: 'unparseable-body', message: `line ${bad + 1} of the NDJSON body is not JSON` }]
    }
    const pointer = `/paths/${escapePointer(operation.path)}/${operation.method}/responses/${escapePointer(found.key)}/content/${escapePointer(key)}/schema`
    const validate = this.validatorAt(this.refPointer(pointer))
    if (validate(value)) return []
    const errors = validate.errors ?? []
    return [
      {
        kind: 'body-schema',
        message: `the ${response.status} ${mediaType} body does not match its schema: ${summarize(errors)}`,
        errors,
      },
    ]
  }

  private checkHeaders(
    found: { response: ResponseObject },
    headers: Record<string, string>,
    names: readonly string[],
  ): Violation[] {
    const declared = new Map(
      Object.entries(found.response.headers ?? {}).map(([name, h]) => [
        name.toLowerCase(),
        this.deref<HeaderObject>(h),
      ]),
    )
    const violations: Violation[] = []
    for (const name of names) {
      const value = headers[name]
      const header = declared.get(name)
      if (value === undefined) continue
      if (!header) {
        violations.push({ kind: 'undeclared-header', message: `header ${name} is sent but not declared` })
        continue
      }
      if (!header.schema) continue
      const type = header.schema.type
      const coerced = (type === 'integer' || type === 'number') && /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value
      const validate = this.ajv.compile(header.schema)
      if (!validate(coerced))
        violations.push({
          kind: 'header-schema',
          message: `header ${name}: ${JSON.stringify(value)} ${summarize(validate.errors ?? [])}`,
          errors: validate.errors ?? [],
        })
    }
    for (const [name, header] of declared) {
      if (header.required && headers[name] === undefined)
        violations.push({ kind: 'missing-header', message: `required header ${name} is missing` })
    }
    return violations
  }

  // A response schema that is only a $ref is compiled at its target, so one validator serves
  // every response sharing the component (and errors name the component's paths).
  private refPointer(pointer: string): string {
    const node = pointer
      .slice(1)
      .split('/')
      .reduce<unknown>(
        (n, part) => (n as Record<string, unknown>)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')],
        this.document,
      ) as Schema | undefined
    const ref = node?.$ref
    return typeof ref === 'string' && ref.startsWith('#/') && Object.keys(node!).length === 1 ? ref.slice(1) : pointer
  }

  private collectOperations(): Operation[] {
    const out: Operation[] = []
    for (const [path, item] of Object.entries(this.document.paths)) {
      const pointed = (list: (Parameter | { $ref: string })[], at: string) =>
        list.map((p, i) => {
          const param = this.deref<Parameter>(p)
          this.parameterPointers.set(param, '$ref' in p ? `${p.$ref.slice(1)}/schema` : `${at}/${i}/schema`)
          return param
        })
      const shared = pointed(item.parameters ?? [], `/paths/${escapePointer(path)}/parameters`)
      for (const method of httpMethods) {
        const raw = item[method]
        if (!raw) continue
        const own = pointed(raw.parameters ?? [], `/paths/${escapePointer(path)}/${method}/parameters`)
        const parameters = [...shared.filter((s) => !own.some((o) => o.name === s.name && o.in === s.in)), ...own]
        const body = raw.requestBody ? this.deref(raw.requestBody) : undefined
        const bodyPointer =
          raw.requestBody && '$ref' in raw.requestBody
            ? raw.requestBody.$ref.slice(1)
            : `/paths/${escapePointer(path)}/${method}/requestBody`
        const security = raw.security ?? this.document.security ?? []
        out.push({
          id: raw.operationId ?? `${method.toUpperCase()} ${path}`,
          method,
          path,
          parameters,
          requestBody: body && { required: body.required ?? false, content: body.content },
          requestBodyPointers: Object.fromEntries(
            Object.keys(body?.content ?? {}).map((mt) => [mt, `${bodyPointer}/content/${escapePointer(mt)}/schema`]),
          ),
          requiresAuth: security.length > 0 && !security.some((s) => Object.keys(s).length === 0),
          raw,
        })
      }
    }
    return out
  }
}

function makeAjv(document: OpenApiDocument, options: { coerceTypes?: 'array' }) {
  const ajv = new Ajv2020({
    allErrors: true,
    strict: true,
    strictTypes: false,
    strictRequired: false,
    validateSchema: false,
    ...options,
  })
  addFormats.default(ajv)
  // OpenAPI's annotation keywords inside schemas, and the document's top-level fields (Ajv
  // compiles the root before a fragment of it; as unknown keywords they would fail strict mode).
  ajv.addVocabulary(['example', 'discriminator', 'xml', 'externalDocs'])
  ajv.addVocabulary([
    'openapi',
    'info',
    'servers',
    'paths',
    'webhooks',
    'components',
    'security',
    'tags',
    'jsonSchemaDialect',
  ])
  ajv.addSchema(document as unknown as Schema, documentId)
  return ajv
}

/** `application/*` and `*\/*` in the document match any media type they cover. */
function mediaTypeMatches(declared: string, actual: string) {
  const d = declared.toLowerCase()
  if (d === actual || d === '*/*') return true
  return d.endsWith('/*') && actual.startsWith(d.slice(0, -1))
}

function safeDecode(segment: string) {
  try {
    return decodeURIComponent(segment)
  } catch {
    return segment // not valid percent-encoding: the router sees it as it is
  }
}

function lowerCaseKeys(headers: ObservedResponse['headers']): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(headers))
    if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v)
  return out
}

function parsesAsJson(text: string) {
  try {
    JSON.parse(text)
    return true
  } catch {
    return false
  }
}

const excerpt = (text: string, n = 120) => JSON.stringify(text.length > n ? `${text.slice(0, n)}…` : text)

/** Ajv errors in one line: `/data/0/id must match format "uuid"; …` (at most three). */
export function summarize(errors: { instancePath: string; message?: string }[]): string {
  const lines = errors.slice(0, 3).map((e) => `${e.instancePath || '(root)'} ${e.message ?? 'is not valid'}`)
  return lines.join('; ') + (errors.length > 3 ? ` (and ${errors.length - 3} more)` : '')
}
