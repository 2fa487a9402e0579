import fc from 'fast-check'
import type { ContractDocument, Schema } from '../contract/document.ts'

// Values a schema of the document accepts, as fast-check arbitraries. Identifiers are drawn
// mostly from the seeded database (by field name), so generated writes reach the code behind
// validation instead of stopping at "that plan does not exist".

export const tables = [
  'organizations',
  'plans',
  'areas',
  'activities',
  'projects',
  'project_results',
  'project_tasks',
  'meetings',
  'outcomes',
] as const
export type Table = (typeof tables)[number]

/** Real values from the database the requests run against. */
export interface Pools {
  countries: string[]
  ids: Record<Table, string[]>
}

export interface Hints {
  /** The property or parameter name the value is for (`planId`, `activityIds`…). */
  name?: string
  /** The table the operation is about, for names that depend on it (`parentId`). */
  resource?: Table
}

// Which table a uuid-valued field refers to, by its name (plans.initiative_id references organizations).
const uuidPools: [RegExp, Table][] = [
  [/organi[sz]ation|organizer|initiative/i, 'organizations'],
  [/^planIds?$|supersedes/i, 'plans'],
  [/^areaIds?$/i, 'areas'],
  [/activit/i, 'activities'],
  [/project/i, 'projects'],
  [/meeting/i, 'meetings'],
  [/outcome/i, 'outcomes'],
]

export function poolFor(hints: Hints): Table | undefined {
  const name = hints.name ?? ''
  if (/^parentIds?$/.test(name)) return hints.resource
  return uuidPools.find(([re]) => re.test(name))?.[1]
}

const day = 86_400_000
const dates = fc.date({
  min: new Date('1990-01-01T00:00:00Z'),
  max: new Date('2035-12-31T00:00:00Z'),
  noInvalidDate: true,
})
const offsets = fc.constantFrom('Z', 'Z', '+07:00', '-05:30', '+00:00')

export const arbitraryDate = dates.map((d) => d.toISOString().slice(0, 10))
export const arbitraryDateTime = fc
  .tuple(dates, fc.nat(day - 1), offsets)
  .map(([d, ms, tz]) => new Date(d.getTime() + ms).toISOString().replace('Z', tz))

/** Schema-valid text: mostly ASCII, sometimes any printable Unicode (cut to maxLength code points). */
function text(minLength: number, maxLength: number): fc.Arbitrary<string> {
  const max = Math.min(maxLength, Math.max(minLength, 40))
  const cut = (s: string) => [...s].slice(0, maxLength).join('')
  return fc.oneof(
    { weight: 4, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength, maxLength: max }) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength, maxLength: max }).map(cut) },
  )
}

export class ValueGenerator {
  constructor(
    readonly contract: ContractDocument,
    readonly pools: Pools,
  ) {}

  /** A uuid: a real id of the table the name suggests (usually), or a random one. */
  uuid(hints: Hints): fc.Arbitrary<string> {
    const table = poolFor(hints)
    const ids = table ? this.pools.ids[table] : []
    const random = fc.uuid()
    return ids.length
      ? fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...ids) }, { weight: 1, arbitrary: random })
      : random
  }

  /** A value `schema` accepts. `depth` bounds recursive schemas. */
  value(schema: Schema | undefined, hints: Hints = {}, depth = 0): fc.Arbitrary<unknown> {
    if (!schema || depth > 8) return fc.constant(null)
    const s = this.contract.deref<Schema>(schema)
    if ('const' in s) return fc.constant(s.const)
    if (Array.isArray(s.enum)) return fc.constantFrom(...(s.enum as unknown[]))
    const union = (s.anyOf ?? s.oneOf) as Schema[] | undefined
    if (union) {
      // null is one valid value, not half of them.
      return fc.oneof(
        ...union.map((branch) => ({
          weight: this.contract.deref<Schema>(branch).type === 'null' ? 1 : 4,
          arbitrary: this.value(branch, hints, depth + 1),
        })),
      )
    }
    if (Array.isArray(s.type))
      return fc.oneof(...(s.type as string[]).map((type) => this.value({ ...s, type }, hints, depth + 1)))
    switch (s.type) {
      case 'null':
        return fc.constant(null)
      case 'boolean':
        return fc.boolean()
      case 'integer':
        return fc.integer({
          min: bound(s, 'minimum', 'exclusiveMinimum', -1e6, 1),
          max: bound(s, 'maximum', 'exclusiveMaximum', 1e6, -1),
        })
      case 'number':
        return fc.double({
          min: bound(s, 'minimum', 'exclusiveMinimum', -1e6, 0),
          max: bound(s, 'maximum', 'exclusiveMaximum', 1e6, 0),
          noNaN: true,
          noDefaultInfinity: true,
        })
      case 'string':
        return this.string(s, hints)
      case 'array':
        return this.array(s, hints, depth)
      case 'object':
        return this.object(s, hints, depth)
      default:
        return fc.oneof(fc.string({ maxLength: 10 }), fc.integer(), fc.boolean(), fc.constant(null))
    }
  }

  private string(s: Schema, hints: Hints): fc.Arbitrary<string> {
    switch (s.format) {
      case 'uuid':
        return this.uuid(hints)
      case 'date':
        return arbitraryDate
      case 'date-time':
        return arbitraryDateTime
      case 'uri':
        return fc.webUrl({ validSchemes: ['https', 'http'] })
      case 'email':
        return fc.emailAddress()
    }
    if (/timeZone/i.test(hints.name ?? '')) {
      // "A string" in the document, an IANA name to the service: mostly send one it knows.
      return fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom(...Intl.supportedValuesOf('timeZone')) },
        { weight: 1, arbitrary: text(1, 100) },
      )
    }
    if (s.pattern === '^[A-Z]{2}$' && this.pools.countries.length) {
      return fc.oneof(
        { weight: 5, arbitrary: fc.constantFrom(...this.pools.countries) },
        { weight: 1, arbitrary: fc.stringMatching(/^[A-Z]{2}$/) },
      )
    }
    if (typeof s.pattern === 'string') {
      const max = typeof s.maxLength === 'number' ? s.maxLength : Infinity
      return fc.stringMatching(new RegExp(s.pattern)).filter((v) => [...v].length <= max)
    }
    return text(typeof s.minLength === 'number' ? s.minLength : 0, typeof s.maxLength === 'number' ? s.maxLength : 200)
  }

  private array(s: Schema, hints: Hints, depth: number): fc.Arbitrary<unknown[]> {
    // Big arrays cost time without finding more; the mutations try oversized ones.
    const minLength = typeof s.minItems === 'number' ? s.minItems : 0
    const maxLength = Math.min(typeof s.maxItems === 'number' ? s.maxItems : 5, Math.max(minLength, 5))
    const items = this.value(s.items as Schema | undefined, hints, depth + 1)
    return s.uniqueItems
      ? fc.uniqueArray(items, { minLength, maxLength, selector: (v) => JSON.stringify(v) })
      : fc.array(items, { minLength, maxLength })
  }

  private object(s: Schema, hints: Hints, depth: number): fc.Arbitrary<Record<string, unknown>> {
    const properties = (s.properties ?? {}) as Record<string, Schema>
    const model = Object.fromEntries(
      Object.entries(properties).map(([name, p]) => [name, this.value(p, { ...hints, name }, depth + 1)]),
    )
    const requiredKeys = ((s.required ?? []) as string[]).filter((k) => k in properties)
    return fc.record(model, { requiredKeys })
  }
}

function bound(s: Schema, inclusive: string, exclusive: string, fallback: number, step: number): number {
  if (typeof s[inclusive] === 'number') return s[inclusive] as number
  if (typeof s[exclusive] === 'number') return (s[exclusive] as number) + step
  return fallback
}
