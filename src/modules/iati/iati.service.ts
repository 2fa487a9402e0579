import type { Database } from '../../db/database.ts'
import { idKey, resolveSort, type PageRequest, type SortTable } from '../../http/pagination.ts'
import { listActivitiesOfPlan } from '../activities/activities.queries.ts'
import { indicatorsForIati } from '../monitoring/monitoring.queries.ts'
import { getOrganizationsByIds } from '../organizations/organizations.queries.ts'
import { getPlan } from '../plans/plans.queries.ts'
import { getResultStatements } from '../projects/project-results.queries.ts'
import { listProjects, projectSortTable } from '../projects/projects.queries.ts'
import { iatiActivitiesXml, type IatiDocument, type IatiExport, type IatiOrganization } from './iati.xml.ts'

// Gathers a plan for IATI through the other modules' query functions (no SQL of its own): the
// plan, its activities with their organizations, its projects (which activities share one: IATI
// siblings), the organizations named, the monitoring module's indicators with baselines,
// targets and actuals, and the statements of the expected results they measure.

/** Every row at once: a plan has hundreds of projects at most, not pages of them. */
const everything = (table: SortTable, sort: string, key: string): PageRequest => ({
  sort: resolveSort(sort, table, idKey(key)),
  after: undefined,
  limit: 100_000,
  binding: '',
})

/** The plan's IATI document, or undefined when there is no such plan. */
export async function planAsIati(db: Database, planId: string, now = new Date()): Promise<string | undefined> {
  const plan = await getPlan(db, planId)
  if (!plan) return undefined
  const [activities, projects, indicators] = await Promise.all([
    listActivitiesOfPlan(db, planId),
    listProjects(db, { planId }, everything(projectSortTable, 'code', 'projects')),
    indicatorsForIati(db, planId),
  ])
  const orgIds = new Set(activities.flatMap((a) => a.organizations.map((o) => o.organizationId)))
  if (plan.initiativeId) orgIds.add(plan.initiativeId)
  const organizations = new Map<string, IatiOrganization>(
    (await getOrganizationsByIds(db, [...orgIds])).map((o) => [o.id, { id: o.id, name: o.name, kind: o.kind }]),
  )
  const resultIds = [...new Set(indicators.flatMap((i) => (i.resultId && i.projectId ? [i.resultId] : [])))]
  const resultStatements = new Map((await getResultStatements(db, resultIds)).map((r) => [r.id, r.statement]))

  const siblings = new Map<string, Set<string>>()
  for (const project of projects)
    for (const a of project.activityIds)
      for (const b of project.activityIds) if (a !== b) siblings.set(a, (siblings.get(a) ?? new Set()).add(b))

  const x: IatiExport = {
    plan: {
      id: plan.id,
      code: plan.code,
      title: plan.title,
      description: plan.description,
      status: plan.status,
      countries: plan.countries,
      startDate: plan.startDate,
      endDate: plan.endDate,
      updatedAt: plan.updatedAt,
      initiative: plan.initiativeId ? (organizations.get(plan.initiativeId) ?? null) : null,
      documents: plan.documents as IatiDocument[],
    },
    activities: activities.map((a) => ({
      id: a.id,
      code: a.code,
      title: a.title,
      description: a.description,
      status: a.status,
      countries: a.countries,
      plannedStart: a.plannedStart,
      plannedEnd: a.plannedEnd,
      actualStart: a.actualStart,
      actualEnd: a.actualEnd,
      updatedAt: a.updatedAt,
      organizations: a.organizations,
      documents: a.documents as IatiDocument[],
      siblings: [...(siblings.get(a.id) ?? [])].sort(),
    })),
    organizations,
    indicators,
    resultStatements,
    generatedAt: now.toISOString(),
  }
  return iatiActivitiesXml(x)
}
