import { sql, type Kysely } from 'kysely'

// Meetings whose dates are known only to the month or the year ("January and February 2005").
// start_date and end_date then hold the first and the last day of the months (or years) known,
// so the period filters, which keep the meetings whose [start_date, end_date] overlaps the
// period asked for, find them, and a date inside the months matches. Each rule is its own
// constraint so that a violation names the field that breaks it.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table meetings
      add column date_precision text not null default 'day'
        constraint meetings_date_precision check (date_precision in ('day', 'month', 'year')),
      add constraint meetings_precision_start check (date_precision = 'day' or start_date is not null),
      add constraint meetings_precision_end check (date_precision = 'day' or end_date is not null),
      add constraint meetings_month_start check (date_precision <> 'month' or extract(day from start_date) = 1),
      add constraint meetings_month_end check (date_precision <> 'month' or extract(day from end_date + 1) = 1),
      add constraint meetings_year_start check (date_precision <> 'year' or (extract(month from start_date), extract(day from start_date)) = (1, 1)),
      add constraint meetings_year_end check (date_precision <> 'year' or (extract(month from end_date), extract(day from end_date)) = (12, 31))`.execute(
    db,
  )
}
