import closeWithGrace from 'close-with-grace'
import pino from 'pino'
import { loadConfig, type Config } from './config.ts'
import { buildApp } from './app.ts'
import { prepareDatabase } from './bootstrap.ts'

// Process entry: read config, open and migrate the database, listen, and on SIGTERM/SIGINT stop
// accepting, finish in-flight requests, close the pool and exit 0.
let config: Config
try {
  config = loadConfig()
} catch (err) {
  console.error(`Invalid configuration: ${(err as Error).message}`)
  process.exit(1)
}

const pretty = process.stdout.isTTY && config.NODE_ENV !== 'production'
const logger = pino({
  level: config.LOG_LEVEL,
  redact: ['req.headers.authorization'],
  ...(pretty ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' } } } : {}),
})

const database = await prepareDatabase(config, logger)
const app = await buildApp({ config, database, ownsDatabase: true, logger })

closeWithGrace({ delay: config.SHUTDOWN_GRACE_MS, logger }, async ({ signal, err }) => {
  if (err) app.log.error({ err }, 'closing after an error')
  else app.log.info({ signal }, 'shutting down: draining in-flight requests')
  await app.close()
})

await app.listen({ host: config.HOST, port: config.PORT })
