import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'
import { promisify } from 'node:util'

// The real service process (node --import tsx src/server.ts), as test/server.test.ts starts it.

const root = new URL('../..', import.meta.url).pathname
const run = promisify(execFile)

export interface ServerProcess {
  child: ChildProcess
  port: number
  /** Set once the process has exited, however it ended. */
  exit: { code: number | null; signal: NodeJS.Signals | null; at: number } | undefined
  exited: Promise<void>
  /** The last lines the process wrote (stdout and stderr), for a report. */
  tail(n?: number): string[]
}

/** Only what the service needs, so the caller's environment (its DATABASE_URL) never leaks in. */
export function serviceEnv(databaseUrl: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    SEED_ON_START: 'always',
    MAX_EVENT_LOOP_DELAY_MS: '0', // no load shedding: a 503 must come from the database
    RATE_LIMIT_MAX: '1000000',
    EXPORTS_PER_KEY: '1000', // the load runs many exports with one key; the bound has its own test
    DB_CONNECT_TIMEOUT_MS: '2000',
    LOG_LEVEL: 'warn',
  }
}

export async function createKey(env: NodeJS.ProcessEnv): Promise<string> {
  const { stdout } = await run(
    process.execPath,
    ['--import', 'tsx', 'src/cli/create-api-key.ts', '--name', 'faults', '--scopes', 'admin'],
    { cwd: root, env },
  )
  const token = /apk_[0-9a-f]{12}_\S+/.exec(stdout)?.[0]
  if (!token) throw new Error(`no key printed: ${stdout}`)
  return token
}

/** A port free right now. At LOG_LEVEL=warn the service does not print the one it got for PORT=0. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number }
      probe.close(() => resolve(port))
    })
  })
}

export async function startServer(env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<ServerProcess> {
  const port = await freePort()
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: root,
    env: { ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const lines: string[] = []
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString().split('\n').filter(Boolean))
    if (lines.length > 200) lines.splice(0, lines.length - 200)
  }
  child.stdout!.on('data', keep)
  child.stderr!.on('data', keep)
  const server: ServerProcess = {
    child,
    port,
    exit: undefined,
    exited: new Promise((resolve) =>
      child.on('exit', (code, signal) => {
        server.exit = { code, signal, at: Date.now() }
        resolve()
      }),
    ),
    tail: (n = 15) => lines.slice(-n).map(readable),
  }

  // Ready when it answers; migrating and seeding a new database takes a few seconds.
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (server.exit)
      throw new Error(`server exited with code ${server.exit.code} while starting:\n${server.tail().join('\n')}`)
    const live = await fetch(`http://127.0.0.1:${port}/health/live`, { signal: AbortSignal.timeout(1000) }).catch(
      () => undefined,
    )
    if (live?.ok) return server
    await new Promise((r) => setTimeout(r, 200))
  }
  child.kill('SIGKILL')
  throw new Error(`server did not answer within ${timeoutMs} ms:\n${server.tail().join('\n')}`)
}

/** A pino JSON line as "error: msg (code: message)", cut short: the stack says nothing here. */
function readable(line: string): string {
  let text = line
  try {
    const entry = JSON.parse(line) as { level?: number; msg?: string; err?: { code?: string; message?: string } }
    const level =
      ({ 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' } as Record<number, string>)[entry.level ?? 0] ??
      `level ${entry.level}`
    text = `${level}: ${entry.msg ?? ''}${entry.err ? ` (${[entry.err.code, entry.err.message].filter(Boolean).join(': ')})` : ''}`
  } catch {
    // not JSON: printed as written (a warning, a stack trace)
  }
  return text.length > 300 ? `${text.slice(0, 300)}…` : text
}

/** SIGTERM, then wait for the exit; SIGKILL if it does not come (the caller sees the signal). */
export async function stopServer(server: ServerProcess, graceMs = 15_000) {
  if (server.exit) return server.exit
  server.child.kill('SIGTERM')
  const timer = setTimeout(() => server.child.kill('SIGKILL'), graceMs)
  await server.exited
  clearTimeout(timer)
  return server.exit!
}
