import type { FastifyInstance } from 'fastify'
import type { ApiModule } from '../module.ts'
import routes from './iati.routes.ts'

/** IATI: a plan and its activities in the IATI Activity Standard; under /v1 beside the plans. */
async function register(app: FastifyInstance) {
  await app.register(routes)
}

export default {
  name: 'iati',
  prefix: '/v1',
  schemas: [],
  register,
} satisfies ApiModule
