import Fastify, { LogController, type FastifyBaseLogger, type FastifyServerOptions } from 'fastify'
import helmet from '@fastify/helmet'
import cors from '@fastify/cors'
import { randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { Config } from './config.ts'
import type { DatabaseHandle } from './db/database.ts'
import { sharedSchemas } from './schemas/common.ts'
import { provenanceSchemas } from './schemas/provenance.ts'
import validation from './plugins/validation.ts'
import problems from './plugins/problems.ts'
import httpErrors, { clientErrorHandler, frameworkErrors } from './plugins/http-errors.ts'
import db from './plugins/db.ts'
import auth from './plugins/auth.ts'
import { findApiKeyByPrefix, touchApiKey } from './modules/api-keys/api-keys.queries.ts'
import limits from './plugins/limits.ts'
import idempotency from './plugins/idempotency.ts'
import readCache from './plugins/read-cache.ts'
import openapi from './plugins/openapi.ts'
import deprecation from './plugins/deprecation.ts'
import docs from './plugins/docs.ts'
import exportRoutes from './plugins/export-routes.ts'
import integration from './jobs/integration.ts'
import { Paginator } from './http/pagination.ts'
import { serializerFactory } from './plugins/serialization.ts'
import health from './modules/health/index.ts'
import { modules } from './modules/index.ts'
import problemPages from './modules/problems/index.ts'
import home from './modules/home/index.ts'

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }

export interface AppOptions {
  config: Config
  database: DatabaseHandle
  /** Close the database when the app closes (the server does; tests close their own). */
  ownsDatabase?: boolean
  /** A pino instance (the server's) or logger options; tests pass false. */
  logger?: FastifyBaseLogger | FastifyServerOptions['logger']
}

const requestIdPattern = /^[\w.:-]{1,128}$/

export async function buildApp({ config, database, ownsDatabase = false, logger }: AppOptions) {
  const app = Fastify({
    ...(isLogger(logger)
      ? { loggerInstance: logger }
      : { logger: logger ?? { level: config.LOG_LEVEL, redact: ['req.headers.authorization'] } }),
    // The caller's x-request-id is kept when it is sane, so a request can be traced across systems.
    genReqId: (req) => {
      const given = req.headers['x-request-id']
      return typeof given === 'string' && requestIdPattern.test(given) ? given : randomUUID()
    },
    bodyLimit: config.BODY_LIMIT,
    // One line per request drowns a terminal; failures are logged by the error handler anyway.
    logController: new LogController({ disableRequestLogging: !['debug', 'trace'].includes(config.LOG_LEVEL) }),
    trustProxy: config.TRUST_PROXY,
    // Draining and router-level errors are answered as problems (plugins/http-errors.ts).
    return503OnClosing: false,
    frameworkErrors,
    clientErrorHandler,
    // Long enough that an overlong id reaches validation (a 400 naming /params/id); past it a
    // 414, still well within the 16 KiB of headers Node takes (431 beyond).
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 8000 },
    schemaController: { compilersFactory: { buildSerializer: serializerFactory() } },
  }).withTypeProvider<TypeBoxTypeProvider>()

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id)
  })
  app.decorate('paginator', new Paginator(config.CURSOR_SECRET))
  // Bodies are JSON; text/plain would otherwise be accepted and fail validation obscurely (415 is right).
  app.removeContentTypeParser('text/plain')
  // JSON Merge Patch (RFC 7396) bodies are JSON.
  app.addContentTypeParser(
    'application/merge-patch+json',
    { parseAs: 'string' },
    app.getDefaultJsonParser('error', 'error'),
  )

  // Named schemas live at the root so validation, serialization and the OpenAPI document all
  // resolve the same $ref.
  for (const schema of [...sharedSchemas, ...provenanceSchemas, ...modules.flatMap((m) => m.schemas)])
    app.addSchema(schema)
  await app.register(validation)
  await app.register(problems)
  await app.register(httpErrors, { retryAfterSeconds: 2 })
  await app.register(db, { handle: database, closeOnShutdown: ownsDatabase })
  await app.register(helmet, { contentSecurityPolicy: false })
  await app.register(cors, {
    origin: config.CORS_ORIGIN === '*' ? '*' : config.CORS_ORIGIN.split(','),
    // Browsers preflight every method but GET, HEAD and POST; without these they cannot edit.
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: [
      'authorization',
      'content-type',
      'idempotency-key',
      'if-match',
      'if-none-match',
      'x-request-id',
      'accept',
    ],
    exposedHeaders: [
      'etag',
      'link',
      'location',
      'x-request-id',
      'retry-after',
      'ratelimit-limit',
      'ratelimit-remaining',
      'ratelimit-reset',
      'idempotent-replayed',
    ],
  })
  await app.register(limits, {
    rateLimitMax: config.RATE_LIMIT_MAX,
    rateLimitWindowMs: config.RATE_LIMIT_WINDOW_MS,
    // Embedded storage (PGlite) runs every query on this event loop: its delay measures the
    // database's own work, not queued load, so one slow (cold) query would shed the next second
    // of requests, keys and all, with 503. Shedding by loop delay is for a Postgres server only.
    maxEventLoopDelayMs: database.kind === 'pglite' ? 0 : config.MAX_EVENT_LOOP_DELAY_MS,
    warmUpMs: config.LOAD_SHED_WARMUP_MS,
  })
  await app.register(auth, {
    findKey: (prefix) => findApiKeyByPrefix(database.db, prefix),
    touchKey: (keyId) => touchApiKey(database.db, keyId),
    cacheTtlMs: config.AUTH_CACHE_TTL_MS,
    anonymousRead: config.ANONYMOUS_READ,
    failuresMax: config.AUTH_FAILURES_MAX,
    failureWindowMs: config.RATE_LIMIT_WINDOW_MS,
  })
  await app.register(readCache, { maxEntries: config.READ_CACHE_ENTRIES, listen: database.listen })
  await app.register(idempotency)
  await app.register(deprecation)
  await app.register(openapi, { version: pkg.version, tags: modules.flatMap((m) => (m.tag ? [m.tag] : [])) })
  await app.register(docs)
  await app.register(exportRoutes, { perKey: config.EXPORTS_PER_KEY })
  // The change feed's retention and the webhook queue (pg-boss: started on ready if a subscription is active).
  await app.register(integration, {
    handle: database,
    url: config.DATABASE_URL ?? (database as { url?: string }).url,
    settings: {
      enabled: config.WEBHOOKS_ENABLED,
      allowPrivate: config.WEBHOOKS_ALLOW_PRIVATE,
      pollMs: config.WEBHOOKS_POLL_MS,
      retryLimit: config.WEBHOOKS_RETRY_LIMIT,
      retryDelaySeconds: config.WEBHOOKS_RETRY_DELAY_S,
      timeoutMs: config.WEBHOOKS_TIMEOUT_MS,
      retentionDays: config.CHANGES_RETENTION_DAYS,
    },
  })

  await app.register(health)
  await app.register(problemPages)
  await app.register(home, {
    version: pkg.version,
    collections: modules.map((m) => m.prefix).filter((p) => p !== '/v1'),
  })
  // Modules get the config with their prefix (training reads SUMMARY_MIN_CELL).
  for (const module of modules) await app.register(module.register, { prefix: module.prefix, config })

  return app
}

function isLogger(value: unknown): value is FastifyBaseLogger {
  return typeof value === 'object' && value !== null && typeof (value as FastifyBaseLogger).child === 'function'
}

export type App = Awaited<ReturnType<typeof buildApp>>
