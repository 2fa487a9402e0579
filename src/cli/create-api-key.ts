import { migrateToLatest } from '../db/migrator.ts'
import { insertApiKey, scopes, type Scope } from '../modules/api-keys/api-keys.queries.ts'
import { findOrganizationByIdOrAcronym } from '../modules/organizations/organizations.queries.ts'
import { insertChanges } from '../http/writes.queries.ts'
import { flags, withDatabase } from './run.ts'

// npm run key:create -- --name "Lao focal point" --scopes read,indicators:write --countries LA --organization UNIAP
const f = flags()
await withDatabase(async (db) => {
  const wanted = (f.scopes ?? 'read')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
  const bad = wanted.filter((s) => !(scopes as readonly string[]).includes(s))
  if (bad.length) throw new Error(`Unknown scope(s): ${bad.join(', ')}. Known: ${scopes.join(', ')}`)
  const countries = f.countries ? f.countries.split(',').map((c) => c.trim().toUpperCase()) : null
  await migrateToLatest(db)
  let organizationId: string | null = null
  if (f.organization) {
    const org = await findOrganizationByIdOrAcronym(db, f.organization)
    if (!org) throw new Error(`No organization with id or acronym ${f.organization}`)
    organizationId = org.id
  }
  // Like every key operation, a change record (without the secret), in the same transaction.
  const key = await db.transaction().execute(async (trx) => {
    const made = await insertApiKey(trx, {
      name: f.name ?? 'unnamed key',
      organizationId,
      scopes: wanted as Scope[],
      countries,
    })
    await insertChanges(trx, null, [
      {
        resource: 'api-key',
        resourceId: made.id,
        operation: 'create',
        version: made.version,
        fields: ['name', 'scopes', 'countries', 'organizationId'],
      },
    ])
    return made
  })
  console.log(
    JSON.stringify(
      { id: key.id, name: key.name, scopes: key.scopes, countries: key.countries, organizationId: key.organizationId },
      null,
      2,
    ),
  )
  console.log(`\nAPI key (shown once, store it now):\n${key.token}`)
})
