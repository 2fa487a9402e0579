import type { FastifyInstance } from 'fastify'
import type { ApiModule } from '../module.ts'
import routes from './activities.routes.ts'

import { schemas } from './activities.schemas.ts'

async function register(app: FastifyInstance) {
  await app.register(routes)
}

export default {
  name: 'activities',
  prefix: '/v1/activities',
  tag: {
    name: 'Activities',
    description:
      'The numbered activities of a plan, with the organizations leading, implementing, funding or taking part in them.',
  },
  schemas,
  register,
} satisfies ApiModule
