import type { DocumentLink } from '../schemas/common.ts'
import type { Static } from 'typebox'
import type { Upserted } from '../db/upsert.queries.ts'
import { upsertPlans } from '../modules/plans/plans.queries.ts'
import { upsertAreas } from '../modules/areas/areas.queries.ts'
import {
  syncActivityOrganizations,
  touchActivities,
  upsertActivities,
} from '../modules/activities/activities.queries.ts'
import {
  syncProjectActivities,
  syncProjectLinks,
  touchProjects,
  upsertProjects,
} from '../modules/projects/projects.queries.ts'
import { upsertResults } from '../modules/projects/project-results.queries.ts'
import { upsertTasks } from '../modules/projects/project-tasks.queries.ts'
import { readData } from './data.ts'
import type { NumberRangeT } from '../schemas/range.ts'
import { adoptionOf, milestonesOf } from '../modules/plans/plan-dates.ts'
import type { AdoptionInputT, MilestoneInputT } from '../modules/plans/plans.schemas.ts'
import { seedId } from '../schemas/seed-ids.ts'
import { ofUnedited, seededRows, tally, type SeedContext } from './index.ts'

// The plans of data/plans/ (COMMIT SPA I, the ASEAN APA matrix, the catalogue of regional
// plans) with their trees, activities and projects. Each table is written in one statement for
// all plans; only the columns the data files hold are written, so fields entered through the
// API that the files do not know (planned dates, activity documents …) survive a re-seed.

interface AreaSeed {
  code: string
  title: string
  kind: string
  children: AreaSeed[]
}
interface ActivitySeed {
  code: string
  area: string | null
  title: string
  description: string | null
  category: string | null
  status: string
  countries: string[]
  plannedStart?: string | null
  plannedEnd?: string | null
  /** The activity as each document words it, where they differ (framework 000, plan 001). */
  wordings?: { source: string; text: string }[]
  organizations: { organization: string; role: string }[]
}
interface TaskSeed {
  phase: string
  title: string
  status: string
  dueDate: string | null
  responsibleOrganization: string | null
  /** The numbers the task's text gives ("six courses … minimum 5-day … approximately 20-30"). */
  quantity?: number | null
  durationDays?: NumberRangeT | null
  participants?: NumberRangeT | null
}
interface ProjectSeed {
  code: string
  title: string
  name?: string | null
  objective: string | null
  activities: string[]
  countries: string[]
  linkedProjects: string[]
  notes: string[]
  results: { statement: string }[]
  tasks: TaskSeed[]
}
interface PlanSeed {
  key: string
  code: string
  title: string
  initiative: string | null
  countries: string[]
  startDate: string | null
  endDate: string | null
  /** null: not known. */
  status: string | null
  region?: string | null
  supersedes: string | null
  adoption: AdoptionInputT | null
  milestones?: MilestoneInputT[]
  description: string | null
  documents: Static<typeof DocumentLink>[]
  areas: AreaSeed[]
  activities: ActivitySeed[]
  projects: ProjectSeed[]
}

const org = (key: string | null) => (key ? seedId('organization', key) : null)

/** The adoption's columns, its span filled in as the API fills it (a file's mistake fails the seed). */
function adoptionColumns(p: PlanSeed) {
  const a = adoptionOf(p.adoption, `data/plans (${p.key}) adoption`)
  return {
    adoptionDate: a?.date ?? null,
    adoptionEndDate: a?.endDate ?? null,
    adoptionDatePrecision: a?.datePrecision ?? null,
    adoptionPlace: a?.place ?? null,
    adoptionMeeting: a?.meeting ?? null,
  }
}

export async function seedPlans(ctx: SeedContext) {
  const plans = [
    readData<PlanSeed>('plans/commit-spa-1.json'),
    readData<PlanSeed>('plans/asean-apa.json'),
    ...readData<PlanSeed[]>('plans/catalogue.json'),
  ]
  for (const plan of plans) checkReferences(plan)
  const { trx, provenance } = ctx

  const planRows = await seededRows(
    ctx,
    'plans',
    plans.map((p) => ({
      id: seedId('plan', p.key),
      provenance: provenance.stored('plan', p.key),
      code: p.code,
      title: p.title,
      initiativeId: org(p.initiative),
      status: p.status,
      countries: p.countries,
      region: p.region ?? null,
      startDate: p.startDate,
      endDate: p.endDate,
      supersedesId: p.supersedes ? seedId('plan', p.supersedes) : null,
      ...adoptionColumns(p),
      milestones: JSON.stringify(milestonesOf(p.milestones ?? [], `data/plans (${p.key}) milestones`)),
      description: p.description,
      documents: JSON.stringify(p.documents),
    })),
  )
  const planFields = [
    'code',
    'title',
    'initiativeId',
    'status',
    'countries',
    'region',
    'startDate',
    'endDate',
    'supersedesId',
    'adoption',
    'milestones',
    'description',
    'documents',
  ]
  count(ctx, 'plan', planRows, await upsertPlans(trx, planRows, columnsOf(planRows)), planFields)

  const areaRows = await seededRows(
    ctx,
    'areas',
    plans.flatMap((p) =>
      flattenAreas(p.key, p.areas, null).map((a) => ({
        ...a,
        provenance: provenance.stored('area', `${p.key}/${a.code}`),
      })),
    ),
  )
  count(ctx, 'area', areaRows, await upsertAreas(trx, areaRows, columnsOf(areaRows)), [
    'parentId',
    'code',
    'title',
    'kind',
    'position',
  ])

  const activityRows = await seededRows(
    ctx,
    'activities',
    plans.flatMap((p) =>
      p.activities.map((a) => ({
        id: seedId('activity', `${p.key}/${a.code}`),
        provenance: provenance.stored('activity', `${p.key}/${a.code}`),
        planId: seedId('plan', p.key),
        areaId: a.area ? seedId('area', `${p.key}/${a.area}`) : null,
        code: a.code,
        title: a.title,
        description: a.description,
        category: a.category,
        status: a.status,
        countries: a.countries,
        plannedStart: a.plannedStart ?? null,
        plannedEnd: a.plannedEnd ?? null,
        wordings: JSON.stringify(a.wordings ?? []),
      })),
    ),
  )
  const activityOrganizations = ofUnedited(
    ctx,
    plans.flatMap((p) =>
      p.activities.flatMap((a) =>
        a.organizations.map((o) => ({
          owner: seedId('activity', `${p.key}/${a.code}`),
          target: org(o.organization)!,
          extra: o.role,
        })),
      ),
    ),
  )
  const activitiesWritten = await upsertActivities(trx, activityRows, columnsOf(activityRows))
  const organizationsChanged = await syncActivityOrganizations(
    trx,
    activityRows.map((r) => r.id),
    activityOrganizations,
  )
  const activitiesTouched = await touchActivities(
    trx,
    [...organizationsChanged].filter((id) => !activitiesWritten.some((w) => w.id === id)),
  )
  const activityFields = [
    'areaId',
    'code',
    'title',
    'description',
    'category',
    'status',
    'countries',
    'plannedStart',
    'plannedEnd',
    'wordings',
    'organizations',
  ]
  count(
    ctx,
    'activity',
    activityRows,
    [...activitiesWritten, ...activitiesTouched.map((t) => ({ ...t, inserted: false }))],
    activityFields,
  )

  const projectRows = await seededRows(
    ctx,
    'projects',
    plans.flatMap((p) =>
      p.projects.map((pr) => ({
        id: seedId('project', `${p.key}/${pr.code}`),
        provenance: provenance.stored('project', `${p.key}/${pr.code}`),
        planId: seedId('plan', p.key),
        code: pr.code,
        title: pr.title,
        name: pr.name ?? null,
        objective: pr.objective,
        countries: pr.countries,
        notes: pr.notes,
      })),
    ),
  )
  const projectsWritten = await upsertProjects(trx, projectRows, columnsOf(projectRows))
  const covered = ofUnedited(
    ctx,
    plans.flatMap((p) =>
      p.projects.flatMap((pr) =>
        pr.activities.map((a) => ({
          owner: seedId('project', `${p.key}/${pr.code}`),
          target: seedId('activity', `${p.key}/${a}`),
        })),
      ),
    ),
  )
  const links = ofUnedited(
    ctx,
    plans.flatMap((p) =>
      p.projects.flatMap((pr) =>
        pr.linkedProjects.map((l) => ({
          owner: seedId('project', `${p.key}/${pr.code}`),
          target: seedId('project', `${p.key}/${l}`),
        })),
      ),
    ),
  )
  const projectIds = projectRows.map((r) => r.id)
  const relationsChanged = new Set([
    ...(await syncProjectActivities(trx, projectIds, covered)),
    ...(await syncProjectLinks(trx, projectIds, links)),
  ])
  const projectsTouched = await touchProjects(
    trx,
    [...relationsChanged].filter((id) => !projectsWritten.some((w) => w.id === id)),
  )
  count(
    ctx,
    'project',
    projectRows,
    [...projectsWritten, ...projectsTouched.map((t) => ({ ...t, inserted: false }))],
    ['code', 'title', 'name', 'objective', 'countries', 'notes', 'activityIds', 'linkedProjectIds'],
  )

  // Results and tasks are numbered from 1 in the order of the source, per project.
  const resultRows = await seededRows(
    ctx,
    'project_results',
    plans.flatMap((p) =>
      p.projects.flatMap((pr) =>
        pr.results.map((r, i) => ({
          id: seedId('result', `${p.key}/${pr.code}/${i + 1}`),
          provenance: provenance.stored('result', `${p.key}/${pr.code}/${i + 1}`),
          projectId: seedId('project', `${p.key}/${pr.code}`),
          position: i + 1,
          statement: r.statement,
        })),
      ),
    ),
  )
  count(ctx, 'project-result', resultRows, await upsertResults(trx, resultRows, columnsOf(resultRows)), [
    'position',
    'statement',
  ])

  const taskRows = await seededRows(
    ctx,
    'project_tasks',
    plans.flatMap((p) =>
      p.projects.flatMap((pr) =>
        pr.tasks.map((t, i) => ({
          id: seedId('task', `${p.key}/${pr.code}/${i + 1}`),
          provenance: provenance.stored('task', `${p.key}/${pr.code}/${i + 1}`),
          projectId: seedId('project', `${p.key}/${pr.code}`),
          phase: t.phase,
          title: t.title,
          status: t.status,
          dueDate: t.dueDate,
          responsibleOrganizationId: org(t.responsibleOrganization),
          quantity: t.quantity ?? null,
          durationDays: t.durationDays ? JSON.stringify(t.durationDays) : null,
          participants: t.participants ? JSON.stringify(t.participants) : null,
          position: i + 1,
        })),
      ),
    ),
  )
  count(ctx, 'project-task', taskRows, await upsertTasks(trx, taskRows, columnsOf(taskRows)), [
    'phase',
    'title',
    'status',
    'dueDate',
    'responsibleOrganizationId',
    'quantity',
    'durationDays',
    'participants',
    'position',
  ])
}

/** The tree as rows, parents before children; position is the order among siblings in the file. */
function flattenAreas(
  planKey: string,
  nodes: AreaSeed[],
  parentId: string | null,
): {
  id: string
  planId: string
  parentId: string | null
  code: string
  title: string
  kind: string
  position: number
}[] {
  return nodes.flatMap((n, position) => {
    const id = seedId('area', `${planKey}/${n.code}`)
    return [
      { id, planId: seedId('plan', planKey), parentId, code: n.code, title: n.title, kind: n.kind, position },
      ...flattenAreas(planKey, n.children ?? [], id),
    ]
  })
}

/** The columns to compare and update: every key of the rows but the id. */
const columnsOf = (rows: object[]) => Object.keys(rows[0] ?? {}).filter((c) => c !== 'id')

function count(ctx: SeedContext, resource: string, rows: { id: string }[], written: Upserted[], fields: string[]) {
  const byId = new Map(written.map((w) => [w.id, w]))
  for (const { id } of rows) {
    const w = byId.get(id)
    // Every row the seed writes carries its provenance (seededRows).
    tally(ctx, resource, id, w ? (w.inserted ? 'created' : 'updated') : 'unchanged', w?.version, [
      ...fields,
      'provenance',
    ])
  }
}

/** Fails with a message naming the file's entry when a code refers to nothing (rather than a bare foreign-key error). */
function checkReferences(plan: PlanSeed) {
  const areas = new Set<string>()
  const walk = (nodes: AreaSeed[]) => {
    for (const n of nodes) {
      areas.add(n.code)
      walk(n.children ?? [])
    }
  }
  walk(plan.areas)
  const activities = new Set(plan.activities.map((a) => a.code))
  const projects = new Set(plan.projects.map((p) => p.code))
  const problems = [
    ...plan.activities.filter((a) => a.area && !areas.has(a.area)).map((a) => `${a.code}: no area ${a.area}`),
    ...plan.projects.flatMap((p) =>
      p.activities.filter((a) => !activities.has(a)).map((a) => `${p.code}: no activity ${a}`),
    ),
    ...plan.projects.flatMap((p) =>
      p.linkedProjects.filter((l) => !projects.has(l)).map((l) => `${p.code}: no project ${l}`),
    ),
  ]
  if (problems.length) throw new Error(`data/plans (${plan.key}): ${problems.join('; ')}`)
}
