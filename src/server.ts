import v8 from 'node:v8'
import closeWithGrace from 'close-with-grace'
import pino from 'pino'
import { loadConfig, type Config } from './config.ts'
import { buildApp } from './app.ts'
import { prepareDatabase, type Prepared } from './bootstrap.ts'
import { DataDirLocked } from './db/data-dir-lock.ts'
import { banner } from './banner.ts'

// Process entry: read config, open and migrate the database, listen, and on SIGTERM/SIGINT stop
// accepting, finish in-flight requests, close the pool and exit 0.

// Memory. When collections are cheap V8 lets the old generation grow to four times what is live
// before a full one. An export streams a million rows of short-lived objects, some of which are
// promoted while a result arrives from Postgres: the process peaked near 300 MB for a live heap of
// 45 MB. Growing by half instead, it peaks under 180 MB and runs no slower
// (bench/scenarios/exports.ts). A --heap-growing-percent given to node (NODE_OPTIONS) wins.
if (![...process.execArgv, process.env.NODE_OPTIONS ?? ''].some((a) => a.includes('--heap-growing-percent')))
  v8.setFlagsFromString('--heap-growing-percent=50')

// Milliseconds since the process started at each step of the start (logged once listening).
const startup: Record<string, number> = { imported: Math.round(performance.now()) }
let config: Config
try {
  config = loadConfig()
} catch (err) {
  console.error(`Invalid configuration: ${(err as Error).message}`)
  process.exit(1)
}

const production = config.NODE_ENV === 'production'
const pretty = process.stdout.isTTY && !production
const logger = pino({
  level: config.LOG_LEVEL,
  redact: ['req.headers.authorization'],
  ...(pretty
    ? {
        // One line per entry (errors keep their stack), so a terminal running the tour stays readable.
        transport: {
          target: 'pino-pretty',
          options: { translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname', singleLine: true },
        },
      }
    : {}),
})
// What a person starting the service wants to see; production logs stay JSON only.
const say = (line: string) => !production && process.stderr.write(`${line}\n`)

let prepared: Prepared
try {
  prepared = await prepareDatabase(config, logger, say)
} catch (err) {
  if (!(err instanceof DataDirLocked)) throw err
  console.error(err.message)
  process.exit(1)
}
const { handle: database, firstKey } = prepared
Object.assign(startup, prepared.steps, { database: Math.round(performance.now()) })
const app = await buildApp({ config, database, ownsDatabase: true, logger })
startup.built = Math.round(performance.now())

closeWithGrace({ delay: config.SHUTDOWN_GRACE_MS, logger }, async ({ signal, err }) => {
  if (err) app.log.error({ err }, 'closing after an error')
  else app.log.info({ signal }, 'shutting down: draining in-flight requests')
  await app.close()
})

const address = await app.listen({ host: config.HOST, port: config.PORT })
startup.listening = Math.round(performance.now())
app.log.info({ startup }, `started in ${(startup.listening / 1000).toFixed(2)} s`)
database.lock?.announce(address)
// The banner comes last, after the log lines the logger's worker thread is still writing.
if (!production) logger.flush(() => process.stdout.write(banner({ address, config, kind: database.kind, firstKey })))
