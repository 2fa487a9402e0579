import { Type } from 'typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ref } from '../../schemas/common.ts'
import { idKey, listPage } from '../../http/pagination.ts'
import { created, etagOf, sendResource } from '../../http/conditional.ts'
import { createResource, deleteResource, updateResource } from '../../http/writes.ts'
import { notFound } from '../../http/problems.ts'
import { ProjectParams } from './projects.schemas.ts'
import {
  ProjectResult,
  ProjectResultCreate,
  ProjectResultList,
  ProjectResultParams,
  ProjectResultPatch,
  ProjectResultQuery,
} from './project-results.schemas.ts'
import { getProjectSummary } from './projects.queries.ts'
import { assertProjectWritable } from './projects.service.ts'
import * as q from './project-results.queries.ts'
import { apiProvenance } from '../../schemas/provenance.ts'

const tags = ['Projects']

/** Registered under /v1/projects/:projectId/results. */
const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/',
    {
      schema: {
        operationId: 'listProjectResults',
        tags,
        summary: 'List the expected results of a project',
        description:
          'In `position` order by default; `updatedSince` for syncing. 404 when the project does not exist. Cursor-paginated like every list.',
        params: ProjectParams,
        querystring: ProjectResultQuery,
        response: { 200: ref(ProjectResultList) },
      },
      config: { scope: 'read', export: true, exportNames: { projectId: 'project' } },
    },
    (request, reply) => {
      const { projectId } = request.params
      return listPage(request, reply, {
        sorts: q.resultSortTable,
        key: idKey('project_results'),
        fetch: async (page) => {
          const rows = await q.listResults(app.db, projectId, request.query, page)
          // An empty page may mean the project does not exist; only then is it worth a second statement.
          if (rows.length === 0 && !(await getProjectSummary(app.db, projectId))) throw notFound('project', projectId)
          return rows
        },
        map: q.toProjectResult,
      })
    },
  )

  app.get(
    '/:resultId',
    {
      schema: {
        operationId: 'getProjectResult',
        tags,
        summary: 'Get an expected result',
        description:
          'Sends `ETag` (the version); with `If-None-Match` holding it, 304 and no body. 404 when the id is unknown.',
        params: ProjectResultParams,
        response: { 200: ref(ProjectResult) },
      },
      config: { scope: 'read' },
    },
    async (request, reply) => {
      const { projectId, resultId } = request.params
      return sendResource(
        request,
        reply,
        await q.getResult(app.db, projectId, resultId),
        () => notFound('result', resultId),
        q.toProjectResult,
      )
    },
  )

  app.post(
    '/',
    {
      schema: {
        operationId: 'createProjectResult',
        tags,
        summary: 'Add an expected result to a project',
        description:
          '`statement` is required; without `position` the result goes after the last one (at most position 1 000 000). Answers 201 with `Location` and `ETag`.',
        params: ProjectParams,
        body: ref(ProjectResultCreate),
        response: { 201: ref(ProjectResult) },
      },
      config: { scope: 'plans:write' },
    },
    async (request, reply) => {
      const { projectId } = request.params
      const result = await createResource(
        request,
        'project-result',
        async (trx) => {
          await assertProjectWritable(request, trx, projectId)
          return q.toProjectResult(
            await q.insertResult(trx, projectId, request.body, apiProvenance(request.principal?.keyId ?? null)),
          )
        },
        Object.keys(request.body),
      )
      created(reply, `/v1/projects/${projectId}/results/${result.id}`, result.version)
      return result
    },
  )

  app.patch(
    '/:resultId',
    {
      schema: {
        operationId: 'updateProjectResult',
        tags,
        summary: 'Update an expected result',
        description: 'JSON Merge Patch. Send If-Match with the ETag you read.',
        params: ProjectResultParams,
        body: ref(ProjectResultPatch),
        response: { 200: ref(ProjectResult) },
      },
      config: { scope: 'plans:write' },
    },
    async (request, reply) => {
      const { projectId, resultId } = request.params
      const result = await updateResource(request, {
        resource: 'project-result',
        id: resultId,
        lock: async (trx) => mapped(await q.lockResult(trx, projectId, resultId)),
        update: async (trx) => {
          await assertProjectWritable(request, trx, projectId)
          return q.toProjectResult(await q.updateResult(trx, resultId, request.body))
        },
      })
      reply.header('etag', etagOf(result.version))
      return result
    },
  )

  app.delete(
    '/:resultId',
    {
      schema: {
        operationId: 'deleteProjectResult',
        tags,
        summary: 'Delete an expected result',
        description: 'Fails with 409 while an indicator measures it.',
        params: ProjectResultParams,
        response: { 204: Type.Null({ description: 'Deleted.' }) },
      },
      config: { scope: 'plans:write' },
    },
    async (request, reply) => {
      const { projectId, resultId } = request.params
      await deleteResource(request, {
        resource: 'project-result',
        id: resultId,
        lock: (trx) => q.lockResult(trx, projectId, resultId),
        remove: async (trx) => {
          await assertProjectWritable(request, trx, projectId)
          return q.deleteResult(trx, resultId)
        },
      })
      return reply.code(204).send(null)
    },
  )
}

const mapped = (row: q.ProjectResultRow | undefined) => row && q.toProjectResult(row)

export default routes
