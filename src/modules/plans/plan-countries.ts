import type { FastifyRequest } from 'fastify'
import type { Database } from '../../db/database.ts'
import { assertCountries } from '../../http/access.ts'
import { getPlanSummary } from './plans.queries.ts'

// A row of a plan (an activity, a project) concerns the countries it names, or, when it names
// none, the plan's member countries: that is what it belongs to for a country-limited key.

export interface PlanRowCountries {
  planId: string
  countries: readonly string[]
}

/** 403 unless the key may write the row as it is (`before`) and as it will be (`after`). */
export async function assertPlanRowWritable(
  request: FastifyRequest,
  db: Database,
  rows: { before?: PlanRowCountries; after?: PlanRowCountries },
) {
  if (!request.principal?.countries) return
  const effective = async (row: PlanRowCountries) =>
    row.countries.length ? row.countries : ((await getPlanSummary(db, row.planId))?.countries ?? [])
  if (rows.before) assertCountries(request, await effective(rows.before), '/params/id')
  if (rows.after)
    assertCountries(
      request,
      await effective(rows.after),
      rows.after.countries.length ? '/body/countries' : '/body/planId',
    )
}
