import { Type } from 'typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { IdParams, ref } from '../../schemas/common.ts'
import { idKey, listPage } from '../../http/pagination.ts'
import { created, sendResource } from '../../http/conditional.ts'
import { createResource, write } from '../../http/writes.ts'
import { notFound } from '../../http/problems.ts'
import { assertReferences, each } from '../../db/references.queries.ts'
import {
  ApiKey,
  ApiKeyCreate,
  ApiKeyList,
  ApiKeyListQuery,
  ApiKeyRotate,
  ApiKeyWithSecret,
} from './api-keys.schemas.ts'
import { assertKeyCountries, assertNoEscalation, toApiKey } from './api-keys.service.ts'
import * as q from './api-keys.queries.ts'
import type { Scope } from '../../http/access.ts'

const tags = ['API keys']
const config = { scope: 'admin' as const }
// A list sends Link (x-list declares it) and answers JSON only (406 otherwise); it has no export.
const listConfig = {
  ...config,
  documentResponses: { 406: { description: 'The Accept header rules out JSON.', schema: { $ref: 'Problem' } } },
}

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api-keys',
    {
      schema: {
        operationId: 'listApiKeys',
        tags,
        summary: 'List API keys',
        description:
          'Prefix, name, scopes, countries, creation, last use, expiry and rotation of each key; never a secret or its hash.',
        querystring: ApiKeyListQuery,
        response: { 200: ref(ApiKeyList) },
        'x-list': true,
      },
      config: listConfig,
    },
    (request, reply) =>
      listPage(request, reply, {
        sorts: q.apiKeySortTable,
        key: idKey('api_keys'),
        fetch: (page) => q.listApiKeys(app.db, page),
        map: toApiKey,
      }),
  )

  app.post(
    '/api-keys',
    {
      schema: {
        operationId: 'createApiKey',
        tags,
        summary: 'Create an API key',
        description:
          'The response holds the secret (`secret`), this once: it is stored hashed. A key cannot be given scopes or countries beyond those of the key that creates it (403).',
        body: ref(ApiKeyCreate),
        response: { 201: ref(ApiKeyWithSecret) },
      },
      config,
    },
    async (request, reply) => {
      const body = request.body
      const countries = body.countries ?? null
      assertNoEscalation(request, { scopes: body.scopes, countries })
      const key = await createResource(
        request,
        'api-key',
        async (trx) => {
          await assertReferences(trx, [
            ...(body.organizationId
              ? [{ kind: 'organizations' as const, id: body.organizationId, pointer: '/body/organizationId' }]
              : []),
            ...each('countries', countries, '/body/countries'),
          ])
          return q.insertApiKey(trx, {
            name: body.name,
            scopes: body.scopes as Scope[],
            countries,
            organizationId: body.organizationId ?? null,
            expiresAt: body.expiresAt ?? null,
            createdByKeyId: request.principal?.keyId ?? null,
          })
        },
        Object.keys(body),
      )
      created(reply, `/v1/api-keys/${key.id}`, key.version)
      const { token, ...row } = key
      return { ...toApiKey(row), secret: token }
    },
  )

  app.get(
    '/api-keys/:id',
    {
      schema: {
        operationId: 'getApiKey',
        tags,
        summary: 'Get an API key',
        params: IdParams,
        response: { 200: ref(ApiKey) },
      },
      config,
    },
    async (request, reply) =>
      sendResource(
        request,
        reply,
        await q.getApiKey(app.db, request.params.id),
        () => notFound('API key', request.params.id),
        toApiKey,
      ),
  )

  app.post(
    '/api-keys/:id/rotate',
    {
      schema: {
        operationId: 'rotateApiKey',
        tags,
        summary: 'Rotate an API key’s secret',
        description:
          'A new secret under the same prefix, shown this once. The current secret keeps working for `overlapSeconds` (default a day) so clients can switch without downtime; then only the new one does.',
        params: IdParams,
        body: ref(ApiKeyRotate),
        response: { 200: ref(ApiKeyWithSecret) },
      },
      config,
    },
    async (request) => {
      const { id } = request.params
      const overlap = request.body.overlapSeconds ?? 86400
      const key = await write(request, async (w) => {
        const before = await q.lockApiKey(w.trx, id)
        if (!before || before.revokedAt) throw notFound('API key', id)
        assertKeyCountries(request, before, '/params/id')
        const after = await q.rotateApiKey(w.trx, id, overlap)
        await w.record({
          resource: 'api-key',
          resourceId: id,
          operation: 'update',
          version: after.version,
          fields: ['rotatedAt', 'previousSecretExpiresAt'],
        })
        return after
      })
      app.forgetApiKey(key.prefix)
      const { token, ...row } = key
      return { ...toApiKey(row), secret: token }
    },
  )

  app.delete(
    '/api-keys/:id',
    {
      schema: {
        operationId: 'revokeApiKey',
        tags,
        summary: 'Revoke an API key',
        description:
          'The key stops working at once on this node and within the auth cache’s time (`AUTH_CACHE_TTL_MS`, 10 s) on every other. It stays listed, with `revokedAt`.',
        params: IdParams,
        response: { 204: Type.Null({ description: 'Revoked.' }) },
      },
      config,
    },
    async (request, reply) => {
      const { id } = request.params
      const prefix = await write(request, async (w) => {
        const before = await q.lockApiKey(w.trx, id)
        if (!before || before.revokedAt) throw notFound('API key', id)
        assertKeyCountries(request, before, '/params/id')
        const row = await q.revokeApiKey(w.trx, id)
        if (!row) throw notFound('API key', id)
        await w.record({
          resource: 'api-key',
          resourceId: id,
          operation: 'update',
          version: row.version,
          fields: ['revokedAt'],
        })
        return row.prefix
      })
      app.forgetApiKey(prefix)
      return reply.code(204).send(null)
    },
  )
}

export default routes
