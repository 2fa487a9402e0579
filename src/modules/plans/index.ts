import type { FastifyInstance } from 'fastify'
import type { ApiModule } from '../module.ts'
import routes from './plans.routes.ts'
import views from './plan-views.routes.ts'
import { schemas as planSchemas } from './plans.schemas.ts'
import { schemas as viewSchemas } from './plan-views.schemas.ts'

const schemas = [...planSchemas, ...viewSchemas]

/** Plans, and the read-only views of a whole plan (structure, matrix). */
async function register(app: FastifyInstance) {
  await app.register(routes)
  await app.register(views)
}

export default {
  name: 'plans',
  prefix: '/v1/plans',
  tag: {
    name: 'Plans',
    description:
      'Regional plans of action, their structure (sections › areas › sub-areas, or pillars › provisions) and whole-plan views.',
  },
  schemas,
  register,
} satisfies ApiModule
