import type { FastifyInstance } from 'fastify'
import type { TSchema } from 'typebox'

/** What a resource family tells the app: where it lives, its named schemas, its tag, its routes. */
export interface ApiModule {
  name: string
  /** The path its routes are registered under. */
  prefix: string
  /** Its section of the reference (modules that share one leave it out). */
  tag?: { name: string; description: string }
  /** Schemas with an $id: registered once, named components of the document. */
  schemas: TSchema[]
  register(app: FastifyInstance): Promise<void>
}
