import { missingReferences } from '../db/references.queries.ts'
import { upsertCourse, type CourseState } from '../modules/training/training.queries.ts'
import type { TrainingCourseT } from '../modules/training/courses.schemas.ts'
import { readData } from './data.ts'
import { seedId } from '../schemas/seed-ids.ts'
import { sourceProvenance, type SeedProvenance } from './provenance.ts'
import { tally, type Seeder } from './index.ts'

// data/training.json: the six sub-regional training courses PPC 1 plans (seed 001, line 58),
// each citing where the plan says so and naming what it does not say (dates, venue, which topic
// goes to which course). Participants are never seeded: the documents name none. It runs after
// the planning seeder, whose plan, project and activity ids it refers to by code.

interface CourseSeed {
  key: string
  plan: string
  project: string | null
  activity: string | null
  title: string
  topic: TrainingCourseT['topic']
  level: TrainingCourseT['level']
  scope: TrainingCourseT['scope']
  status: TrainingCourseT['status']
  countries: string[]
  minDurationDays: number | null
  minParticipants: number
  maxParticipants: number
  description: string | null
  provenance: SeedProvenance
}

export const seedTraining: Seeder = async (ctx) => {
  const courses = readData<CourseSeed[]>('training.json', [])
  const planId = (c: CourseSeed) => seedId('plan', c.plan)
  const projectId = (c: CourseSeed) => (c.project ? seedId('project', `${c.plan}/${c.project}`) : null)
  const activityId = (c: CourseSeed) => (c.activity ? seedId('activity', `${c.plan}/${c.activity}`) : null)
  // A reference the planning seed did not create is left out (and said), as the meetings seed does.
  const missing = await missingReferences(ctx.trx, {
    plans: courses.map(planId),
    projects: courses.flatMap((c) => projectId(c) ?? []),
    activities: courses.flatMap((c) => activityId(c) ?? []),
  })
  const problems = new Set<string>()
  const known = (kind: keyof typeof missing, id: string | null, what: string) => {
    if (id === null || !missing[kind].has(id)) return id
    problems.add(`${what} does not exist`)
    return null
  }
  for (const c of courses) {
    const id = seedId('training-course', c.key)
    if (ctx.edited.has(id)) {
      ctx.report.kept++
      continue
    }
    const state: CourseState = {
      planId: known('plans', planId(c), `${c.key}: plan ${c.plan}`),
      projectId: known('projects', projectId(c), `${c.key}: ${c.project}`),
      activityId: known('activities', activityId(c), `${c.key}: ${c.activity}`),
      title: c.title,
      topic: c.topic,
      level: c.level,
      scope: c.scope,
      status: c.status,
      providerId: null,
      venueCity: null,
      venueCountry: null,
      countries: c.countries,
      startDate: null,
      endDate: null,
      minDurationDays: c.minDurationDays,
      minParticipants: c.minParticipants,
      maxParticipants: c.maxParticipants,
      quotas: [],
      trainers: [],
      materials: [],
      description: c.description,
    }
    const row = await upsertCourse(ctx.trx, id, state, sourceProvenance(c.provenance))
    const outcome = !row ? 'unchanged' : row.inserted ? 'created' : 'updated'
    tally(ctx, 'trainingCourse', id, outcome, row?.version, Object.keys(state))
  }
  if (problems.size) process.emitWarning(`training seed: ${[...problems].join('; ')}`, 'SeedWarning')
}
