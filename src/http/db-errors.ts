import type { ProblemExtras, ProblemKind } from './problems.ts'

// The one place Postgres errors become problems (SQLSTATE → status). Constraint names follow
// Postgres' defaults (<table>_<column>_fkey, <table>_<column>_key), which is how a violation is
// traced back to the field the client sent.

type Mapped = { kind: ProblemKind; detail?: string; extras?: ProblemExtras }
interface PgError extends Error {
  code?: string
  detail?: string
  table?: string
  constraint?: string
}

/** Messages for check constraints that a client can break, by constraint name. */
const checkMessages = new Map<string, { pointer: string; detail: string }>()
export function describeConstraint(name: string, pointer: string, detail: string) {
  checkMessages.set(name, { pointer, detail })
}

const camel = (s: string) => s.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase())
const kebab = (s: string) => s.replace(/_/g, '-')
const fieldOf = (column: string) => camel(column.replace(/_code$/, '').replace(/_id$/, 'Id'))

// Connection exceptions (08), insufficient resources (53), operator intervention (57: admin or
// crash shutdown, cannot connect now, statement timeout), a database refusing connections
// (55000), lock timeouts and serialization failures: all pass, so all are 503 with Retry-After.
const unavailable = (code: string) => /^(08|53|57)/.test(code) || ['55000', '55P03', '40001', '40P01'].includes(code)
const unavailableMessages =
  /Connection terminated|timeout exceeded when trying to connect|ECONNREFUSED|ECONNRESET|EPIPE|Client has encountered a connection error|not queryable|the database system is (starting up|shutting down)/

/**
 * @param pathParams names of the route's path parameters: a column the client gave in the path
 * (a plan's id in /plans/{planId}/areas) is pointed at there, not in the body.
 * @param bodyFields the top-level fields the client sent: a pointer never names a field the
 * client did not send (the plan of a patched activity is part of its unique code, not the fault).
 */
export function mapDatabaseError(err: Error, pathParams: string[] = [], bodyFields?: string[]): Mapped | undefined {
  const e = err as PgError
  const pointerOf = (column: string) => {
    const field = fieldOf(column)
    return pathParams.includes(field) ? `/params/${field}` : `/body/${field}`
  }
  const code = e.code
  if (code === '23505') {
    const cols = /Key \((.+?)\)=/.exec(e.detail ?? '')?.[1]?.split(', ') ?? []
    const sent = (c: string) => !pathParams.includes(fieldOf(c)) && (!bodyFields || bodyFields.includes(fieldOf(c)))
    const errors = cols.filter(sent).map((c) => ({ pointer: pointerOf(c), detail: 'is already taken' }))
    return {
      kind: 'conflict',
      detail: `${article(singular(e.table), true)} with the same ${cols.map(fieldOf).join(', ') || 'key'} already exists.`,
      extras: { errors },
    }
  }
  if (code === '23503') {
    const column = /Key \((.+?)\)=/.exec(e.detail ?? '')?.[1]
    if (/is still referenced from table/.test(e.detail ?? '')) {
      const from = /from table "(.+?)"/.exec(e.detail ?? '')?.[1] ?? e.table ?? 'another resource'
      const fkColumn = e.constraint?.replace(new RegExp(`^${from}_`), '').replace(/_fkey$/, '')
      const field = fkColumn ? fieldOf(fkColumn) : undefined
      return {
        kind: 'still-referenced',
        detail: `It is still referenced by ${kebab(from)}${field ? ` (${field})` : ''}; remove those references first.`,
        extras: { references: [{ resource: kebab(from), ...(field ? { field } : {}) }] },
      }
    }
    const table = /in table "(.+?)"/.exec(e.detail ?? '')?.[1]
    const pointer = column ? pointerOf(column) : '/body'
    return {
      kind: 'invalid-reference',
      detail: `${column ? fieldOf(column) : 'A reference'} refers to ${article(singular(table))} that does not exist.`,
      extras: { errors: [{ pointer, detail: `no such ${singular(table)}` }] },
    }
  }
  if (code === '23514' || code === '23P01') {
    const known = e.constraint ? checkMessages.get(e.constraint) : undefined
    if (known) return { kind: 'rule-violation', detail: known.detail, extras: { errors: [known] } }
    return { kind: 'rule-violation', detail: `The request breaks the rule ${e.constraint ?? 'of the data model'}.` }
  }
  if (code === '23502') return { kind: 'validation-error', detail: `A required value is missing.` }
  // Data exceptions (class 22) mean a value got past validation that Postgres cannot take: the
  // client's fault, never a 500. Validation catches the known ones with a pointer first.
  if (code?.startsWith('22'))
    return { kind: 'validation-error', detail: 'A value has the wrong form or is out of range.' }
  if ((code && unavailable(code)) || unavailableMessages.test(err.message ?? '')) {
    return {
      kind: 'unavailable',
      detail: 'The database is not reachable right now; retry shortly.',
      extras: { headers: { 'retry-after': '2' } },
    }
  }
  return undefined
}

function singular(table: string | undefined) {
  if (!table) return 'record'
  const t = table.replace(/_/g, ' ')
  if (t.endsWith('ies')) return `${t.slice(0, -3)}y`
  return t.endsWith('s') ? t.slice(0, -1) : t
}

const article = (noun: string, capital = false) =>
  `${/^[aeiou]/.test(noun) ? (capital ? 'An' : 'an') : capital ? 'A' : 'a'} ${noun}`
