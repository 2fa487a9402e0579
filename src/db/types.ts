import type { ColumnType, Generated } from 'kysely'

// Table rows as Kysely sees them (camelCase through CamelCasePlugin). These describe storage,
// not the API: API shapes are the TypeBox schemas in each module.

// Set by defaults and the bump_version trigger, never by queries.
type CreatedAt = ColumnType<Date, never, never>
type UpdatedAt = ColumnType<Date, never, never>
type Version = ColumnType<number, never, never>

export interface Timestamps {
  createdAt: CreatedAt
  updatedAt: UpdatedAt
  version: Version
}

export interface CountryTable extends Timestamps {
  code: string
  name: string
  region: string | null
  subregion: string | null
}

export interface OrganizationTable extends Timestamps {
  id: Generated<string>
  name: string
  acronym: string | null
  kind: string
  countryCode: string | null
  parentId: string | null
  website: string | null
  description: string | null
}

export interface ApiKeyTable {
  id: Generated<string>
  name: string
  prefix: string
  secretHash: string
  organizationId: string | null
  scopes: string[]
  countries: string[] | null
  createdAt: CreatedAt
  revokedAt: Date | null
}

export interface ChangeTable {
  id: Generated<number>
  txid: Generated<string>
  resource: string
  resourceId: string
  operation: 'create' | 'update' | 'delete'
  version: number
  actorKeyId: string | null
  fields: string[]
  occurredAt: CreatedAt
}

export interface IdempotencyKeyTable {
  scope: string
  key: string
  requestHash: string
  state: 'in_flight' | 'done'
  responseStatus: number | null
  responseHeaders: Record<string, string> | null
  responseBody: string | null
  createdAt: Generated<Date>
  lockedAt: Generated<Date>
}

export interface DB {
  countries: CountryTable
  organizations: OrganizationTable
  apiKeys: ApiKeyTable
  changes: ChangeTable
  idempotencyKeys: IdempotencyKeyTable
}
