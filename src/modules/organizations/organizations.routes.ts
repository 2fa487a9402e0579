import { Type } from 'typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { IdParams, ref } from '../../schemas/common.ts'
import { idKey, listPage } from '../../http/pagination.ts'
import { created, etagOf, sendResource } from '../../http/conditional.ts'
import { createResource, deleteResource, updateResource } from '../../http/writes.ts'
import { assertCountries } from '../../http/access.ts'
import { notFound, ruleViolation } from '../../http/problems.ts'
import type { Database } from '../../db/database.ts'
import {
  Organization,
  OrganizationCreate,
  OrganizationList,
  OrganizationPatch,
  OrganizationQuery,
} from './organizations.schemas.ts'
import * as q from './organizations.queries.ts'
import { apiProvenance } from '../../schemas/provenance.ts'

const tags = ['Organizations']

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/',
    {
      schema: {
        operationId: 'listOrganizations',
        tags,
        summary: 'List organizations',
        description:
          'Filter by kind, country, parent or text; cursor-paginated. Partners syncing use `updatedSince` with `sort=updatedAt`.',
        querystring: OrganizationQuery,
        response: { 200: ref(OrganizationList) },
      },
      config: { scope: 'read', export: true, exportNames: { parentId: 'organization' } },
    },
    (request, reply) =>
      listPage(request, reply, {
        sorts: q.organizationSortTable,
        key: idKey('organizations'),
        fetch: (page) => q.listOrganizations(app.db, request.query, page),
        map: q.toOrganization,
      }),
  )

  app.get(
    '/:id',
    {
      schema: {
        operationId: 'getOrganization',
        tags,
        summary: 'Get an organization',
        description:
          'Sends `ETag` (the version); with `If-None-Match` holding it, 304 and no body. 404 when the id is unknown.',
        params: IdParams,
        response: { 200: ref(Organization) },
      },
      config: { scope: 'read' },
    },
    async (request, reply) =>
      sendResource(
        request,
        reply,
        await q.getOrganization(app.db, request.params.id),
        () => notFound('organization', request.params.id),
        q.toOrganization,
      ),
  )

  app.post(
    '/',
    {
      schema: {
        operationId: 'createOrganization',
        tags,
        summary: 'Create an organization',
        description:
          '`name` and `kind` are required; `country` (ISO code) is optional — an organization with none (a UN agency, an NGO working regionally) can be written only by keys not limited to countries. `parentId` places it under another (SOMTC under ASEAN). Answers 201 with `Location` and `ETag`; safe to retry with `Idempotency-Key`.',
        body: ref(OrganizationCreate),
        response: { 201: ref(Organization) },
      },
      config: { scope: 'plans:write' },
    },
    async (request, reply) => {
      const body = request.body
      assertCountries(request, [body.country], '/body/country')
      const row = await createResource(
        request,
        'organization',
        (trx) => q.insertOrganization(trx, body, apiProvenance(request.principal?.keyId ?? null)),
        Object.keys(body),
      )
      created(reply, `/v1/organizations/${row.id}`, row.version)
      return q.toOrganization(row)
    },
  )

  app.patch(
    '/:id',
    {
      schema: {
        operationId: 'updateOrganization',
        tags,
        summary: 'Update an organization',
        description:
          'JSON Merge Patch: send only the fields to change; null clears a field. Send If-Match with the ETag you read to avoid overwriting someone else’s change.',
        params: IdParams,
        body: ref(OrganizationPatch),
        response: { 200: ref(Organization) },
      },
      config: { scope: 'plans:write' },
    },
    async (request, reply) => {
      const { id } = request.params
      const patch = request.body
      const row = await updateResource(request, {
        resource: 'organization',
        id,
        lock: (trx) => q.lockOrganization(trx, id),
        update: async (trx, before) => {
          assertCountries(request, [before.countryCode], '/params/id')
          assertCountries(request, [patch.country === undefined ? before.countryCode : patch.country], '/body/country')
          if (patch.parentId) await assertNoCycle(trx, id, patch.parentId)
          return q.updateOrganization(trx, id, patch)
        },
      })
      reply.header('etag', etagOf(row.version))
      return q.toOrganization(row)
    },
  )

  app.delete(
    '/:id',
    {
      schema: {
        operationId: 'deleteOrganization',
        tags,
        summary: 'Delete an organization',
        description:
          'Fails with 409 while anything (a child organization, an activity, an API key …) still refers to it.',
        params: IdParams,
        response: { 204: Type.Null({ description: 'Deleted.' }) },
      },
      config: { scope: 'plans:write' },
    },
    async (request, reply) => {
      const { id } = request.params
      await deleteResource(request, {
        resource: 'organization',
        id,
        lock: (trx) => q.lockOrganization(trx, id),
        remove: (trx, before) => {
          assertCountries(request, [before.countryCode], '/params/id')
          return q.deleteOrganization(trx, id)
        },
      })
      return reply.code(204).send(null)
    },
  )
}

async function assertNoCycle(db: Database, id: string, parentId: string) {
  if (await q.isSelfOrDescendant(db, id, parentId))
    throw ruleViolation('/body/parentId', 'would make the organization its own ancestor')
}

export default routes
