import type { FastifyInstance } from 'fastify'
import type { ApiModule } from '../module.ts'
import routes from './organizations.routes.ts'

import { schemas } from './organizations.schemas.ts'

async function register(app: FastifyInstance) {
  await app.register(routes)
}

export default {
  name: 'organizations',
  prefix: '/v1/organizations',
  tag: {
    name: 'Organizations',
    description: 'Governments, task forces, UN agencies, sectoral bodies, NGOs, donors and others.',
  },
  schemas,
  register,
} satisfies ApiModule
