import type { FastifyInstance } from 'fastify'
import routes from './activities.routes.ts'

export { schemas } from './activities.schemas.ts'

export default async function activities(app: FastifyInstance) {
  await app.register(routes)
}
