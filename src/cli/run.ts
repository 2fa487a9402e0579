import pino from 'pino'
import { loadConfig } from '../config.ts'
import { openDatabase, type Database } from '../db/database.ts'

/** Runs a command-line task against the configured database, then closes it. */
export async function withDatabase(task: (db: Database, log: pino.Logger) => Promise<void>) {
  const config = loadConfig()
  const log = pino({ level: config.LOG_LEVEL })
  let handle: ReturnType<typeof openDatabase>
  try {
    handle = openDatabase({
      url: config.DATABASE_URL,
      dataDir: config.DATA_DIR,
      connectTimeoutMs: config.DB_CONNECT_TIMEOUT_MS,
      log,
      command: `npm run ${process.env.npm_lifecycle_event ?? 'a command'}`,
    })
  } catch (err) {
    // Most often: the server runs on the same embedded DATA_DIR. The message says what to do.
    console.error((err as Error).message)
    process.exitCode = 1
    return
  }
  try {
    await task(handle.db, log)
  } catch (err) {
    console.error((err as Error).message)
    process.exitCode = 1
  } finally {
    await handle.close()
  }
}

/** --name value pairs from argv. */
export function flags(argv = process.argv.slice(2)): Record<string, string> {
  const out: Record<string, string> = {}
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([\w-]+)(?:=(.*))?$/.exec(argv[i]!)
    if (!m) continue
    out[m[1]!] = m[2] ?? (argv[i + 1] && !argv[i + 1]!.startsWith('--') ? argv[++i]! : 'true')
  }
  return out
}
