import type { ApiModule } from '../module.ts'
import routes from './changes.routes.ts'
import { schemas } from './changes.schemas.ts'

export default {
  name: 'changes',
  prefix: '/v1',
  tag: {
    name: 'Changes',
    description:
      'The change feed: every create, update and deletion in commit order, with a cursor to resume from. Partners follow it to keep a copy (docs/integration.md).',
  },
  schemas,
  register: async (app) => app.register(routes),
} satisfies ApiModule
