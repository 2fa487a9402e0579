import { Type } from 'typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { IdParams, ref } from '../../schemas/common.ts'
import { idKey, listPage } from '../../http/pagination.ts'
import { created, etagOf, sendResource } from '../../http/conditional.ts'
import { createResource, deleteResource, updateResource } from '../../http/writes.ts'
import { assertPlanRowWritable } from '../plans/plan-countries.ts'
import { notFound } from '../../http/problems.ts'
import { Project, ProjectCreate, ProjectList, ProjectPatch, ProjectQuery } from './projects.schemas.ts'
import { checkProject, relationsDiffer } from './projects.service.ts'
import * as q from './projects.queries.ts'
import { apiProvenance } from '../../schemas/provenance.ts'

const tags = ['Projects']

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/',
    {
      schema: {
        operationId: 'listProjects',
        tags,
        summary: 'List project proposal concepts',
        description: 'Filter by plan, covered activity, country or text; cursor-paginated.',
        querystring: ProjectQuery,
        response: { 200: ref(ProjectList) },
      },
      config: {
        scope: 'read',
        export: true,
        exportNames: { planId: 'plan', activityIds: 'activity', linkedProjectIds: 'project' },
      },
    },
    (request, reply) =>
      listPage(request, reply, {
        sorts: q.projectSortTable,
        key: idKey('projects'),
        fetch: (page) => q.listProjects(app.db, request.query, page),
        map: q.toProject,
      }),
  )

  app.get(
    '/:id',
    {
      schema: {
        operationId: 'getProject',
        tags,
        summary: 'Get a project proposal concept',
        description:
          'Sends `ETag` (the version); with `If-None-Match` holding it, 304 and no body. 404 when the id is unknown. Its expected results and tasks are the sub-collections `/results` and `/tasks`.',
        params: IdParams,
        response: { 200: ref(Project) },
      },
      config: { scope: 'read' },
    },
    async (request, reply) =>
      sendResource(
        request,
        reply,
        await q.getProject(app.db, request.params.id),
        () => notFound('project', request.params.id),
        q.toProject,
      ),
  )

  app.post(
    '/',
    {
      schema: {
        operationId: 'createProject',
        tags,
        summary: 'Create a project proposal concept',
        description: 'With the activities it covers (of the same plan) and its linked projects.',
        body: ref(ProjectCreate),
        response: { 201: ref(Project) },
      },
      config: { scope: 'plans:write' },
    },
    async (request, reply) => {
      const body = request.body
      const project = await createResource(
        request,
        'project',
        async (trx) => {
          await checkProject(request, trx, body)
          return q.toProject(await q.insertProject(trx, body, apiProvenance(request.principal?.keyId ?? null)))
        },
        Object.keys(body),
      )
      created(reply, `/v1/projects/${project.id}`, project.version)
      return project
    },
  )

  app.patch(
    '/:id',
    {
      schema: {
        operationId: 'updateProject',
        tags,
        summary: 'Update a project proposal concept',
        description:
          'JSON Merge Patch: send only the fields to change; null clears a field; `activityIds`, `linkedProjectIds`, `countries`, `notes` and `documents` are replaced as a whole. Send If-Match with the ETag you read.',
        params: IdParams,
        body: ref(ProjectPatch),
        response: { 200: ref(Project) },
      },
      config: { scope: 'plans:write' },
    },
    async (request, reply) => {
      const { id } = request.params
      const patch = request.body
      // Before and after are compared as API shapes, so the change log names API fields.
      const project = await updateResource(request, {
        resource: 'project',
        id,
        lock: async (trx) => mapped(await q.lockProject(trx, id)),
        update: async (trx, before) => {
          await checkProject(request, trx, patch, before)
          const changed = relationsDiffer(before, patch)
          if (changed) await q.replaceProjectRelations(trx, id, patch)
          return q.toProject(await q.updateProject(trx, id, patch, changed))
        },
      })
      reply.header('etag', etagOf(project.version))
      return project
    },
  )

  app.delete(
    '/:id',
    {
      schema: {
        operationId: 'deleteProject',
        tags,
        summary: 'Delete a project proposal concept',
        description:
          'Its covered activities and links go with it. Fails with 409 while it has expected results or tasks, or another project or a meeting refers to it.',
        params: IdParams,
        response: { 204: Type.Null({ description: 'Deleted.' }) },
      },
      config: { scope: 'plans:write' },
    },
    async (request, reply) => {
      const { id } = request.params
      await deleteResource(request, {
        resource: 'project',
        id,
        lock: (trx) => q.lockProject(trx, id),
        remove: async (trx, before) => {
          await assertPlanRowWritable(request, trx, { before })
          return q.deleteProject(trx, id)
        },
      })
      return reply.code(204).send(null)
    },
  )
}

const mapped = (row: q.ProjectRow | undefined) => row && q.toProject(row)

export default routes
