import { readFileSync } from 'node:fs'
import type { Database } from '../db/database.ts'
import { insertChanges, type ChangeInput } from '../modules/changes/changes.queries.ts'
import { upsertOrganization } from '../modules/organizations/organizations.queries.ts'
import { changedFields } from '../plugins/writes.ts'
import { seedId } from './ids.ts'

// Loads data/ (transcribed from the seed documents) idempotently: rows keep name-based ids, an
// equal row is not touched, and only real inserts and updates are written to the change log.

const dataDir = new URL('../../data/', import.meta.url)
const readJson = <T>(path: string): T => JSON.parse(readFileSync(new URL(path, dataDir), 'utf8')) as T

interface OrganizationSeed {
  key: string
  name: string
  acronym: string | null
  kind: string
  country: string | null
  parent: string | null
}

export interface SeedReport {
  created: number
  updated: number
  unchanged: number
}

export async function seedDatabase(db: Database): Promise<SeedReport> {
  const report: SeedReport = { created: 0, updated: 0, unchanged: 0 }
  await db.transaction().execute(async (trx) => {
    const changes: ChangeInput[] = []
    const orgs = [...readJson<OrganizationSeed[]>('organizations.json'), ...readOptional<OrganizationSeed[]>('organizations.extra.json', [])]
    for (const org of parentsFirst(orgs)) {
      const id = seedId('organization', org.key)
      const input = {
        name: org.name,
        acronym: org.acronym,
        kind: org.kind as never,
        country: org.country,
        parentId: org.parent ? seedId('organization', org.parent) : null,
        website: null,
        description: null,
      }
      const { row, outcome } = await upsertOrganization(trx, id, input)
      report[outcome]++
      if (row) changes.push({ resource: 'organization', resourceId: id, operation: outcome === 'created' ? 'create' : 'update', version: row.version, fields: outcome === 'created' ? Object.keys(input) : changedFields({}, input) })
    }
    await insertChanges(trx, null, changes)
  })
  return report
}

function readOptional<T>(path: string, fallback: T): T {
  try {
    return readJson<T>(path)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return fallback
    throw err
  }
}

/** Orders entries so a parent is always inserted before its children. */
function parentsFirst<T extends { key: string; parent: string | null }>(items: T[]): T[] {
  const byKey = new Map(items.map((i) => [i.key, i]))
  const out: T[] = []
  const done = new Set<string>()
  const visit = (item: T) => {
    if (done.has(item.key)) return
    done.add(item.key)
    const parent = item.parent ? byKey.get(item.parent) : undefined
    if (parent) visit(parent)
    out.push(item)
  }
  items.forEach(visit)
  return out
}
