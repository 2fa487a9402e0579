import type { Scenario } from '../scenarios.ts'

// Health probes and the country list: reference data every database has.

export const scenarios: Scenario[] = [
  {
    operation: 'GET /health/live',
    statuses: [200, 400],
    async run(live) {
      await live.call('GET /health/live', 200, { note: 'the process answers' })
      await live.call('GET /health/live', 400, {
        query: { verbose: 'true' },
        offContract: true,
        note: 'unknown query parameters are errors, even here',
      })
    },
  },
  {
    operation: 'GET /health/ready',
    statuses: [200, 400],
    async run(live) {
      await live.call('GET /health/ready', 200, { note: 'the database answers and is migrated' })
      await live.call('GET /health/ready', 400, { query: { verbose: 'true' }, offContract: true })
    },
  },
  {
    operation: 'GET /v1/countries',
    statuses: [200, 400, 406],
    async run(live) {
      const page = await live.list('GET /v1/countries', {
        query: { region: 'Asia', sort: 'name' },
        badQuery: { sort: 'population' },
      })
      live.t.ok(
        page.json.data.every((c: { region: string }) => c.region === 'Asia'),
        'the region filter applies',
      )
    },
  },
  {
    operation: 'GET /v1/countries/export',
    statuses: [200, 400],
    async run(live) {
      const { ndjson } = await live.exports('GET /v1/countries/export', { query: { q: 'Lao' }, badQuery: { limit: 5 } })
      live.t.match(ndjson.body, /"code":"LA"/, 'Lao PDR is in the export')
    },
  },
  {
    operation: 'GET /v1/countries/{code}',
    statuses: [200, 304, 404, 400],
    async run(live) {
      await live.conditionalGet('GET /v1/countries/{code}', { code: live.world.country })
      await live.call('GET /v1/countries/{code}', 404, {
        params: { code: 'QQ' },
        note: 'a well-formed code no country has',
      })
      await live.call('GET /v1/countries/{code}', 400, {
        params: { code: 'lao' },
        offContract: true,
        note: 'not an alpha-2 code',
      })
    },
  },
]
