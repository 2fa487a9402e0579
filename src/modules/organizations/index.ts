import type { FastifyInstance } from 'fastify'
import routes from './organizations.routes.ts'

export { schemas } from './organizations.schemas.ts'

export default async function organizations(app: FastifyInstance) {
  await app.register(routes)
}
