import { copyFileSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

// Contract stability (DESIGN §3): openapi/v1.json is the released v1 document; the generated
// openapi/openapi.json may add to it but not break it. A breaking change passes only when
// CHANGELOG.md records it as intended, one line per change:
//
//   - breaking: `<key>` — why, and what clients do instead
//
// where <key> is what this script prints for the change, e.g.
// `operation-removed DELETE /v1/plans/{id}` or `response-property-removed Plan.title`. A `*` in
// a recorded key matches anything (`response-property-removed Plan.*`).
//
//   node --import tsx scripts/contract-diff.ts            check (exit 1 on an unrecorded break)
//   node --import tsx scripts/contract-diff.ts --release  make the generated document the released one
//
// What breaks a client: a removed operation, parameter, request or response property, enum
// value, media type or response header; a new required parameter or body property (or one
// that became required); a changed type (a request accepting less, a response sending more);
// a narrowed constraint on input (a lower maximum, a higher minimum, a new pattern or format).
// Everything else — new operations, optional parameters and properties, new response
// properties, wider input constraints — is an addition.

type Json = Record<string, any>

export const breakingKinds = [
  'operation-removed',
  'parameter-removed',
  'parameter-required',
  'request-body-required',
  'request-media-type-removed',
  'request-property-removed',
  'request-property-required',
  'response-media-type-removed',
  'response-header-removed',
  'response-property-removed',
  'response-property-optional',
  'enum-value-removed',
  'type-changed',
  'constraint-narrowed',
] as const
export type BreakingKind = (typeof breakingKinds)[number]

export interface BreakingChange {
  kind: BreakingKind
  /** Where: `GET /v1/x query.limit`, or a component path `Plan.title` (reported once for every operation using it). */
  at: string
  /** The machine-readable key CHANGELOG.md records: `<kind> <at>`. */
  key: string
  detail: string
}

const methods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']
type Mode = 'request' | 'response'

export function diffContracts(released: Json, generated: Json): BreakingChange[] {
  const out = new Map<string, BreakingChange>()
  const add = (kind: BreakingKind, at: string, detail: string) => {
    const key = `${kind} ${at}`
    if (!out.has(key)) out.set(key, { kind, at, key, detail })
  }
  const seen = new Set<string>()

  const resolve = (doc: Json, schema: Json | undefined): { schema: Json | undefined; name?: string } => {
    let s = schema
    let name: string | undefined
    for (let i = 0; s && typeof s.$ref === 'string' && i < 20; i++) {
      const ref: string = s.$ref
      name = ref.replace('#/components/schemas/', '')
      s = ref
        .split('/')
        .slice(1)
        .reduce((node: any, part) => node?.[part.replace(/~1/g, '/').replace(/~0/g, '~')], doc)
    }
    return { schema: s, name }
  }

  function typesOf(doc: Json, schema: Json | undefined, depth = 0): Set<string> {
    const s = resolve(doc, schema).schema
    if (!s || depth > 10) return new Set(['any'])
    if (s.type) return new Set([s.type].flat())
    const branches = s.anyOf ?? s.oneOf
    if (branches) return new Set(branches.flatMap((b: Json) => [...typesOf(doc, b, depth + 1)]))
    if (s.const !== undefined) return new Set([s.const === null ? 'null' : typeof s.const])
    if (s.enum) return new Set(s.enum.map((v: unknown) => (v === null ? 'null' : typeof v)))
    if (s.properties) return new Set(['object'])
    return new Set(['any'])
  }
  /** Whether every type of `a` is accepted by `b` (an integer is a number). */
  const within = (a: Set<string>, b: Set<string>) =>
    b.has('any') || [...a].every((t) => b.has(t) || (t === 'integer' && b.has('number')))

  /** The single non-null branch of a nullable union, so `X | null` is compared as X. */
  const nonNull = (doc: Json, s: Json) => {
    const branches: Json[] | undefined = s.anyOf ?? s.oneOf
    if (!branches) return s
    const real = branches.filter((b) => !typesOf(doc, b).has('null') || typesOf(doc, b).size > 1)
    return real.length === 1 ? real[0]! : s
  }

  function schemas(a: Json | undefined, b: Json | undefined, mode: Mode, at: string, depth = 0) {
    if (!a || !b || depth > 40) return
    const ra = resolve(released, a)
    const rb = resolve(generated, b)
    if (!ra.schema || !rb.schema) return
    // A named component is compared once per mode and reported under its own name.
    if (ra.name && rb.name) {
      const id = `${mode}:${ra.name}:${rb.name}`
      if (seen.has(id)) return
      seen.add(id)
      at = ra.name === rb.name ? ra.name : `${rb.name} (was ${ra.name})`
    }
    const sa = nonNull(released, ra.schema)
    const sb = nonNull(generated, rb.schema)
    const ta = typesOf(released, ra.schema)
    const tb = typesOf(generated, rb.schema)
    const typeBreaks = mode === 'request' ? !within(ta, tb) : !within(tb, ta)
    if (typeBreaks) add('type-changed', at, `${mode}: ${[...ta].join('|')} → ${[...tb].join('|')}`)

    if (Array.isArray(sa.enum) && Array.isArray(sb.enum)) {
      for (const v of sa.enum)
        if (!sb.enum.includes(v)) add('enum-value-removed', `${at}=${v}`, `${v} is no longer a value`)
    }
    if (mode === 'request') constraints(sa, sb, at)

    const pa: Json = sa.properties ?? {}
    const pb: Json = sb.properties ?? {}
    const reqA = new Set<string>(sa.required ?? [])
    const reqB = new Set<string>(sb.required ?? [])
    for (const [name, schema] of Object.entries(pa)) {
      const where = `${at}.${name}`
      if (!(name in pb)) {
        // Unknown input properties are refused (400), so a removed input property breaks a sender too.
        add(mode === 'request' ? 'request-property-removed' : 'response-property-removed', where, `${name} is gone`)
        continue
      }
      if (mode === 'response' && reqA.has(name) && !reqB.has(name))
        add('response-property-optional', where, `${name} may now be absent`)
      schemas(schema, pb[name], mode, where, depth + 1)
    }
    if (mode === 'request')
      for (const name of reqB)
        if (!reqA.has(name)) add('request-property-required', `${at}.${name}`, `${name} is now required`)
    if (sa.items && sb.items) schemas(sa.items, sb.items, mode, `${at}[]`, depth + 1)
    if (typeof sa.additionalProperties === 'object' && typeof sb.additionalProperties === 'object')
      schemas(sa.additionalProperties, sb.additionalProperties, mode, `${at}{}`, depth + 1)
  }

  function constraints(a: Json, b: Json, at: string) {
    const lower = ['maxLength', 'maximum', 'exclusiveMaximum', 'maxItems', 'maxProperties']
    const higher = ['minLength', 'minimum', 'exclusiveMinimum', 'minItems', 'minProperties']
    for (const k of lower)
      if (typeof b[k] === 'number' && (typeof a[k] !== 'number' || b[k] < a[k]))
        add('constraint-narrowed', `${at} ${k}`, `${k} ${a[k] ?? 'none'} → ${b[k]}`)
    for (const k of higher)
      if (typeof b[k] === 'number' && (typeof a[k] !== 'number' || b[k] > a[k]))
        add('constraint-narrowed', `${at} ${k}`, `${k} ${a[k] ?? 'none'} → ${b[k]}`)
    for (const k of ['pattern', 'format'])
      if (b[k] !== undefined && b[k] !== a[k])
        add('constraint-narrowed', `${at} ${k}`, `${k} ${a[k] ?? 'none'} → ${b[k]}`)
    if (b.uniqueItems === true && a.uniqueItems !== true)
      add('constraint-narrowed', `${at} uniqueItems`, 'items must now be unique')
    if (b.additionalProperties === false && a.additionalProperties !== false)
      add('constraint-narrowed', `${at} additionalProperties`, 'other properties are now refused')
  }

  const parameters = (doc: Json, list: Json[] | undefined) =>
    new Map((list ?? []).map((p) => [`${p.in}.${p.name}`, resolve(doc, p).schema ?? p] as [string, Json]))

  for (const [path, itemA] of Object.entries<Json>(released.paths ?? {})) {
    const itemB: Json = generated.paths?.[path] ?? {}
    for (const method of methods) {
      const opA = itemA[method]
      if (!opA) continue
      const op = `${method.toUpperCase()} ${path}`
      const opB = itemB[method]
      if (!opB) {
        add('operation-removed', op, `${op} is gone`)
        continue
      }
      const paramsA = parameters(released, [...(itemA.parameters ?? []), ...(opA.parameters ?? [])])
      const paramsB = parameters(generated, [...(itemB.parameters ?? []), ...(opB.parameters ?? [])])
      for (const [id, p] of paramsA) {
        const q = paramsB.get(id)
        if (!q) {
          add('parameter-removed', `${op} ${id}`, `${id} is no longer accepted`)
          continue
        }
        if (q.required && !p.required) add('parameter-required', `${op} ${id}`, `${id} is now required`)
        schemas(p.schema, q.schema, 'request', `${op} ${id}`)
      }
      for (const [id, q] of paramsB)
        if (!paramsA.has(id) && q.required) add('parameter-required', `${op} ${id}`, `new required parameter ${id}`)

      const bodyA = resolve(released, opA.requestBody).schema
      const bodyB = resolve(generated, opB.requestBody).schema
      if (bodyB?.required && !bodyA?.required) add('request-body-required', op, 'a body is now required')
      for (const [type, media] of Object.entries<Json>(bodyA?.content ?? {})) {
        const other = bodyB?.content?.[type]
        if (!other) add('request-media-type-removed', `${op} ${type}`, `${type} bodies are no longer accepted`)
        else schemas(media.schema, other.schema, 'request', `${op} body`)
      }

      for (const [status, resA] of Object.entries<Json>(opA.responses ?? {})) {
        const ra = resolve(released, resA).schema ?? {}
        const rb = resolve(generated, opB.responses?.[status]).schema
        if (!rb) continue // a status no longer sent is not a break for the client
        for (const [type, media] of Object.entries<Json>(ra.content ?? {})) {
          const other = rb.content?.[type]
          if (!other) add('response-media-type-removed', `${op} ${status} ${type}`, `${status} no longer sends ${type}`)
          else schemas(media.schema, other.schema, 'response', `${op} ${status}`)
        }
        const headersB = new Set(Object.keys(rb.headers ?? {}).map((h) => h.toLowerCase()))
        for (const header of Object.keys(ra.headers ?? {}))
          if (!headersB.has(header.toLowerCase()))
            add('response-header-removed', `${op} ${status} ${header}`, `${header} is no longer sent`)
      }
    }
  }
  return [...out.values()].sort((x, y) => x.key.localeCompare(y.key))
}

/** The keys CHANGELOG.md records as intended breaking changes (`- breaking: \`key\` …`). */
export function recordedBreaks(changelog: string): string[] {
  const keys: string[] = []
  for (const line of changelog.split('\n')) {
    const m = /^\s*[-*]\s+breaking:\s+`([^`]+)`/.exec(line)
    if (m) keys.push(m[1]!.trim())
  }
  return keys
}

const matches = (recorded: string, key: string) =>
  new RegExp(`^${recorded.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`).test(key)

/** The breaking changes CHANGELOG.md does not record as intended. */
export function unrecorded(changes: BreakingChange[], changelog: string): BreakingChange[] {
  const recorded = recordedBreaks(changelog)
  return changes.filter((c) => !recorded.some((r) => matches(r, c.key)))
}

const root = new URL('../', import.meta.url)
export const files = {
  released: new URL('openapi/v1.json', root),
  generated: new URL('openapi/openapi.json', root),
  changelog: new URL('CHANGELOG.md', root),
}

/** The check against the repository's files. */
export function checkRepository() {
  const read = (u: URL) => readFileSync(u, 'utf8')
  const changes = diffContracts(JSON.parse(read(files.released)), JSON.parse(read(files.generated)))
  return { changes, unrecorded: unrecorded(changes, read(files.changelog)) }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--release')) {
    copyFileSync(files.generated, files.released)
    console.log('openapi/v1.json is now the generated document: the released contract.')
  } else {
    const { changes, unrecorded: missing } = checkRepository()
    for (const c of changes) console.log(`${missing.includes(c) ? 'BREAKING' : 'intended'}  ${c.key}  (${c.detail})`)
    if (missing.length) {
      console.error(
        `\n${missing.length} breaking change(s) of openapi/openapi.json against the released openapi/v1.json are not recorded in CHANGELOG.md.\n` +
          'Keep the contract, or record each as intended: a line "- breaking: `<key>` — why" under "Unreleased".',
      )
      process.exitCode = 1
    } else console.log(`contract: ${changes.length} breaking change(s), all recorded as intended`)
  }
}
