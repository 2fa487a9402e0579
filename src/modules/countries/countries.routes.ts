import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ref } from '../../schemas/common.ts'
import { listPage } from '../../http/pagination.ts'
import { sendResource } from '../../http/conditional.ts'
import { ApiError } from '../../http/problems.ts'
import { Country, CountryList, CountryParams, CountryQuery } from './countries.schemas.ts'
import * as q from './countries.queries.ts'

const tags = ['Countries']

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/',
    {
      schema: {
        operationId: 'listCountries',
        tags,
        summary: 'List countries',
        description: 'ISO 3166-1 countries; filter by text or UN M49 region.',
        querystring: CountryQuery,
        response: { 200: ref(CountryList) },
      },
      config: { scope: 'read', export: true },
    },
    (request, reply) =>
      listPage(request, reply, {
        sorts: q.countrySortTable,
        key: q.countrySortTable.code!,
        fetch: (page) => q.listCountries(app.db, request.query, page),
        map: q.toCountry,
      }),
  )

  app.get(
    '/:code',
    {
      schema: {
        operationId: 'getCountry',
        tags,
        summary: 'Get a country',
        description:
          'By ISO 3166-1 alpha-2 code in capitals (`KH`, `LA`); lower case is a 400. Sends `ETag` (the version); with `If-None-Match` holding it, 304 and no body. 404 for a code that is not a country.',
        params: CountryParams,
        response: { 200: ref(Country) },
      },
      config: { scope: 'read' },
    },
    async (request, reply) =>
      sendResource(
        request,
        reply,
        await q.getCountry(app.db, request.params.code),
        () => new ApiError('not-found', `No country with code ${request.params.code}.`),
        q.toCountry,
      ),
  )
}

export default routes
