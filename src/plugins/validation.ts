import fp from 'fastify-plugin'
import { Ajv, type Options } from 'ajv'
import addFormats from 'ajv-formats'
import type { FastifyInstance } from 'fastify'

// Two validators: bodies are taken exactly as sent (no coercion, unknown properties rejected
// where a schema says additionalProperties: false); query strings, params and headers arrive as
// text and are coerced to the schema's types.
function makeAjv(options: Options) {
  const ajv = new Ajv({ allErrors: true, useDefaults: true, removeAdditional: false, strict: false, ...options })
  addFormats.default(ajv)
  return ajv
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
    return (httpPart === 'body' ? body : text).compile(schema)
  })
}

export default fp(validation, { name: 'validation' })
