import type { FastifyInstance } from 'fastify'
import routes from './countries.routes.ts'

export { schemas } from './countries.schemas.ts'

export default async function countries(app: FastifyInstance) {
  await app.register(routes)
}
