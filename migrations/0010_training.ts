import { sql, type Kysely } from 'kysely'

// Training courses (PPC 1's six sub-regional courses, PPC 2's bilateral trainings) and their
// participants.
//
// Capacity is kept by the database, not by the API process: every enrolment, status change and
// withdrawal locks its course row (SELECT … FOR UPDATE) and counts the seats held under that
// lock, so concurrent requests on one course are serialized and confirmations never exceed
// max_participants nor a country's quota. The (course_id, status, country) index makes the count
// cheap; the (course_id, status, queued_at, id) index gives the waitlist in order.
//
// Participants hold personal data (name, contact, scores). They are a table of their own, not
// jsonb on the course, so that the course's version (its ETag, readable by anyone) does not move
// with a participant's name, and so the change log names a participant's changed fields, never
// their values.
export async function up(db: Kysely<any>): Promise<void> {
  const meta = sql`created_at timestamptz(3) not null default now(),
      updated_at timestamptz(3) not null default now(),
      version integer not null default 1`

  await sql`
    create table training_courses (
      id uuid primary key default gen_random_uuid(),
      plan_id uuid references plans (id),
      activity_id uuid references activities (id),
      project_id uuid references projects (id),
      title text not null check (length(title) between 1 and 1000),
      topic text not null check (topic in ('human_rights', 'safe_repatriation', 'recovery_reintegration',
        'prevention', 'research_evaluation', 'monitoring_evaluation', 'structural_vulnerability', 'justice_legal',
        'law_enforcement', 'other')),
      level text not null default 'basic' check (level in ('basic', 'advanced')),
      scope text not null default 'subregional' check (scope in ('subregional', 'bilateral', 'national')),
      status text not null default 'planned' check (status in ('planned', 'open', 'full', 'in_progress', 'completed', 'cancelled')),
      provider_id uuid references organizations (id),
      venue_city text check (length(venue_city) between 1 and 200),
      venue_country char(2) references countries (code),
      countries text[] not null default '{}',
      start_date date,
      end_date date,
      start_sort date not null check (start_sort = coalesce(start_date, 'infinity'::date)),
      min_duration_days integer check (min_duration_days between 1 and 366),
      min_participants integer not null default 20 check (min_participants >= 0),
      max_participants integer not null default 30 check (max_participants between 1 and 10000),
      quotas jsonb not null default '[]',
      trainers text[] not null default '{}',
      materials jsonb not null default '[]',
      description text,
      provenance jsonb,
      ${meta},
      constraint training_courses_period check (end_date is null or start_date is null or end_date >= start_date),
      constraint training_courses_min_max check (min_participants <= max_participants)
    )`.execute(db)
  await sql`create trigger training_courses_version before update on training_courses for each row execute function bump_version()`.execute(
    db,
  )
  await sql`create index training_courses_start_id on training_courses (start_sort, id)`.execute(db)
  await sql`create index training_courses_title_id on training_courses (title, id)`.execute(db)
  await sql`create index training_courses_created_id on training_courses (created_at, id)`.execute(db)
  await sql`create index training_courses_updated_id on training_courses (updated_at, id)`.execute(db)
  await sql`create index training_courses_plan on training_courses (plan_id)`.execute(db)
  await sql`create index training_courses_activity on training_courses (activity_id)`.execute(db)
  await sql`create index training_courses_project on training_courses (project_id)`.execute(db)
  await sql`create index training_courses_countries on training_courses using gin (countries)`.execute(db)
  await sql`create index training_courses_search on training_courses using gin (title gin_trgm_ops)`.execute(db)

  await sql`
    create table training_participants (
      id uuid primary key default gen_random_uuid(),
      course_id uuid not null references training_courses (id) on delete cascade,
      external_ref text check (length(external_ref) between 1 and 200),
      name text not null check (length(name) between 1 and 300),
      sex text not null default 'unspecified' check (sex in ('female', 'male', 'unspecified')),
      country char(2) references countries (code),
      organization_id uuid references organizations (id),
      occupation_group text not null default 'other' check (occupation_group in ('police', 'prosecutor', 'judge',
        'immigration', 'labour_inspector', 'social_worker', 'other')),
      contact text check (length(contact) between 1 and 300),
      status text not null default 'nominated' check (status in ('nominated', 'confirmed', 'waitlisted', 'withdrawn',
        'attended', 'completed')),
      -- The waitlist's order: when the participant last asked for a seat.
      queued_at timestamptz(6) not null default clock_timestamp(),
      days_attended integer check (days_attended between 0 and 366),
      pre_score numeric(5, 2) check (pre_score between 0 and 100),
      post_score numeric(5, 2) check (post_score between 0 and 100),
      provenance jsonb,
      ${meta},
      constraint training_participants_course_external_ref_key unique (course_id, external_ref)
    )`.execute(db)
  await sql`create trigger training_participants_version before update on training_participants for each row execute function bump_version()`.execute(
    db,
  )
  await sql`create index training_participants_seats on training_participants (course_id, status, country)`.execute(db)
  await sql`create index training_participants_queue on training_participants (course_id, status, queued_at, id)`.execute(
    db,
  )
  await sql`create index training_participants_course_created_id on training_participants (course_id, created_at, id)`.execute(
    db,
  )
  await sql`create index training_participants_organization on training_participants (organization_id)`.execute(db)

  await sql`select watch_table('training_courses')`.execute(db)
  await sql`select watch_table('training_participants')`.execute(db)
}
