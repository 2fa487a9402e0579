import type { FastifyInstance } from 'fastify'
import type { ApiModule } from '../module.ts'
import type { Config } from '../../config.ts'
import courses from './courses.routes.ts'
import participants from './participants.routes.ts'
import batch from './participants.batch.ts'
import { courseSchemas } from './courses.schemas.ts'
import { participantSchemas } from './participants.schemas.ts'
import { summarySchemas } from './summary.schemas.ts'

/** Training courses, their participants (personal data) and the summary everyone may read; under /v1. */
async function register(app: FastifyInstance, opts?: { config?: Config }) {
  await app.register(courses)
  await app.register(participants, { minCell: opts?.config?.SUMMARY_MIN_CELL ?? 3 })
  await app.register(batch)
}

export default {
  name: 'training',
  prefix: '/v1',
  tag: {
    name: 'Training',
    description:
      'The training programme: courses with seats that hold under any concurrency and per-country quotas, participants (personal data, for keys with `participants:read` only) enrolled one by one or from a nomination list, and a summary with small counts suppressed for everyone else.',
  },
  schemas: [...courseSchemas, ...participantSchemas, ...summarySchemas],
  register,
} satisfies ApiModule
