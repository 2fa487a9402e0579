import pg from 'pg'
import { sql } from 'kysely'
import type { Database } from '../src/db/database.ts'
import { insertApiKey } from '../src/modules/api-keys/api-keys.queries.ts'
import { adminUrl, databaseName } from './settings.ts'

// The bench database: dropped and created afresh each run, migrated by the service's own
// migrator (run.ts), then filled with bulk SQL — one statement per table, no row-by-row inserts.

/**
 * One bench at a time on a machine: two runs would drop each other's database and share the
 * cores. The lock is a Postgres advisory lock held by a session that lives as long as the run;
 * a second run waits for it (bounded), saying who holds it.
 */
export async function acquireRunLock(waitSeconds: number, say: (text: string) => void): Promise<() => Promise<void>> {
  const client = new pg.Client({
    connectionString: adminUrl,
    connectionTimeoutMillis: 5000,
    application_name: `apa-bench pid ${process.pid}`,
  })
  await client.connect()
  const key = `hashtext('${databaseName} bench run')`
  const deadline = Date.now() + waitSeconds * 1000
  for (let attempt = 0; ; attempt++) {
    const { rows } = await client.query<{ ok: boolean }>(`select pg_try_advisory_lock(${key}) as ok`)
    if (rows[0]?.ok) return () => client.end()
    if (Date.now() > deadline) {
      await client.end()
      throw new Error(`another bench run still holds the lock after ${waitSeconds} s (BENCH_LOCK_WAIT)`)
    }
    if (attempt % 15 === 0) {
      const holder = await client.query<{ name: string }>(
        `select a.application_name as name from pg_locks l join pg_stat_activity a using (pid) where l.locktype = 'advisory' and l.granted and l.objid = (${key})::oid`,
      )
      say(`waiting for another bench run to finish (${holder.rows[0]?.name || 'unknown holder'})`)
    }
    await new Promise((resolve) => setTimeout(resolve, 2000))
  }
}

export async function recreateDatabase(): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5000 })
  await client.connect()
  try {
    await client.query(`drop database if exists ${databaseName} with (force)`)
    await client.query(`create database ${databaseName}`)
  } finally {
    await client.end()
  }
}

export async function dropDatabase(): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5000 })
  await client.connect()
  try {
    await client.query(`drop database if exists ${databaseName} with (force)`)
  } finally {
    await client.end()
  }
}

// Word lists the names are built from. Each row picks from them with a hash of its number, so
// the dataset is the same on every run (ids too: they are derived from the row number).
const words = {
  ministries: [
    'Labour and Vocational Training',
    'Social Development and Human Security',
    'Justice',
    'Foreign Affairs',
    'Public Security',
    "Women's Affairs",
    'Health',
    'Education, Youth and Sport',
    'Home Affairs',
    'Social Welfare',
    'Immigration',
    'Tourism',
    'Manpower',
    'Agriculture and Fisheries',
  ],
  bodies: ['Task Force', 'Committee', 'Coordination Body', 'Steering Committee', 'Secretariat'],
  agencies: [
    'Office on Drugs and Crime',
    "Children's Fund",
    'Development Programme',
    'Population Fund',
    'Entity for Gender Equality',
    'High Commissioner for Refugees',
    'Inter-Agency Project',
  ],
  regional: ['ASEAN', 'SAARC', 'Bali Process', 'COMMIT', 'Colombo Process', 'Mekong', 'Pacific Islands'],
  forums: [
    'Working Group on',
    'Secretariat for',
    'Technical Committee on',
    'Senior Officials Meeting on',
    'Regional Support Office for',
  ],
  topics: [
    'Trafficking in Persons',
    'Labour Migration',
    'Child Protection',
    'Victim Support',
    'Border Management',
    'Transnational Crime',
    'Safe Migration',
    'Forced Labour',
  ],
  services: [
    'Police',
    'Border Guard',
    'Labour Inspectorate',
    "Prosecutors' Office",
    'Immigration Department',
    'Social Services',
    'Coast Guard',
  ],
  units: [
    'Anti-Trafficking Unit',
    'Division against Human Trafficking',
    'Coordination Office',
    'Victim Identification Team',
  ],
  adjectives: [
    'Hope',
    'Bright',
    'Green',
    'Safe',
    'New',
    'Open',
    'United',
    'Mekong',
    'Coastal',
    'Rural',
    'Youth',
    "Women's",
    "Children's",
    'Community',
    'Migrant',
    'Freedom',
    'Dignity',
    'Horizon',
    'Lotus',
    'Harbour',
    'Golden',
    'Friends',
  ],
  nouns: [
    'Futures',
    'Path',
    'Bridge',
    'Shelter',
    'Voices',
    'Action',
    'Alliance',
    'Network',
    'Light',
    'Home',
    'Rights',
    'Justice',
    'Care',
    'Hands',
    'Circle',
    'Compass',
  ],
  ngoForms: ['Foundation', 'Association', 'Initiative', 'Project', 'Centre', 'Society', 'Trust'],
  donorForms: ['Development Agency', 'Embassy Small Grants Fund', 'Aid Programme', 'Cooperation Office'],
  schools: ['Training Centre', 'Academy', 'Learning Institute', 'Police Academy'],
  firms: ['Co., Ltd.', 'Group', 'Holdings', 'Garments', 'Seafood', 'Recruitment Agency', 'Logistics', 'Hotels'],
  academies: [
    'Institute for Migration Studies',
    'Centre for Human Rights',
    'Faculty of Law',
    'Institute of Social Research',
    'Department of Criminology',
  ],
}

const kinds: string[] = [
  ...Array(6).fill('ngo'),
  ...Array(4).fill('government'),
  'national_task_force',
  'un_agency',
  'intergovernmental',
  ...Array(2).fill('sectoral_body'),
  'donor',
  'training_centre',
  ...Array(2).fill('private_sector'),
  'academic',
]

const textArray = (values: readonly string[]) => sql`${values}::text[]`

/** A deterministic, version-4-shaped UUID per row number, so a parent can be an earlier row of the same insert. */
const orgId = (n: string) =>
  sql`overlay(overlay(md5('bench-organization-' || ${sql.raw(n)}) placing '4' from 13) placing '8' from 17)::uuid`

/** Inserts `count` organizations in one statement; returns how many there are afterwards. */
export async function loadOrganizations(db: Database, count: number): Promise<number> {
  // h1…h6: independent hashes of the row number in [0, 2^32), picking words, kinds and dates.
  const pick = (list: keyof typeof words, h: string) =>
    sql`(${textArray(words[list])})[1 + ${sql.raw(h)} % ${words[list].length}]`
  await sql`
    with c as (
      select array_agg(code order by code) as codes, array_agg(name order by code) as names, count(*)::int as n from countries
    ),
    r as (
      select g,
        hashint4(g)::bigint + 2147483648 as h1, hashint4(g + 100000000)::bigint + 2147483648 as h2,
        hashint4(g + 200000000)::bigint + 2147483648 as h3, hashint4(g + 300000000)::bigint + 2147483648 as h4,
        hashint4(g + 400000000)::bigint + 2147483648 as h5, hashint4(g + 500000000)::bigint + 2147483648 as h6
      from generate_series(1, ${count}::int) g
    ),
    o as (
      select r.*, k.kind,
        case when k.kind in ('intergovernmental', 'donor') or (k.kind = 'un_agency' and h2 % 3 = 0) or (k.kind = 'ngo' and h2 % 10 = 0) then null
             else 1 + h2 % c.n end as ci,
        now() - make_interval(secs => (h5 % (12 * 365 * 86400))::float8) as created
      from r cross join c
      cross join lateral (select (${textArray(kinds)})[1 + r.h1 % ${kinds.length}] as kind) k
    ),
    n as (
      select o.*, c.codes[ci] as country_code, coalesce(c.names[ci], 'Asia-Pacific') as country,
        case kind
          when 'government' then 'Ministry of ' || ${pick('ministries', 'h3')} || ', ' || coalesce(c.names[ci], 'Asia-Pacific')
          when 'national_task_force' then 'National ' || ${pick('bodies', 'h3')} || ' against ' || ${pick('topics', 'h4')} || ', ' || coalesce(c.names[ci], '')
          when 'un_agency' then 'United Nations ' || ${pick('agencies', 'h3')} || coalesce(' – ' || c.names[ci] || ' Office', ' Regional Office')
          when 'intergovernmental' then ${pick('regional', 'h3')} || ' ' || ${pick('forums', 'h4')} || ' ' || ${pick('topics', 'h6')}
          when 'sectoral_body' then coalesce(c.names[ci], '') || ' ' || ${pick('services', 'h3')} || ' ' || ${pick('units', 'h4')}
          when 'ngo' then ${pick('adjectives', 'h3')} || ' ' || ${pick('nouns', 'h4')} || ' ' || ${pick('ngoForms', 'h6')} || coalesce(' ' || c.names[ci], '')
          when 'donor' then ${pick('adjectives', 'h3')} || ' ' || ${pick('donorForms', 'h4')}
          when 'training_centre' then ${pick('adjectives', 'h3')} || ' ' || ${pick('schools', 'h4')} || coalesce(', ' || c.names[ci], '')
          when 'private_sector' then ${pick('adjectives', 'h3')} || ' ' || ${pick('nouns', 'h4')} || ' ' || ${pick('firms', 'h6')}
          else ${pick('academies', 'h3')} || ', University of ' || coalesce(c.names[ci], 'the Pacific')
        end as name
      from o cross join c
    )
    insert into organizations (id, name, acronym, kind, country_code, parent_id, website, description, created_at, updated_at, version)
    select
      ${orgId('g')},
      left(name, 300),
      case when h6 % 2 = 0 then nullif(left(regexp_replace(initcap(name), '[^A-Z]', '', 'g'), 12), '') end,
      kind,
      country_code,
      -- about one in twelve belongs to an earlier organization (a unit under a ministry, a country office)
      case when g > 100 and h4 % 12 = 0 then ${orgId('(1 + h5 % (g - 1))')} end,
      case when h2 % 5 < 3 then 'https://www.' || btrim(lower(regexp_replace(left(name, 40), '[^A-Za-z]+', '-', 'g')), '-') || '.org' end,
      case when h3 % 5 < 3 then 'Works on ' || lower(${pick('topics', 'h5')}) || ' in ' || country || ' with government, civil society and international partners; '
        || 'member of the national referral network since ' || (2004 + h1 % 20) || '.' end,
      created,
      case when h4 % 10 < 3 then created else created + (now() - created) * ((h6 % 1001) / 1000.0) end,
      case when h4 % 10 < 3 then 1 else 2 + (h1 % 7)::int end
    from n`.execute(db)
  const row = await sql<{ n: number }>`select count(*)::int as n from organizations`.execute(db)
  return row.rows[0]!.n
}

/** Statistics and visibility maps for the planner, as a long-running database would have them. */
export async function analyze(db: Database): Promise<void> {
  await sql`vacuum (analyze)`.execute(db)
}

/** An admin key: every request is authenticated, so the auth mechanism is measured too. */
export async function createAdminKey(db: Database): Promise<string> {
  const key = await insertApiKey(db, { name: 'bench', organizationId: null, scopes: ['admin'], countries: null })
  return key.token
}
