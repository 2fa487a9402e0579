import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { IdParams } from '../../schemas/common.ts'
import { notFound } from '../../http/problems.ts'
import { planAsIati } from './iati.service.ts'
import { iatiIdentifierPrefix } from './iati.xml.ts'

const xmlResponse = {
  description:
    'An IATI Activity Standard 2.03 document (`<iati-activities version="2.03">`), valid against the standard’s XSD.',
  type: 'string',
}

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/plans/:id/iati-activities.xml',
    {
      schema: {
        operationId: 'getPlanIatiActivities',
        tags: ['Plans'],
        summary: 'A plan and its activities as IATI XML',
        description:
          'The plan and its activities in the aid world’s exchange format, [IATI Activity Standard 2.03](https://iatistandard.org/en/iati-standard/203/activity-standard/). ' +
          'The plan is the parent activity (`hierarchy="1"`) and each of its activities a child (`hierarchy="2"`, `related-activity` type 1 naming the plan; activities covered by the same project are siblings, type 3). ' +
          `Identifiers are \`${iatiIdentifierPrefix}\` followed by the UUID of the plan, activity or organization (\`iati-identifier\`, \`reporting-org/@ref\`, \`participating-org/@ref\`); the reporting organization is the plan’s initiative. ` +
          'Statuses map to the ActivityStatus codelist (planned 1, in_progress 2, completed 4, cancelled 5, on_hold 6), roles to OrganisationRole (funding 1, lead 2, implementing and participating 4), ' +
          'planned and actual start and end dates to activity-date types 1–4 (an activity with no date at all gets its plan’s start as planned start), ' +
          'countries to `recipient-country` (an equal `percentage` each when there are several; an activity naming none has its plan’s), document links to `document-link`, ' +
          'and the indicators of issue “Monitoring and evaluation” to `result/indicator` with baselines, and targets and actuals (submitted or verified, per country as a `dimension`) by period.',
        params: IdParams,
        response: {
          200: {
            description: xmlResponse.description,
            content: { 'application/xml': { schema: xmlResponse } },
            headers: {
              'Content-Disposition': {
                type: 'string',
                maxLength: 300,
                description: 'The file name a browser saves the document as.',
              },
            },
          },
        },
      },
      config: { scope: 'read' },
    },
    async (request, reply) => {
      const xml = await planAsIati(app.db, request.params.id)
      if (xml === undefined) throw notFound('plan', request.params.id)
      reply.header('content-disposition', `attachment; filename="plan-${request.params.id}-iati-activities.xml"`)
      return reply.type('application/xml; charset=utf-8').send(xml)
    },
  )
}

export default routes
