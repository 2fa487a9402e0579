import type { FastifyRequest } from 'fastify'
import type { Database } from '../../db/database.ts'
import { assertPlanRowWritable } from '../plans/plan-countries.ts'
import { ApiError, ruleViolation } from '../../http/problems.ts'
import { getAreaPlans } from '../areas/areas.queries.ts'
import { assertNotFuture } from '../../domain/dates.ts'
import { assertReferences, each, one } from '../../db/references.queries.ts'
import type { ActivityCreateT, ActivityPatchT, ActivityT } from './activities.schemas.ts'

// The rules of an activity that span tables, checked inside the write's transaction. The period
// rules (start ≤ end) are check constraints; these are the ones a constraint cannot state.

const invalidReference = (pointer: string, detail: string, what: string) =>
  new ApiError('invalid-reference', `${pointer.slice(6)} refers to ${what} that does not exist.`, {
    errors: [{ pointer, detail }],
  })

/** Checks a create (before undefined) or a patch against the activity as it is. */
export async function checkActivity(
  request: FastifyRequest,
  db: Database,
  input: ActivityCreateT | ActivityPatchT,
  before?: ActivityT,
) {
  const planId = before?.planId ?? (input as ActivityCreateT).planId
  await assertPlanRowWritable(request, db, {
    before,
    after: { planId, countries: input.countries ?? before?.countries ?? [] },
  })
  assertNotFuture({ actualStart: input.actualStart, actualEnd: input.actualEnd })
  await assertReferences(db, [
    ...each('countries', input.countries, '/body/countries'),
    ...(input.organizations ?? []).flatMap((o, i) =>
      one('organizations', o.organizationId, `/body/organizations/${i}/organizationId`),
    ),
  ])

  if (input.areaId) {
    const [area] = await getAreaPlans(db, [input.areaId])
    if (!area) throw invalidReference('/body/areaId', 'no such area', 'an area')
    if (area.planId !== planId)
      throw ruleViolation(
        '/body/areaId',
        'is a node of another plan; an activity’s area must belong to the activity’s plan',
      )
  }
}

/** True when the organizations sent differ from the current ones (same pairs in the same order are equal). */
export function organizationsDiffer(before: ActivityT, after: ActivityPatchT['organizations']) {
  if (after === undefined) return false
  const key = (list: { organizationId: string; role: string }[]) =>
    list.map((o) => `${o.organizationId}/${o.role}`).join(',')
  return key(before.organizations) !== key(after)
}
