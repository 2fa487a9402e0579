import type { FastifyInstance } from 'fastify'
import routes from './projects.routes.ts'
import results from './project-results.routes.ts'
import tasks from './project-tasks.routes.ts'
import { schemas as projectSchemas } from './projects.schemas.ts'
import { schemas as resultSchemas } from './project-results.schemas.ts'
import { schemas as taskSchemas } from './project-tasks.schemas.ts'

export const schemas = [...projectSchemas, ...resultSchemas, ...taskSchemas]

/** Project proposal concepts, with their expected results and tasks as owned sub-collections. */
export default async function projects(app: FastifyInstance) {
  await app.register(routes)
  await app.register(results, { prefix: '/:projectId/results' })
  await app.register(tasks, { prefix: '/:projectId/tasks' })
}
