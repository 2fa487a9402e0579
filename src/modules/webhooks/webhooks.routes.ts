import { Type } from 'typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { IdParams, ref } from '../../schemas/common.ts'
import { idKey, listPage } from '../../http/pagination.ts'
import { created, etagOf, sendResource } from '../../http/conditional.ts'
import { createResource, deleteResource, updateResource, write } from '../../http/writes.ts'
import { notFound } from '../../http/problems.ts'
import { apiProvenance } from '../../schemas/provenance.ts'
import { lastChangeId } from '../changes/changes.queries.ts'
import {
  DeliveryParams,
  WebhookDelivery,
  WebhookDeliveryList,
  WebhookListQuery,
  WebhookSubscription,
  WebhookSubscriptionCreate,
  WebhookSubscriptionCreated,
  WebhookSubscriptionList,
  WebhookSubscriptionPatch,
} from './webhooks.schemas.ts'
import {
  assertEventTypes,
  assertSubscriptionCountries,
  assertTarget,
  generateSecret,
  toDelivery,
  toSubscription,
  webhooksReady,
} from './webhooks.service.ts'
import * as q from './webhooks.queries.ts'

const tags = ['Webhooks']
const documentResponses = {
  501: {
    description:
      'Webhooks cannot run on this server: embedded storage (no DATABASE_URL) has no queue, or WEBHOOKS_ENABLED=false. The detail says which.',
    schema: { $ref: 'Problem' },
  },
}
const config = { scope: 'admin' as const, documentResponses }
// A list sends Link (x-list declares it) and answers JSON only (406 otherwise); it has no export.
const listConfig = {
  ...config,
  documentResponses: {
    ...documentResponses,
    406: { description: 'The Accept header rules out JSON.', schema: { $ref: 'Problem' } },
  },
}

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/webhook-subscriptions',
    {
      schema: {
        operationId: 'listWebhookSubscriptions',
        tags,
        summary: 'List webhook subscriptions',
        querystring: WebhookListQuery,
        response: { 200: ref(WebhookSubscriptionList) },
        'x-list': true,
      },
      config: listConfig,
    },
    async (request, reply) => {
      await webhooksReady(app)
      return listPage(request, reply, {
        sorts: q.subscriptionSortTable,
        key: idKey('webhook_subscriptions'),
        fetch: (page) => q.listSubscriptions(app.db, page),
        map: toSubscription,
      })
    },
  )

  app.post(
    '/webhook-subscriptions',
    {
      schema: {
        operationId: 'createWebhookSubscription',
        tags,
        summary: 'Subscribe to changes',
        description:
          'Every change of the given types recorded after this is POSTed to the URL as JSON (`{ deliveryId, subscriptionId, event, change }`, `change` as in the change feed), with `X-Delivery-Id` (the same on retries), `X-Event-Type` and `X-Signature-256: sha256=<hex HMAC-SHA256 of the raw body with the secret>`. ' +
          'A 2xx answer within the time limit is a success; anything else is retried with exponential backoff. ' +
          'The URL must be http(s) and resolve to a public address (422 naming `/body/url` otherwise). Without `secret`, one is generated and shown in this response only.',
        body: ref(WebhookSubscriptionCreate),
        response: { 201: ref(WebhookSubscriptionCreated) },
      },
      config,
    },
    async (request, reply) => {
      await webhooksReady(app)
      const body = request.body
      assertSubscriptionCountries(request, '/body')
      assertEventTypes(body.eventTypes, '/body/eventTypes')
      await assertTarget(app, body.url, '/body/url')
      const secret = body.secret ?? generateSecret()
      const row = await createResource(
        request,
        'webhook-subscription',
        async (trx) =>
          q.insertSubscription(
            trx,
            {
              url: body.url,
              secret,
              eventTypes: body.eventTypes,
              active: body.active ?? true,
              description: body.description ?? null,
              afterChangeId: await lastChangeId(trx),
            },
            JSON.stringify(apiProvenance(request.principal?.keyId ?? null)),
          ),
        Object.keys(body).filter((k) => k !== 'secret'),
      )
      created(reply, `/v1/webhook-subscriptions/${row.id}`, row.version)
      return { ...toSubscription(row), ...(body.secret ? {} : { secret }) }
    },
  )

  app.get(
    '/webhook-subscriptions/:id',
    {
      schema: {
        operationId: 'getWebhookSubscription',
        tags,
        summary: 'Get a webhook subscription',
        description: 'The secret is never sent back.',
        params: IdParams,
        response: { 200: ref(WebhookSubscription) },
      },
      config,
    },
    async (request, reply) => {
      await webhooksReady(app)
      return sendResource(
        request,
        reply,
        await q.getSubscription(app.db, request.params.id),
        () => notFound('webhook subscription', request.params.id),
        toSubscription,
      )
    },
  )

  app.patch(
    '/webhook-subscriptions/:id',
    {
      schema: {
        operationId: 'updateWebhookSubscription',
        tags,
        summary: 'Update a webhook subscription',
        description: 'JSON Merge Patch. A new `secret` signs every delivery attempted from now on, retries included.',
        params: IdParams,
        body: ref(WebhookSubscriptionPatch),
        response: { 200: ref(WebhookSubscription) },
      },
      config,
    },
    async (request, reply) => {
      await webhooksReady(app)
      const { id } = request.params
      const body = request.body
      assertSubscriptionCountries(request, '/params/id')
      if (body.eventTypes) assertEventTypes(body.eventTypes, '/body/eventTypes')
      if (body.url) await assertTarget(app, body.url, '/body/url')
      const row = await updateResource(request, {
        resource: 'webhook-subscription',
        id,
        lock: (trx) => q.lockSubscription(trx, id),
        update: (trx, before) =>
          q.updateSubscription(trx, id, {
            url: body.url ?? before.url,
            eventTypes: body.eventTypes ?? before.eventTypes,
            active: body.active ?? before.active,
            description: body.description !== undefined ? body.description : before.description,
            ...(body.secret ? { secret: body.secret } : {}),
          }),
      })
      if (body.active) await app.integration.webhooks.start()
      reply.header('etag', etagOf(row.version))
      return toSubscription(row)
    },
  )

  app.delete(
    '/webhook-subscriptions/:id',
    {
      schema: {
        operationId: 'deleteWebhookSubscription',
        tags,
        summary: 'Delete a webhook subscription',
        description: 'Its deliveries go with it; queued attempts are dropped.',
        params: IdParams,
        response: { 204: Type.Null({ description: 'Deleted.' }) },
      },
      config,
    },
    async (request, reply) => {
      await webhooksReady(app)
      const { id } = request.params
      assertSubscriptionCountries(request, '/params/id')
      await deleteResource(request, {
        resource: 'webhook-subscription',
        id,
        lock: (trx) => q.lockSubscription(trx, id),
        remove: (trx) => q.deleteSubscription(trx, id),
      })
      return reply.code(204).send(null)
    },
  )

  app.get(
    '/webhook-subscriptions/:id/deliveries',
    {
      schema: {
        operationId: 'listWebhookDeliveries',
        tags,
        summary: 'List a subscription’s deliveries',
        description:
          'Each change sent to the subscription: status, attempts, the last response code and error, and the next attempt.',
        params: IdParams,
        querystring: WebhookListQuery,
        response: { 200: ref(WebhookDeliveryList) },
        'x-list': true,
      },
      config: listConfig,
    },
    async (request, reply) => {
      await webhooksReady(app)
      const { id } = request.params
      if (!(await q.getSubscription(app.db, id))) throw notFound('webhook subscription', id)
      return listPage(request, reply, {
        sorts: q.deliverySortTable,
        key: idKey('webhook_deliveries'),
        fetch: (page) => q.listDeliveries(app.db, id, page),
        map: toDelivery,
      })
    },
  )

  app.post(
    '/webhook-subscriptions/:id/deliveries/:deliveryId/redeliver',
    {
      schema: {
        operationId: 'redeliverWebhookDelivery',
        tags,
        summary: 'Send a delivery again',
        description:
          'Queues the delivery again, with the same body and `X-Delivery-Id`, whatever its status (a receiver that lost it, or one that was down past the retries).',
        params: DeliveryParams,
        response: { 202: ref(WebhookDelivery) },
      },
      config,
    },
    async (request, reply) => {
      await webhooksReady(app)
      const { id, deliveryId } = request.params
      assertSubscriptionCountries(request, '/params/id')
      const found = await write(request, async ({ trx }) => {
        if (!(await q.getDelivery(trx, id, deliveryId))) return false
        await app.integration.webhooks.enqueue(trx, deliveryId)
        return true
      })
      if (!found) throw notFound('webhook delivery', deliveryId)
      const row = await q.getDelivery(app.db, id, deliveryId)
      if (!row) throw notFound('webhook delivery', deliveryId)
      return reply.code(202).send(toDelivery(row))
    },
  )
}

export default routes
