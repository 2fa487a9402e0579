import fp from 'fastify-plugin'
import { Ajv, type Options, type ValidateFunction } from 'ajv'
import addFormats from 'ajv-formats'
import type { FastifyInstance } from 'fastify'
import { ApiError } from '../http/problems.ts'

// Two validators: bodies are taken exactly as sent (no coercion, unknown properties rejected
// where a schema says additionalProperties: false); query strings, params and headers arrive as
// text and are coerced to the schema's types.
//
// Formats are tightened to what Postgres stores, so that a value the schema accepts never
// becomes a database error (a 500) later: years 0001–9999, UTC offsets within ±15:59, and URLs
// with an http(s) scheme only (a `javascript:` link in the data is a stored XSS for every
// client that renders it).
const yearOk = (s: string) => /^\d{4}/.test(s) && s.slice(0, 4) !== '0000'
const offsetOk = (s: string) => {
  const m = /([+-])(\d\d):?(\d\d)$/.exec(s)
  return !m || Number(m[2]) < 16
}

// `code.optimize: false`: Ajv's optimising passes were about half a second of every start (every
// route's validators are compiled before the server listens) and change nothing measurable in
// the validators' own speed.
function makeAjv(options: Options) {
  const ajv = new Ajv({
    allErrors: true,
    useDefaults: true,
    removeAdditional: false,
    strict: false,
    code: { optimize: false },
    ...options,
  })
  addFormats.default(ajv)
  const date = ajv.formats.date as { validate: (s: string) => boolean }
  const dateTime = ajv.formats['date-time'] as { validate: (s: string) => boolean }
  const uri = ajv.formats.uri as (s: string) => boolean
  ajv.addFormat('date', { type: 'string', validate: (s: string) => yearOk(s) && date.validate(s) })
  ajv.addFormat('date-time', {
    type: 'string',
    validate: (s: string) => yearOk(s) && offsetOk(s) && dateTime.validate(s),
  })
  ajv.addFormat('uri', { type: 'string', validate: (s: string) => /^https?:\/\/[^/?#\s]+/i.test(s) && uri(s) })
  return ajv
}

const escapePointer = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1')

/** No request of this API nests deeper; deeper input would only exhaust recursive code later. */
export const MAX_DEPTH = 32

/**
 * What no schema should ever see, as a JSON Pointer and a reason: a string (or key) holding NUL,
 * which Postgres cannot store, or nesting deeper than MAX_DEPTH. Iterative: a body nested
 * 100 000 deep fits in the size limit and must not overflow the stack here.
 */
export function findUnacceptable(root: unknown): { at: string; message: string } | undefined {
  const nul = { message: 'must not contain the NUL character (\\u0000)' }
  const stack: [unknown, string, number][] = [[root, '', 0]]
  while (stack.length) {
    const [value, at, depth] = stack.pop()!
    if (typeof value === 'string') {
      if (value.includes('\u0000')) return { at, ...nul }
      continue
    }
    if (typeof value !== 'object' || value === null) continue
    if (depth >= MAX_DEPTH) return { at, message: `must not nest deeper than ${MAX_DEPTH} levels` }
    for (const [key, child] of Object.entries(value)) {
      const path = `${at}/${escapePointer(key)}`
      if (key.includes('\u0000')) return { at: path, ...nul }
      stack.push([child, path, depth + 1])
    }
  }
  return undefined
}

/** Refuses what findUnacceptable finds before the schema runs, as a validation error on that field. */
export function rejectingUnacceptable(validate: ValidateFunction): ValidateFunction {
  const wrapped = ((data: unknown) => {
    const found = findUnacceptable(data)
    if (found) {
      wrapped.errors = [
        {
          instancePath: found.at,
          schemaPath: '#/unacceptable',
          keyword: 'unacceptable',
          params: {},
          message: found.message,
        },
      ]
      return false
    }
    const ok = validate(data) as boolean
    wrapped.errors = validate.errors
    return ok
  }) as ValidateFunction
  return wrapped
}

async function validation(app: FastifyInstance) {
  const body = makeAjv({ coerceTypes: false })
  const text = makeAjv({ coerceTypes: 'array' })
  // The named schemas, added once; Ajv compiles one when a route's schema first refers to it
  // (asking Ajv whether it has one, with getSchema, compiles it: half a second at start for
  // response shapes no request uses).
  const added = new Set<string>()
  const sync = () => {
    for (const [id, schema] of Object.entries(app.getSchemas())) {
      if (added.has(id)) continue
      added.add(id)
      for (const ajv of [body, text]) ajv.addSchema(schema as object, id)
    }
  }
  app.setValidatorCompiler(({ schema, httpPart }) => {
    sync()
    return rejectingUnacceptable((httpPart === 'body' ? body : text).compile(schema))
  })
  // Unknown query parameters are an error everywhere (a misspelt filter must not silently match
  // everything), also on routes that take none.
  app.addHook('onRoute', (route) => {
    if (!/^\/(v1|health)\b/.test(route.url)) return
    const schema = (route.schema ??= {}) as Record<string, unknown>
    schema.querystring ??= { type: 'object', properties: {}, additionalProperties: false }
  })
  // Merge patches are for PATCH; elsewhere that media type is not what the operation takes.
  app.addHook('preValidation', async (request) => {
    if (request.method !== 'PATCH' && /^application\/merge-patch\+json/i.test(request.headers['content-type'] ?? '')) {
      throw new ApiError(
        'unsupported-media-type',
        `${request.method} takes application/json; application/merge-patch+json is for PATCH.`,
      )
    }
  })
}

export default fp(validation, { name: 'validation' })
