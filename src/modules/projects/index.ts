import type { FastifyInstance } from 'fastify'
import type { ApiModule } from '../module.ts'
import routes from './projects.routes.ts'
import results from './project-results.routes.ts'
import tasks from './project-tasks.routes.ts'
import { schemas as projectSchemas } from './projects.schemas.ts'
import { schemas as resultSchemas } from './project-results.schemas.ts'
import { schemas as taskSchemas } from './project-tasks.schemas.ts'
import { rangeSchemas } from '../../schemas/range.ts'

// NumberRange (tasks’ counts and durations) is shared with plans’ milestones; listed once, here.
const schemas = [...rangeSchemas, ...projectSchemas, ...resultSchemas, ...taskSchemas]

/** Project proposal concepts, with their expected results and tasks as owned sub-collections. */
async function register(app: FastifyInstance) {
  await app.register(routes)
  await app.register(results, { prefix: '/:projectId/results' })
  await app.register(tasks, { prefix: '/:projectId/tasks' })
}

export default {
  name: 'projects',
  prefix: '/v1/projects',
  tag: {
    name: 'Projects',
    description:
      'Project Proposal Concepts: the activities they cover, their expected results and their work plan of tasks.',
  },
  schemas,
  register,
} satisfies ApiModule
