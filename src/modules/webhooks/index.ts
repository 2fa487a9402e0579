import type { ApiModule } from '../module.ts'
import routes from './webhooks.routes.ts'
import { schemas } from './webhooks.schemas.ts'

export default {
  name: 'webhooks',
  prefix: '/v1',
  tag: {
    name: 'Webhooks',
    description:
      'Changes pushed to a partner’s URL: signed (HMAC-SHA256), retried with backoff, recorded per delivery. Needs Postgres (501 on embedded storage). Admin keys only.',
  },
  schemas,
  register: async (app) => app.register(routes),
} satisfies ApiModule
