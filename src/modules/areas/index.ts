import type { FastifyInstance } from 'fastify'
import routes from './areas.routes.ts'

export { schemas } from './areas.schemas.ts'

/** Registered under /v1/plans/:planId/areas: a plan's structure is owned by the plan. */
export default async function areas(app: FastifyInstance) {
  await app.register(routes)
}
