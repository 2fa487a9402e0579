import { upsertOrganization } from '../modules/organizations/organizations.queries.ts'
import type { OrganizationCreateT } from '../modules/organizations/organizations.schemas.ts'
import { readData } from './data.ts'
import { seedId } from '../schemas/seed-ids.ts'
import { tally, type SeedContext } from './index.ts'
import { fillMissingProvenance } from '../db/provenance.queries.ts'

interface OrganizationSeed {
  key: string
  name: string
  acronym: string | null
  kind: OrganizationCreateT['kind']
  country: string | null
  parent: string | null
}

export async function seedOrganizations(ctx: SeedContext) {
  const orgs = [
    ...readData<OrganizationSeed[]>('organizations.json'),
    ...readData<OrganizationSeed[]>('organizations.extra.json', []),
  ]
  // Rows written before migration 0008 get their provenance first (see seededRows).
  await fillMissingProvenance(
    ctx.trx,
    'organizations',
    orgs.map((o) => ({ id: seedId('organization', o.key), provenance: ctx.provenance.stored('organization', o.key) })),
  )
  for (const org of parentsFirst(orgs)) {
    const id = seedId('organization', org.key)
    if (ctx.edited.has(id)) {
      ctx.report.kept++
      continue
    }
    const input = {
      name: org.name,
      acronym: org.acronym,
      kind: org.kind,
      country: org.country,
      parentId: org.parent ? seedId('organization', org.parent) : null,
      website: null,
      description: null,
    }
    const provenance = ctx.provenance.provenanceFor('organization', org.key)
    const { row, outcome } = await upsertOrganization(ctx.trx, id, input, provenance)
    tally(ctx, 'organization', id, outcome, row?.version, [...Object.keys(input), 'provenance'])
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
