import { envSchema } from 'env-schema'
import { Type, type Static } from 'typebox'

const DEFAULT_CURSOR_SECRET = 'development-cursor-secret-change-me'

// Every setting the service reads, with its default. Nothing else reads process.env.
const ConfigSchema = Type.Object({
  NODE_ENV: Type.Union([Type.Literal('development'), Type.Literal('production'), Type.Literal('test')], {
    default: 'development',
  }),
  HOST: Type.String({ default: '127.0.0.1' }),
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3000 }),
  LOG_LEVEL: Type.Enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { default: 'info' }),
  DATABASE_URL: Type.Optional(Type.String({ pattern: '^postgres(ql)?://' })),
  DATA_DIR: Type.String({ default: './.data' }),
  DB_POOL_MAX: Type.Integer({ minimum: 1, maximum: 200, default: 10 }),
  DB_CONNECT_TIMEOUT_MS: Type.Integer({ minimum: 100, default: 5000 }),
  DB_STATEMENT_TIMEOUT_MS: Type.Integer({ minimum: 0, default: 30000 }),
  MIGRATE_ON_START: Type.Boolean({ default: true }),
  // auto: seed embedded storage when it is empty; empty: seed any database when it is empty
  // (docker compose); always: every start (rows users changed are kept either way); never.
  SEED_ON_START: Type.Union(
    [Type.Literal('auto'), Type.Literal('empty'), Type.Literal('always'), Type.Literal('never')],
    { default: 'auto' },
  ),
  ANONYMOUS_READ: Type.Boolean({ default: true }),
  CURSOR_SECRET: Type.String({ minLength: 16, default: DEFAULT_CURSOR_SECRET }),
  BODY_LIMIT: Type.Integer({ minimum: 1024, default: 1048576 }),
  RATE_LIMIT_MAX: Type.Integer({ minimum: 1, default: 6000 }),
  RATE_LIMIT_WINDOW_MS: Type.Integer({ minimum: 1000, default: 60000 }),
  // Failed authentications allowed per client address and window before 429: key guessing
  // stays slow and costs no query.
  AUTH_FAILURES_MAX: Type.Integer({ minimum: 1, default: 30 }),
  // How long a node trusts a key it has verified: a revoked key stops working everywhere within it.
  AUTH_CACHE_TTL_MS: Type.Integer({ minimum: 0, maximum: 300000, default: 10000 }),
  // Exports (`…/export`) one API key (or, without one, one client address) may run at once on a node; 429 beyond.
  EXPORTS_PER_KEY: Type.Integer({ minimum: 1, maximum: 1000, default: 2 }),
  // Training summaries suppress counts from 1 to SUMMARY_MIN_CELL − 1 (and what would reveal them).
  SUMMARY_MIN_CELL: Type.Integer({ minimum: 1, maximum: 1000, default: 3 }),
  // Whole GET responses kept in memory, emptied by every committed write (0: no cache).
  READ_CACHE_ENTRIES: Type.Integer({ minimum: 0, default: 10000 }),
  // How long after start an event-loop delay is not taken for load (start-up compiles schemas).
  LOAD_SHED_WARMUP_MS: Type.Integer({ minimum: 0, default: 2500 }),
  MAX_EVENT_LOOP_DELAY_MS: Type.Integer({ minimum: 0, default: 1000 }),
  CORS_ORIGIN: Type.String({ default: '*' }),
  TRUST_PROXY: Type.Boolean({ default: false }),
  SHUTDOWN_GRACE_MS: Type.Integer({ minimum: 0, default: 10000 }),
  // Partner integration (docs/integration.md). The change feed serves changes this many days old
  // at most (a cursor before them is 410); the audit table is not pruned.
  CHANGES_RETENTION_DAYS: Type.Integer({ minimum: 1, maximum: 3650, default: 90 }),
  // Webhook delivery through pg-boss on Postgres (never on embedded storage: 501 there).
  WEBHOOKS_ENABLED: Type.Boolean({ default: true }),
  // Deliver to loopback, private and link-local addresses (tests, a closed network); off by default (SSRF).
  WEBHOOKS_ALLOW_PRIVATE: Type.Boolean({ default: false }),
  // How often the dispatcher reads the change log for new deliveries.
  WEBHOOKS_POLL_MS: Type.Integer({ minimum: 100, maximum: 60000, default: 1000 }),
  // Retries after the first attempt; the n-th waits between DELAY·2^n/2 and DELAY·2^n seconds.
  WEBHOOKS_RETRY_LIMIT: Type.Integer({ minimum: 0, maximum: 20, default: 10 }),
  WEBHOOKS_RETRY_DELAY_S: Type.Integer({ minimum: 1, maximum: 3600, default: 15 }),
  WEBHOOKS_TIMEOUT_MS: Type.Integer({ minimum: 100, maximum: 60000, default: 10000 }),
})

export type Config = Readonly<Static<typeof ConfigSchema>>

/** Reads and validates the environment once; a bad value throws naming the variable. */
export function loadConfig(
  env: Record<string, string | undefined> = process.env,
  overrides: Partial<Config> = {},
): Config {
  const data = { ...pick(env), ...overrides }
  const config = envSchema<Static<typeof ConfigSchema>>({ schema: ConfigSchema, data, env: false, dotenv: false })
  if (config.NODE_ENV === 'production') assertProductionSecret(config.CURSOR_SECRET)
  return Object.freeze(config)
}

// Only the variables the schema knows, so unrelated environment never leaks into config.
function pick(env: Record<string, string | undefined>) {
  const out: Record<string, string> = {}
  for (const key of Object.keys(ConfigSchema.properties)) {
    const value = env[key]
    if (value !== undefined && value !== '') out[key] = value
  }
  return out
}

/**
 * Cursors are signed with CURSOR_SECRET; anyone who knows it can forge one. In production it
 * must be set, and look random: 32 characters or more, not the default, not a repeated pattern.
 */
function assertProductionSecret(secret: string) {
  const distinct = new Set(secret).size
  if (
    secret === DEFAULT_CURSOR_SECRET ||
    secret.length < 32 ||
    distinct < 12 ||
    /change.?me|secret|password|example/i.test(secret)
  ) {
    throw new Error(
      'CURSOR_SECRET must be set in production to at least 32 random characters (e.g. `openssl rand -base64 32`); ' +
        'the default or a placeholder lets anyone forge cursors.',
    )
  }
}
