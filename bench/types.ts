import type { Database } from '../src/db/database.ts'

// A file in bench/scenarios/ contributes to `npm run bench` by exporting a BenchModule as its
// default export (named exports of that shape are accepted too). See bench/README.md.

/** One measured request, with the SQL it runs (for the pgbench floor beside it). */
export interface Scenario {
  name: string
  method?: 'GET' | 'POST' | 'PATCH'
  /** Path and query, e.g. /v1/organizations?limit=50 */
  path: string
  /** For POST/PATCH: a JSON body; a function is called per request (e.g. unique refs). */
  body?: unknown | (() => unknown)
  /**
   * The SQL the API runs for this request, with literal values, as pgbench should run it.
   * Several statements are separated by ';' — pgbench runs them as one of its "transactions"
   * (each statement commits on its own unless the script says begin; … commit; — write that
   * when the API runs them in a transaction). pgbench meta-commands and variables may be used
   * (`\set n random(1, 1000000000)` … `:n`), e.g. for unique keys. bench/sql.ts turns a query
   * function into this.
   */
  sql: string
  /** Measure milliseconds per request with this many sequential requests instead of throughput. */
  sequential?: number
  /** Extra request headers (e.g. Idempotency-Key); a function is called per request. */
  headers?: Record<string, string> | (() => Record<string, string>)
  /**
   * Rotate among these requests instead of `path`/`sql` alone (e.g. many ids): the API gets them
   * in turn, pgbench runs each SQL as a script of equal weight. At most 100 are used.
   */
  variants?: { path: string; sql: string }[]
  /** What the scenario should reach (DESIGN.md §6); checked and printed after the table. */
  goal?: Goal
  /** Anything worth printing beside the result (how the data was obtained, a caveat). */
  note?: string
  /** Measured on a service started for this scenario alone (for goals on the process's memory). */
  freshService?: boolean
  /**
   * The same request on the generated peer (Platformatic DB, bench/peer.ts) and on the bare
   * Fastify + pg route (bench/static-server.ts), measured beside ours in interleaved rounds.
   */
  comparison?: Comparison
}

export interface Comparison {
  /** The peer's path for each of the scenario's requests (in the order of `variants`, or just `path`). */
  peer: string[]
  /** The bare Fastify + pg server's path for each request, if it serves this one. */
  bare?: string[]
  /** Ours ÷ the peer's req/s (median of the per-round ratios) must reach this. */
  minRatio: number
  /** Our p99 (median of the rounds) must not be higher than the peer's (default true). */
  p99AtMostPeer?: boolean
  /** Why the requests are equivalent, or how they are not (printed with the comparison). */
  note?: string
}

export interface Goal {
  /** The bar in words, e.g. "lists at least 2× the generated peer (1 400/s)". */
  text: string
  minReqPerSec?: number
  maxP50Ms?: number
  maxP99Ms?: number
  /** Peak RSS of the service while the scenario ran. */
  maxRssMb?: number
  /** p50 at most `ratio` × the p50 of another scenario of the same module (by name). */
  maxP50RatioTo?: { scenario: string; ratio: number }
}

/** A module's contribution to `npm run bench`: load its dataset, then name its scenarios. */
export interface BenchModule {
  name: string
  /** Modules (by name) whose load must run before this one's; organizations are always loaded first. */
  dependsOn?: string[]
  /** Inserts the module's bench data (fast bulk SQL, e.g. insert … select generate_series). */
  load(db: Database): Promise<void>
  /** The scenarios, built after loading (they may look up ids or cursors through the API). */
  scenarios(ctx: { db: Database; api: (path: string) => Promise<any> }): Promise<Scenario[]>
}
