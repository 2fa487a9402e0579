// Everything `npm run bench` can be told, read once. Only the local Postgres and 127.0.0.1 are
// ever targeted: the host is not configurable on purpose.

function int(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return fallback
  const n = Number(raw)
  if (!Number.isInteger(n) || n < min || n > max)
    throw new Error(`${name} must be an integer between ${min} and ${max}, not "${raw}"`)
  return n
}

export const host = '127.0.0.1'
export const pgPort = 5432
export const pgUser = 'postgres'
export const databaseName = 'apa_bench'
export const adminUrl = `postgres://${pgUser}@${host}:${pgPort}/postgres`
export const benchDatabaseUrl = `postgres://${pgUser}@${host}:${pgPort}/${databaseName}`

export interface Settings {
  /** Seconds each throughput scenario runs (API, then pgbench). */
  duration: number
  connections: number
  /** Seconds of unmeasured load before each API measurement (JIT, pools, caches). */
  warmup: number
  organizations: number
  /** Seconds a module's load() may take before it is reported as failed. */
  loadTimeout: number
  /** Seconds to wait for another bench run on this machine to finish. */
  lockWait: number
  /** Drop apa_bench at the end (by default it is left for inspection). */
  drop: boolean
  /** Rounds of ours / the peer / the bare route for scenarios with a comparison (0: none). */
  rounds: number
  /** Run only scenarios whose "module: name" contains this text (case-insensitive). */
  only: string | undefined
}

export function readSettings(): Settings {
  return {
    duration: int('BENCH_DURATION', 10, 1, 600),
    connections: int('BENCH_CONNECTIONS', 10, 1, 1000),
    warmup: int('BENCH_WARMUP', 1, 0, 60),
    organizations: int('BENCH_ORGANIZATIONS', 100_000, 50_000, 10_000_000),
    loadTimeout: int('BENCH_LOAD_TIMEOUT', 300, 10, 3600),
    lockWait: int('BENCH_LOCK_WAIT', 900, 0, 7200),
    rounds: int('BENCH_ROUNDS', 5, 0, 50),
    drop: process.env.BENCH_DROP === '1',
    only: process.env.BENCH_ONLY || undefined,
  }
}
