import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ref } from '../../schemas/common.ts'
import { pageRequest, pageResponse } from '../../plugins/pagination.ts'
import { notModified } from '../../plugins/conditional.ts'
import { ApiError } from '../../plugins/problems.ts'
import { Country, CountryList, CountryParams, CountryQuery } from './countries.schemas.ts'
import * as q from './countries.queries.ts'

const tags = ['Countries']

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/', {
    schema: { operationId: 'listCountries', tags, summary: 'List countries', description: 'ISO 3166-1 countries; filter by text or UN M49 region.', querystring: CountryQuery, response: { 200: ref(CountryList) } },
    config: { scope: 'read' },
  }, async (request, reply) => {
    const page = pageRequest(request, q.countrySortTable, q.countrySortTable.code!)
    const rows = await q.listCountries(app.db, request.query, page)
    const result = pageResponse(request, reply, page, rows)
    return { data: result.data.map(q.toCountry), nextCursor: result.nextCursor }
  })

  app.get('/:code', {
    schema: { operationId: 'getCountry', tags, summary: 'Get a country', params: CountryParams, response: { 200: ref(Country) } },
    config: { scope: 'read' },
  }, async (request, reply) => {
    const row = await q.getCountry(app.db, request.params.code)
    if (!row) throw new ApiError('not-found', `No country with code ${request.params.code}.`)
    if (notModified(request, reply, row.version)) return reply.send(null as never)
    return q.toCountry(row)
  })
}

export default routes
