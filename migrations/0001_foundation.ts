import { sql, type Kysely } from 'kysely'

// Foundation: the shared mechanisms' tables (changes, idempotency, api keys), the version
// trigger every resource table uses, and the first two resources.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create extension if not exists pg_trgm`.execute(db)

  // Every resource row carries version (its ETag) and updated_at; the trigger bumps both on any
  // real change, so no query can forget to, and an update that changes nothing bumps nothing.
  await sql`
    create function bump_version() returns trigger language plpgsql as $$
    begin
      new.version := old.version;
      new.created_at := old.created_at;
      new.updated_at := old.updated_at;
      if row(new.*) is distinct from row(old.*) then
        new.version := old.version + 1;
        new.updated_at := now();
      end if;
      return new;
    end $$`.execute(db)

  await sql`
    create table countries (
      code char(2) primary key check (code ~ '^[A-Z]{2}$'),
      name text not null,
      region text,
      subregion text,
      created_at timestamptz(3) not null default now(),
      updated_at timestamptz(3) not null default now(),
      version integer not null default 1
    )`.execute(db)
  await sql`create index countries_name_trgm on countries using gin (name gin_trgm_ops)`.execute(db)

  await sql`
    create table organizations (
      id uuid primary key default gen_random_uuid(),
      name text not null check (length(name) between 1 and 300),
      acronym text check (length(acronym) between 1 and 50),
      kind text not null check (kind in ('government', 'national_task_force', 'un_agency',
        'intergovernmental', 'sectoral_body', 'ngo', 'donor', 'training_centre',
        'private_sector', 'academic')),
      country_code char(2) references countries (code),
      parent_id uuid references organizations (id),
      website text,
      description text,
      created_at timestamptz(3) not null default now(),
      updated_at timestamptz(3) not null default now(),
      version integer not null default 1,
      constraint organizations_not_own_parent check (parent_id <> id)
    )`.execute(db)
  await sql`create trigger organizations_version before update on organizations for each row execute function bump_version()`.execute(
    db,
  )
  // Keyset pagination walks (sort key, id); one index per documented sort.
  await sql`create index organizations_name_id on organizations (name, id)`.execute(db)
  await sql`create index organizations_created_id on organizations (created_at, id)`.execute(db)
  await sql`create index organizations_updated_id on organizations (updated_at, id)`.execute(db)
  await sql`create index organizations_kind on organizations (kind)`.execute(db)
  await sql`create index organizations_country on organizations (country_code)`.execute(db)
  await sql`create index organizations_parent on organizations (parent_id)`.execute(db)
  await sql`create index organizations_search on organizations using gin ((name || ' ' || coalesce(acronym, '')) gin_trgm_ops)`.execute(
    db,
  )

  await sql`
    create table api_keys (
      id uuid primary key default gen_random_uuid(),
      name text not null,
      prefix text not null unique,
      secret_hash text not null,
      organization_id uuid references organizations (id),
      scopes text[] not null,
      countries text[],
      created_at timestamptz(3) not null default now(),
      revoked_at timestamptz(3)
    )`.execute(db)

  // The audit log, and later the change feed and the webhook outbox. txid orders commits for
  // the feed: an identity value alone can become visible out of order.
  await sql`
    create table changes (
      id bigint generated always as identity primary key,
      txid xid8 not null default pg_current_xact_id(),
      resource text not null,
      resource_id text not null,
      operation text not null check (operation in ('create', 'update', 'delete')),
      version integer not null,
      actor_key_id uuid,
      fields text[] not null default '{}',
      occurred_at timestamptz(3) not null default now()
    )`.execute(db)
  await sql`create index changes_resource on changes (resource, resource_id)`.execute(db)

  await sql`
    create table idempotency_keys (
      scope text not null,
      key text not null,
      request_hash text not null,
      state text not null check (state in ('in_flight', 'done')),
      response_status integer,
      response_headers jsonb,
      response_body text,
      created_at timestamptz(3) not null default now(),
      locked_at timestamptz(3) not null default now(),
      primary key (scope, key)
    )`.execute(db)
  await sql`create index idempotency_keys_created on idempotency_keys (created_at)`.execute(db)
}
