import autocannon from 'autocannon'
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { readdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { Scenario } from './types.ts'
import { databaseName, host, pgPort, pgUser } from './settings.ts'

// One measurement of each side: the API through autocannon (in this process; the service is a
// separate process), and the same SQL through pgbench. Latency percentiles are computed from
// every 2xx response time (autocannon's own histogram rounds to whole milliseconds).

export interface ApiResult {
  mode: 'throughput' | 'sequential'
  connections: number
  seconds: number
  /** 2xx responses. */
  requests: number
  reqPerSec: number
  meanMs: number
  p50Ms: number
  p90Ms: number
  p99Ms: number
  maxMs: number
  non2xx: number
  errors: number
  timeouts: number
  statusCodes: Record<string, number>
}

export interface PgbenchResult {
  clients: number
  tps: number
  transactions: number
  failed: number
  latencyAvgMs?: number
  p50Ms?: number
  p99Ms?: number
  command: string
}

const maxVariants = 100

/** pgbench from the PATH, else where Debian's postgresql-15 puts it. */
const pgbench = (process.env.PATH ?? '')
  .split(path.delimiter)
  .some((dir) => dir && existsSync(path.join(dir, 'pgbench')))
  ? 'pgbench'
  : '/usr/lib/postgresql/15/bin/pgbench'

/** The variants a scenario rotates through (at least one). */
export function variantsOf(s: Scenario): { path: string; sql: string }[] {
  return s.variants?.length ? s.variants.slice(0, maxVariants) : [{ path: s.path, sql: s.sql }]
}

/** Builds request i of a scenario: method, path, headers and a JSON body. */
export function requestOf(
  s: Scenario,
  i: number,
): { method: string; path: string; headers: Record<string, string>; body?: string } {
  const variants = variantsOf(s)
  const body = typeof s.body === 'function' ? (s.body as () => unknown)() : s.body
  const extra = typeof s.headers === 'function' ? s.headers() : (s.headers ?? {})
  return {
    method: s.method ?? 'GET',
    path: variants[i % variants.length]!.path,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...extra },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  }
}

/** One request before measuring: a scenario that does not answer 2xx is reported, not measured. */
export async function checkScenario(baseUrl: string, token: string, s: Scenario): Promise<void> {
  const req = requestOf(s, 0)
  const res = await fetch(baseUrl + req.path, {
    method: req.method,
    headers: { ...req.headers, authorization: `Bearer ${token}` },
    body: req.body,
    signal: AbortSignal.timeout(30_000),
  })
  const text = await res.text()
  if (res.status < 200 || res.status > 299)
    throw new Error(`${req.method} ${req.path} answered ${res.status}: ${text.slice(0, 300)}`)
}

export async function measureApi(
  baseUrl: string,
  token: string | undefined,
  s: Scenario,
  opts: { connections: number; duration: number; warmup: number },
): Promise<ApiResult> {
  const sequential = s.sequential !== undefined && s.sequential > 0
  const connections = sequential ? 1 : opts.connections
  const dynamic = variantsOf(s).length > 1 || typeof s.body === 'function' || typeof s.headers === 'function'
  let n = 0
  const setupRequest = (r: autocannon.RequestParams) => {
    const built = requestOf(s, n++)
    return { ...r, ...built, headers: { ...r.headers, ...built.headers } }
  }
  const request: autocannon.Request = dynamic ? { setupRequest } : requestOf(s, 0)
  const base: autocannon.Options = {
    url: baseUrl,
    connections,
    headers: token ? { authorization: `Bearer ${token}` } : {},
    requests: [request],
    timeout: 30,
  }
  const warm = sequential
    ? { amount: Math.min(10, Math.ceil(s.sequential! / 10)) }
    : opts.warmup > 0
      ? { duration: opts.warmup }
      : undefined
  if (warm) await bounded(autocannon({ ...base, ...warm }), 120_000)

  const times: number[] = []
  const instance = autocannon({ ...base, ...(sequential ? { amount: s.sequential } : { duration: opts.duration }) })
  instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
    if (status >= 200 && status < 300) times.push(ms)
  })
  const result = await bounded(instance, sequential ? 600_000 : (opts.duration + 60) * 1000)
  const sorted = Float64Array.from(times).sort()
  const seconds = result.duration
  const mean = sorted.length ? sorted.reduce((a, b) => a + b, 0) / sorted.length : NaN
  return {
    mode: sequential ? 'sequential' : 'throughput',
    connections,
    seconds,
    requests: sorted.length,
    reqPerSec: sequential ? round(1000 / mean) : round(sorted.length / seconds),
    meanMs: round(mean, 3),
    p50Ms: round(percentile(sorted, 50), 3),
    p90Ms: round(percentile(sorted, 90), 3),
    p99Ms: round(percentile(sorted, 99), 3),
    maxMs: round(sorted.at(-1) ?? NaN, 3),
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, v]) => [code, v.count])),
  }
}

/** Resolves with the run's result; stops it if it outlives `ms`. */
function bounded(instance: autocannon.Instance, ms: number): Promise<autocannon.Result> {
  const timer = setTimeout(() => instance.stop(), ms)
  return Promise.resolve(instance).finally(() => clearTimeout(timer))
}

export async function measurePgbench(
  scripts: string[],
  opts: { clients: number; duration?: number; transactions?: number; dir: string },
): Promise<PgbenchResult> {
  const files: string[] = []
  for (const [i, script] of scripts.entries()) {
    const file = path.join(opts.dir, `script-${i}.sql`)
    const text = script.trim()
    await writeFile(file, /(^|\n)\\[^\n]*$|;$/.test(text) ? `${text}\n` : `${text};\n`) // a last meta-command line takes no ';'
    files.push(file)
  }
  const prefix = path.join(opts.dir, 'txlog')
  const args = [
    '-n',
    '-h',
    host,
    '-p',
    String(pgPort),
    '-U',
    pgUser,
    '-c',
    String(opts.clients),
    '-j',
    String(Math.min(2, opts.clients)),
    ...(opts.duration
      ? ['-T', String(opts.duration), '--sampling-rate', '0.1']
      : ['-t', String(opts.transactions ?? 100)]),
    '-l',
    '--log-prefix',
    prefix,
    ...files.flatMap((f) => ['-f', `${f}@1`]),
    databaseName,
  ]
  const limitMs = opts.duration ? (opts.duration + 60) * 1000 : 600_000
  const { code, stdout, stderr } = await run(pgbench, args, limitMs, opts.dir)
  if (code !== 0) {
    // A script that fails aborts its clients at once, so the run ends early: say why, briefly.
    const lines = (stderr || stdout).trim().split('\n')
    const why = lines.find((l) => /\b(ERROR|error):/.test(l)) ?? lines.slice(-3).join(' ')
    throw new Error(`pgbench exited ${code}: ${why.replace(/^pgbench: (error: )?/, '').slice(0, 500)}`)
  }
  const num = (re: RegExp) => {
    const m = re.exec(stdout)
    return m ? Number(m[1]) : undefined
  }
  const latencies = await readTransactionLog(opts.dir, path.basename(prefix))
  return {
    clients: opts.clients,
    tps: round(num(/^tps = ([\d.]+) \(without initial connection time\)/m) ?? NaN),
    transactions: num(/^number of transactions actually processed: (\d+)/m) ?? 0,
    failed: num(/^number of failed transactions: (\d+)/m) ?? 0,
    latencyAvgMs: num(/^latency average = ([\d.]+) ms/m),
    p50Ms: latencies.length ? round(percentile(latencies, 50), 3) : undefined,
    p99Ms: latencies.length ? round(percentile(latencies, 99), 3) : undefined,
    command: commandLine(args, files, opts.dir),
  }
}

/** The pgbench command as run, paths relative to its directory and a long list of scripts shortened. */
function commandLine(args: string[], files: string[], dir: string): string {
  const shown = args.map((a) => (a.startsWith(dir) ? path.relative(dir, a) : a))
  const first = shown.indexOf('-f')
  if (files.length > 3)
    shown.splice(
      first,
      files.length * 2,
      '-f',
      `${path.basename(files[0]!)}@1`,
      '…',
      '-f',
      `${path.basename(files.at(-1)!)}@1`,
    )
  return `pgbench ${shown.join(' ')}${files.length > 3 ? ` (${files.length} scripts)` : ''}`
}

/** Per-transaction latencies (ms, sorted) from pgbench -l files: "client tx time_us script epoch us". */
async function readTransactionLog(dir: string, prefix: string): Promise<Float64Array> {
  const values: number[] = []
  for (const name of await readdir(dir)) {
    if (!name.startsWith(`${prefix}.`)) continue
    for (const line of (await readFile(path.join(dir, name), 'utf8')).split('\n')) {
      const us = Number(line.split(' ')[2])
      if (line && Number.isFinite(us)) values.push(us / 1000)
    }
  }
  return Float64Array.from(values).sort()
}

function run(
  command: string,
  args: string[],
  limitMs: number,
  cwd: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d))
    child.stderr.on('data', (d: Buffer) => (stderr += d))
    const timer = setTimeout(() => child.kill('SIGKILL'), limitMs)
    child.once('error', (err) => {
      clearTimeout(timer)
      reject(err)
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    })
  })
}

export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN
  const rank = Math.ceil((p / 100) * sorted.length) - 1
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))]!
}

export function round(n: number, digits = 1): number {
  const f = 10 ** digits
  return Math.round(n * f) / f
}
