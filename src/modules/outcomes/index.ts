import type { FastifyInstance } from 'fastify'
import routes from './outcomes.routes.ts'
import batch from './outcomes.batch.ts'

export { schemas } from './outcomes.schemas.ts'

/** Outcomes of meetings: per meeting, across meetings, and the batch; registered under /v1. */
export default async function outcomes(app: FastifyInstance) {
  await app.register(routes)
  await app.register(batch)
}
