import type { Test } from 'tap'
import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import type { InjectOptions, LightMyRequestResponse } from 'fastify'
import { setup, json, type TestContext } from '../helpers/app.ts'
import { seedDatabase } from '../../src/seed/index.ts'
import type { Config } from '../../src/config.ts'

// Shared by the OWASP API Security Top 10 (2023) tests: a seeded app, the write operations read
// from the app's own OpenAPI document (so a new route cannot escape the probes), and one check
// that every attack's response is sound whatever its status.

export { json }
export type Res = LightMyRequestResponse

/** A fresh seeded database and app; `changes()` counts the change log, which every write appends to. */
export async function seeded(t: Test, overrides: Partial<Config> = {}) {
  const ctx = await setup(t, overrides)
  await seedDatabase(ctx.database.db)
  const changes = async () =>
    (await sql<{ n: number }>`select count(*)::int as n from changes`.execute(ctx.database.db)).rows[0]!.n
  return { ...ctx, changes }
}
export type Seeded = TestContext & { changes(): Promise<number> }

// What no response may contain: a stack frame, a source location, SQL, the database's name.
const leaks: [string, RegExp][] = [
  ['a stack frame', /\n\s*at [^\n]+[(:]/],
  ['a source location', /\.(ts|js|mjs):\d+/],
  ['SQL text', /\bselect\s|\binsert\s+into\b|\bupdate\s+"?\w+"?\s+set\b|\bdelete\s+from\b|relation "/i],
  ['the word postgres', /postgres/i],
]

/** SQL-looking text: stored verbatim where free text goes, refused where an id, code or date goes. */
export const sqlish = [
  "' or 1=1 --",
  "'); drop table plans; --",
  '" or ""="',
  "\\'; select pg_sleep(5); --",
  '1 union select secret_hash from api_keys',
]

/** Counts the attacks a file sends; each file prints its total at the end. */
export class Attacks {
  count = 0
  constructor(private readonly app: TestContext['app']) {}

  /**
   * Sends one attack and checks what every response must be: not a 5xx, with x-request-id; an
   * error as application/problem+json; nothing leaked. `sent` are strings the request carried,
   * which a 2xx may echo (a stored SQL-looking name is data, not a leak).
   */
  async send(t: Test, label: string, opts: InjectOptions, sent: string[] = []): Promise<Res> {
    this.count++
    const res = await this.app.inject(opts)
    t.same(soundness(res, sent), [], `${label}: sound response (${res.statusCode})`)
    return res
  }

  report(t: Test, what: string) {
    t.test('attacks tried', async (t) => {
      t.comment(`${what}: ${this.count} attacks tried`)
      t.pass(`${this.count} attacks`)
    })
  }
}

/** What is wrong with a response whatever the request: an empty list when nothing is. */
export function soundness(res: Res, sent: string[] = []): string[] {
  const wrong: string[] = []
  if (res.statusCode >= 500) wrong.push(`status ${res.statusCode}`)
  if (!res.headers['x-request-id']) wrong.push('no x-request-id')
  if (res.statusCode >= 400 && !String(res.headers['content-type']).startsWith('application/problem+json'))
    wrong.push(`error as ${res.headers['content-type']}`)
  let body = res.body
  for (const s of sent)
    for (const form of [s, JSON.stringify(s).slice(1, -1)]) if (form) body = body.split(form).join('')
  for (const [what, re] of leaks) if (re.test(body)) wrong.push(`leaks ${what}: ${re.exec(body)![0]}`)
  return wrong
}

let addresses = 0
/**
 * A client address of its own. Failed authentications are limited per address (API2), so
 * probes that fail authentication on purpose come from addresses of their own, and the
 * limit stays the subject of the brute-force test only.
 */
export const freshAddress = () => `10.${(++addresses >> 16) & 255}.${(addresses >> 8) & 255}.${addresses & 255}`

/** The problem's field pointers. */
export const pointers = (res: Res): string[] => {
  try {
    return ((json(res).errors ?? []) as { pointer: string }[]).map((e) => e.pointer)
  } catch {
    return []
  }
}

// The OpenAPI document, as the app serves it: the routes it has, not a file someone forgot to regenerate.

export type Schema = Record<string, any>
export interface Operation {
  method: 'POST' | 'PATCH' | 'PUT' | 'DELETE' | 'GET'
  path: string
  op: Schema
  /** The scope a 403 names ("lacks the scope `plans:write`"), for write operations. */
  scope?: string
}

export async function loadDocument(app: TestContext['app']) {
  const doc = json(await app.inject({ url: '/v1/openapi.json' })) as Schema
  const resolve = (s: Schema): Schema => {
    while (s?.$ref) s = doc.components.schemas[String(s.$ref).split('/').pop()!]
    return s
  }
  const operations: Operation[] = []
  for (const [path, item] of Object.entries(doc.paths as Record<string, Schema>)) {
    for (const [m, op] of Object.entries(item)) {
      const method = m.toUpperCase() as Operation['method']
      if (!['GET', 'POST', 'PATCH', 'PUT', 'DELETE'].includes(method)) continue
      const scope = /scope `([a-z:]+)`/.exec(op.responses?.['403']?.description ?? '')?.[1]
      operations.push({ method, path, op, scope })
    }
  }
  const writes = operations.filter((o) => o.method !== 'GET')
  /** The JSON request body schema of an operation, resolved. */
  const bodySchema = (o: Operation): Schema | undefined => {
    const content = o.op.requestBody?.content
    return content && resolve((content['application/json'] ?? Object.values(content)[0]).schema)
  }
  /** The 2xx response body schema, resolved. */
  const responseSchema = (o: Operation): Schema | undefined => {
    const [, r] = Object.entries(o.op.responses as Schema).find(([s]) => s.startsWith('2')) ?? []
    const content = r?.content?.['application/json']
    return content && resolve(content.schema)
  }
  return { doc, resolve, operations, writes, bodySchema, responseSchema }
}
export type Document = Awaited<ReturnType<typeof loadDocument>>

/** A string leaf of a request body: its path (array items at 0) and its schema. */
export interface Leaf {
  path: (string | number)[]
  schema: Schema
}

/** Every string-valued field of a body schema, nested objects and array items included. */
export function stringLeaves(d: Document, schema: Schema, path: (string | number)[] = []): Leaf[] {
  const s = d.resolve(schema)
  if (s.anyOf) return s.anyOf.flatMap((b: Schema) => stringLeaves(d, b, path))
  if (s.type === 'string') return [{ path, schema: s }]
  if (s.type === 'object')
    return Object.entries((s.properties ?? {}) as Schema).flatMap(([k, v]) => stringLeaves(d, v, [...path, k]))
  if (s.type === 'array') return stringLeaves(d, s.items, [...path, 0])
  return []
}

/** A minimal valid value for a schema (required properties only). */
export function sample(d: Document, schema: Schema): unknown {
  const s = d.resolve(schema)
  if (s.anyOf) return sample(d, s.anyOf.find((b: Schema) => d.resolve(b).type !== 'null') ?? s.anyOf[0])
  if (s.enum) return s.enum[0]
  if (s.default !== undefined) return s.default
  if (s.examples?.length) return s.examples[0]
  switch (s.type) {
    case 'object':
      return Object.fromEntries(((s.required ?? []) as string[]).map((k) => [k, sample(d, s.properties[k])]))
    case 'array':
      return s.minItems ? [sample(d, s.items)] : []
    case 'integer':
    case 'number':
      return s.minimum ?? 0
    case 'boolean':
      return false
    case 'string':
      return (
        (
          {
            uuid: randomUUID(),
            date: '2005-01-01',
            'date-time': '2024-01-01T00:00:00Z',
            uri: 'https://example.org/',
          } as Record<string, string>
        )[s.format] ?? (s.pattern === '^[A-Z]{2}$' ? 'TH' : 'probe')
      )
  }
  return null
}

/** A copy of `body` with `value` at `path`, creating (valid) containers the body lacks. */
export function withValue(
  d: Document,
  schema: Schema,
  body: unknown,
  path: (string | number)[],
  value: unknown,
): unknown {
  if (path.length === 0) return value
  let s = d.resolve(schema)
  if (s.anyOf) s = d.resolve(s.anyOf.find((b: Schema) => ['object', 'array'].includes(d.resolve(b).type)) ?? s)
  const [head, ...rest] = path
  if (typeof head === 'number') {
    const list = Array.isArray(body) && body.length ? [...body] : [sample(d, s.items)]
    list[0] = withValue(d, s.items, list[0], rest, value)
    return list
  }
  const obj =
    body && typeof body === 'object' && !Array.isArray(body) ? { ...(body as object) } : (sample(d, s) as object)
  const child = (obj as Record<string, unknown>)[head!]
  ;(obj as Record<string, unknown>)[head!] = withValue(d, s.properties[head!], child, rest, value)
  return obj
}

/** `/body/documents/0/url` for a leaf path. */
export const pointerOf = (part: string, path: (string | number)[]) => `/${part}${path.map((p) => `/${p}`).join('')}`
