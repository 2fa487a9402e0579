import type { FastifyInstance } from 'fastify'
import type { ApiModule } from '../module.ts'
import indicators from './indicators.routes.ts'
import measurements from './measurements.routes.ts'
import reports from './reports.routes.ts'
import { schemas } from './monitoring.schemas.ts'
import { reportSchemas } from './reports.schemas.ts'

/** Monitoring and evaluation: indicators, targets, values, progress, period locks and reports; under /v1. */
async function register(app: FastifyInstance) {
  await app.register(indicators)
  await app.register(measurements)
  await app.register(reports)
}

export default {
  name: 'monitoring',
  prefix: '/v1',
  tag: {
    name: 'Monitoring',
    description:
      'Monitoring and evaluation (the plan’s "progress measured against clear indicators"): indicators with baselines and targets per period and country, the values countries report (one by one or in batches of up to 10 000), period locks, progress against targets, and the six-monthly and final summary reports as JSON, CSV or a printable page, with frozen snapshots.',
  },
  schemas: [...schemas, ...reportSchemas],
  register,
} satisfies ApiModule
