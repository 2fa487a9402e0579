import { sql, type Kysely } from 'kysely'

// Partner integration: key management over the API (rotation with an overlap, last use), webhook
// subscriptions and their deliveries, and the webhook dispatcher's cursor over the change log.
//
// The change log itself (changes, migration 0001) is the feed and the outbox: nothing here copies
// it. Deliveries are queued in pg-boss's own schema (created by pg-boss when the queue starts);
// webhook_deliveries is the record a partner reads (status, attempts, response code, last error).
export async function up(db: Kysely<any>): Promise<void> {
  // Rotation keeps the prefix and replaces the secret; the previous secret's hash stays valid
  // until previous_expires_at. last_used_at is written at most once a minute per key.
  await sql`
    alter table api_keys
      add column updated_at timestamptz(3) not null default now(),
      add column version integer not null default 1,
      add column last_used_at timestamptz(3),
      add column expires_at timestamptz(3),
      add column previous_secret_hash text,
      add column previous_expires_at timestamptz(3),
      add column rotated_at timestamptz(3),
      add column created_by_key_id uuid`.execute(db)
  // api_keys and webhook_deliveries are not watched (migration 0007): only admin routes read them,
  // which the read cache never keeps, and last use and delivery attempts would empty every
  // node's cache for nothing.

  // The feed reads in (txid, id) order below the oldest running transaction, so a transaction
  // that commits late can never land behind a cursor already handed out (docs/integration.md).
  await sql`create index changes_txid_id on changes (txid, id)`.execute(db)
  // Retention is a horizon in time: the newest change older than it is one index probe.
  await sql`create index changes_occurred_at on changes (occurred_at)`.execute(db)

  await sql`
    create table webhook_subscriptions (
      id uuid primary key default gen_random_uuid(),
      url text not null check (length(url) between 1 and 2000),
      secret text not null check (length(secret) between 16 and 200),
      event_types text[] not null,
      active boolean not null default true,
      description text check (length(description) <= 1000),
      -- Changes with an id above this are delivered: those recorded after the subscription.
      after_change_id bigint not null default 0,
      provenance jsonb,
      created_at timestamptz(3) not null default now(),
      updated_at timestamptz(3) not null default now(),
      version integer not null default 1
    )`.execute(db)
  await sql`create trigger webhook_subscriptions_version before update on webhook_subscriptions for each row execute function bump_version()`.execute(
    db,
  )
  await sql`create index webhook_subscriptions_created_id on webhook_subscriptions (created_at, id)`.execute(db)
  await sql`select watch_table('webhook_subscriptions')`.execute(db)

  // One row per (subscription, change): its id is the X-Delivery-Id, the same on every retry.
  // The body is stored as sent so every attempt signs the same bytes.
  await sql`
    create table webhook_deliveries (
      id uuid primary key default gen_random_uuid(),
      subscription_id uuid not null references webhook_subscriptions (id) on delete cascade,
      change_id bigint not null,
      event_type text not null,
      payload text not null,
      status text not null default 'pending' check (status in ('pending', 'succeeded', 'failed')),
      attempts integer not null default 0,
      response_status integer,
      last_error text,
      job_id uuid,
      last_attempt_at timestamptz(3),
      delivered_at timestamptz(3),
      provenance jsonb,
      created_at timestamptz(3) not null default now(),
      updated_at timestamptz(3) not null default now(),
      unique (subscription_id, change_id)
    )`.execute(db)
  await sql`create index webhook_deliveries_subscription on webhook_deliveries (subscription_id, created_at, id)`.execute(
    db,
  )

  // Readers of the change log that keep their place in the database (the webhook dispatcher):
  // one row each, locked while a node reads on, so two nodes never dispatch the same changes.
  await sql`
    create table change_cursors (
      name text primary key,
      last_txid xid8 not null default '0',
      last_id bigint not null default 0,
      updated_at timestamptz(3) not null default now()
    )`.execute(db)
}
