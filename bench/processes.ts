import { spawn, type ChildProcess } from 'node:child_process'
import { createWriteStream, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { databaseName, host } from './settings.ts'

// Child processes of the bench: the service, the static ceiling server, the generated peer
// (bench/peer.ts), the embedded-storage start. Every one is spawned directly (no npm, no shell)
// so its pid is the process measured and the one stopped; every wait has a deadline.

export const root = fileURLToPath(new URL('../', import.meta.url))

// Settings the service reads (src/config.ts). The caller's values are dropped so that a
// DATABASE_URL or RATE_LIMIT_MAX in the shell cannot change what is measured.
const serviceVariables = [
  'NODE_ENV',
  'HOST',
  'PORT',
  'LOG_LEVEL',
  'DATABASE_URL',
  'DATA_DIR',
  'DB_POOL_MAX',
  'DB_CONNECT_TIMEOUT_MS',
  'DB_STATEMENT_TIMEOUT_MS',
  'MIGRATE_ON_START',
  'SEED_ON_START',
  'ANONYMOUS_READ',
  'CURSOR_SECRET',
  'BODY_LIMIT',
  'RATE_LIMIT_MAX',
  'RATE_LIMIT_WINDOW_MS',
  'MAX_EVENT_LOOP_DELAY_MS',
  'CORS_ORIGIN',
  'TRUST_PROXY',
  'SHUTDOWN_GRACE_MS',
]

export interface Child {
  name: string
  process: ChildProcess
  port: number
  logFile: string
  exited: Promise<number | null>
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, host, () => {
      const address = server.address()
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      )
    })
  })
}

/**
 * Starts the service as `npm start` and the image run it: compiled (dist/server.js, built first
 * when a source is newer), not through tsx, whose loader adds its own memory and start-up time.
 */
export async function spawnService(env: Record<string, string>, logDir: string, name = 'service'): Promise<Child> {
  const built = await import(new URL('../scripts/build.mjs', import.meta.url).href)
  await built.build({ withTemplate: false })
  return spawnProcess(name, ['dist/server.js'], env, logDir)
}

/** Starts `node --import tsx <script>` with the given settings; output goes to a log file. */
export async function spawnNode(
  name: string,
  script: string,
  env: Record<string, string>,
  logDir: string,
): Promise<Child> {
  return spawnProcess(name, ['--import', 'tsx', script], env, logDir)
}

/**
 * Starts `node <args>` (this Node, no shell) on a free port (or `opts.port`), passed as HOST and
 * PORT; the service's settings in the caller's environment are dropped, `env` added.
 */
export async function spawnProcess(
  name: string,
  args: string[],
  env: Record<string, string>,
  logDir: string,
  opts: { cwd?: string; port?: number } = {},
): Promise<Child> {
  const port = opts.port ?? (await freePort())
  const base = { ...process.env }
  for (const key of serviceVariables) delete base[key]
  const logFile = path.join(logDir, `${name}.log`)
  const log = createWriteStream(logFile)
  const child = spawn(process.execPath, args, {
    cwd: opts.cwd ?? root,
    env: { ...base, HOST: host, PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  child.stdout!.pipe(log)
  child.stderr!.pipe(log)
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  return { name, process: child, port, logFile, exited }
}

/** Polls until the URL answers 200; fails when the child exits or the deadline passes. */
export async function waitForOk(child: Child, urlPath: string, timeoutMs: number, intervalMs = 100): Promise<number> {
  const started = performance.now()
  const deadline = started + timeoutMs
  let exited = false
  void child.exited.then(() => (exited = true))
  while (performance.now() < deadline) {
    if (exited) throw new Error(`${child.name} exited before answering; log:\n${tail(child.logFile)}`)
    try {
      const res = await fetch(`http://${host}:${child.port}${urlPath}`, { signal: AbortSignal.timeout(2000) })
      await res.arrayBuffer()
      if (res.status === 200) return performance.now() - started
    } catch {
      // not listening yet
    }
    await sleep(intervalMs)
  }
  throw new Error(`${child.name} did not answer 200 on ${urlPath} within ${timeoutMs} ms; log:\n${tail(child.logFile)}`)
}

/** SIGTERM, then SIGKILL if it has not exited after `graceMs`. */
export async function stop(child: Child, graceMs = 15_000): Promise<number | null> {
  if (child.process.exitCode !== null || child.process.signalCode !== null) return child.process.exitCode
  child.process.kill('SIGTERM')
  if (await exitsWithin(child, graceMs)) return child.exited
  child.process.kill('SIGKILL')
  await exitsWithin(child, 5000)
  return null
}

/** Whether the child exits within `ms`; the timer is cleared either way, so it never holds the process open. */
async function exitsWithin(child: Child, ms: number): Promise<boolean> {
  const controller = new AbortController()
  const timeout = sleep(ms, false, { signal: controller.signal }).catch(() => false)
  const exited = await Promise.race([child.exited.then(() => true), timeout])
  controller.abort()
  return exited
}

export function tail(file: string, lines = 30): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n')
  } catch {
    return '(no log)'
  }
}

/** Resident memory of a process now and at its peak (Linux /proc), in MB. */
export function memoryOf(pid: number): { rssMb: number; peakRssMb: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN)
    return { rssMb: round(kb('VmRSS') / 1024), peakRssMb: round(kb('VmHWM') / 1024) }
  } catch {
    return undefined
  }
}

/** Resets the peak-RSS mark, so the next memoryOf() shows the peak since now. */
export function resetPeak(pid: number): void {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5')
  } catch {
    // not Linux, or not allowed: the peak then covers the process's whole life
  }
}

const round = (n: number) => Math.round(n * 10) / 10

// Other people's processes on the machine skew every figure. A sample of CPU seconds used by the
// whole machine and by the bench's own processes (these pids and the Postgres backends serving
// apa_bench) lets a measurement say how many cores something else took meanwhile.
const ticksPerSecond = 100 // USER_HZ, 100 on every Linux the bench runs on

export interface CpuSample {
  at: number
  /** Busy CPU seconds of the whole machine since boot. */
  machine: number
  /** CPU seconds of each of the bench's processes since it started. */
  own: Map<number, number>
}

export function cpuSample(ownPids: number[]): CpuSample | undefined {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number)
    const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields
    const own = new Map<number, number>()
    const pids = new Set(ownPids)
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue
      const pid = Number(entry)
      try {
        if (!pids.has(pid)) {
          const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8')
          if (!cmd.startsWith('postgres: ') || !cmd.includes(` ${databaseName} `)) continue
        }
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
        const after = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
        own.set(pid, (Number(after[11]) + Number(after[12])) / ticksPerSecond) // utime, stime
      } catch {
        // gone meanwhile
      }
    }
    return { at: performance.now(), machine: (user + nice + system + irq + softirq + steal) / ticksPerSecond, own }
  } catch {
    return undefined
  }
}

/** Cores used by processes other than the bench's between two samples. */
export function otherCores(before: CpuSample | undefined, after: CpuSample | undefined): number | undefined {
  if (!before || !after) return undefined
  const seconds = (after.at - before.at) / 1000
  // A process that ended meanwhile took its time with it (uncounted); one that started counts whole.
  let own = 0
  for (const [pid, cpu] of after.own) own += cpu - (before.own.get(pid) ?? 0)
  return Math.max(0, Math.round(((after.machine - before.machine - own) / seconds) * 100) / 100)
}

/** The goals of issue 10 for `npm start` on embedded storage, in seconds (on a quiet machine). */
export const startGoals = { firstStart: 5, restart: 2 } as const

export interface EmbeddedStart {
  /** Seconds from spawn until GET /v1/countries answered 200, on an empty DATA_DIR (create, migrate, seed, first key). */
  firstStart: number[]
  /** The same on the DATA_DIR the first start left behind. */
  restart: number[]
  /** CPU seconds the server process used until it answered (less sensitive to other load than wall time). */
  firstStartCpu: number[]
  restartCpu: number[]
  /** What `npm run build` did before the timing (untimed): compiled dist/ or found it current. */
  build: string
}

/** CPU seconds (user + system) a live process has used, from /proc (Linux). */
function cpuSecondsOf(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const after = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return Math.round(((Number(after[11]) + Number(after[12])) / ticksPerSecond) * 100) / 100
  } catch {
    return Number.NaN
  }
}

/**
 * What `npm start` does on embedded storage, timed from spawn until GET /v1/countries answers
 * 200: `node scripts/start.mjs` (the command npm runs, without npm's own half second) with no
 * DATABASE_URL. The build it would do first is done before, untimed (a fresh clone's first
 * `npm start` pays it once). Each run takes a new empty DATA_DIR (first start: create, migrate,
 * seed, first admin key), stops, and starts again on it (restart).
 */
export async function embeddedStart(logDir: string, runs = 1): Promise<EmbeddedStart> {
  const built = await import(new URL('../scripts/build.mjs', import.meta.url).href)
  const build = await built.build()
  const result: EmbeddedStart = {
    firstStart: [],
    restart: [],
    firstStartCpu: [],
    restartCpu: [],
    build: build.compiled ? `compiled dist/ in ${build.seconds} s` : 'dist/ was current',
  }
  for (let run = 0; run < runs; run++) {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'apa-bench-embedded-'))
    try {
      for (const phase of ['firstStart', 'restart'] as const) {
        const started = performance.now()
        const child = await spawnProcess(
          `embedded-${phase}-${run}`,
          ['scripts/start.mjs'],
          { DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
          logDir,
        )
        try {
          await waitForOk(child, '/v1/countries', 120_000, 25)
          result[phase].push(Math.round(performance.now() - started) / 1000)
          result[`${phase}Cpu`].push(cpuSecondsOf(child.process.pid))
        } finally {
          await stop(child)
        }
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true })
    }
  }
  return result
}

/** The middle value (the lower one of the middle two). */
export const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)]

export async function makeLogDir(): Promise<string> {
  return mkdtemp(path.join(tmpdir(), 'apa-bench-logs-'))
}

export const readText = (file: string) => readFile(file, 'utf8')
