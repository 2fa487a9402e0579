import { sql, type Kysely } from 'kysely'

// Meetings (SOMs, seminars, workshops …) and their outcomes.
//
// A meeting row holds its whole state: the ids it links to (organizers, activities, projects)
// as arrays in the order the client gave, and its agenda, documents and attendance as jsonb.
// Any change to any of them is then a change of the row, so the bump_version trigger moves the
// version (the ETag) exactly when the representation changes. The meeting_* link tables below
// mirror the id arrays only so that foreign keys hold (an activity a meeting serves cannot be
// deleted: 409) and so the activityId/projectId filters have an index; the queries module writes
// both in the same statement sequence of one transaction.
//
// Outcomes follow the same pattern for their responsible organizations, which lets the batch
// upsert compare a whole outcome in one `is distinct from` and leave equal rows untouched.
export async function up(db: Kysely<any>): Promise<void> {
  const meta = sql`created_at timestamptz(3) not null default now(),
      updated_at timestamptz(3) not null default now(),
      version integer not null default 1`

  await sql`
    create table meetings (
      id uuid primary key default gen_random_uuid(),
      plan_id uuid references plans (id),
      kind text not null check (kind in ('senior_officials', 'ministerial', 'regional_seminar',
        'subregional_seminar', 'workshop', 'roundtable', 'bilateral', 'technical_working_group',
        'consultation')),
      title text not null check (length(title) between 1 and 1000),
      sequence text check (length(sequence) between 1 and 100),
      status text not null default 'planned' check (status in ('planned', 'confirmed', 'held', 'postponed', 'cancelled')),
      start_date date,
      end_date date,
      -- Keyset pagination needs a NOT NULL sort key: undated meetings sort after every date.
      -- Not a generated column: bump_version compares NEW and OLD in a BEFORE trigger, where a
      -- generated column is still null, so every update would look like a change.
      start_sort date not null check (start_sort = coalesce(start_date, 'infinity'::date)),
      time_zone text check (length(time_zone) between 1 and 100),
      venue_city text check (length(venue_city) between 1 and 200),
      venue_country char(2) references countries (code),
      countries text[] not null default '{}',
      organizer_ids uuid[] not null default '{}',
      activity_ids uuid[] not null default '{}',
      project_ids uuid[] not null default '{}',
      agenda jsonb not null default '[]',
      documents jsonb not null default '[]',
      attendance jsonb not null default '[]',
      description text,
      ${meta},
      constraint meetings_end_needs_start check (end_date is null or start_date is not null),
      constraint meetings_period check (end_date is null or start_date is null or end_date >= start_date)
    )`.execute(db)
  await sql`create trigger meetings_version before update on meetings for each row execute function bump_version()`.execute(
    db,
  )
  // Keyset sorts walk (sort key, id).
  await sql`create index meetings_start_id on meetings (start_sort, id)`.execute(db)
  await sql`create index meetings_title_id on meetings (title, id)`.execute(db)
  await sql`create index meetings_created_id on meetings (created_at, id)`.execute(db)
  await sql`create index meetings_updated_id on meetings (updated_at, id)`.execute(db)
  // Filters.
  await sql`create index meetings_plan on meetings (plan_id)`.execute(db)
  await sql`create index meetings_kind on meetings (kind)`.execute(db)
  await sql`create index meetings_status on meetings (status)`.execute(db)
  await sql`create index meetings_venue_country on meetings (venue_country)`.execute(db)
  await sql`create index meetings_countries on meetings using gin (countries)`.execute(db)
  await sql`create index meetings_end on meetings ((coalesce(end_date, start_date)))`.execute(db)
  await sql`create index meetings_search on meetings using gin ((title || ' ' || coalesce(sequence, '')) gin_trgm_ops)`.execute(
    db,
  )

  await sql`
    create table meeting_organizers (
      meeting_id uuid not null references meetings (id) on delete cascade,
      organization_id uuid not null references organizations (id),
      primary key (meeting_id, organization_id)
    )`.execute(db)
  await sql`create index meeting_organizers_organization on meeting_organizers (organization_id)`.execute(db)
  await sql`
    create table meeting_activities (
      meeting_id uuid not null references meetings (id) on delete cascade,
      activity_id uuid not null references activities (id),
      primary key (meeting_id, activity_id)
    )`.execute(db)
  await sql`create index meeting_activities_activity on meeting_activities (activity_id, meeting_id)`.execute(db)
  await sql`
    create table meeting_projects (
      meeting_id uuid not null references meetings (id) on delete cascade,
      project_id uuid not null references projects (id),
      primary key (meeting_id, project_id)
    )`.execute(db)
  await sql`create index meeting_projects_project on meeting_projects (project_id, meeting_id)`.execute(db)

  await sql`
    create table outcomes (
      id uuid primary key default gen_random_uuid(),
      meeting_id uuid not null references meetings (id) on delete cascade,
      external_ref text check (length(external_ref) between 1 and 200),
      kind text not null check (kind in ('decision', 'recommendation', 'agreement', 'action_item', 'finding')),
      text text not null check (length(text) between 1 and 20000),
      status text check (status in ('open', 'in_progress', 'done', 'dropped')),
      due_date date,
      due_sort date not null check (due_sort = coalesce(due_date, 'infinity'::date)), -- as meetings.start_sort
      activity_id uuid references activities (id),
      project_id uuid references projects (id),
      responsible_organization_ids uuid[] not null default '{}',
      ${meta},
      -- The poster's own id: re-posting a batch finds the outcomes it created.
      constraint outcomes_meeting_id_external_ref_key unique (meeting_id, external_ref),
      constraint outcomes_status_for_action_items check ((kind = 'action_item') = (status is not null)),
      constraint outcomes_due_for_action_items check (kind = 'action_item' or due_date is null)
    )`.execute(db)
  await sql`create trigger outcomes_version before update on outcomes for each row execute function bump_version()`.execute(
    db,
  )
  await sql`create index outcomes_meeting_created_id on outcomes (meeting_id, created_at, id)`.execute(db)
  await sql`create index outcomes_created_id on outcomes (created_at, id)`.execute(db)
  await sql`create index outcomes_updated_id on outcomes (updated_at, id)`.execute(db)
  await sql`create index outcomes_due_id on outcomes (due_sort, id)`.execute(db)
  // The secretariat's follow-up list: open action items by due date.
  await sql`create index outcomes_status_due_id on outcomes (status, due_sort, id) where status is not null`.execute(db)
  await sql`create index outcomes_kind on outcomes (kind)`.execute(db)
  // Partial: most outcomes link to no activity or project, and a batch of 1 000 then pays for no
  // entry. (No trigram index on the text: it would triple the cost of a batch.)
  await sql`create index outcomes_activity on outcomes (activity_id) where activity_id is not null`.execute(db)
  await sql`create index outcomes_project on outcomes (project_id) where project_id is not null`.execute(db)

  await sql`
    create table outcome_responsible_organizations (
      outcome_id uuid not null references outcomes (id) on delete cascade,
      organization_id uuid not null references organizations (id),
      primary key (outcome_id, organization_id)
    )`.execute(db)
  await sql`create index outcome_responsible_organizations_organization on outcome_responsible_organizations (organization_id, outcome_id)`.execute(
    db,
  )
}
