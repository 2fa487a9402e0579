import { sql, type Kysely } from 'kysely'

// Values the source documents give, and no more (the provenance issue, item 2):
// - plans: `status` may be null (not known: no document says where the plan is in its life);
//   the adoption is a span of days, months or a year, as known ("20 and 21 December 2001",
//   "September 2005", "2002"); `milestones` hold the other dated steps of a plan's making (the
//   framework it elaborates agreed at a meeting, drafting, consultations); `region` is the region
//   the plan covers, in the words of its documents.
// - activities: `wordings`, the activity's text as each document words it (framework and plan).
// - project tasks: the numbers their text gives (six courses of at least five days, 20–30 people).
// - projects: a short descriptive `name` (the toolkit's names for COMMIT's twelve items).
// - meetings: `kind` may be null (not known); kinds `conference` and `summit`; status `option`:
//   one of the alternatives a plan lists, not a planned event.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table plans
      alter column status drop not null,
      add column region text constraint plans_region_length check (length(region) between 1 and 200),
      add column adoption_end_date date,
      add column adoption_date_precision text
        constraint plans_adoption_date_precision check (adoption_date_precision in ('day', 'month', 'year')),
      add column milestones jsonb not null default '[]'
        constraint plans_milestones_array check (jsonb_typeof(milestones) = 'array'),
      add constraint plans_adoption_precision_needs_date check ((adoption_date is null) = (adoption_date_precision is null)),
      add constraint plans_adoption_end_needs_date check (adoption_end_date is null or adoption_date is not null),
      add constraint plans_adoption_period check (adoption_end_date is null or adoption_end_date >= adoption_date)`.execute(
    db,
  )
  await sql`create index plans_region on plans (region)`.execute(db)

  await sql`
    alter table activities
      add column wordings jsonb not null default '[]'
        constraint activities_wordings_array check (jsonb_typeof(wordings) = 'array')`.execute(db)

  await sql`alter table projects add column name text constraint projects_name_length check (length(name) between 1 and 300)`.execute(
    db,
  )

  await sql`
    alter table project_tasks
      add column quantity integer constraint project_tasks_quantity check (quantity >= 0),
      add column duration_days jsonb,
      add column participants jsonb`.execute(db)

  await sql`
    alter table meetings
      alter column kind drop not null,
      drop constraint meetings_kind_check,
      add constraint meetings_kind_check check (kind in ('senior_officials', 'ministerial', 'summit', 'conference',
        'regional_seminar', 'subregional_seminar', 'workshop', 'roundtable', 'bilateral', 'technical_working_group',
        'consultation')),
      drop constraint meetings_status_check,
      add constraint meetings_status_check check (status in ('option', 'planned', 'confirmed', 'held', 'postponed', 'cancelled'))`.execute(
    db,
  )
}
