import { Type } from 'typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ref } from '../../schemas/common.ts'
import { idKey, listPage } from '../../http/pagination.ts'
import { created, etagOf, sendResource } from '../../http/conditional.ts'
import { createResource, deleteResource, updateResource } from '../../http/writes.ts'
import { notFound, ruleViolation } from '../../http/problems.ts'
import { invertedRange, type NumberRangeT } from '../../schemas/range.ts'
import { ProjectParams } from './projects.schemas.ts'
import {
  ProjectTask,
  ProjectTaskCreate,
  ProjectTaskList,
  ProjectTaskParams,
  ProjectTaskPatch,
  ProjectTaskQuery,
} from './project-tasks.schemas.ts'
import { getProjectSummary } from './projects.queries.ts'
import { assertProjectWritable } from './projects.service.ts'
import * as q from './project-tasks.queries.ts'
import { apiProvenance } from '../../schemas/provenance.ts'

const tags = ['Projects']

/** Registered under /v1/projects/:projectId/tasks. */
const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/',
    {
      schema: {
        operationId: 'listProjectTasks',
        tags,
        summary: 'List the tasks of a project',
        description: 'The work plan in order; filter by phase, status or responsible organization.',
        params: ProjectParams,
        querystring: ProjectTaskQuery,
        response: { 200: ref(ProjectTaskList) },
      },
      config: {
        scope: 'read',
        export: true,
        exportNames: { projectId: 'project', responsibleOrganizationId: 'organization' },
      },
    },
    (request, reply) => {
      const { projectId } = request.params
      return listPage(request, reply, {
        sorts: q.taskSortTable,
        key: idKey('project_tasks'),
        fetch: async (page) => {
          const rows = await q.listTasks(app.db, projectId, request.query, page)
          // An empty page may mean the project does not exist; only then is it worth a second statement.
          if (rows.length === 0 && !(await getProjectSummary(app.db, projectId))) throw notFound('project', projectId)
          return rows
        },
        map: q.toProjectTask,
      })
    },
  )

  app.get(
    '/:taskId',
    {
      schema: {
        operationId: 'getProjectTask',
        tags,
        summary: 'Get a task',
        description:
          'Sends `ETag` (the version); with `If-None-Match` holding it, 304 and no body. 404 when the id is unknown.',
        params: ProjectTaskParams,
        response: { 200: ref(ProjectTask) },
      },
      config: { scope: 'read' },
    },
    async (request, reply) => {
      const { projectId, taskId } = request.params
      return sendResource(
        request,
        reply,
        await q.getTask(app.db, projectId, taskId),
        () => notFound('task', taskId),
        q.toProjectTask,
      )
    },
  )

  app.post(
    '/',
    {
      schema: {
        operationId: 'createProjectTask',
        tags,
        summary: 'Add a task to a project',
        description: 'An unknown responsible organization is 422.',
        params: ProjectParams,
        body: ref(ProjectTaskCreate),
        response: { 201: ref(ProjectTask) },
      },
      config: { scope: 'plans:write' },
    },
    async (request, reply) => {
      const { projectId } = request.params
      assertRanges(request.body)
      const task = await createResource(
        request,
        'project-task',
        async (trx) => {
          await assertProjectWritable(request, trx, projectId)
          return q.toProjectTask(
            await q.insertTask(trx, projectId, request.body, apiProvenance(request.principal?.keyId ?? null)),
          )
        },
        Object.keys(request.body),
      )
      created(reply, `/v1/projects/${projectId}/tasks/${task.id}`, task.version)
      return task
    },
  )

  app.patch(
    '/:taskId',
    {
      schema: {
        operationId: 'updateProjectTask',
        tags,
        summary: 'Update a task',
        description: 'JSON Merge Patch. Send If-Match with the ETag you read.',
        params: ProjectTaskParams,
        body: ref(ProjectTaskPatch),
        response: { 200: ref(ProjectTask) },
      },
      config: { scope: 'plans:write' },
    },
    async (request, reply) => {
      const { projectId, taskId } = request.params
      assertRanges(request.body)
      const task = await updateResource(request, {
        resource: 'project-task',
        id: taskId,
        lock: async (trx) => mapped(await q.lockTask(trx, projectId, taskId)),
        update: async (trx) => {
          await assertProjectWritable(request, trx, projectId)
          return q.toProjectTask(await q.updateTask(trx, taskId, request.body))
        },
      })
      reply.header('etag', etagOf(task.version))
      return task
    },
  )

  app.delete(
    '/:taskId',
    {
      schema: {
        operationId: 'deleteProjectTask',
        tags,
        summary: 'Delete a task',
        description:
          '204 on success. Send `If-Match` with the ETag you read to delete only the version you saw (412 otherwise, nothing deleted).',
        params: ProjectTaskParams,
        response: { 204: Type.Null({ description: 'Deleted.' }) },
      },
      config: { scope: 'plans:write' },
    },
    async (request, reply) => {
      const { projectId, taskId } = request.params
      await deleteResource(request, {
        resource: 'project-task',
        id: taskId,
        lock: (trx) => q.lockTask(trx, projectId, taskId),
        remove: async (trx) => {
          await assertProjectWritable(request, trx, projectId)
          return q.deleteTask(trx, taskId)
        },
      })
      return reply.code(204).send(null)
    },
  )
}

const mapped = (row: q.ProjectTaskRow | undefined) => row && q.toProjectTask(row)

export default routes

/** 422 for a range whose max is below its min. */
function assertRanges(body: { durationDays?: NumberRangeT | null; participants?: NumberRangeT | null }) {
  const pointer = invertedRange({ durationDays: body.durationDays, participants: body.participants })
  if (pointer) throw ruleViolation(pointer, 'must not be less than min')
}
