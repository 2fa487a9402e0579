import type { FastifyRequest } from 'fastify'
import type { Database } from '../../db/database.ts'
import { assertPlanRowWritable } from '../plans/plan-countries.ts'
import { ApiError, notFound, type FieldError } from '../../http/problems.ts'
import { getActivityPlans } from '../activities/activities.queries.ts'
import { assertReferences, each } from '../../db/references.queries.ts'
import type { ProjectCreateT, ProjectPatchT, ProjectT } from './projects.schemas.ts'
import { getProjectSummary } from './projects.queries.ts'

// The rules of a project that span tables, checked inside the write's transaction: it covers
// activities of its own plan only, and links to projects that exist (never to itself).

export async function checkProject(
  request: FastifyRequest,
  db: Database,
  input: ProjectCreateT | ProjectPatchT,
  before?: ProjectT,
) {
  const planId = before?.planId ?? (input as ProjectCreateT).planId
  await assertPlanRowWritable(request, db, {
    before,
    after: { planId, countries: input.countries ?? before?.countries ?? [] },
  })
  const self = before && input.linkedProjectIds ? input.linkedProjectIds.indexOf(before.id) : -1
  if (self >= 0)
    throw new ApiError('rule-violation', 'A project cannot be linked to itself.', {
      errors: [{ pointer: `/body/linkedProjectIds/${self}`, detail: 'is this project' }],
    })
  await assertReferences(db, [
    ...each('countries', input.countries, '/body/countries'),
    ...each('activities', input.activityIds, '/body/activityIds'),
    ...each('projects', input.linkedProjectIds, '/body/linkedProjectIds'),
  ])

  if (input.activityIds?.length) {
    const plans = new Map((await getActivityPlans(db, input.activityIds)).map((a) => [a.id, a.planId]))
    const foreign: FieldError[] = []
    input.activityIds.forEach(
      (id, i) =>
        plans.get(id) !== planId &&
        foreign.push({ pointer: `/body/activityIds/${i}`, detail: 'is an activity of another plan' }),
    )
    if (foreign.length)
      throw new ApiError('rule-violation', 'A project covers activities of its own plan only.', { errors: foreign })
  }
}

/** True when the covered activities or links sent differ from the current ones. */
export function relationsDiffer(before: ProjectT, patch: ProjectPatchT) {
  const differs = (a: string[], b: string[] | undefined) => b !== undefined && a.join(',') !== b.join(',')
  return differs(before.activityIds, patch.activityIds) || differs(before.linkedProjectIds, patch.linkedProjectIds)
}

/** For writes to a project's results and tasks: 404 for an unknown project, 403 outside a limited key's countries. */
export async function assertProjectWritable(request: FastifyRequest, db: Database, projectId: string) {
  const project = await getProjectSummary(db, projectId)
  if (!project) throw notFound('project', projectId)
  await assertPlanRowWritable(request, db, { before: project })
}
