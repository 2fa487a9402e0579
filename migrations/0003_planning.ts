import { sql, type Kysely } from 'kysely'

// Planning: plans, their structure (areas), activities, and project proposal concepts with
// expected results and tasks. Child rows that a parent owns outright (an activity's
// organization roles, a project's covered activities and links) go with their parent; anything
// else referenced blocks a delete (409).
export async function up(db: Kysely<any>): Promise<void> {
  const meta = sql`created_at timestamptz(3) not null default now(),
      updated_at timestamptz(3) not null default now(),
      version integer not null default 1`

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
      documents jsonb not null default '[]',
      ${meta},
      constraint plans_period check (end_date is null or start_date is null or end_date >= start_date),
      constraint plans_not_own_predecessor check (supersedes_id <> id)
    )`.execute(db)

  await sql`
    create table areas (
      id uuid primary key default gen_random_uuid(),
      plan_id uuid not null references plans (id),
      parent_id uuid references areas (id),
      code text not null check (length(code) between 1 and 100),
      title text not null check (length(title) between 1 and 2000),
      kind text not null default 'area' check (kind ~ '^[a-z_]{1,40}$'),
      position integer not null default 0,
      description text,
      ${meta},
      unique (plan_id, code)
    )`.execute(db)

  await sql`
    create table activities (
      id uuid primary key default gen_random_uuid(),
      plan_id uuid not null references plans (id),
      area_id uuid references areas (id),
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
      documents jsonb not null default '[]',
      ${meta},
      unique (plan_id, code),
      constraint activities_planned_period check (planned_end is null or planned_start is null or planned_end >= planned_start),
      constraint activities_actual_period check (actual_end is null or actual_start is null or actual_end >= actual_start)
    )`.execute(db)

  await sql`
    create table activity_organizations (
      activity_id uuid not null references activities (id) on delete cascade,
      organization_id uuid not null references organizations (id),
      role text not null check (role in ('lead', 'implementing', 'funding', 'participating')),
      primary key (activity_id, organization_id, role)
    )`.execute(db)

  await sql`
    create table projects (
      id uuid primary key default gen_random_uuid(),
      plan_id uuid not null references plans (id),
      code text not null check (length(code) between 1 and 100),
      title text not null check (length(title) between 1 and 2000),
      objective text,
      countries text[] not null default '{}',
      notes text[] not null default '{}',
      documents jsonb not null default '[]',
      ${meta},
      unique (plan_id, code)
    )`.execute(db)

  await sql`
    create table project_activities (
      project_id uuid not null references projects (id) on delete cascade,
      activity_id uuid not null references activities (id),
      primary key (project_id, activity_id)
    )`.execute(db)

  await sql`
    create table project_links (
      project_id uuid not null references projects (id) on delete cascade,
      linked_project_id uuid not null references projects (id),
      primary key (project_id, linked_project_id),
      check (project_id <> linked_project_id)
    )`.execute(db)

  await sql`
    create table project_results (
      id uuid primary key default gen_random_uuid(),
      project_id uuid not null references projects (id),
      position integer not null default 0,
      statement text not null check (length(statement) between 1 and 5000),
      ${meta}
    )`.execute(db)

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

  for (const table of ['plans', 'areas', 'activities', 'projects', 'project_results', 'project_tasks']) {
    await sql`create trigger ${sql.raw(`${table}_version`)} before update on ${sql.table(table)} for each row execute function bump_version()`.execute(db)
  }
}
