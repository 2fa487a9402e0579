import fp from 'fastify-plugin'
import { Ajv, type Options, type ValidateFunction } from 'ajv'
import addFormats from 'ajv-formats'
import type { FastifyInstance } from 'fastify'

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

function makeAjv(options: Options) {
  const ajv = new Ajv({ allErrors: true, useDefaults: true, removeAdditional: false, strict: false, ...options })
  addFormats.default(ajv)
  const date = ajv.formats.date as { validate: (s: string) => boolean }
  const dateTime = ajv.formats['date-time'] as { validate: (s: string) => boolean }
  const uri = ajv.formats.uri as (s: string) => boolean
  ajv.addFormat('date', { type: 'string', validate: (s: string) => yearOk(s) && date.validate(s) })
  ajv.addFormat('date-time', { type: 'string', validate: (s: string) => yearOk(s) && offsetOk(s) && dateTime.validate(s) })
  ajv.addFormat('uri', { type: 'string', validate: (s: string) => /^https?:\/\/[^/?#\s]+/i.test(s) && uri(s) })
  return ajv
}

const escapePointer = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1')

/** The JSON Pointer of the first string (or key) holding a NUL character, if any. */
export function findNul(value: unknown, at = ''): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? at : undefined
  if (typeof value !== 'object' || value === null) return undefined
  for (const [key, child] of Object.entries(value)) {
    const path = `${at}/${escapePointer(key)}`
    if (key.includes('\u0000')) return path
    const found = findNul(child, path)
    if (found !== undefined) return found
  }
  return undefined
}

/**
 * Postgres cannot store U+0000 in text, so a NUL anywhere in the input is refused before the
 * schema runs, as a validation error on the field that holds it.
 */
export function rejectingNul(validate: ValidateFunction): ValidateFunction {
  const wrapped = ((data: unknown) => {
    const at = findNul(data)
    if (at !== undefined) {
      wrapped.errors = [{ instancePath: at, schemaPath: '#/nul', keyword: 'nul', params: {}, message: 'must not contain the NUL character (\\u0000)' }]
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
  const sync = () => {
    for (const [id, schema] of Object.entries(app.getSchemas())) {
      for (const ajv of [body, text]) if (!ajv.getSchema(id)) ajv.addSchema(schema as object, id)
    }
  }
  app.setValidatorCompiler(({ schema, httpPart }) => {
    sync()
    return rejectingNul((httpPart === 'body' ? body : text).compile(schema))
  })
}

export default fp(validation, { name: 'validation' })
