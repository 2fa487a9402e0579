import type { FastifyPluginAsync } from 'fastify'

// GET / and GET /v1: where things are, for a person (or a crawler) arriving at the root.

const home: FastifyPluginAsync<{ version: string; collections: string[] }> = async (app, opts) => {
  const common = { schema: { hide: true }, config: { scope: 'public' as const } }
  app.get('/', common, async () => ({
    name: 'Action Plan API',
    version: opts.version,
    links: { api: '/v1', docs: '/docs', openapi: '/v1/openapi.json', problems: '/problems', health: '/health/ready' },
  }))
  app.get('/v1', common, async () => ({
    collections: [...opts.collections, '/v1/meetings', '/v1/outcomes', '/v1/meetings.ics'].sort(),
    openapi: '/v1/openapi.json',
    docs: '/docs',
  }))
}

export default home
