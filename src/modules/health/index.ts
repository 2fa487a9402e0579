import { readdirSync } from 'node:fs'
import { Type } from 'typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { migrationsDir } from '../../db/migrator.ts'
import { sendProblem } from '../../http/problems.ts'
import { latestAppliedMigration } from './health.queries.ts'

const Status = Type.Object({
  status: Type.Literal('ok'),
  database: Type.Optional(
    Type.String({ maxLength: 200, description: 'The kind of database the node uses.', examples: ['postgres'] }),
  ),
  migration: Type.Optional(
    Type.String({
      maxLength: 200,
      description: 'The last migration applied (ready only).',
      examples: ['0007_change_notify'],
    }),
  ),
})

// Probes for load balancers and orchestrators: live = the process answers; ready = the database
// answers and has every migration this code expects.
const health: FastifyPluginAsyncTypebox = async (app) => {
  const expected =
    readdirSync(migrationsDir)
      .filter((f) => /^\d{4}_[\w-]+\.ts$/.test(f))
      .sort()
      .at(-1)
      ?.replace(/\.ts$/, '') ?? null
  const common = { tags: ['Health'], security: [] }
  const unknownQuery = { 400: { description: 'The probe takes no query parameters.', schema: { $ref: 'Problem' } } }

  app.get(
    '/health/live',
    {
      schema: {
        ...common,
        operationId: 'getLiveness',
        summary: 'Liveness',
        description:
          'The process answers HTTP. It does not touch the database: use it to restart a hung process, not to route traffic.',
        response: { 200: Status },
      },
      config: { scope: 'public', documentResponses: unknownQuery },
    },
    async () => ({ status: 'ok' as const }),
  )

  app.get(
    '/health/ready',
    {
      schema: {
        ...common,
        operationId: 'getReadiness',
        summary: 'Readiness',
        description:
          'Whether this node should get traffic: 200 when the database answers and has every migration this code expects; a 503 problem with Retry-After while it is unreachable or behind.',
        response: { 200: Status },
      },
      config: {
        scope: 'public',
        documentResponses: {
          ...unknownQuery,
          503: {
            description: 'The database is unreachable or behind on migrations; retry after Retry-After.',
            schema: { $ref: 'Problem' },
          },
        },
      },
    },
    async (_request, reply) => {
      let applied: string | null
      try {
        applied = await latestAppliedMigration(app.db)
      } catch {
        return sendProblem(reply, 'unavailable', 'The database does not answer.', { headers: { 'retry-after': '2' } })
      }
      if (applied !== expected)
        return sendProblem(
          reply,
          'unavailable',
          `The database is at migration ${applied ?? 'none'}; this code expects ${expected}.`,
          { headers: { 'retry-after': '5' } },
        )
      return { status: 'ok' as const, database: app.dbKind, migration: applied ?? undefined }
    },
  )
}

export default health
