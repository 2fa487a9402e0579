import type { FastifyInstance } from 'fastify'
import routes from './plans.routes.ts'
import views from './plan-views.routes.ts'
import { schemas as planSchemas } from './plans.schemas.ts'
import { schemas as viewSchemas } from './plan-views.schemas.ts'

export const schemas = [...planSchemas, ...viewSchemas]

/** Plans, and the read-only views of a whole plan (structure, matrix). */
export default async function plans(app: FastifyInstance) {
  await app.register(routes)
  await app.register(views)
}
