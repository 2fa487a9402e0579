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

/** Fastify's serializer factory, fed simplified schemas. */
export function serializerFactory(): SerializerFactory {
  const select = SerializerSelector()
  return (externalSchemas, options) => {
    const compile = select(simplify(externalSchemas) as never, options as never)
    return (route) => compile({ ...route, schema: simplify(route.schema) } as never)
  }
}
