import type { FastifyInstance } from 'fastify'
import type { ApiModule } from '../module.ts'
import routes from './areas.routes.ts'

import { schemas } from './areas.schemas.ts'

/** Registered under /v1/plans/:planId/areas: a plan's structure is owned by the plan. */
async function register(app: FastifyInstance) {
  await app.register(routes)
}

export default {
  name: 'areas',
  prefix: '/v1/plans/:planId/areas',
  schemas,
  register,
} satisfies ApiModule
