import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import type { DatabaseHandle } from '../db/database.ts'
import { Webhooks, type WebhookSettings } from './webhooks.ts'

// Partner integration's moving parts, as one plugin of the app's lifecycle: the change feed's
// retention, and the webhook queue (pg-boss), started when the app is ready if a subscription
// is active (otherwise on the first webhook request) and stopped when it closes.

declare module 'fastify' {
  interface FastifyInstance {
    integration: { retentionDays: number; webhooks: Webhooks }
  }
}

export interface IntegrationOptions {
  handle: DatabaseHandle & { url?: string }
  url: string | undefined
  settings: WebhookSettings
}

async function integration(app: FastifyInstance, opts: IntegrationOptions) {
  const webhooks = new Webhooks(opts.handle.db, opts.url, opts.handle.kind, opts.settings, app.log)
  app.decorate('integration', { retentionDays: opts.settings.retentionDays, webhooks })
  app.addHook('onReady', async () => webhooks.startIfSubscribed())
  app.addHook('onClose', async () => webhooks.stop())
}

export default fp(integration, { name: 'integration', dependencies: ['db'] })
