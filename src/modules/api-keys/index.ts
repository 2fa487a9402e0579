import type { ApiModule } from '../module.ts'
import routes from './api-keys.routes.ts'
import { schemas } from './api-keys.schemas.ts'

export default {
  name: 'api-keys',
  prefix: '/v1',
  tag: {
    name: 'API keys',
    description:
      'Keys for admin keys to manage: create (the secret shown once), list, rotate with an overlap, revoke. Every operation is in the change feed (resource `api-key`), without the secret.',
  },
  schemas,
  register: async (app) => app.register(routes),
} satisfies ApiModule
