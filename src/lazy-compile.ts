import type { FastifySchemaCompiler } from 'fastify'
import type { SerializerFactory } from '@fastify/fast-json-stringify-compiler'

// Fastify compiles every route's validators (Ajv) and serializers (fast-json-stringify) when the
// app becomes ready: for this API that was most of a restart (over a second of a 2 s goal, see
// `npm run bench`, "embedded start"). These wrappers compile each one on its first use instead;
// the first request to an operation pays its own few milliseconds. What a route does is the same.

type Validate = ((data: unknown) => unknown) & { errors?: unknown }

/** A validator compiler that compiles on the first validation. */
export function lazyValidatorCompiler(compile: FastifySchemaCompiler<unknown>): FastifySchemaCompiler<unknown> {
  return (route) => {
    let validate: Validate | undefined
    // Fastify reads `errors` off the function it called when the result is false.
    const lazy: Validate = (data) => {
      validate ??= compile(route) as Validate
      const result = validate(data)
      lazy.errors = validate.errors
      return result
    }
    return lazy as ReturnType<FastifySchemaCompiler<unknown>>
  }
}

/** A serializer factory whose serializers compile on the first response they write. */
export function lazySerializerFactory(factory: SerializerFactory): SerializerFactory {
  return (externalSchemas, options) => {
    let compile: ReturnType<SerializerFactory> | undefined
    return (route) => {
      let serialize: ((data: unknown) => string) | undefined
      return (data: unknown) => {
        compile ??= factory(externalSchemas, options)
        serialize ??= compile(route) as (data: unknown) => string
        return serialize(data)
      }
    }
  }
}
