import type { FastifyInstance } from 'fastify'
import type { ApiModule } from '../module.ts'
import routes from './outcomes.routes.ts'
import batch from './outcomes.batch.ts'

import { schemas } from './outcomes.schemas.ts'

/** Outcomes of meetings: per meeting, across meetings, and the batch; registered under /v1. */
async function register(app: FastifyInstance) {
  await app.register(routes)
  await app.register(batch)
}

export default {
  name: 'outcomes',
  prefix: '/v1',
  tag: {
    name: 'Outcomes',
    description:
      'What meetings produced: decisions, recommendations, agreements, action items (with responsible organizations, due date and status) and findings; posted one by one or in idempotent batches.',
  },
  schemas,
  register,
} satisfies ApiModule
