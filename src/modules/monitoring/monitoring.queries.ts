import { sql, type Selectable } from 'kysely'
import { inferredIs } from '../../db/provenance.queries.ts'
import type { Database } from '../../db/database.ts'
import type { IndicatorTable, IndicatorTargetTable, MeasurementTable, PeriodLockTable } from '../../db/types.ts'
import { keyset, type PageRequest, type SortTable } from '../../http/pagination.ts'
import { likePattern } from '../../db/text.ts'
import { provenanceOf, type ProvenanceValue } from '../../schemas/provenance.ts'
import type {
  IndicatorFilters,
  IndicatorT,
  IndicatorTargetT,
  MeasurementFilters,
  MeasurementT,
  PeriodLockT,
} from './monitoring.schemas.ts'

// Every SQL statement of indicators, targets, measurements and period locks. The batch's write
// is one statement for any number of values (upsertMeasurements); reads for progress and
// reports load a plan's indicators, targets and values in three statements.

export type IndicatorRow = Selectable<IndicatorTable>
export type TargetRow = Selectable<IndicatorTargetTable>
export type MeasurementRow = Selectable<MeasurementTable>
export type LockRow = Selectable<PeriodLockTable>

export const indicatorSortTable: SortTable = {
  code: { column: 'indicators.code_sort', value: (r: IndicatorRow) => r.codeSort },
  createdAt: { column: 'indicators.created_at', value: (r: IndicatorRow) => r.createdAt },
  updatedAt: { column: 'indicators.updated_at', value: (r: IndicatorRow) => r.updatedAt },
}
export const measurementSortTable: SortTable = {
  period: { column: 'measurements.period_start', value: (r: MeasurementRow) => r.periodStart },
  updatedAt: { column: 'measurements.updated_at', value: (r: MeasurementRow) => r.updatedAt },
}

export function toIndicator(r: IndicatorRow): IndicatorT {
  return {
    id: r.id,
    planId: r.planId,
    code: r.code,
    title: r.title,
    definition: r.definition,
    unit: r.unit as IndicatorT['unit'],
    direction: r.direction as IndicatorT['direction'],
    aggregation: r.aggregation as IndicatorT['aggregation'],
    frequency: r.frequency as IndicatorT['frequency'],
    areaId: r.areaId,
    projectId: r.projectId,
    resultId: r.resultId,
    activityId: r.activityId,
    dataSource: r.dataSource,
    disaggregations: r.disaggregations as IndicatorT['disaggregations'],
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    version: r.version,
    provenance: provenanceOf(r.provenance),
  }
}

export function toTarget(r: TargetRow): IndicatorTargetT {
  return {
    id: r.id,
    indicatorId: r.indicatorId,
    period: r.period,
    country: r.country,
    baseline: r.baseline,
    target: r.target,
    comment: r.comment,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    version: r.version,
    provenance: provenanceOf(r.provenance),
  }
}

export function toMeasurement(r: MeasurementRow): MeasurementT {
  return {
    id: r.id,
    indicatorId: r.indicatorId,
    period: r.period,
    country: r.country,
    sex: r.sex as MeasurementT['sex'],
    value: r.value,
    status: r.status as MeasurementT['status'],
    source: r.source,
    comment: r.comment,
    reportingOrganizationId: r.reportingOrganizationId,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    version: r.version,
    provenance: provenanceOf(r.provenance),
  }
}

export function toLock(r: LockRow): PeriodLockT {
  return {
    id: r.id,
    planId: r.planId,
    period: r.period,
    reason: r.reason,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    version: r.version,
    provenance: provenanceOf(r.provenance),
  }
}

// Indicators ---------------------------------------------------------------------------------

export function listIndicators(db: Database, f: IndicatorFilters, page: PageRequest) {
  let q = db.selectFrom('indicators').selectAll()
  if (f.planId) q = q.where('planId', '=', f.planId)
  if (f.areaId) q = q.where('areaId', '=', f.areaId)
  if (f.projectId) q = q.where('projectId', '=', f.projectId)
  if (f.resultId) q = q.where('resultId', '=', f.resultId)
  if (f.activityId) q = q.where('activityId', '=', f.activityId)
  if (f.frequency) q = q.where('frequency', '=', f.frequency)
  if (f.q) q = q.where(sql<boolean>`(indicators.code || ' ' || indicators.title) ilike ${likePattern(f.q)}`)
  if (f.updatedSince) q = q.where('updatedAt', '>=', f.updatedSince)
  if (f.inferred !== undefined) q = q.where(inferredIs('indicators', f.inferred))
  return keyset(q, page.sort, page.after, page.limit).execute()
}

export function getIndicator(db: Database, id: string) {
  return db.selectFrom('indicators').selectAll().where('id', '=', id).executeTakeFirst()
}

export function lockIndicator(db: Database, id: string) {
  return db.selectFrom('indicators').selectAll().where('id', '=', id).forUpdate().executeTakeFirst()
}

export type IndicatorState = Omit<IndicatorT, 'id' | 'createdAt' | 'updatedAt' | 'version' | 'provenance'>

export function insertIndicator(db: Database, s: IndicatorState, provenance: ProvenanceValue) {
  return db
    .insertInto('indicators')
    .values({ ...s, provenance: JSON.stringify(provenance) })
    .returningAll()
    .executeTakeFirstOrThrow()
}

export function updateIndicator(db: Database, id: string, s: IndicatorState) {
  return db.updateTable('indicators').set(s).where('id', '=', id).returningAll().executeTakeFirstOrThrow()
}

export function deleteIndicator(db: Database, id: string) {
  return db.deleteFrom('indicators').where('id', '=', id).execute()
}

/** A plan's member countries (an indicator belongs to them); empty for an unknown plan. */
export async function planCountries(db: Database, planId: string): Promise<string[]> {
  const row = await db.selectFrom('plans').select('countries').where('id', '=', planId).executeTakeFirst()
  return row?.countries ?? []
}

/** The indicators of these ids (the batch's, in one statement). */
export function indicatorsByIds(db: Database, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([] as IndicatorRow[])
  return db.selectFrom('indicators').selectAll().where(sql<boolean>`id = any(${ids}::uuid[])`).execute()
}

/** Which of an indicator's links (area, project, result, activity) do not exist in its plan. */
export async function foreignLinks(
  db: Database,
  planId: string,
  links: { areaId: string | null; projectId: string | null; resultId: string | null; activityId: string | null },
): Promise<string[]> {
  const row = await sql<{ areaId: boolean; projectId: boolean; resultId: boolean; activityId: boolean }>`
    select
      ${links.areaId}::uuid is null or exists (select 1 from areas where id = ${links.areaId}::uuid and plan_id = ${planId}::uuid) as area_id,
      ${links.projectId}::uuid is null or exists (select 1 from projects where id = ${links.projectId}::uuid and plan_id = ${planId}::uuid) as project_id,
      ${links.resultId}::uuid is null or exists (select 1 from project_results r join projects p on p.id = r.project_id
        where r.id = ${links.resultId}::uuid and p.plan_id = ${planId}::uuid) as result_id,
      ${links.activityId}::uuid is null or exists (select 1 from activities where id = ${links.activityId}::uuid and plan_id = ${planId}::uuid) as activity_id`.execute(
    db,
  )
  const ok = row.rows[0]!
  return (['areaId', 'projectId', 'resultId', 'activityId'] as const).filter((k) => !ok[k])
}

export async function countMeasurements(db: Database, indicatorId: string): Promise<number> {
  const r = await db
    .selectFrom('measurements')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('indicatorId', '=', indicatorId)
    .executeTakeFirstOrThrow()
  return Number(r.n)
}

// Targets ------------------------------------------------------------------------------------

export function listTargets(db: Database, indicatorIds: string[]) {
  if (indicatorIds.length === 0) return Promise.resolve([] as TargetRow[])
  return db
    .selectFrom('indicatorTargets')
    .selectAll()
    .where(sql<boolean>`indicator_id = any(${indicatorIds}::uuid[])`)
    .orderBy('periodStart')
    .orderBy('periodEnd', 'desc')
    .orderBy('country')
    .execute()
}

export function getTarget(db: Database, indicatorId: string, id: string) {
  return db
    .selectFrom('indicatorTargets')
    .selectAll()
    .where('id', '=', id)
    .where('indicatorId', '=', indicatorId)
    .forUpdate()
    .executeTakeFirst()
}

export interface TargetState {
  period: string
  periodStart: string
  periodEnd: string
  country: string | null
  baseline: number | null
  target: number | null
  comment: string | null
}

/** Upserts by (indicator, period, country); says whether it inserted, and null when nothing changed. */
export async function upsertTarget(db: Database, indicatorId: string, s: TargetState, provenance: ProvenanceValue) {
  const { rows } = await sql<TargetRow & { inserted: boolean }>`
    insert into indicator_targets as t (indicator_id, period, period_start, period_end, country, baseline, target, comment, provenance)
    values (${indicatorId}::uuid, ${s.period}, ${s.periodStart}::date, ${s.periodEnd}::date, ${s.country}, ${s.baseline}::float8,
      ${s.target}::float8, ${s.comment}, ${JSON.stringify(provenance)}::jsonb)
    on conflict on constraint indicator_targets_key do update set baseline = excluded.baseline, target = excluded.target, comment = excluded.comment
    where (t.baseline, t.target, t.comment) is distinct from (excluded.baseline, excluded.target, excluded.comment)
    returning t.*, (t.xmax = 0) as inserted`.execute(db)
  const row = rows[0]
  if (!row) return undefined
  const { inserted, ...rest } = row
  return { row: { ...rest, createdAt: iso(rest.createdAt), updatedAt: iso(rest.updatedAt) } as TargetRow, inserted }
}

const iso = (t: unknown) => new Date(t as string).toISOString()

/** A target by its key (for an upsert that changed nothing). */
export function findTarget(db: Database, indicatorId: string, period: string, country: string | null) {
  return db
    .selectFrom('indicatorTargets')
    .selectAll()
    .where('indicatorId', '=', indicatorId)
    .where('period', '=', period)
    .where(sql<boolean>`country is not distinct from ${country}`)
    .executeTakeFirst()
}

export function deleteTarget(db: Database, id: string) {
  return db.deleteFrom('indicatorTargets').where('id', '=', id).execute()
}

// Measurements -------------------------------------------------------------------------------

export function listMeasurements(db: Database, f: MeasurementFilters, page: PageRequest) {
  let q = db.selectFrom('measurements').selectAll().where('indicatorId', '=', f.indicatorId)
  if (f.period) q = q.where('period', '=', f.period)
  if (f.from) q = q.where(sql<boolean>`period_end >= ${f.from}::date`)
  if (f.to) q = q.where(sql<boolean>`period_start <= ${f.to}::date`)
  if (f.country) q = f.country === 'none' ? q.where('country', 'is', null) : q.where('country', '=', f.country)
  if (f.sex) q = f.sex === 'none' ? q.where('sex', 'is', null) : q.where('sex', '=', f.sex)
  if (f.status) q = q.where('status', '=', f.status)
  if (f.updatedSince) q = q.where('updatedAt', '>=', f.updatedSince)
  return keyset(q, page.sort, page.after, page.limit).execute()
}

export function getMeasurement(db: Database, id: string) {
  return db.selectFrom('measurements').selectAll().where('id', '=', id).executeTakeFirst()
}

/** A value by its key (period, country, sex). */
export function findMeasurement(
  db: Database,
  indicatorId: string,
  period: string,
  country: string | null,
  sex: string | null,
) {
  return db
    .selectFrom('measurements')
    .selectAll()
    .where('indicatorId', '=', indicatorId)
    .where('period', '=', period)
    .where(sql<boolean>`country is not distinct from ${country} and sex is not distinct from ${sex}`)
    .executeTakeFirst()
}

export function lockMeasurement(db: Database, id: string) {
  return db.selectFrom('measurements').selectAll().where('id', '=', id).forUpdate().executeTakeFirst()
}

export function deleteMeasurement(db: Database, id: string) {
  return db.deleteFrom('measurements').where('id', '=', id).execute()
}

/**
 * The stored values that a batch may touch: those of its indicators and periods (one statement
 * on the unique index's leading columns); the caller matches them on country and sex.
 */
export function existingMeasurements(db: Database, indicatorIds: string[], periods: string[]) {
  if (indicatorIds.length === 0) return Promise.resolve([] as Pick<MeasurementRow, ExistingColumns>[])
  return db
    .selectFrom('measurements')
    .select(existingColumns)
    .where(sql<boolean>`indicator_id = any(${indicatorIds}::uuid[]) and period = any(${periods}::text[])`)
    .execute()
}
const existingColumns = [
  'id',
  'indicatorId',
  'period',
  'country',
  'sex',
  'value',
  'status',
  'source',
  'comment',
  'reportingOrganizationId',
  'version',
] as const
type ExistingColumns = (typeof existingColumns)[number]
export type ExistingMeasurement = Pick<MeasurementRow, ExistingColumns>

export interface MeasurementWrite {
  indicatorId: string
  period: string
  periodStart: string
  periodEnd: string
  country: string | null
  sex: string | null
  value: number
  status: string
  source: string | null
  comment: string | null
  reportingOrganizationId: string | null
}

export interface Written {
  id: string
  version: number
  inserted: boolean
  indicatorId: string
  period: string
  country: string | null
  sex: string | null
}

/**
 * One statement for any number of values: INSERT … SELECT FROM unnest(arrays) ON CONFLICT on
 * (indicator, period, country, sex) DO UPDATE only where a value differs. Returns the rows it
 * inserted (xmax = 0) or updated; the rest were unchanged. Keys must be distinct.
 */
export async function upsertMeasurements(
  db: Database,
  items: MeasurementWrite[],
  provenance: ProvenanceValue,
): Promise<Written[]> {
  if (items.length === 0) return []
  const col = <K extends keyof MeasurementWrite>(k: K) => items.map((i) => i[k])
  const { rows } = await sql<Written>`
    insert into measurements as m (indicator_id, period, period_start, period_end, country, sex, value, status, source, comment,
      reporting_organization_id, provenance)
    select x.indicator_id, x.period, x.period_start, x.period_end, x.country, x.sex, x.value, x.status, x.source, x.comment,
      x.reporting_organization_id, ${JSON.stringify(provenance)}::jsonb
    from unnest(${col('indicatorId')}::uuid[], ${col('period')}::text[], ${col('periodStart')}::date[], ${col('periodEnd')}::date[],
      ${col('country')}::text[], ${col('sex')}::text[], ${col('value')}::float8[], ${col('status')}::text[], ${col('source')}::text[],
      ${col('comment')}::text[], ${col('reportingOrganizationId')}::uuid[])
      as x(indicator_id, period, period_start, period_end, country, sex, value, status, source, comment, reporting_organization_id)
    on conflict on constraint measurements_key do update set value = excluded.value, status = excluded.status,
      source = excluded.source, comment = excluded.comment, reporting_organization_id = excluded.reporting_organization_id
    where (m.value, m.status, m.source, m.comment, m.reporting_organization_id)
      is distinct from (excluded.value, excluded.status, excluded.source, excluded.comment, excluded.reporting_organization_id)
    returning m.id, m.version, (m.xmax = 0) as inserted, m.indicator_id, m.period, m.country, m.sex`.execute(db)
  return rows
}

export interface HistoryEntry {
  measurementId: string
  version: number
  valueBefore: number | null
  statusBefore: string | null
  valueAfter: number | null
  statusAfter: string | null
  reason: string | null
}

/** Appends history entries in one statement. */
export async function insertHistory(db: Database, actorKeyId: string | null, entries: HistoryEntry[]) {
  if (entries.length === 0) return
  const col = <K extends keyof HistoryEntry>(k: K) => entries.map((e) => e[k])
  await sql`
    insert into measurement_history (measurement_id, version, value_before, status_before, value_after, status_after, reason, actor_key_id)
    select x.*, ${actorKeyId}::uuid from unnest(${col('measurementId')}::uuid[], ${col('version')}::int[], ${col('valueBefore')}::float8[],
      ${col('statusBefore')}::text[], ${col('valueAfter')}::float8[], ${col('statusAfter')}::text[], ${col('reason')}::text[])
      as x(measurement_id, version, value_before, status_before, value_after, status_after, reason)`.execute(db)
}

export function measurementHistory(db: Database, measurementId: string) {
  return db
    .selectFrom('measurementHistory')
    .select([
      'version',
      'valueBefore',
      'statusBefore',
      'valueAfter',
      'statusAfter',
      'reason',
      'actorKeyId',
      'changedAt',
    ])
    .where('measurementId', '=', measurementId)
    .orderBy('id')
    .limit(10000)
    .execute()
}

// Period locks -------------------------------------------------------------------------------

export function listLocks(db: Database, planIds: string[]) {
  if (planIds.length === 0) return Promise.resolve([] as LockRow[])
  return db
    .selectFrom('periodLocks')
    .selectAll()
    .where(sql<boolean>`plan_id = any(${planIds}::uuid[])`)
    .orderBy('periodStart')
    .orderBy('periodEnd', 'desc')
    .execute()
}

export function insertLock(
  db: Database,
  planId: string,
  p: { period: string; start: string; end: string },
  reason: string | null,
  provenance: ProvenanceValue,
) {
  return db
    .insertInto('periodLocks')
    .values({
      planId,
      period: p.period,
      periodStart: p.start,
      periodEnd: p.end,
      reason,
      provenance: JSON.stringify(provenance),
    })
    .returningAll()
    .executeTakeFirstOrThrow()
}

export function getLock(db: Database, planId: string, id: string) {
  return db
    .selectFrom('periodLocks')
    .selectAll()
    .where('id', '=', id)
    .where('planId', '=', planId)
    .forUpdate()
    .executeTakeFirst()
}

export function deleteLock(db: Database, id: string) {
  return db.deleteFrom('periodLocks').where('id', '=', id).execute()
}

// For the IATI export (integration) ---------------------------------------------------------

interface IatiValue {
  period: string
  country: string | null
  value: number
}

export interface IatiIndicator {
  id: string
  code: string
  title: string
  unit: string
  direction: string
  activityId: string | null
  projectId: string | null
  resultId: string | null
  baselines: IatiValue[]
  targets: IatiValue[]
  actuals: IatiValue[]
}

/**
 * A plan's indicators with their baselines, targets and actuals (submitted and verified totals,
 * no sex breakdown), for IATI's result/indicator. Three statements, whatever the plan's size.
 */
export async function indicatorsForIati(db: Database, planId: string): Promise<IatiIndicator[]> {
  const indicators = await db
    .selectFrom('indicators')
    .select(['id', 'code', 'title', 'unit', 'direction', 'activityId', 'projectId', 'resultId'])
    .where('planId', '=', planId)
    .orderBy('codeSort')
    .orderBy('id')
    .execute()
  const ids = indicators.map((i) => i.id)
  const targets = await listTargets(db, ids)
  const actuals = ids.length
    ? await db
        .selectFrom('measurements')
        .select(['indicatorId', 'period', 'country', 'value'])
        .where(sql<boolean>`indicator_id = any(${ids}::uuid[])`)
        .where('status', 'in', ['submitted', 'verified'])
        .where('sex', 'is', null)
        .orderBy('periodStart')
        .orderBy('country')
        .execute()
    : []
  return indicators.map((i) => ({
    ...i,
    baselines: targets
      .filter((t) => t.indicatorId === i.id && t.baseline !== null)
      .map((t) => ({ period: t.period, country: t.country, value: t.baseline! })),
    targets: targets
      .filter((t) => t.indicatorId === i.id && t.target !== null)
      .map((t) => ({ period: t.period, country: t.country, value: t.target! })),
    actuals: actuals
      .filter((a) => a.indicatorId === i.id)
      .map((a) => ({ period: a.period, country: a.country, value: a.value })),
  }))
}

// The seed ----------------------------------------------------------------------------------

export interface SeedIndicatorRow {
  id: string
  planId: string
  code: string
  title: string
  definition: string | null
  unit: string
  direction: string
  aggregation: string
  frequency: string
  projectId: string | null
  resultId: string | null
  activityId: string | null
  dataSource: string | null
  disaggregations: string[]
  provenance: string
}

/** Upserts seeded indicators by id, leaving equal rows alone; returns those written. */
export async function upsertSeedIndicators(db: Database, rows: SeedIndicatorRow[]) {
  if (rows.length === 0) return []
  const cols = [
    'plan_id',
    'code',
    'title',
    'definition',
    'unit',
    'direction',
    'aggregation',
    'frequency',
    'project_id',
    'result_id',
    'activity_id',
    'data_source',
    'disaggregations',
    'provenance',
  ]
  const { rows: out } = await sql<{ id: string; version: number; inserted: boolean }>`
    insert into indicators as i (id, ${sql.raw(cols.join(', '))})
    select * from jsonb_to_recordset(${JSON.stringify(rows.map((r) => ({ ...r, provenance: JSON.parse(r.provenance) })))}::jsonb)
      as x(id uuid, "planId" uuid, code text, title text, definition text, unit text, direction text, aggregation text, frequency text,
        "projectId" uuid, "resultId" uuid, "activityId" uuid, "dataSource" text, disaggregations text[], provenance jsonb)
    on conflict (id) do update set ${sql.raw(cols.map((c) => `${c} = excluded.${c}`).join(', '))}
    where (${sql.raw(cols.map((c) => `i.${c}`).join(', '))}) is distinct from (${sql.raw(cols.map((c) => `excluded.${c}`).join(', '))})
    returning i.id, i.version, (i.xmax = 0) as inserted`.execute(db)
  return out
}

export interface SeedTargetRow {
  id: string
  indicatorId: string
  period: string
  periodStart: string
  periodEnd: string
  target: number | null
  baseline: number | null
  provenance: string
}

/** Upserts seeded targets by id, leaving equal rows alone; returns those written. */
export async function upsertSeedTargets(db: Database, rows: SeedTargetRow[]) {
  if (rows.length === 0) return []
  const { rows: out } = await sql<{ id: string; version: number; inserted: boolean }>`
    insert into indicator_targets as t (id, indicator_id, period, period_start, period_end, target, baseline, provenance)
    select * from jsonb_to_recordset(${JSON.stringify(rows.map((r) => ({ ...r, provenance: JSON.parse(r.provenance) })))}::jsonb)
      as x(id uuid, "indicatorId" uuid, period text, "periodStart" date, "periodEnd" date, target float8, baseline float8, provenance jsonb)
    on conflict (id) do update set period = excluded.period, period_start = excluded.period_start, period_end = excluded.period_end,
      target = excluded.target, baseline = excluded.baseline, provenance = excluded.provenance
    where (t.period, t.target, t.baseline, t.provenance) is distinct from (excluded.period, excluded.target, excluded.baseline, excluded.provenance)
    returning t.id, t.version, (t.xmax = 0) as inserted`.execute(db)
  return out
}

/** Sample values for a demonstration: inserted only where no value exists (a real one is never replaced). */
export async function insertSampleMeasurements(db: Database, items: MeasurementWrite[], provenance: ProvenanceValue) {
  if (items.length === 0) return 0
  const col = <K extends keyof MeasurementWrite>(k: K) => items.map((i) => i[k])
  const r = await sql`
    insert into measurements (indicator_id, period, period_start, period_end, country, sex, value, status, source, comment, provenance)
    select x.*, ${JSON.stringify(provenance)}::jsonb
    from unnest(${col('indicatorId')}::uuid[], ${col('period')}::text[], ${col('periodStart')}::date[], ${col('periodEnd')}::date[],
      ${col('country')}::text[], ${col('sex')}::text[], ${col('value')}::float8[], ${col('status')}::text[], ${col('source')}::text[],
      ${col('comment')}::text[]) as x
    on conflict on constraint measurements_key do nothing`.execute(db)
  return Number(r.numAffectedRows ?? 0)
}
