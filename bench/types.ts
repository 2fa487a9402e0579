import type { Database } from '../src/db/database.ts'

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
   * Several statements are separated by ';' — pgbench runs them as one transaction.
   */
  sql: string
  /** Measure milliseconds per request with this many sequential requests instead of throughput. */
  sequential?: number
}

/** A module's contribution to `npm run bench`: load its dataset, then name its scenarios. */
export interface BenchModule {
  name: string
  /** Inserts the module's bench data (fast bulk SQL, e.g. insert … select generate_series). */
  load(db: Database): Promise<void>
  /** The scenarios, built after loading (they may look up ids or cursors through the API). */
  scenarios(ctx: { db: Database; api: (path: string) => Promise<any> }): Promise<Scenario[]>
}
