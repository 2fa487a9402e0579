import { sql, type Kysely } from 'kysely'

// Planning: plans, their structure (areas), activities, and project proposal concepts with
// expected results and tasks. Child rows that a parent owns outright (an activity's
// organization roles, a project's covered activities and links) go with their parent; anything
// else referenced blocks a delete (409) — so every deletion of a resource with its own id goes
// through the API and reaches the change log.
//
// Indexes: one per filter, and one per documented keyset sort as (sort column, id), prefixed by
// plan_id / project_id where lists are usually filtered by them. Foreign-key columns are indexed
// so that the check on deleting the referenced row does not scan.
export async function up(db: Kysely<any>): Promise<void> {
  const meta = sql`created_at timestamptz(3) not null default now(),
      updated_at timestamptz(3) not null default now(),
      version integer not null default 1`
  const run = async (...statements: ReturnType<typeof sql>[]) => {
    for (const statement of statements) await statement.execute(db)
  }

  await sql`
    create table plans (
      id uuid primary key default gen_random_uuid(),
      code text not null unique check (length(code) between 1 and 100),
      title text not null check (length(title) between 1 and 1000),
      initiative_id uuid references organizations (id),
      status text not null default 'draft' check (status in ('draft', 'adopted', 'active', 'completed', 'superseded')),
      countries text[] not null default '{}',
      start_date date,
      end_date date,
      supersedes_id uuid references plans (id),
      adoption_date date,
      adoption_place text,
      adoption_meeting text,
      description text,
      documents jsonb not null default '[]' check (jsonb_typeof(documents) = 'array'),
      ${meta},
      constraint plans_period check (end_date is null or start_date is null or end_date >= start_date),
      constraint plans_not_own_predecessor check (supersedes_id <> id)
    )`.execute(db)
  await run(
    sql`create index plans_code_id on plans (code, id)`,
    sql`create index plans_created_id on plans (created_at, id)`,
    sql`create index plans_updated_id on plans (updated_at, id)`,
    sql`create index plans_status on plans (status)`,
    sql`create index plans_initiative on plans (initiative_id)`,
    sql`create index plans_supersedes on plans (supersedes_id)`,
    sql`create index plans_countries on plans using gin (countries)`,
    sql`create index plans_search on plans using gin ((code || ' ' || title) gin_trgm_ops)`,
  )

  // A node's parent must be in the same plan: the composite key makes that a database rule, not
  // only a check in the handler. The constraint keeps Postgres' default name so a blocked
  // delete reads "still referenced by areas (parentId)".
  await sql`
    create table areas (
      id uuid primary key default gen_random_uuid(),
      plan_id uuid not null references plans (id),
      parent_id uuid,
      code text not null check (length(code) between 1 and 100),
      title text not null check (length(title) between 1 and 2000),
      kind text not null default 'area' check (kind ~ '^[a-z_]{1,40}$'),
      position integer not null default 0,
      description text,
      ${meta},
      unique (plan_id, code),
      unique (plan_id, id),
      constraint areas_parent_id_fkey foreign key (plan_id, parent_id) references areas (plan_id, id),
      constraint areas_not_own_parent check (parent_id <> id)
    )`.execute(db)
  await run(
    sql`create index areas_plan_code_id on areas (plan_id, code, id)`,
    sql`create index areas_plan_position_id on areas (plan_id, position, id)`,
    sql`create index areas_plan_created_id on areas (plan_id, created_at, id)`,
    sql`create index areas_plan_updated_id on areas (plan_id, updated_at, id)`,
    sql`create index areas_parent on areas (parent_id)`,
    sql`create index areas_search on areas using gin ((code || ' ' || title) gin_trgm_ops)`,
  )

  // related_revision is bumped when the activity's organizations change: they are part of the
  // activity, and bump_version only sees a change of the row itself.
  await sql`
    create table activities (
      id uuid primary key default gen_random_uuid(),
      plan_id uuid not null references plans (id),
      area_id uuid,
      code text not null check (length(code) between 1 and 100),
      title text not null check (length(title) between 1 and 2000),
      description text,
      category text check (category in ('institutional_development', 'research', 'training', 'prevention', 'coordination', 'monitoring')),
      status text not null default 'planned' check (status in ('planned', 'in_progress', 'completed', 'cancelled', 'on_hold')),
      countries text[] not null default '{}',
      planned_start date,
      planned_end date,
      actual_start date,
      actual_end date,
      documents jsonb not null default '[]' check (jsonb_typeof(documents) = 'array'),
      related_revision integer not null default 0,
      ${meta},
      unique (plan_id, code),
      constraint activities_area_id_fkey foreign key (plan_id, area_id) references areas (plan_id, id),
      constraint activities_planned_period check (planned_end is null or planned_start is null or planned_end >= planned_start),
      constraint activities_actual_period check (actual_end is null or actual_start is null or actual_end >= actual_start)
    )`.execute(db)
  await run(
    sql`create index activities_code_id on activities (code, id)`,
    sql`create index activities_plan_code_id on activities (plan_id, code, id)`,
    sql`create index activities_created_id on activities (created_at, id)`,
    sql`create index activities_updated_id on activities (updated_at, id)`,
    sql`create index activities_plan_updated_id on activities (plan_id, updated_at, id)`,
    sql`create index activities_area on activities (area_id)`,
    sql`create index activities_status on activities (status)`,
    sql`create index activities_category on activities (category)`,
    sql`create index activities_countries on activities using gin (countries)`,
    sql`create index activities_search on activities using gin ((code || ' ' || title) gin_trgm_ops)`,
  )

  // position keeps the order the client gave (lead first, as the documents list them).
  await sql`
    create table activity_organizations (
      activity_id uuid not null references activities (id) on delete cascade,
      organization_id uuid not null references organizations (id),
      role text not null check (role in ('lead', 'implementing', 'funding', 'participating')),
      position integer not null default 0,
      primary key (activity_id, organization_id, role)
    )`.execute(db)
  await sql`create index activity_organizations_organization on activity_organizations (organization_id, role)`.execute(
    db,
  )

  await sql`
    create table projects (
      id uuid primary key default gen_random_uuid(),
      plan_id uuid not null references plans (id),
      code text not null check (length(code) between 1 and 100),
      title text not null check (length(title) between 1 and 2000),
      objective text,
      countries text[] not null default '{}',
      notes text[] not null default '{}',
      documents jsonb not null default '[]' check (jsonb_typeof(documents) = 'array'),
      related_revision integer not null default 0,
      ${meta},
      unique (plan_id, code)
    )`.execute(db)
  await run(
    sql`create index projects_code_id on projects (code, id)`,
    sql`create index projects_plan_code_id on projects (plan_id, code, id)`,
    sql`create index projects_created_id on projects (created_at, id)`,
    sql`create index projects_updated_id on projects (updated_at, id)`,
    sql`create index projects_countries on projects using gin (countries)`,
    sql`create index projects_search on projects using gin ((code || ' ' || title) gin_trgm_ops)`,
  )

  await sql`
    create table project_activities (
      project_id uuid not null references projects (id) on delete cascade,
      activity_id uuid not null references activities (id),
      position integer not null default 0,
      primary key (project_id, activity_id)
    )`.execute(db)
  await sql`create index project_activities_activity on project_activities (activity_id)`.execute(db)

  await sql`
    create table project_links (
      project_id uuid not null references projects (id) on delete cascade,
      linked_project_id uuid not null references projects (id),
      position integer not null default 0,
      primary key (project_id, linked_project_id),
      constraint project_links_not_self check (project_id <> linked_project_id)
    )`.execute(db)
  await sql`create index project_links_linked on project_links (linked_project_id)`.execute(db)

  await sql`
    create table project_results (
      id uuid primary key default gen_random_uuid(),
      project_id uuid not null references projects (id),
      position integer not null default 0,
      statement text not null check (length(statement) between 1 and 5000),
      ${meta}
    )`.execute(db)
  await run(
    sql`create index project_results_project_position_id on project_results (project_id, position, id)`,
    sql`create index project_results_project_created_id on project_results (project_id, created_at, id)`,
    sql`create index project_results_project_updated_id on project_results (project_id, updated_at, id)`,
  )

  await sql`
    create table project_tasks (
      id uuid primary key default gen_random_uuid(),
      project_id uuid not null references projects (id),
      phase text not null check (phase in ('preparation', 'core', 'follow_up')),
      title text not null check (length(title) between 1 and 5000),
      status text not null default 'planned' check (status in ('planned', 'in_progress', 'completed', 'cancelled', 'on_hold')),
      due_date date,
      responsible_organization_id uuid references organizations (id),
      position integer not null default 0,
      ${meta}
    )`.execute(db)
  await run(
    sql`create index project_tasks_project_position_id on project_tasks (project_id, position, id)`,
    sql`create index project_tasks_project_phase_position_id on project_tasks (project_id, phase, position, id)`,
    sql`create index project_tasks_project_status on project_tasks (project_id, status)`,
    sql`create index project_tasks_project_created_id on project_tasks (project_id, created_at, id)`,
    sql`create index project_tasks_project_updated_id on project_tasks (project_id, updated_at, id)`,
    sql`create index project_tasks_responsible on project_tasks (responsible_organization_id)`,
  )

  for (const table of ['plans', 'areas', 'activities', 'projects', 'project_results', 'project_tasks']) {
    await sql`create trigger ${sql.raw(`${table}_version`)} before update on ${sql.table(table)} for each row execute function bump_version()`.execute(
      db,
    )
  }
}
