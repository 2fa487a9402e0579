import { SerializerSelector, type SerializerFactory } from '@fastify/fast-json-stringify-compiler'

// Responses are serialized by fast-json-stringify from the response schemas. A union such as
// "string or null" (how TypeBox writes a nullable field) makes it validate every value against
// each branch with Ajv to pick one, which costs more than the whole rest of a list page. Output
// needs no validation — the handler built it — so unions of plain scalars are written as one
// multi-type schema for serialization only. Validation of requests keeps the exact schemas.

type Schema = Record<string, unknown>
const scalar = new Set(['string', 'number', 'integer', 'boolean', 'null'])

function isScalar(s: unknown): s is Schema & { type: string } {
  return (
    typeof s === 'object' &&
    s !== null &&
    typeof (s as Schema).type === 'string' &&
    scalar.has((s as Schema).type as string) &&
    !('anyOf' in s)
  )
}

export function simplify<T>(schema: T): T {
  if (Array.isArray(schema)) return schema.map(simplify) as T
  if (typeof schema !== 'object' || schema === null) return schema
  const s = schema as Schema
  const branches = s.anyOf as unknown[] | undefined
  if (Array.isArray(branches) && branches.length > 0 && branches.every(isScalar)) {
    const { anyOf: _a, ...rest } = s
    const types = [...new Set(branches.map((b) => b.type))]
    return { ...rest, type: types.length === 1 ? types[0] : types } as T
  }
  const out: Schema = {}
  for (const [k, v] of Object.entries(s))
    out[k] = k === 'examples' || k === 'default' || k === 'const' || k === 'enum' ? v : simplify(v)
  return out as T
}

/**
 * The named schemas `schema` refers to, directly or through one another. fast-json-stringify
 * checks every external schema it is given (depth, meta-schema) on every compile: given all of
 * them for each of some 400 responses, that checking was most of a start's second and a half.
 */
export function referenced(schema: unknown, named: Record<string, unknown>): Record<string, unknown> {
  const found: Record<string, unknown> = {}
  const stack = [schema]
  while (stack.length) {
    const s = stack.pop()
    if (typeof s !== 'object' || s === null) continue
    for (const [key, value] of Object.entries(s)) {
      if (key === '$ref' && typeof value === 'string') {
        const id = value.split('#')[0]
        if (id && !(id in found) && id in named) stack.push((found[id] = named[id]))
      } else if (typeof value === 'object') stack.push(value)
    }
  }
  return found
}

/**
 * Fastify's serializer factory, fed simplified schemas and, for each, only the named ones it
 * uses. A schema object already compiled is not compiled again: every GET route has a HEAD twin
 * with the same response schemas (87 of 229 compilations at start).
 */
export function serializerFactory(): SerializerFactory {
  const select = SerializerSelector()
  return (externalSchemas, options) => {
    const named = simplify(externalSchemas) as Record<string, unknown>
    const compiled = new WeakMap<object, (data: unknown) => string>()
    return (route) => {
      const known = compiled.get(route.schema as object)
      if (known) return known
      const schema = simplify(route.schema)
      const serialize = select(referenced(schema, named) as never, options as never)({ ...route, schema } as never)
      compiled.set(route.schema as object, serialize)
      return serialize
    }
  }
}
