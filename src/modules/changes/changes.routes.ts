import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ref } from '../../schemas/common.ts'
import { ChangeFeed, ChangeFeedQuery } from './changes.schemas.ts'
import { readChanges } from './changes.service.ts'

const tags = ['Changes']

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/changes',
    {
      schema: {
        operationId: 'listChanges',
        tags,
        summary: 'Follow the change feed',
        description:
          'Every create, update and deletion (a tombstone: type and id), oldest first, in the order transactions committed; field names only, never values. ' +
          'Start without `after` (the oldest change still kept), then pass `nextCursor` as `after`: the feed never skips a change, even one whose transaction commits after a later one — ' +
          'it holds back at any transaction still running. A change may come twice after a resume from an older cursor: apply changes by `id` and `version`. ' +
          `Changes are served for \`CHANGES_RETENTION_DAYS\` (90 by default): a cursor older than that is 410, and a copy must be crawled again. Not cached: poll it.`,
        querystring: ChangeFeedQuery,
        response: { 200: ref(ChangeFeed) },
      },
      config: {
        scope: 'read',
        readCache: false,
        documentResponses: {
          410: {
            description:
              'The cursor points before the oldest change still kept (`CHANGES_RETENTION_DAYS`): copy the data again and follow the feed from its start.',
            schema: { $ref: 'Problem' },
          },
        },
      },
    },
    async (request) => readChanges(app.db, request.query, app.integration.retentionDays),
  )
}

export default routes
