import type { FastifyInstance } from 'fastify'
import type { ApiModule } from '../module.ts'
import routes from './countries.routes.ts'

import { schemas } from './countries.schemas.ts'

async function register(app: FastifyInstance) {
  await app.register(routes)
}

export default {
  name: 'countries',
  prefix: '/v1/countries',
  tag: { name: 'Countries', description: 'ISO 3166-1 countries (read-only reference data).' },
  schemas,
  register,
} satisfies ApiModule
