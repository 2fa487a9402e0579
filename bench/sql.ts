import {
  CamelCasePlugin,
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type LogEvent,
} from 'kysely'
import { openDatabase, type Database } from '../src/db/database.ts'
import type { DB } from '../src/db/types.ts'

// The pgbench floor is only meaningful if pgbench runs the statement the API runs. These helpers
// take it from the service's own query functions instead of retyping it: the function runs on a
// Kysely that compiles like the service's (src/db/database.ts: Postgres + CamelCasePlugin) but
// sends nothing, and the compiled statement gets its parameters inlined as literals.

export interface Statement {
  sql: string
  parameters: readonly unknown[]
}

/**
 * The statements `run` executes, compiled without a database. Every statement sees no rows, so a
 * function that throws on an empty result still yields what it ran before throwing.
 */
export async function captureSql(run: (db: Database) => Promise<unknown>): Promise<Statement[]> {
  const captured: Statement[] = []
  const db = new Kysely<DB>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (k) => new PostgresIntrospector(k),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
    plugins: [new CamelCasePlugin()],
    log: (event: LogEvent) => void captured.push({ sql: event.query.sql, parameters: event.query.parameters }),
  })
  try {
    await run(db)
  } catch (err) {
    if (captured.length === 0) throw err
  } finally {
    await db.destroy()
  }
  return captured
}

/**
 * Runs `run` for real on the bench database through the service's openDatabase, and checks that
 * it sends the same SQL text captureSql compiles (so a change to the service's Kysely setup
 * cannot silently make pgbench run something else). Returns the result and the inlined SQL.
 */
export async function traceQuery<T>(
  url: string,
  run: (db: Database) => Promise<T>,
): Promise<{ result: T; sql: string }> {
  const sent: string[] = []
  const handle = openDatabase({ url, poolMax: 1, onQuery: (text) => void sent.push(text) })
  let result: T
  try {
    result = await run(handle.db)
  } finally {
    await handle.close()
  }
  const compiled = await captureSql(run)
  const same = sent.length === compiled.length && sent.every((text, i) => text === compiled[i]!.sql)
  if (!same)
    throw new Error(
      `the service sent other SQL than bench/sql.ts compiles:\n  sent: ${sent.join(';\n        ')}\n  compiled: ${compiled.map((s) => s.sql).join(';\n            ')}`,
    )
  return { result, sql: toScript(compiled) }
}

/** Statements as a pgbench script: parameters inlined, one statement per line, each ending in ';'. */
export function toScript(statements: readonly Statement[]): string {
  return statements.map((s) => `${inline(s.sql, s.parameters)};`).join('\n')
}

/**
 * Replaces $1, $2 … with literals. Kysely never puts a $n inside a quoted string of its own; SQL
 * written by hand with one there would be changed too.
 */
export function inline(text: string, parameters: readonly unknown[]): string {
  return text.replace(/\$(\d+)/g, (match, n: string) => {
    const i = Number(n) - 1
    if (i < 0 || i >= parameters.length) throw new Error(`${match} has no parameter in: ${text}`)
    return literal(parameters[i])
  })
}

/** A Postgres literal for a parameter value, as node-postgres would have sent it. */
export function literal(value: unknown): string {
  if (value === null || value === undefined) return 'null'
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`cannot inline ${value}`)
    return String(value)
  }
  if (typeof value === 'bigint') return value.toString()
  if (typeof value === 'boolean') return value ? 'true' : 'false'
  if (typeof value === 'string') return quote(value)
  if (value instanceof Date) return quote(value.toISOString())
  if (Buffer.isBuffer(value)) return `'\\x${value.toString('hex')}'::bytea`
  if (Array.isArray(value)) return quote(arrayLiteral(value))
  return quote(JSON.stringify(value))
}

const quote = (text: string) => `'${text.replace(/'/g, "''")}'`

function arrayLiteral(values: readonly unknown[]): string {
  const items = values.map((v) => {
    if (v === null || v === undefined) return 'NULL'
    if (Array.isArray(v)) return arrayLiteral(v)
    const text = v instanceof Date ? v.toISOString() : typeof v === 'object' ? JSON.stringify(v) : String(v)
    return `"${text.replace(/[\\"]/g, (c) => `\\${c}`)}"`
  })
  return `{${items.join(',')}}`
}
