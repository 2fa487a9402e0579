import fc from 'fast-check'
import type { ContractDocument, Parameter, Schema } from '../contract/document.ts'
import * as abuse from './abuse.ts'
import type { FuzzInput, OperationContext } from './model.ts'

// Mutations turn a valid request into an invalid or abusive one, one thing at a time, so a
// failure points at its cause. Each says whether it applies to a request and, if so, gives the
// arbitrary of its mutated versions; the label names the mutation and where it struck.

export interface Mutation {
  name: string
  apply(input: FuzzInput, ctx: OperationContext): fc.Arbitrary<FuzzInput> | undefined
}

type Path = (string | number)[]
interface Slot {
  path: Path
  value: unknown
  schema?: Schema // the branch of the schema the value is in (null branches skipped)
  required?: boolean // a property its object's schema requires
}

/** Stands for "remove the property" among a mutation's values. */
const REMOVE = Symbol('remove')

const pointer = (path: Path) => (path.length ? `/${path.join('/')}` : '/')
const typeOf = (v: unknown) =>
  v === null ? 'null' : Array.isArray(v) ? 'array' : Number.isInteger(v) ? 'integer' : typeof v

/** The schema a value is in, through $refs and into the anyOf branch of the value's type. */
function resolve(contract: ContractDocument, schema: Schema | undefined, value: unknown): Schema | undefined {
  if (!schema) return undefined
  const s = contract.deref<Schema>(schema)
  const union = (s.anyOf ?? s.oneOf) as Schema[] | undefined
  if (!union) return s
  const branches = union.map((b) => contract.deref<Schema>(b))
  const t = typeOf(value)
  const match =
    branches.find(
      (b) =>
        b.type === t || (t === 'integer' && b.type === 'number') || (Array.isArray(b.enum) && b.enum.includes(value)),
    ) ?? branches.find((b) => b.type !== 'null')
  return resolve(contract, match, value)
}

/** Every place in a body, with its schema. */
function slots(
  contract: ContractDocument,
  value: unknown,
  schema: Schema | undefined,
  path: Path = [],
  required = false,
): Slot[] {
  const s = resolve(contract, schema, value)
  const out: Slot[] = [{ path, value, schema: s, required }]
  if (Array.isArray(value))
    value.forEach((item, i) => out.push(...slots(contract, item, s?.items as Schema | undefined, [...path, i])))
  else if (value && typeof value === 'object') {
    const props = (s?.properties ?? {}) as Record<string, Schema>
    const requires = (s?.required ?? []) as string[]
    for (const [k, v] of Object.entries(value))
      out.push(...slots(contract, v, props[k], [...path, k], requires.includes(k)))
  }
  return out
}

/** A copy of `root` with the value at `path` replaced (or removed, for REMOVE). */
function setAt(root: unknown, path: Path, next: unknown): unknown {
  if (path.length === 0) return next
  const copy = structuredClone(root) as Record<string | number, unknown>
  let node = copy
  for (const part of path.slice(0, -1)) node = node[part] as Record<string | number, unknown>
  const last = path[path.length - 1]!
  if (next === REMOVE) delete node[last]
  else node[last] = next
  return copy
}

function bodySchema(ctx: OperationContext, input: FuzzInput): Schema | undefined {
  const content = ctx.operation.requestBody?.content ?? {}
  const mediaType = input.contentType && input.contentType in content ? input.contentType : Object.keys(content)[0]
  return mediaType ? content[mediaType]?.schema : undefined
}

/** A mutation of one place in a JSON body: pick a slot `pick` accepts, replace it by `values`. */
function bodyMutation(
  name: string,
  pick: (slot: Slot) => boolean,
  values: (slot: Slot) => unknown[] | undefined,
): Mutation {
  return {
    name,
    apply(input, ctx) {
      if (!input.body || !('json' in input.body)) return undefined
      const root = input.body.json
      const choice = pickThen(
        slots(ctx.contract, root, bodySchema(ctx, input)).filter(pick),
        (slot) => values(slot) ?? [],
      )
      return choice?.map(([slot, v]) => ({
        ...input,
        label: `${name} ${pointer(slot.path)}`,
        body: { json: setAt(root, slot.path, typeof v === 'string' ? abuse.expand(v) : v) },
      }))
    },
  }
}

/**
 * A target, then one of its values: each target is as likely as any other (weighted), however
 * many values it has, so one wide enum does not crowd out the date next to it.
 */
function pickThen<T, V>(
  targets: T[],
  values: (t: T) => V[],
  weight: (t: T) => number = () => 1,
): fc.Arbitrary<[T, V]> | undefined {
  const arbitraries = targets.flatMap((t) => {
    const vs = values(t)
    return vs.length ? [{ weight: weight(t), arbitrary: fc.constantFrom(...vs).map((v): [T, V] => [t, v]) }] : []
  })
  return arbitraries.length ? fc.oneof(...arbitraries) : undefined
}

/** Parameters whose text the service must convert (dates, ids, numbers) fail most: try them most. */
function parameterWeight(contract: ContractDocument, p: Parameter): number {
  const s = contract.deref<Schema>(p.schema ?? {})
  if (s.format === 'date' || s.format === 'date-time') return 4
  if (s.format === 'uuid' || s.type === 'integer' || s.type === 'number') return 2
  return 1
}

const isString = (slot: Slot) => typeof slot.value === 'string'
const hasFormat = (format: string) => (slot: Slot) => isString(slot) && slot.schema?.format === format
const notRoot = (slot: Slot) => slot.path.length > 0

function wrongTypes(slot: Slot): unknown[] {
  switch (typeOf(slot.value)) {
    case 'string':
      return [42, true, [], {}, ['x']]
    case 'integer':
    case 'number':
      return [String(slot.value), true, [], {}]
    case 'boolean':
      return ['true', 1, 0]
    case 'array':
      return ['x', {}, 1, [[]]]
    case 'object':
      return [[], 'x', 1]
    default:
      return ['x', 1, {}]
  }
}

const bodyMutations: Mutation[] = [
  bodyMutation('body.wrong-type', notRoot, wrongTypes),
  bodyMutation(
    'body.null',
    (s) => notRoot(s) && s.value !== null,
    () => [null],
  ),
  bodyMutation('body.nul', isString, () => abuse.nulStrings),
  bodyMutation('body.unicode', isString, () => abuse.unicodeStrings),
  bodyMutation('body.string', isString, () => [...abuse.sneakyStrings, 'HUGE']),
  bodyMutation(
    'body.number',
    (s) => typeof s.value === 'number',
    () => abuse.extremeNumbers,
  ),
  bodyMutation('body.date', hasFormat('date'), () => abuse.malformedDates),
  bodyMutation('body.date-time', hasFormat('date-time'), () => abuse.malformedDateTimes),
  bodyMutation('body.uuid', hasFormat('uuid'), () => abuse.malformedUuids),
  bodyMutation('body.uri', hasFormat('uri'), () => abuse.malformedUris),
  bodyMutation(
    'body.drop-required',
    (s) => !!s.required,
    () => [REMOVE],
  ),
  bodyMutation(
    'body.extra-property',
    (s) => typeOf(s.value) === 'object',
    (s) =>
      ['unexpected', 'id', 'version', 'createdAt', 'Name'].map((k) => ({
        ...(s.value as object),
        [k]: k === 'version' ? 99 : 'x',
      })),
  ),
  bodyMutation(
    'body.array',
    (s) => Array.isArray(s.value),
    (s) => {
      const a = s.value as unknown[]
      const max = typeof s.schema?.maxItems === 'number' ? s.schema.maxItems : 1000
      const item = a[0] ?? 'x'
      return [Array.from({ length: max + 1 }, () => item), a.length ? [...a, a[0]] : ['x', 'x'], nested(64)]
    },
  ),
  bodyMutation(
    'body.not-object',
    (s) => s.path.length === 0,
    () => [[], 'x', 0, null, true, [{}]],
  ),
]

function nested(depth: number): unknown {
  let v: unknown = []
  for (let i = 0; i < depth; i++) v = [v]
  return v
}

/** Mutations of the body as text: the JSON itself, its media type, its size. */
const textMutations: Mutation[] = [
  {
    name: 'body.malformed-json',
    apply(input, ctx) {
      if (!ctx.operation.requestBody) return undefined
      const valid = input.body && 'json' in input.body ? JSON.stringify(input.body.json) : '{}'
      const truncated = valid.length > 2 ? [valid.slice(0, Math.floor(valid.length / 2))] : []
      const duplicate = valid.startsWith('{"')
        ? [`${valid.slice(0, -1)}${valid.length > 2 ? ',' : ''}"${valid.slice(2, valid.indexOf('"', 2))}":1}`]
        : []
      return fc
        .constantFrom(...abuse.malformedJsonTexts, ...truncated, ...duplicate, '')
        .map((text) => ({ ...input, label: 'body.malformed-json', body: { text } }))
    },
  },
  {
    name: 'body.content-type',
    apply(input, ctx) {
      if (!ctx.operation.requestBody) return undefined
      const declared = Object.keys(ctx.operation.requestBody.content)
      const others = ['application/merge-patch+json', 'application/json'].filter((t) => !declared.includes(t))
      return fc.constantFrom(...abuse.wrongContentTypes, ...others).map((contentType) => ({
        ...input,
        label: `body.content-type ${contentType || '(none)'}`,
        contentType,
        body: input.body ?? { json: {} },
      }))
    },
  },
  {
    name: 'body.too-large',
    apply(input, ctx) {
      if (!ctx.operation.requestBody) return undefined
      return fc
        .constantFrom(1_100_000, 5_000_000)
        .map((n) => ({ ...input, label: `body.too-large ${n}`, body: { text: `{"title":"${'x'.repeat(n)}"}` } }))
    },
  },
  {
    name: 'body.deep-nesting',
    apply(input, ctx) {
      if (!ctx.operation.requestBody) return undefined
      const key =
        Object.keys(
          (input.body && 'json' in input.body && typeOf(input.body.json) === 'object' ? input.body.json : {}) as object,
        )[0] ?? 'a'
      return fc.constantFrom(10_000, 100_000).map((n) => ({
        ...input,
        label: `body.deep-nesting ${n}`,
        body: { text: `{"${key}":${'['.repeat(n)}${']'.repeat(n)}}` },
      }))
    },
  },
  {
    // A body where none is expected (GET, DELETE): ignored or refused, never a crash.
    name: 'body.unexpected',
    apply(input, ctx) {
      if (ctx.operation.requestBody) return undefined
      return fc
        .constantFrom<[string, string]>(
          ['{}', 'application/json'],
          ['{', 'application/json'],
          ['x', 'text/plain'],
          ['<a/>', 'application/xml'],
        )
        .map(([text, contentType]) => ({
          ...input,
          label: `body.unexpected ${contentType}`,
          body: { text },
          contentType,
        }))
    },
  },
]

/** Abusive text for a parameter of this schema. */
function parameterValues(contract: ContractDocument, p: Parameter): string[] {
  const s = contract.deref<Schema>(p.schema ?? {})
  const strings = abuse.abusiveStrings.filter((v) => v !== 'HUGE').concat('HUGE')
  if (s.type === 'integer' || s.type === 'number') return [...abuse.numberTexts, ...strings.slice(0, 4)]
  if (s.type === 'boolean') return abuse.booleanTexts
  if (s.format === 'uuid') return [...abuse.malformedUuids, ...abuse.nulStrings.slice(0, 2)]
  if (s.format === 'date') return abuse.malformedDates
  if (s.format === 'date-time') return abuse.malformedDateTimes
  if (Array.isArray(s.enum))
    return [
      ...(s.enum as string[]).map((e) => String(e).toUpperCase()),
      'unknown',
      `-${String(s.enum[0])}`,
      ...strings.slice(0, 6),
    ]
  return strings
}

const queryMutations: Mutation[] = [
  {
    name: 'query.value',
    apply(input, ctx) {
      const params = ctx.operation.parameters.filter((p) => p.in === 'query')
      return pickThen(
        params,
        (p) => parameterValues(ctx.contract, p),
        (p) => parameterWeight(ctx.contract, p),
      )?.map(([p, v]) => ({
        ...input,
        label: `query.value ${p.name}`,
        query: [...input.query.filter(([k]) => k !== p.name), [p.name, abuse.expand(v)]],
      }))
    },
  },
  {
    name: 'query.missing-required',
    apply(input, ctx) {
      const required = ctx.operation.parameters.filter((p) => p.in === 'query' && p.required).map((p) => p.name)
      if (!required.length) return undefined
      return fc.constantFrom(...required).map((name) => ({
        ...input,
        label: `query.missing-required ${name}`,
        query: input.query.filter(([k]) => k !== name),
      }))
    },
  },
  {
    name: 'query.unknown',
    apply: (input) =>
      fc.constantFrom(...abuse.unknownQueryNames).map((name) => ({
        ...input,
        label: `query.unknown ${name || '(empty)'}`,
        query: [...input.query, [name, 'x']],
      })),
  },
  {
    name: 'query.repeated',
    apply(input) {
      if (!input.query.length) return undefined
      return fc
        .constantFrom(...input.query)
        .map(([name, value]) => ({ ...input, label: `query.repeated ${name}`, query: [...input.query, [name, value]] }))
    },
  },
  {
    name: 'query.cursor',
    apply(input, ctx) {
      if (!ctx.operation.parameters.some((p) => p.name === 'cursor')) return undefined
      return fc
        .constantFrom(
          '{{foreign-cursor}}',
          'abc',
          'eyJhIjoxfQ',
          'eyJhIjoxfQ.c2ln',
          '%00',
          'HUGE',
          '\u0000',
          '{{cursor}}x',
        )
        .map((cursor) => ({
          ...input,
          label: 'query.cursor',
          query: [...input.query.filter(([k]) => k !== 'cursor'), ['cursor', abuse.expand(cursor)]],
        }))
    },
  },
]

const pathMutations: Mutation[] = [
  {
    name: 'path.value',
    apply(input, ctx) {
      const params = ctx.operation.parameters.filter((p) => p.in === 'path')
      // An empty segment is another route (`/v1/plans/` is the list), not a bad parameter.
      const values = (p: Parameter) => parameterValues(ctx.contract, p).filter((v) => v !== '')
      return pickThen(params, values)?.map(([p, v]) => ({
        ...input,
        label: `path.value ${p.name}`,
        path: { ...input.path, [p.name]: abuse.expand(v) },
      }))
    },
  },
  {
    name: 'path.raw',
    apply(input, ctx) {
      const names = ctx.operation.parameters.filter((p) => p.in === 'path').map((p) => p.name)
      if (!names.length) return undefined
      return fc.tuple(fc.constantFrom(...names), fc.constantFrom(...abuse.rawPathSegments)).map(([name, v]) => ({
        ...input,
        label: `path.raw ${name}`,
        rawPath: true,
        path: {
          ...Object.fromEntries(
            Object.entries(input.path).map(([k, x]) => [
              k,
              encodeURIComponent(x.replace(/[\ud800-\udfff]/g, '\ufffd')),
            ]),
          ),
          [name]: v,
        },
      }))
    },
  },
]

const headerMutations: Mutation[] = [
  {
    name: 'header.accept',
    apply: (input) =>
      fc.constantFrom(...abuse.acceptValues).map((accept) => ({
        ...input,
        label: `header.accept ${accept || '(empty)'}`,
        headers: { ...input.headers, accept },
      })),
  },
  ...(['if-match', 'if-none-match'] as const).map(
    (name): Mutation => ({
      name: `header.${name}`,
      apply(input, ctx) {
        if (!ctx.operation.parameters.some((p) => p.in === 'header' && p.name === name)) return undefined
        return fc
          .constantFrom(...abuse.entityTagTexts)
          .map((v) => ({ ...input, label: `header.${name}`, headers: { ...input.headers, [name]: v } }))
      },
    }),
  ),
  {
    name: 'header.idempotency-key',
    apply(input, ctx) {
      if (!ctx.operation.parameters.some((p) => p.name === 'idempotency-key')) return undefined
      return fc.constantFrom('', ' ', 'x'.repeat(256), 'x'.repeat(10_000), 'fuzz-shared-key').map((v) => ({
        ...input,
        label: 'header.idempotency-key',
        headers: { ...input.headers, 'idempotency-key': v },
      }))
    },
  },
  {
    name: 'auth',
    apply: (input) =>
      fc
        .constantFrom<FuzzInput['auth']>('none', 'read', ...abuse.authorizationTexts.map((header) => ({ header })))
        .map((auth) => ({
          ...input,
          label: `auth ${typeof auth === 'string' ? auth : auth.header.slice(0, 24)}`,
          auth,
        })),
  },
]

export const mutations: Mutation[] = [
  ...bodyMutations,
  ...textMutations,
  ...queryMutations,
  ...pathMutations,
  ...headerMutations,
]

/** The request arbitrary with one applicable mutation applied (or the input itself if none applies). */
export function mutate(input: FuzzInput, ctx: OperationContext): fc.Arbitrary<FuzzInput> {
  const applicable = mutations.map((m) => m.apply(input, ctx)).filter((a): a is fc.Arbitrary<FuzzInput> => !!a)
  return applicable.length ? fc.oneof(...applicable) : fc.constant(input)
}
