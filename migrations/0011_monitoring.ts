import { sql, type Kysely } from 'kysely'

// Monitoring and evaluation (DESIGN §2): indicators, their baselines and targets, the
// measurements countries report, the history of changes to verified values, period locks, and
// frozen report snapshots.
//
// Periods are stored as written (`2006`, `2006S1`, `2006Q3`, `2006-07`) beside the first and
// last day they cover, so that ranges, locks and reports compare dates, not strings.
// Measurements are unique per (indicator, period, country, sex) with NULLS NOT DISTINCT: a
// regional value (no country) and a total (no sex) are one row each, and posting the same key
// again updates it (the batch is one INSERT … ON CONFLICT on that constraint).
export async function up(db: Kysely<any>): Promise<void> {
  const meta = sql`created_at timestamptz(3) not null default now(),
      updated_at timestamptz(3) not null default now(),
      version integer not null default 1`
  const provenance = (table: string) =>
    sql`provenance jsonb constraint ${sql.raw(`${table}_provenance_object`)} check (jsonb_typeof(provenance) = 'object')`

  await sql`
    create table indicators (
      id uuid primary key default gen_random_uuid(),
      plan_id uuid not null references plans (id),
      code text not null check (length(code) between 1 and 100),
      title text not null check (length(title) between 1 and 1000),
      definition text,
      unit text not null check (unit in ('count', 'percent', 'boolean', 'currency', 'ratio')),
      direction text not null default 'increase' check (direction in ('increase', 'decrease', 'maintain')),
      aggregation text not null default 'sum' check (aggregation in ('sum', 'mean', 'latest', 'min', 'max')),
      frequency text not null default 'six_monthly' check (frequency in ('six_monthly', 'annual', 'quarterly', 'monthly', 'once')),
      area_id uuid references areas (id),
      project_id uuid references projects (id),
      result_id uuid references project_results (id),
      activity_id uuid references activities (id),
      data_source text,
      disaggregations text[] not null default '{country}',
      ${provenance('indicators')},
      ${meta},
      constraint indicators_code unique (plan_id, code)
    )`.execute(db)
  await sql`create trigger indicators_version before update on indicators for each row execute function bump_version()`.execute(
    db,
  )
  await sql`create index indicators_code_id on indicators (code, id)`.execute(db)
  await sql`create index indicators_created_id on indicators (created_at, id)`.execute(db)
  await sql`create index indicators_updated_id on indicators (updated_at, id)`.execute(db)
  for (const c of ['area_id', 'project_id', 'result_id', 'activity_id'])
    await sql`create index ${sql.raw(`indicators_${c}`)} on indicators (${sql.raw(c)})`.execute(db)
  await sql`create index indicators_search on indicators using gin ((code || ' ' || title) gin_trgm_ops)`.execute(db)

  await sql`
    create table indicator_targets (
      id uuid primary key default gen_random_uuid(),
      indicator_id uuid not null references indicators (id) on delete cascade,
      period text not null check (length(period) between 4 and 7),
      period_start date not null,
      period_end date not null,
      country char(2) references countries (code),
      baseline double precision,
      target double precision,
      comment text,
      ${provenance('indicator_targets')},
      ${meta},
      constraint indicator_targets_key unique nulls not distinct (indicator_id, period, country),
      constraint indicator_targets_value check (baseline is not null or target is not null)
    )`.execute(db)
  await sql`create trigger indicator_targets_version before update on indicator_targets for each row execute function bump_version()`.execute(
    db,
  )

  await sql`
    create table measurements (
      id uuid primary key default gen_random_uuid(),
      indicator_id uuid not null references indicators (id),
      period text not null check (length(period) between 4 and 7),
      period_start date not null,
      period_end date not null,
      country char(2) references countries (code),
      sex text check (sex in ('female', 'male')),
      value double precision not null,
      status text not null default 'draft' check (status in ('draft', 'submitted', 'verified')),
      source text,
      comment text,
      reporting_organization_id uuid references organizations (id),
      ${provenance('measurements')},
      ${meta},
      constraint measurements_key unique nulls not distinct (indicator_id, period, country, sex)
    )`.execute(db)
  await sql`create trigger measurements_version before update on measurements for each row execute function bump_version()`.execute(
    db,
  )
  await sql`create index measurements_indicator_start on measurements (indicator_id, period_start, id)`.execute(db)
  await sql`create index measurements_updated_id on measurements (updated_at, id)`.execute(db)

  // Every change of a measurement that was already submitted or verified: the value and status
  // before and after, who changed it and why (a verified value changes only with a reason).
  await sql`
    create table measurement_history (
      id bigint generated always as identity primary key,
      measurement_id uuid not null references measurements (id) on delete cascade,
      version integer not null,
      value_before double precision,
      status_before text,
      value_after double precision,
      status_after text,
      reason text,
      actor_key_id uuid,
      changed_at timestamptz(3) not null default now()
    )`.execute(db)
  await sql`create index measurement_history_measurement on measurement_history (measurement_id, id)`.execute(db)

  await sql`
    create table period_locks (
      id uuid primary key default gen_random_uuid(),
      plan_id uuid not null references plans (id) on delete cascade,
      period text not null check (length(period) between 4 and 7),
      period_start date not null,
      period_end date not null,
      reason text,
      ${provenance('period_locks')},
      ${meta},
      constraint period_locks_key unique (plan_id, period)
    )`.execute(db)
  await sql`create trigger period_locks_version before update on period_locks for each row execute function bump_version()`.execute(
    db,
  )

  // A report as it was sent: the figures frozen, so it can always be reproduced.
  await sql`
    create table report_snapshots (
      id uuid primary key default gen_random_uuid(),
      plan_id uuid not null references plans (id) on delete cascade,
      period text not null check (length(period) between 4 and 7),
      report jsonb not null,
      note text,
      ${provenance('report_snapshots')},
      ${meta}
    )`.execute(db)
  await sql`create trigger report_snapshots_version before update on report_snapshots for each row execute function bump_version()`.execute(
    db,
  )
  await sql`create index report_snapshots_plan_period on report_snapshots (plan_id, period, created_at, id)`.execute(db)

  for (const t of [
    'indicators',
    'indicator_targets',
    'measurements',
    'measurement_history',
    'period_locks',
    'report_snapshots',
  ])
    await sql`select watch_table(${t})`.execute(db)
}
