import type { Scenario } from '../scenarios.ts'

// The IATI export of a plan (test/integration/iati.test.ts validates it against the XSD).

export const scenarios: Scenario[] = [
  {
    operation: 'GET /v1/plans/{id}/iati-activities.xml',
    statuses: [200, 404, 400],
    async run(live) {
      const xml = await live.call('GET /v1/plans/{id}/iati-activities.xml', 200, {
        params: { id: live.world.plans.commit },
        expectHeaders: ['content-disposition'],
      })
      live.t.match(String(xml.headers['content-type']), /^application\/xml/, 'IATI XML')
      live.t.match(xml.body, /<iati-activities version="2\.03"/, 'an IATI 2.03 document')
      live.t.match(xml.body, /<iati-activity [^>]*hierarchy="2"/, 'with the plan’s activities')
      await live.missing('GET /v1/plans/{id}/iati-activities.xml', {}, 'id')
      await live.malformedId('GET /v1/plans/{id}/iati-activities.xml', {}, 'id')
    },
  },
]
