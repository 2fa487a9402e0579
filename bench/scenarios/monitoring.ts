import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { sql } from 'kysely'
import { upsertMeasurements, type MeasurementWrite } from '../../src/modules/monitoring/monitoring.queries.ts'
import { activitySection, meetingSection, progressData } from '../../src/modules/monitoring/reports.queries.ts'
import { parsePeriod } from '../../src/domain/periods.ts'
import { apiProvenance } from '../../src/schemas/provenance.ts'
import { captureSql, toScript } from '../sql.ts'
import { benchDatabaseUrl } from '../settings.ts'
import type { BenchModule, Scenario } from '../types.ts'

// Monitoring: a batch of 10 000 values (rows/s, beside pgbench running the same upsert and a
// \copy of the same rows into a bare table), a plan's progress over 1 000 indicators × 6
// countries × 6 half years (36 000 values, 36 000 targets), and its six-monthly report.

const size = { indicators: 1000, batchIndicators: 1000, batchPeriods: 10, batches: 20 }
const countries = ['KH', 'CN', 'LA', 'MM', 'TH', 'VN']
const halves = ['2005S1', '2005S2', '2006S1', '2006S2', '2007S1', '2007S2']
const quarters = ['2010Q1', '2010Q2', '2010Q3', '2010Q4', '2011Q1', '2011Q2', '2011Q3', '2011Q4', '2012Q1', '2012Q2']

const uuidOf = (key: ReturnType<typeof sql>) =>
  sql`overlay(overlay(md5(${key}) placing '4' from 13) placing '8' from 17)::uuid`
const planId = uuidOf(sql`'bench-monitoring-plan'`)
const batchPlanId = uuidOf(sql`'bench-monitoring-batch-plan'`)

let run = 0

const monitoring: BenchModule = {
  name: 'monitoring',
  async load(db) {
    await sql`insert into plans (id, code, title, status, countries, start_date, end_date)
      values (${planId}, 'BENCH-MONITORING', 'A plan of 1 000 indicators', 'active', '{KH,CN,LA,MM,TH,VN}', '2005-01-01', '2007-12-31'),
        (${batchPlanId}, 'BENCH-MONITORING-BATCH', 'The plan the bench posts batches to', 'active', '{KH,CN,LA,MM,TH,VN}', '2010-01-01', '2012-12-31')`.execute(
      db,
    )
    await sql`insert into indicators (id, plan_id, code, title, unit, aggregation, frequency)
      select ${uuidOf(sql`'bench-indicator-' || i`)}, ${planId}, 'I' || lpad(i::text, 4, '0'), 'Indicator ' || i,
        (array['count', 'percent', 'boolean'])[1 + i % 3], (array['sum', 'mean', 'latest'])[1 + i % 3], 'six_monthly'
      from generate_series(1, ${size.indicators}::int) i`.execute(db)
    await sql`insert into indicators (id, plan_id, code, title, unit, frequency)
      select ${uuidOf(sql`'bench-batch-indicator-' || i`)}, ${batchPlanId}, 'B' || lpad(i::text, 4, '0'), 'Batch indicator ' || i, 'count', 'quarterly'
      from generate_series(1, ${size.batchIndicators}::int) i`.execute(db)
    const periods = sql`(values ${sql.join(
      halves.map((h) => {
        const p = parsePeriod(h)!
        return sql`(${h}, ${p.start}::date, ${p.end}::date)`
      }),
    )}) as p(period, s, e)`
    await sql`insert into indicator_targets (indicator_id, period, period_start, period_end, country, target)
      select i.id, p.period, p.s, p.e, c, case when i.unit = 'boolean' then 1 else 50 end
      from indicators i cross join ${periods} cross join unnest(${countries}::text[]) c where i.plan_id = ${planId}`.execute(
      db,
    )
    await sql`insert into measurements (indicator_id, period, period_start, period_end, country, value, status)
      select i.id, p.period, p.s, p.e, c,
        case when i.unit = 'boolean' then (hashtext(i.id::text || p.period || c) & 1) else abs(hashtext(i.id::text || p.period || c)) % 100 end,
        'submitted'
      from indicators i cross join ${periods} cross join unnest(${countries}::text[]) c where i.plan_id = ${planId}`.execute(
      db,
    )
  },

  async scenarios({ db, api }) {
    const ids = await sql<{
      plan: string
      batchPlan: string
    }>`select ${planId} as plan, ${batchPlanId} as batch_plan`.execute(db)
    const { plan } = ids.rows[0]!
    const batchIds = (
      await sql<{ id: string }>`select id from indicators where plan_id = ${batchPlanId} order by code`.execute(db)
    ).rows.map((r) => r.id)
    const items = (value: number) =>
      batchIds.flatMap((indicatorId) => quarters.map((period) => ({ indicatorId, period, country: 'KH', value })))
    const progress = await api(`/v1/plans/${plan}/progress?period=2006S2`)
    if (progress.indicators.length !== size.indicators) throw new Error('progress: not every indicator came back')

    // pgbench: the same upsert with a new value each time (so every row is updated, as the API's runs are).
    const writes: MeasurementWrite[] = items(987654).map((i) => {
      const p = parsePeriod(i.period)!
      return {
        ...i,
        periodStart: p.start,
        periodEnd: p.end,
        sex: null,
        status: 'draft',
        source: null,
        comment: null,
        reportingOrganizationId: null,
      }
    })
    const upsert = toScript(await captureSql((d) => upsertMeasurements(d, writes, apiProvenance(null))))
    const values = /'\{"?987654"?(,"?987654"?)*\}'::float8\[\]/.exec(upsert)
    if (!values) throw new Error('the upsert no longer takes its values as one float8[] literal')
    const batchSql = `\\set v random(1, 1000000000)\nbegin;\n${upsert.replace(values[0], `array_fill(:v::float8, array[${writes.length}])`)}\ncommit;`

    // \copy of the same 10 000 rows into a bare table of the same columns: the floor for moving them in.
    const dir = mkdtempSync(path.join(tmpdir(), 'bench-monitoring-'))
    const file = path.join(dir, 'values.csv')
    writeFileSync(
      file,
      writes.map((w) => [w.indicatorId, w.period, w.periodStart, w.periodEnd, w.country, 1].join(',')).join('\n'),
    )
    const psql = (command: string) => execFileSync('psql', [benchDatabaseUrl, '-qX', '-c', command], { stdio: 'pipe' })
    psql(
      'drop table if exists bench_copy_measurements; create unlogged table bench_copy_measurements (indicator_id uuid, period text, period_start date, period_end date, country text, value float8)',
    )
    const copyMs: number[] = []
    for (let i = 0; i < 5; i++) {
      psql('truncate bench_copy_measurements')
      const t0 = process.hrtime.bigint()
      psql(`\\copy bench_copy_measurements from '${file}' csv`)
      copyMs.push(Number(process.hrtime.bigint() - t0) / 1e6)
    }
    copyMs.sort((a, b) => a - b)
    const copyMedian = copyMs[2]!
    psql('drop table bench_copy_measurements')

    const progressSql = toScript(await captureSql((d) => progressData(d, { planId: plan }, false)))
    const reportSql = toScript(
      await captureSql(async (d) => {
        await activitySection(d, plan, '2006-07-01', '2006-12-31')
        await meetingSection(d, plan, '2006-07-01', '2006-12-31')
        await progressData(d, { planId: plan }, false)
      }),
    )

    const scenarios: Scenario[] = [
      {
        name: 'plan progress, 1 000 indicators × 6 countries × 6 periods',
        path: `/v1/plans/${plan}/progress?period=2006S2`,
        sql: progressSql,
        sequential: 20,
        note: '36 000 values and 36 000 targets read in three statements, rolled up in JS (sum, mean, latest)',
      },
      {
        name: 'six-monthly report (JSON)',
        path: `/v1/plans/${plan}/reports/2006S2`,
        sql: reportSql,
        sequential: 20,
        note: 'the progress above plus the activity, meeting and training sections',
      },
      {
        name: 'measurement batch of 10 000',
        method: 'POST',
        path: '/v1/measurements/batch?mode=partial',
        body: () => ({ items: items(++run) }),
        sequential: size.batches,
        sql: batchSql,
        goal: { text: 'a batch of 10 000 values in under 2 s (≥ 5 000 rows/s)', maxP50Ms: 2000 },
        note: `every value updated on each run; rows/s = 10 000 ÷ p50. \\copy of the same 10 000 rows into a bare unlogged table: median ${copyMedian.toFixed(0)} ms (${Math.round(10_000 / (copyMedian / 1000)).toLocaleString('en')} rows/s, psql start-up included)`,
      },
    ]
    return scenarios
  },
}

export default monitoring
