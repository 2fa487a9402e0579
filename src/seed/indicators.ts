import type { Database } from '../db/database.ts'
import { seedId } from '../schemas/seed-ids.ts'
import { parsePeriod } from '../domain/periods.ts'
import { readData } from './data.ts'
import { sourceProvenance, type Citation, type FieldNote } from './provenance.ts'
import { tally, unedited, type SeedContext, type Seeder } from './index.ts'
import {
  insertSampleMeasurements,
  upsertSeedIndicators,
  upsertSeedTargets,
  type MeasurementWrite,
} from '../modules/monitoring/monitoring.queries.ts'
import type { ProvenanceValue } from '../schemas/provenance.ts'

// data/indicators.json: indicators derived from the expected results of the COMMIT plan, each
// linked to its project (PPC), result and activity by the ids the planning seeder gives them,
// with targets over 2005S1–2007S2 and the lines of the plan they come from. The plan reports no
// values, so the seed writes none; sample values are generated only when asked (seedSamples).

interface IndicatorSeed {
  plan: string
  code: string
  title: string
  definition?: string
  unit: string
  direction: string
  aggregation: string
  frequency: string
  disaggregations: string[]
  project: string | null
  result: number | null
  activity: string | null
  dataSource: string | null
  targets: { period: string; target?: number; baseline?: number }[]
  sources: Citation[]
  inferred: FieldNote[]
}

const load = () => readData<{ indicators: IndicatorSeed[] }>('indicators.json', { indicators: [] }).indicators

const indicatorId = (i: Pick<IndicatorSeed, 'plan' | 'code'>) => seedId('indicator', `${i.plan}/${i.code}`)

export const seedIndicators: Seeder = async (ctx) => {
  const seeds = load()
  const rows = unedited(
    ctx,
    seeds.map((i) => ({
      id: indicatorId(i),
      planId: seedId('plan', i.plan),
      code: i.code,
      title: i.title,
      definition: i.definition ?? null,
      unit: i.unit,
      direction: i.direction,
      aggregation: i.aggregation,
      frequency: i.frequency,
      projectId: i.project ? seedId('project', `${i.plan}/${i.project}`) : null,
      resultId: i.project && i.result ? seedId('result', `${i.plan}/${i.project}/${i.result}`) : null,
      activityId: i.activity ? seedId('activity', `${i.plan}/${i.activity}`) : null,
      dataSource: i.dataSource,
      disaggregations: i.disaggregations,
      provenance: JSON.stringify(sourceProvenance({ sources: i.sources, inferred: i.inferred })),
    })),
  )
  count(ctx, 'indicator', rows, await upsertSeedIndicators(ctx.trx, rows), ['code', 'title', 'unit', 'provenance'])

  const targets = unedited(
    ctx,
    seeds.flatMap((i) =>
      i.targets.map((t) => {
        const p = parsePeriod(t.period)
        if (!p) throw new Error(`data/indicators.json: ${i.code} has a target for "${t.period}", which is not a period`)
        const targetNote = i.inferred
          .filter((n) => n.field === 'targets')
          .map((n) => ({ field: 'target', reason: n.reason }))
        return {
          id: seedId('indicator-target', `${i.plan}/${i.code}/${t.period}`),
          indicatorId: indicatorId(i),
          period: t.period,
          periodStart: p.start,
          periodEnd: p.end,
          target: t.target ?? null,
          baseline: t.baseline ?? null,
          provenance: JSON.stringify(sourceProvenance({ sources: i.sources, inferred: targetNote })),
        }
      }),
    ),
  )
  count(ctx, 'indicator-target', targets, await upsertSeedTargets(ctx.trx, targets), ['period', 'target', 'baseline'])
}

function count(
  ctx: SeedContext,
  resource: string,
  rows: { id: string }[],
  written: { id: string; version: number; inserted: boolean }[],
  fields: string[],
) {
  const byId = new Map(written.map((w) => [w.id, w]))
  for (const { id } of rows) {
    const w = byId.get(id)
    tally(ctx, resource, id, w ? (w.inserted ? 'created' : 'updated') : 'unchanged', w?.version, fields)
  }
}

const sampleProvenance: ProvenanceValue = {
  origin: 'api',
  sources: [],
  inferred: [],
  doubtful: [
    { field: 'value', reason: 'A sample value for a demonstration (npm run seed -- --sample-measurements), not data.' },
  ],
  createdBy: null,
}

/** A number from 0 to 1 that depends only on the text (the same samples every run). */
const unit = (text: string) => Number.parseInt(seedId('sample', text).slice(0, 8), 16) / 0xffffffff

/**
 * Clearly labelled sample values (status draft, source "sample", comment "sample value, not
 * data") for the seeded indicators from 2005S1 to 2006S2, where no value exists. Returns how
 * many were written.
 */
export async function seedSampleMeasurements(db: Database): Promise<number> {
  const countries = ['KH', 'CN', 'LA', 'MM', 'TH', 'VN']
  const periods = ['2005S1', '2005S2', '2006S1', '2006S2']
  const items: MeasurementWrite[] = []
  for (const i of load()) {
    const perCountry = i.disaggregations.includes('country')
    for (const [n, period] of periods.entries()) {
      const p = parsePeriod(period)!
      for (const country of perCountry ? countries : [null]) {
        const r = unit(`${i.code}/${period}/${country ?? ''}`)
        const value =
          i.unit === 'boolean'
            ? r < (n + 1) / (periods.length + 1)
              ? 1
              : 0
            : perCountry
              ? Math.round(r * 6)
              : Math.round(r * 2)
        items.push({
          indicatorId: indicatorId(i),
          period,
          periodStart: p.start,
          periodEnd: p.end,
          country,
          sex: null,
          value,
          status: 'draft',
          source: 'sample',
          comment: 'sample value, not data',
          reportingOrganizationId: null,
        })
      }
    }
  }
  return insertSampleMeasurements(db, items, sampleProvenance)
}
