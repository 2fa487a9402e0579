import { readdirSync, readFileSync } from 'node:fs'
import { Ajv } from 'ajv'
import { Type, type TSchema } from 'typebox'
import type { ProvenanceValue } from '../schemas/provenance.ts'
import { Organization } from '../modules/organizations/organizations.schemas.ts'
import { Plan } from '../modules/plans/plans.schemas.ts'
import { Area } from '../modules/areas/areas.schemas.ts'
import { Activity } from '../modules/activities/activities.schemas.ts'
import { Project } from '../modules/projects/projects.schemas.ts'
import { ProjectResult } from '../modules/projects/project-results.schemas.ts'
import { ProjectTask } from '../modules/projects/project-tasks.schemas.ts'
import { Meeting } from '../modules/meetings/meetings.schemas.ts'
import { Outcome } from '../modules/outcomes/outcomes.schemas.ts'
import { sourceProvenance, type SeedProvenance } from './provenance.ts'
import { readData } from './data.ts'

// data/provenance/*.json: where each seeded record was read, and which of its fields are
// judgements. Each file is an object keyed "<kind>:<key>", exactly the arguments the seed gives
// seedId(kind, key) for the row ("activity:commit-spa-1/Activity 1", "outcome:<meeting>/<ref>"),
// each value { sources: [{ document, locator }], inferred?: [{ field, reason }], doubtful?: […] }.
// Files whose name starts with "_" are examples and are not loaded.
//
// Checked when loaded, so a slip fails the seed naming the file and the key: the shape (no
// unknown property), the document keys (data/sources.json), the kind, and each `field` (a
// property of the resource as the API shows it). A seeded row without an entry is stored as
// from the sources with no citation (visible through the API, and test/provenance.test.ts
// fails on it); the seed warns with the keys missing, and with the entries no row used.

/** The seedId kinds of the rows that carry provenance, and the properties their `field`s may name. */
const kinds: Record<string, TSchema> = {
  organization: Organization,
  plan: Plan,
  area: Area,
  activity: Activity,
  project: Project,
  result: ProjectResult,
  task: ProjectTask,
  meeting: Meeting,
  outcome: Outcome,
}

const documents = Object.keys(readData<Record<string, unknown>>('sources.json'))

const Note = Type.Object(
  { field: Type.String({ minLength: 1, maxLength: 100 }), reason: Type.String({ minLength: 1, maxLength: 1000 }) },
  { additionalProperties: false },
)
const Entry = Type.Object(
  {
    sources: Type.Array(
      Type.Object(
        { document: Type.Enum(documents), locator: Type.String({ minLength: 1, maxLength: 200 }) },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 50 },
    ),
    inferred: Type.Optional(Type.Array(Note, { maxItems: 50 })),
    doubtful: Type.Optional(Type.Array(Note, { maxItems: 50 })),
  },
  { additionalProperties: false },
)
const validate = new Ajv({ allErrors: true, strict: false }).compile<SeedProvenance>(Entry)

export class ProvenanceFileError extends Error {}

/** Every entry of every file of `dir`, checked; throws a ProvenanceFileError naming the file and key. */
export function loadProvenanceFiles(dir: URL): Map<string, SeedProvenance> {
  const entries = new Map<string, SeedProvenance>()
  const from = new Map<string, string>()
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.json') && !f.startsWith('_'))
    .sort()
  const problems: string[] = []
  for (const file of files) {
    const where = `data/provenance/${file}`
    let content: unknown
    try {
      content = JSON.parse(readFileSync(new URL(file, dir), 'utf8'))
    } catch (err) {
      throw new ProvenanceFileError(`${where}: ${(err as Error).message}`)
    }
    if (typeof content !== 'object' || content === null || Array.isArray(content))
      throw new ProvenanceFileError(`${where}: must be an object keyed "<kind>:<key>"`)
    for (const [key, value] of Object.entries(content)) {
      const at = `${where}: "${key}"`
      const kind = key.slice(0, key.indexOf(':'))
      if (key.indexOf(':') < 1 || !kinds[kind] || key.length === kind.length + 1) {
        problems.push(`${at}: the key must be "<kind>:<key>" with a kind of ${Object.keys(kinds).join(', ')}`)
        continue
      }
      if (!validate(value)) {
        for (const e of validate.errors ?? [])
          problems.push(
            `${at}${e.instancePath}: ${e.message}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}${e.params && 'allowedValues' in e.params ? ` (${(e.params.allowedValues as string[]).join(', ')})` : ''}`,
          )
        continue
      }
      const properties = (kinds[kind] as { properties: Record<string, unknown> }).properties
      for (const list of ['inferred', 'doubtful'] as const)
        (value[list] ?? []).forEach((n, i) => {
          const top = n.field.split(/[./[]/)[0]!
          if (!(top in properties))
            problems.push(`${at}/${list}/${i}/field: "${n.field}" is not a field of ${kind} records`)
        })
      if (from.has(key)) problems.push(`${at}: also in ${from.get(key)}`)
      from.set(key, where)
      entries.set(key, value)
    }
  }
  if (problems.length) throw new ProvenanceFileError(problems.join('\n'))
  return entries
}

/** A seed run's provenance: what each row stores, and which keys had no entry. */
export class SeedProvenanceData {
  private readonly used = new Set<string>()
  private readonly missed = new Set<string>()
  constructor(private readonly entries: Map<string, SeedProvenance>) {}

  static load(dir = new URL('../../data/provenance/', import.meta.url)) {
    return new SeedProvenanceData(loadProvenanceFiles(dir))
  }

  /** The provenance of the row seedId(kind, key). */
  provenanceFor(kind: string, key: string): ProvenanceValue {
    const name = `${kind}:${key}`
    const entry = this.entries.get(name)
    this.used.add(name)
    if (entry) return sourceProvenance(entry)
    this.missed.add(name)
    return sourceProvenance({ sources: [] })
  }

  /** The same, as the JSON text a row stores. */
  stored(kind: string, key: string): string {
    return JSON.stringify(this.provenanceFor(kind, key))
  }

  /** Seeded rows with no entry. */
  missing(): string[] {
    return [...this.missed].sort()
  }

  /** Entries no seeded row asked for (a key with a slip, or a record the data no longer has). */
  unused(): string[] {
    return [...this.entries.keys()].filter((k) => !this.used.has(k)).sort()
  }

  /** Says what is missing or unused (once per run, at the end of the seed). */
  warn() {
    const missing = this.missing()
    const unused = this.unused()
    if (missing.length)
      process.emitWarning(
        `provenance: ${missing.length} seeded records have no entry in data/provenance/: ${missing.join('; ')}`,
        'SeedWarning',
      )
    if (unused.length)
      process.emitWarning(
        `provenance: ${unused.length} entries of data/provenance/ match no seeded record: ${unused.join('; ')}`,
        'SeedWarning',
      )
  }
}
