import { existsSync, readdirSync } from 'node:fs'
import type { Database } from '../src/db/database.ts'
import type { PageRequest, SortKey, SortTable } from '../src/http/pagination.ts'
import { load } from './sql-snapshots.sources.ts'

// The sample calls scripts/sql-snapshots.ts makes to write sql/*.sql: for every exported function
// of every src/**/*.queries.ts, either the calls (key "file:function") or, in `ignore`, why it
// issues no SQL. test/sql-snapshots.test.ts fails on an export that is in neither, so a new query
// cannot skip review.
//
// The calls run on a Kysely that sends nothing: every statement sees no rows. A function that
// reads before it writes therefore shows the path taken when nothing exists yet, and one that
// throws on an empty result (executeTakeFirstOrThrow) shows what it ran before throwing.
// Values are fixed (ids below, one timestamp) so the files only change when the SQL does.
//
// Modules are loaded by file name (see load()): a module moving to another folder changes
// nothing at run time, only the path in its `typeof import(…)`, which the type check flags.

export interface Invocation {
  /** The arguments after the database, as the comment above the statement shows them. */
  call: string
  run: (db: Database) => Promise<unknown>
  /** Parameters whose value changes from run to run (random tokens, the clock), by number: what they are. */
  varying?: Record<number, string>
}

const call = (args: string, run: (db: Database) => Promise<unknown>, varying?: Record<number, string>): Invocation => ({
  call: args,
  run,
  ...(varying ? { varying } : {}),
})

const { resolveSort, idKey } = await load<typeof import('../src/http/pagination.ts')>('pagination.ts')
const activities = await load<typeof import('../src/modules/activities/activities.queries.ts')>('activities.queries.ts')
const apiKeys = await load<typeof import('../src/modules/api-keys/api-keys.queries.ts')>('api-keys.queries.ts')
const areas = await load<typeof import('../src/modules/areas/areas.queries.ts')>('areas.queries.ts')
const changes = await load<typeof import('../src/modules/changes/changes.queries.ts')>('changes.queries.ts')
const countries = await load<typeof import('../src/modules/countries/countries.queries.ts')>('countries.queries.ts')
const health = await load<typeof import('../src/modules/health/health.queries.ts')>('health.queries.ts')
const idempotency = await load<typeof import('../src/plugins/idempotency.queries.ts')>('idempotency.queries.ts')
const meetings = await load<typeof import('../src/modules/meetings/meetings.queries.ts')>('meetings.queries.ts')
const organizations =
  await load<typeof import('../src/modules/organizations/organizations.queries.ts')>('organizations.queries.ts')
const outcomes = await load<typeof import('../src/modules/outcomes/outcomes.queries.ts')>('outcomes.queries.ts')
const plans = await load<typeof import('../src/modules/plans/plans.queries.ts')>('plans.queries.ts')
const results =
  await load<typeof import('../src/modules/projects/project-results.queries.ts')>('project-results.queries.ts')
const references = await load<typeof import('../src/db/references.queries.ts')>('references.queries.ts')
const upsert = await load<typeof import('../src/db/upsert.queries.ts')>('upsert.queries.ts')
const tasks = await load<typeof import('../src/modules/projects/project-tasks.queries.ts')>('project-tasks.queries.ts')
const projects = await load<typeof import('../src/modules/projects/projects.queries.ts')>('projects.queries.ts')
const writes = await load<typeof import('../src/http/writes.queries.ts')>('writes.queries.ts')

/** A fixed UUID per kind of row: 11111111-1111-4111-8111-000000000001 is plan 1. */
const uuid = (digit: string, n = 1) =>
  `${digit.repeat(8)}-${digit.repeat(4)}-4${digit.repeat(3)}-8${digit.repeat(3)}-${String(n).padStart(12, '0')}`
const PLAN = uuid('1')
const PLAN_2 = uuid('1', 2)
const AREA = uuid('2')
const AREA_2 = uuid('2', 2)
const ACTIVITY = uuid('3')
const ACTIVITY_2 = uuid('3', 2)
const PROJECT = uuid('4')
const PROJECT_2 = uuid('4', 2)
const ORG = uuid('5')
const ORG_2 = uuid('5', 2)
const MEETING = uuid('6')
const OUTCOME = uuid('7')
const OUTCOME_2 = uuid('7', 2)
const RESULT = uuid('8')
const TASK = uuid('9')
const API_KEY = uuid('a')
const AGENDA_ITEM = uuid('b')
const AT = '2026-01-15T09:30:00.000Z'
/** What a row created through the API stores (src/schemas/provenance.ts apiProvenance). */
const PROVENANCE = { origin: 'api' as const, sources: [], inferred: [], doubtful: [], createdBy: { keyId: API_KEY } }

/** A page request as pageRequest() makes it: the module's sort table through resolveSort, the tie-breaking key, a cursor position. */
function page(
  sorts: SortTable,
  sort: string,
  key: SortKey,
  options: { after?: unknown[]; limit?: number } = {},
): PageRequest {
  return {
    sort: resolveSort(sort, sorts, key),
    after: options.after,
    limit: options.limit ?? 50,
    binding: 'sql-snapshots',
  }
}

const document = {
  title: 'Report of the workshop',
  url: 'https://example.org/report.pdf',
  type: 'report' as const,
  language: 'en',
  date: '2026-01-10',
}

const meetingState = {
  planId: PLAN,
  kind: 'workshop' as const,
  title: 'Workshop on victim identification',
  sequence: 'W 1',
  status: 'planned' as const,
  startDate: '2026-03-02',
  endDate: '2026-03-03',
  datePrecision: 'day' as const,
  timeZone: 'Asia/Bangkok',
  venue: { city: 'Bangkok', country: 'TH' },
  organizerIds: [ORG],
  countries: ['KH', 'TH'],
  activityIds: [ACTIVITY],
  projectIds: [PROJECT],
  agenda: [{ id: AGENDA_ITEM, title: 'Opening', description: null }],
  documents: [document],
  description: 'Two days in Bangkok.',
}

const outcomeState = {
  externalRef: 'w1-a1',
  kind: 'action_item' as const,
  text: 'Circulate the report to the task forces',
  status: 'open' as const,
  dueDate: '2026-04-30',
  responsibleOrganizationIds: [ORG, ORG_2],
  activityId: ACTIVITY,
  projectId: null,
}

const coreSamples: Record<string, Invocation[]> = {
  // activities.queries.ts
  'activities.queries.ts:activitiesPage': [
    call('filters: { planId }, page: sort=code, limit=50', (db) =>
      activities
        .activitiesPage(db, { planId: PLAN }, page(activities.activitySortTable, 'code', idKey('activities')))
        .execute(),
    ),
  ],
  'activities.queries.ts:listActivities': [
    call('filters: {}, page: sort=code, limit=50', (db) =>
      activities.listActivities(db, {}, page(activities.activitySortTable, 'code', idKey('activities'))),
    ),
    call(
      'filters: { planId, areaId, status, category, country, organizationId, role, code, q, updatedSince }, page: sort=-updatedAt after (updatedAt, id), limit=20',
      (db) =>
        activities.listActivities(
          db,
          {
            planId: PLAN,
            areaId: AREA,
            status: 'planned',
            category: 'training',
            country: 'KH',
            organizationId: ORG,
            role: 'lead',
            code: 'Activity 11',
            q: 'victim',
            updatedSince: AT,
          },
          page(activities.activitySortTable, '-updatedAt', idKey('activities'), { after: [AT, ACTIVITY], limit: 20 }),
        ),
    ),
  ],
  'activities.queries.ts:listActivitiesOfPlan': [call('planId', (db) => activities.listActivitiesOfPlan(db, PLAN))],
  'activities.queries.ts:getActivity': [call('id', (db) => activities.getActivity(db, ACTIVITY))],
  'activities.queries.ts:lockActivity': [call('id', (db) => activities.lockActivity(db, ACTIVITY))],
  'activities.queries.ts:getActivityPlans': [
    call('ids: [2]', (db) => activities.getActivityPlans(db, [ACTIVITY, ACTIVITY_2])),
  ],
  'activities.queries.ts:insertActivity': [
    call('input: every field (stops after the insert: it returns no row here)', (db) =>
      activities.insertActivity(
        db,
        {
          planId: PLAN,
          areaId: AREA,
          code: 'Activity 11a',
          title: 'Follow-up workshop on identification of victims',
          description: null,
          category: 'coordination',
          status: 'planned',
          countries: ['LA', 'TH'],
          plannedStart: '2026-03-01',
          plannedEnd: '2026-03-02',
          actualStart: null,
          actualEnd: null,
          organizations: [{ organizationId: ORG, role: 'lead' }],
          documents: [document],
        },
        PROVENANCE,
      ),
    ),
  ],
  'activities.queries.ts:updateActivity': [
    call('id, patch: { title, status }, organizationsChanged: false', (db) =>
      activities.updateActivity(db, ACTIVITY, { title: 'Workshop on identification', status: 'in_progress' }, false),
    ),
    call('id, patch: {}, organizationsChanged: true', (db) => activities.updateActivity(db, ACTIVITY, {}, true)),
  ],
  'activities.queries.ts:replaceActivityOrganizations': [
    call('id, organizations: [2]', (db) =>
      activities.replaceActivityOrganizations(db, ACTIVITY, [
        { organizationId: ORG, role: 'lead' },
        { organizationId: ORG_2, role: 'funding' },
      ]),
    ),
  ],
  'activities.queries.ts:syncActivityOrganizations': [
    call('activityIds: [2], wanted: [2]', (db) =>
      activities.syncActivityOrganizations(
        db,
        [ACTIVITY, ACTIVITY_2],
        [
          { owner: ACTIVITY, target: ORG, extra: 'lead' },
          { owner: ACTIVITY_2, target: ORG_2, extra: 'implementing' },
        ],
      ),
    ),
  ],
  'activities.queries.ts:deleteActivity': [call('id', (db) => activities.deleteActivity(db, ACTIVITY))],
  'activities.queries.ts:upsertActivities': [
    call('rows: [2], columnNames: [planId, code, title]', (db) =>
      activities.upsertActivities(
        db,
        [
          { id: ACTIVITY, planId: PLAN, code: 'Activity 1', title: 'Research' },
          { id: ACTIVITY_2, planId: PLAN, code: 'Activity 2', title: 'Training' },
        ],
        ['planId', 'code', 'title'],
      ),
    ),
  ],
  'activities.queries.ts:touchActivities': [
    call('ids: [2]', (db) => activities.touchActivities(db, [ACTIVITY, ACTIVITY_2])),
  ],
  'activities.queries.ts:activityMatrixCells': [
    call("planId, by: 'category', filters: {}", (db) => activities.activityMatrixCells(db, PLAN, 'category', {})),
    call("planId, by: 'organization', filters: { role, status }", (db) =>
      activities.activityMatrixCells(db, PLAN, 'organization', { role: 'lead', status: 'completed' }),
    ),
    call("planId, by: 'country', filters: {}", (db) => activities.activityMatrixCells(db, PLAN, 'country', {})),
  ],

  // api-keys.queries.ts
  'api-keys.queries.ts:insertApiKey': [
    call(
      'input: { name, organizationId, scopes, countries }',
      (db) =>
        apiKeys.insertApiKey(db, {
          name: 'Lao task force',
          organizationId: ORG,
          scopes: ['read', 'plans:write'],
          countries: ['LA'],
        }),
      {
        5: 'random prefix',
        6: 'hash of the random token',
      },
    ),
  ],
  'api-keys.queries.ts:findApiKeyByPrefix': [call('prefix', (db) => apiKeys.findApiKeyByPrefix(db, '0123456789ab'))],
  'api-keys.queries.ts:revokeApiKey': [
    call('prefix', (db) => apiKeys.revokeApiKey(db, '0123456789ab'), { 1: 'now' }),
    call('id', (db) => apiKeys.revokeApiKey(db, API_KEY), { 1: 'now' }),
  ],

  // areas.queries.ts
  'areas.queries.ts:listAreas': [
    call('planId, filters: {}, page: sort=code, limit=50', (db) =>
      areas.listAreas(db, PLAN, {}, page(areas.areaSortTable, 'code', idKey('areas'))),
    ),
    call(
      'planId, filters: { parentId, kind, q, updatedSince }, page: sort=-position after (position, id), limit=20',
      (db) =>
        areas.listAreas(
          db,
          PLAN,
          { parentId: AREA, kind: 'area', q: 'victim', updatedSince: AT },
          page(areas.areaSortTable, '-position', idKey('areas'), { after: [3, AREA_2], limit: 20 }),
        ),
    ),
  ],
  'areas.queries.ts:listAreasOfPlan': [call('planId', (db) => areas.listAreasOfPlan(db, PLAN))],
  'areas.queries.ts:getArea': [call('planId, id', (db) => areas.getArea(db, PLAN, AREA))],
  'areas.queries.ts:lockArea': [call('planId, id', (db) => areas.lockArea(db, PLAN, AREA))],
  'areas.queries.ts:getAreaPlans': [call('ids: [2]', (db) => areas.getAreaPlans(db, [AREA, AREA_2]))],
  'areas.queries.ts:insertArea': [
    call('planId, input: { code, title, parentId, kind, position }', (db) =>
      areas.insertArea(
        db,
        PLAN,
        {
          code: 'Area 4',
          title: 'Victim identification',
          parentId: AREA,
          kind: 'area',
          position: 2,
        },
        PROVENANCE,
      ),
    ),
    call('planId, input: { code, title } (position after the last sibling)', (db) =>
      areas.insertArea(db, PLAN, { code: 'Area 5', title: 'Prosecution' }, PROVENANCE),
    ),
  ],
  'areas.queries.ts:updateArea': [
    call('id, patch: { title, parentId }', (db) =>
      areas.updateArea(db, AREA, { title: 'Identification of victims', parentId: AREA_2 }),
    ),
    call('id, patch: {}', (db) => areas.updateArea(db, AREA, {})),
  ],
  'areas.queries.ts:deleteArea': [call('id', (db) => areas.deleteArea(db, AREA))],
  'areas.queries.ts:isSelfOrDescendant': [call('id, candidate', (db) => areas.isSelfOrDescendant(db, AREA, AREA_2))],
  'areas.queries.ts:upsertAreas': [
    call('rows: [2], columnNames: [planId, parentId, code, title, position]', (db) =>
      areas.upsertAreas(
        db,
        [
          { id: AREA, planId: PLAN, parentId: null, code: 'Area 1', title: 'Policy', position: 0 },
          { id: AREA_2, planId: PLAN, parentId: AREA, code: 'Area 1.1', title: 'Legislation', position: 0 },
        ],
        ['planId', 'parentId', 'code', 'title', 'position'],
      ),
    ),
  ],

  // changes.queries.ts
  'changes.queries.ts:listChangesOf': [
    call("resource: 'activities', resourceId", (db) => changes.listChangesOf(db, 'activities', ACTIVITY)),
  ],

  // countries.queries.ts
  'countries.queries.ts:listCountries': [
    call('filters: {}, page: sort=code, limit=50', (db) =>
      countries.listCountries(db, {}, page(countries.countrySortTable, 'code', countries.countrySortTable.code!)),
    ),
    call('filters: { q, region }, page: sort=-name after (name, code), limit=20', (db) =>
      countries.listCountries(
        db,
        { q: 'la', region: 'South-eastern Asia' },
        page(countries.countrySortTable, '-name', countries.countrySortTable.code!, {
          after: ['Thailand', 'TH'],
          limit: 20,
        }),
      ),
    ),
    call('filters: {}, page: sort=code after (code), limit=20', (db) =>
      countries.listCountries(
        db,
        {},
        page(countries.countrySortTable, 'code', countries.countrySortTable.code!, { after: ['KH'], limit: 20 }),
      ),
    ),
  ],
  'countries.queries.ts:getCountry': [call("code: 'KH'", (db) => countries.getCountry(db, 'KH'))],

  // health.queries.ts
  'health.queries.ts:latestAppliedMigration': [call('', (db) => health.latestAppliedMigration(db))],

  // idempotency.queries.ts
  'idempotency.queries.ts:claimKey': [
    call('scope, key, requestHash', (db) => idempotency.claimKey(db, API_KEY, 'batch-2026-01-15', 'c0ffee')),
  ],
  'idempotency.queries.ts:findKey': [call('scope, key', (db) => idempotency.findKey(db, API_KEY, 'batch-2026-01-15'))],
  'idempotency.queries.ts:completeKey': [
    call('scope, key, response: { status, headers, body }', (db) =>
      idempotency.completeKey(db, API_KEY, 'batch-2026-01-15', {
        status: 201,
        headers: { 'content-type': 'application/json' },
        body: '{"id":"x"}',
      }),
    ),
  ],
  'idempotency.queries.ts:releaseKey': [
    call('scope, key', (db) => idempotency.releaseKey(db, API_KEY, 'batch-2026-01-15')),
  ],
  'idempotency.queries.ts:purgeExpiredKeys': [call('', (db) => idempotency.purgeExpiredKeys(db))],

  // meetings.queries.ts
  'meetings.queries.ts:listMeetings': [
    call('filters: {}, page: sort=startDate, limit=50', (db) =>
      meetings.listMeetings(db, {}, page(meetings.meetingSortTable, 'startDate', idKey('meetings'))),
    ),
    call(
      'filters: { planId, kind, status, country, activityId, projectId, from, to, q, updatedSince }, page: sort=-title after (title, id), limit=20',
      (db) =>
        meetings.listMeetings(
          db,
          {
            planId: PLAN,
            kind: 'workshop',
            status: 'held',
            country: 'TH',
            activityId: ACTIVITY,
            projectId: PROJECT,
            from: '2026-01-01',
            to: '2026-12-31',
            q: 'victim',
            updatedSince: AT,
          },
          page(meetings.meetingSortTable, '-title', idKey('meetings'), { after: ['Workshop', MEETING], limit: 20 }),
        ),
    ),
  ],
  'meetings.queries.ts:listCalendarMeetings': [
    call('filters: {}, max: 500', (db) => meetings.listCalendarMeetings(db, {}, 500)),
    call('filters: { planId, country, from }, max: 500', (db) =>
      meetings.listCalendarMeetings(db, { planId: PLAN, country: 'TH', from: '2026-01-01' }, 500),
    ),
  ],
  'meetings.queries.ts:calendarDigest': [
    call('filters: {}', (db) => meetings.calendarDigest(db, {})),
    call('filters: { planId, country, from, to }', (db) =>
      meetings.calendarDigest(db, { planId: PLAN, country: 'TH', from: '2026-01-01', to: '2026-12-31' }),
    ),
  ],
  'meetings.queries.ts:getMeeting': [call('id', (db) => meetings.getMeeting(db, MEETING))],
  'meetings.queries.ts:lockMeeting': [call('id', (db) => meetings.lockMeeting(db, MEETING))],
  'meetings.queries.ts:insertMeeting': [
    call('state', (db) => meetings.insertMeeting(db, meetingState, PROVENANCE)),
    call('state, provenance, id', (db) => meetings.insertMeeting(db, meetingState, PROVENANCE, MEETING)),
  ],
  'meetings.queries.ts:updateMeeting': [call('id, state', (db) => meetings.updateMeeting(db, MEETING, meetingState))],
  'meetings.queries.ts:updateAttendance': [
    call('id, rows: [2]', (db) =>
      meetings.updateAttendance(db, MEETING, [
        { country: 'TH', organizationKind: 'government', female: 3, male: 4, unspecified: 0 },
        { country: null, organizationKind: 'un_agency', female: 1, male: 0, unspecified: 1 },
      ]),
    ),
  ],
  'meetings.queries.ts:deleteMeeting': [call('id', (db) => meetings.deleteMeeting(db, MEETING))],
  'meetings.queries.ts:syncMeetingLinks': [
    call('id, before: null (a new meeting), after: one of each', (db) =>
      meetings.syncMeetingLinks(db, MEETING, null, meetingState),
    ),
    call('id, before: unknown, after: organizers only', (db) =>
      meetings.syncMeetingLinks(db, MEETING, undefined, { organizerIds: [ORG], activityIds: [], projectIds: [] }),
    ),
    call('id, before → after: organizers changed', (db) =>
      meetings.syncMeetingLinks(
        db,
        MEETING,
        { organizerIds: [ORG], activityIds: [ACTIVITY], projectIds: [] },
        { organizerIds: [ORG_2], activityIds: [ACTIVITY], projectIds: [] },
      ),
    ),
  ],
  'meetings.queries.ts:upsertMeeting': [
    call('id, state', (db) => meetings.upsertMeeting(db, MEETING, meetingState, PROVENANCE)),
  ],

  // organizations.queries.ts
  'organizations.queries.ts:listOrganizations': [
    call('filters: {}, page: sort=name, limit=50', (db) =>
      organizations.listOrganizations(
        db,
        {},
        page(organizations.organizationSortTable, 'name', idKey('organizations')),
      ),
    ),
    call(
      'filters: { kind, country, parentId, q, updatedSince }, page: sort=-updatedAt after (updatedAt, id), limit=20',
      (db) =>
        organizations.listOrganizations(
          db,
          { kind: 'ngo', country: 'KH', parentId: ORG_2, q: 'anti', updatedSince: AT },
          page(organizations.organizationSortTable, '-updatedAt', idKey('organizations'), {
            after: [AT, ORG],
            limit: 20,
          }),
        ),
    ),
  ],
  'organizations.queries.ts:getOrganization': [call('id', (db) => organizations.getOrganization(db, ORG))],
  'organizations.queries.ts:lockOrganization': [call('id', (db) => organizations.lockOrganization(db, ORG))],
  'organizations.queries.ts:insertOrganization': [
    call('input: every field', (db) =>
      organizations.insertOrganization(
        db,
        {
          name: 'COMMIT Task Force Lao PDR',
          acronym: 'COMMIT TF LA',
          kind: 'national_task_force',
          country: 'LA',
          parentId: ORG_2,
          website: 'https://example.org',
          description: null,
        },
        PROVENANCE,
      ),
    ),
  ],
  'organizations.queries.ts:updateOrganization': [
    call('id, patch: { website, country }', (db) =>
      organizations.updateOrganization(db, ORG, { website: 'https://example.org', country: null }),
    ),
    call('id, patch: {}', (db) => organizations.updateOrganization(db, ORG, {})),
  ],
  'organizations.queries.ts:deleteOrganization': [call('id', (db) => organizations.deleteOrganization(db, ORG))],
  'organizations.queries.ts:isSelfOrDescendant': [
    call('id, candidate', (db) => organizations.isSelfOrDescendant(db, ORG, ORG_2)),
  ],
  'organizations.queries.ts:getOrganizationsByIds': [
    call('ids: [2]', (db) => organizations.getOrganizationsByIds(db, [ORG, ORG_2])),
  ],
  'references.queries.ts:missingReferences': [
    call('{ countries, organizations, activities }', (db) =>
      references.missingReferences(db, { countries: ['KH', 'XX'], organizations: [ORG], activities: [ORG] }),
    ),
  ],
  'references.queries.ts:referenceErrors': [
    call('[country, organization]', (db) =>
      references.referenceErrors(db, [
        { kind: 'countries', id: 'KH', pointer: '/body/countries/0' },
        { kind: 'organizations', id: ORG, pointer: '/body/organizerIds/0' },
      ]),
    ),
  ],
  'references.queries.ts:assertReferences': [
    call('[plan]', (db) => references.assertReferences(db, [{ kind: 'plans', id: ORG, pointer: '/body/planId' }])),
  ],
  'upsert.queries.ts:upsertById': [
    call("'plans', one row", (db) =>
      upsert.upsertById(db, 'plans', [{ id: ORG, code: 'P', title: 'Plan' }], ['code', 'title']),
    ),
  ],
  'upsert.queries.ts:upsertRow': [
    call("'organizations', one row", (db) =>
      upsert.upsertRow(db, 'organizations', { id: ORG, name: 'UNIAP', kind: 'un_agency' }),
    ),
  ],
  'upsert.queries.ts:syncJoinRows': [
    call('activity organizations', (db) =>
      upsert.syncJoinRows(
        db,
        { table: 'activityOrganizations', owner: 'activityId', target: 'organizationId', extra: 'role' },
        [ORG],
        [{ owner: ORG, target: ORG, extra: 'lead' }],
      ),
    ),
  ],
  'changes.queries.ts:idsWrittenByKeys': [call('', (db) => changes.idsWrittenByKeys(db))],
  'organizations.queries.ts:upsertOrganization': [
    call('id, input: every field', (db) =>
      organizations.upsertOrganization(
        db,
        ORG,
        {
          name: 'United Nations Inter-Agency Project',
          acronym: 'UNIAP',
          kind: 'un_agency',
          country: null,
          parentId: null,
          website: null,
          description: 'The COMMIT secretariat.',
        },
        PROVENANCE,
      ),
    ),
  ],
  'organizations.queries.ts:countOrganizations': [call('', (db) => organizations.countOrganizations(db))],
  'organizations.queries.ts:findOrganizationByIdOrAcronym': [
    call('id', (db) => organizations.findOrganizationByIdOrAcronym(db, ORG)),
    call('acronym', (db) => organizations.findOrganizationByIdOrAcronym(db, 'UNIAP')),
  ],

  // outcomes.queries.ts
  'outcomes.queries.ts:listOutcomes': [
    call('filters: { meetingId }, page: sort=createdAt, limit=50', (db) =>
      outcomes.listOutcomes(
        db,
        { meetingId: MEETING },
        page(outcomes.outcomeSortTable, 'createdAt', idKey('outcomes')),
      ),
    ),
    call(
      'filters: { planId, kind, status, responsibleOrganizationId, activityId, projectId, dueBefore, updatedSince }, page: sort=-dueDate after (dueSort, id), limit=20',
      (db) =>
        outcomes.listOutcomes(
          db,
          {
            planId: PLAN,
            kind: 'action_item',
            status: 'open',
            responsibleOrganizationId: ORG,
            activityId: ACTIVITY,
            projectId: PROJECT,
            dueBefore: '2026-06-30',
            updatedSince: AT,
          },
          page(outcomes.outcomeSortTable, '-dueDate', idKey('outcomes'), { after: ['2026-04-30', OUTCOME], limit: 20 }),
        ),
    ),
  ],
  'outcomes.queries.ts:getOutcome': [call('id', (db) => outcomes.getOutcome(db, OUTCOME))],
  'outcomes.queries.ts:lockOutcome': [call('id', (db) => outcomes.lockOutcome(db, OUTCOME))],
  'outcomes.queries.ts:insertOutcome': [
    call('meetingId, state (stops after the insert: it returns no row here)', (db) =>
      outcomes.insertOutcome(db, MEETING, outcomeState, PROVENANCE),
    ),
  ],
  'outcomes.queries.ts:updateOutcome': [
    call('id, state (stops after the update: it returns no row here)', (db) =>
      outcomes.updateOutcome(db, OUTCOME, outcomeState),
    ),
  ],
  'outcomes.queries.ts:deleteOutcome': [call('id', (db) => outcomes.deleteOutcome(db, OUTCOME))],
  'outcomes.queries.ts:deleteOutcomesOfMeeting': [
    call('meetingId', (db) => outcomes.deleteOutcomesOfMeeting(db, MEETING)),
  ],
  'outcomes.queries.ts:syncResponsibles': [
    call('outcomeIds: [2] (existing outcomes)', (db) => outcomes.syncResponsibles(db, [OUTCOME, OUTCOME_2])),
    call('outcomeIds: [1], existing: [] (a new outcome)', (db) => outcomes.syncResponsibles(db, [OUTCOME], [])),
  ],
  'outcomes.queries.ts:upsertOutcomes': [
    call('meetingId, items: [2]', (db) =>
      outcomes.upsertOutcomes(
        db,
        MEETING,
        [
          { ...outcomeState, statusGiven: true, provenance: PROVENANCE },
          {
            ...outcomeState,
            provenance: PROVENANCE,
            externalRef: 'w1-d1',
            kind: 'decision',
            text: 'The task forces meet twice a year',
            status: null,
            dueDate: null,
            responsibleOrganizationIds: [],
            activityId: null,
            statusGiven: false,
          },
        ],
        'keep',
      ),
    ),
  ],

  // plans.queries.ts
  'plans.queries.ts:listPlans': [
    call('filters: {}, page: sort=code, limit=50', (db) =>
      plans.listPlans(db, {}, page(plans.planSortTable, 'code', idKey('plans'))),
    ),
    call(
      'filters: { status, country, initiativeId, q, updatedSince }, page: sort=-createdAt after (createdAt, id), limit=20',
      (db) =>
        plans.listPlans(
          db,
          { status: 'active', country: 'KH', initiativeId: ORG, q: 'COMMIT', updatedSince: AT },
          page(plans.planSortTable, '-createdAt', idKey('plans'), { after: [AT, PLAN], limit: 20 }),
        ),
    ),
    call('filters: { code }, page: sort=code after (code_sort, id), limit=50', (db) =>
      plans.listPlans(
        db,
        { code: 'COMMIT SPA I' },
        page(plans.planSortTable, 'code', idKey('plans'), { after: ['COMMIT SPA I', PLAN] }),
      ),
    ),
    call('filters: { q }, page: sort=relevance after (search_key, id), limit=20', (db) =>
      plans.listPlans(
        db,
        { q: 'ASEAN' },
        page(plans.planSortTable, 'relevance', idKey('plans'), { after: ['1APA', PLAN], limit: 20 }),
      ),
    ),
  ],
  'plans.queries.ts:getPlan': [call('id', (db) => plans.getPlan(db, PLAN))],
  'plans.queries.ts:getPlanByCode': [call('code', (db) => plans.getPlanByCode(db, 'COMMIT SPA I'))],
  'plans.queries.ts:getPlanWithStructureTag': [call('id', (db) => plans.getPlanWithStructureTag(db, PLAN))],
  'plans.queries.ts:lockPlan': [call('id', (db) => plans.lockPlan(db, PLAN))],
  'plans.queries.ts:getPlanSummary': [call('id', (db) => plans.getPlanSummary(db, PLAN))],
  'plans.queries.ts:insertPlan': [
    call('input: every field', (db) =>
      plans.insertPlan(
        db,
        {
          code: 'COMMIT SPA III',
          title: 'COMMIT Sub-Regional Plan of Action III',
          initiativeId: ORG,
          status: 'draft',
          countries: ['KH', 'CN', 'LA', 'MM', 'TH', 'VN'],
          startDate: '2026-01-01',
          endDate: '2030-12-31',
          supersedesId: PLAN_2,
          adoption: {
            date: '2025-12-01',
            endDate: '2025-12-01',
            datePrecision: 'day',
            place: 'Bangkok',
            meeting: 'SOM 20',
          },
          description: null,
          documents: [document],
        },
        PROVENANCE,
      ),
    ),
  ],
  'plans.queries.ts:updatePlan': [
    call('id, patch: { status, adoption }', (db) =>
      plans.updatePlan(db, PLAN, {
        status: 'adopted',
        adoption: { date: null, endDate: null, datePrecision: null, place: 'Yangon', meeting: null },
      }),
    ),
    call('id, patch: { adoption: null }', (db) => plans.updatePlan(db, PLAN, { adoption: null })),
    call('id, patch: {}', (db) => plans.updatePlan(db, PLAN, {})),
  ],
  'plans.queries.ts:deletePlan': [call('id', (db) => plans.deletePlan(db, PLAN))],
  'plans.queries.ts:supersedesChainReaches': [
    call('candidate, id', (db) => plans.supersedesChainReaches(db, PLAN_2, PLAN)),
  ],
  'plans.queries.ts:upsertPlans': [
    call('rows: [1], columnNames: [code, title, countries]', (db) =>
      plans.upsertPlans(
        db,
        [{ id: PLAN, code: 'COMMIT SPA I', title: 'COMMIT Sub-Regional Plan of Action', countries: ['KH', 'TH'] }],
        ['code', 'title', 'countries'],
      ),
    ),
  ],

  // project-results.queries.ts
  'project-results.queries.ts:listResults': [
    call('projectId, filters: {}, page: sort=position, limit=50', (db) =>
      results.listResults(db, PROJECT, {}, page(results.resultSortTable, 'position', idKey('project_results'))),
    ),
    call('projectId, filters: { updatedSince }, page: sort=-updatedAt after (updatedAt, id), limit=20', (db) =>
      results.listResults(
        db,
        PROJECT,
        { updatedSince: AT },
        page(results.resultSortTable, '-updatedAt', idKey('project_results'), { after: [AT, RESULT], limit: 20 }),
      ),
    ),
  ],
  'project-results.queries.ts:getResultStatements': [
    call('ids', (db) => results.getResultStatements(db, [RESULT, PROJECT])),
  ],
  'project-results.queries.ts:getResult': [call('projectId, id', (db) => results.getResult(db, PROJECT, RESULT))],
  'project-results.queries.ts:lockResult': [call('projectId, id', (db) => results.lockResult(db, PROJECT, RESULT))],
  'project-results.queries.ts:insertResult': [
    call('projectId, input: { statement, position }', (db) =>
      results.insertResult(db, PROJECT, { statement: 'Police units established', position: 2 }, PROVENANCE),
    ),
    call('projectId, input: { statement } (position after the last one)', (db) =>
      results.insertResult(db, PROJECT, { statement: 'Police units established' }, PROVENANCE),
    ),
  ],
  'project-results.queries.ts:updateResult': [
    call('id, patch: { statement }', (db) => results.updateResult(db, RESULT, { statement: 'Police units trained' })),
    call('id, patch: {}', (db) => results.updateResult(db, RESULT, {})),
  ],
  'project-results.queries.ts:deleteResult': [call('id', (db) => results.deleteResult(db, RESULT))],
  'project-results.queries.ts:upsertResults': [
    call('rows: [1], columnNames: [projectId, statement, position]', (db) =>
      results.upsertResults(
        db,
        [{ id: RESULT, projectId: PROJECT, statement: 'Police units established', position: 1 }],
        ['projectId', 'statement', 'position'],
      ),
    ),
  ],

  // project-tasks.queries.ts
  'project-tasks.queries.ts:listTasks': [
    call('projectId, filters: {}, page: sort=position, limit=50', (db) =>
      tasks.listTasks(db, PROJECT, {}, page(tasks.taskSortTable, 'position', idKey('project_tasks'))),
    ),
    call(
      'projectId, filters: { phase, status, responsibleOrganizationId, updatedSince }, page: sort=-createdAt after (createdAt, id), limit=20',
      (db) =>
        tasks.listTasks(
          db,
          PROJECT,
          { phase: 'follow_up', status: 'planned', responsibleOrganizationId: ORG, updatedSince: AT },
          page(tasks.taskSortTable, '-createdAt', idKey('project_tasks'), { after: [AT, TASK], limit: 20 }),
        ),
    ),
  ],
  'project-tasks.queries.ts:getTask': [call('projectId, id', (db) => tasks.getTask(db, PROJECT, TASK))],
  'project-tasks.queries.ts:lockTask': [call('projectId, id', (db) => tasks.lockTask(db, PROJECT, TASK))],
  'project-tasks.queries.ts:insertTask': [
    call('projectId, input: every field', (db) =>
      tasks.insertTask(
        db,
        PROJECT,
        {
          phase: 'follow_up',
          title: 'Circulate the report',
          status: 'planned',
          dueDate: '2026-04-30',
          responsibleOrganizationId: ORG,
          position: 3,
        },
        PROVENANCE,
      ),
    ),
    call('projectId, input: { phase, title } (position after the last one)', (db) =>
      tasks.insertTask(db, PROJECT, { phase: 'preparation', title: 'Book the venue' }, PROVENANCE),
    ),
  ],
  'project-tasks.queries.ts:updateTask': [
    call('id, patch: { status, dueDate }', (db) => tasks.updateTask(db, TASK, { status: 'completed', dueDate: null })),
    call('id, patch: {}', (db) => tasks.updateTask(db, TASK, {})),
  ],
  'project-tasks.queries.ts:deleteTask': [call('id', (db) => tasks.deleteTask(db, TASK))],
  'project-tasks.queries.ts:upsertTasks': [
    call('rows: [1], columnNames: [projectId, phase, title, position]', (db) =>
      tasks.upsertTasks(
        db,
        [{ id: TASK, projectId: PROJECT, phase: 'core', title: 'Hold the workshop', position: 1 }],
        ['projectId', 'phase', 'title', 'position'],
      ),
    ),
  ],

  // projects.queries.ts
  'projects.queries.ts:projectsPage': [
    call('filters: { planId }, page: sort=code, limit=50', (db) =>
      projects.projectsPage(db, { planId: PLAN }, page(projects.projectSortTable, 'code', idKey('projects'))).execute(),
    ),
  ],
  'projects.queries.ts:listProjects': [
    call('filters: {}, page: sort=code, limit=50', (db) =>
      projects.listProjects(db, {}, page(projects.projectSortTable, 'code', idKey('projects'))),
    ),
    call(
      'filters: { planId, activityId, country, q, updatedSince }, page: sort=-updatedAt after (updatedAt, id), limit=20',
      (db) =>
        projects.listProjects(
          db,
          { planId: PLAN, activityId: ACTIVITY, country: 'LA', q: 'police', updatedSince: AT },
          page(projects.projectSortTable, '-updatedAt', idKey('projects'), { after: [AT, PROJECT], limit: 20 }),
        ),
    ),
  ],
  'projects.queries.ts:getProject': [call('id', (db) => projects.getProject(db, PROJECT))],
  'projects.queries.ts:lockProject': [call('id', (db) => projects.lockProject(db, PROJECT))],
  'projects.queries.ts:getProjectSummary': [call('id', (db) => projects.getProjectSummary(db, PROJECT))],
  'projects.queries.ts:insertProject': [
    call('input: every field (stops after the insert: it returns no row here)', (db) =>
      projects.insertProject(
        db,
        {
          planId: PLAN,
          code: 'PPC 13',
          title: 'Follow-up on victim identification',
          objective: 'Identify victims earlier',
          countries: ['LA', 'TH'],
          notes: ['Jointly coordinated with PPC 2.'],
          activityIds: [ACTIVITY],
          linkedProjectIds: [PROJECT_2],
          documents: [document],
        },
        PROVENANCE,
      ),
    ),
  ],
  'projects.queries.ts:updateProject': [
    call('id, patch: { title, countries }, relationsChanged: false', (db) =>
      projects.updateProject(db, PROJECT, { title: 'Victim identification', countries: ['LA'] }, false),
    ),
    call('id, patch: {}, relationsChanged: true', (db) => projects.updateProject(db, PROJECT, {}, true)),
  ],
  'projects.queries.ts:replaceProjectRelations': [
    call('id, input: { activityIds: [2], linkedProjectIds: [1] }', (db) =>
      projects.replaceProjectRelations(db, PROJECT, {
        activityIds: [ACTIVITY, ACTIVITY_2],
        linkedProjectIds: [PROJECT_2],
      }),
    ),
  ],
  'projects.queries.ts:syncProjectActivities': [
    call('projectIds: [1], wanted: [2]', (db) =>
      projects.syncProjectActivities(
        db,
        [PROJECT],
        [
          { owner: PROJECT, target: ACTIVITY },
          { owner: PROJECT, target: ACTIVITY_2 },
        ],
      ),
    ),
  ],
  'projects.queries.ts:syncProjectLinks': [
    call('projectIds: [1], wanted: [1]', (db) =>
      projects.syncProjectLinks(db, [PROJECT], [{ owner: PROJECT, target: PROJECT_2 }]),
    ),
  ],
  'projects.queries.ts:deleteProject': [call('id', (db) => projects.deleteProject(db, PROJECT))],
  'projects.queries.ts:upsertProjects': [
    call('rows: [1], columnNames: [planId, code, title]', (db) =>
      projects.upsertProjects(
        db,
        [{ id: PROJECT, planId: PLAN, code: 'PPC 1', title: 'Police units' }],
        ['planId', 'code', 'title'],
      ),
    ),
  ],
  'projects.queries.ts:touchProjects': [call('ids: [2]', (db) => projects.touchProjects(db, [PROJECT, PROJECT_2]))],

  // writes.queries.ts
  'writes.queries.ts:insertChanges': [
    call('actorKeyId, changes: [2]', (db) =>
      writes.insertChanges(db, API_KEY, [
        { resource: 'activities', resourceId: ACTIVITY, operation: 'update', version: 3, fields: ['title', 'status'] },
        { resource: 'projects', resourceId: PROJECT, operation: 'delete', version: 2, fields: [] },
      ]),
    ),
  ],
}

/** Exports of query modules that issue no SQL themselves, and why. */
const coreIgnore: Record<string, string> = {
  'references.queries.ts:each': 'builds Reference values; no SQL',
  'references.queries.ts:one': 'builds a Reference value; no SQL',
  'activities.queries.ts:toActivity': 'maps a row to the API shape',
  'areas.queries.ts:toArea': 'maps a row to the API shape',
  'areas.queries.ts:areaSubtreeIds':
    'builds a subquery for other statements (see listActivities with areaId, isSelfOrDescendant)',
  'countries.queries.ts:toCountry': 'maps a row to the API shape',
  'meetings.queries.ts:attendanceTotals': 'sums attendance rows',
  'meetings.queries.ts:toMeeting': 'maps a row to the API shape',
  'meetings.queries.ts:toAttendance': 'maps a row to the attendance sub-resource',
  'meetings.queries.ts:stateOf': 'strips the read-only fields of a meeting',
  'organizations.queries.ts:toOrganization': 'maps a row to the API shape',
  'outcomes.queries.ts:toOutcome': 'maps a row to the API shape',
  'outcomes.queries.ts:stateOf': 'strips the read-only fields of an outcome',
  'plans.queries.ts:toPlan': 'maps a row to the API shape',
  'plans.queries.ts:planColumns': 'maps API input to columns',
  'project-results.queries.ts:toProjectResult': 'maps a row to the API shape',
  'project-tasks.queries.ts:toProjectTask': 'maps a row to the API shape',
  'projects.queries.ts:toProject': 'maps a row to the API shape',
}

// Modules after planning and meetings keep their samples beside this file, one file each
// (scripts/sql-samples/<module>.ts exporting `samples` and, if any, `ignore`), so adding a
// module adds a file and edits none.
const extra = new URL('./sql-samples/', import.meta.url)
const files = existsSync(extra)
  ? readdirSync(extra)
      .filter((f) => f.endsWith('.ts'))
      .sort()
  : []
const parts = await Promise.all(
  files.map(
    (f) =>
      import(new URL(f, extra).href) as Promise<{
        samples?: Record<string, Invocation[]>
        ignore?: Record<string, string>
      }>,
  ),
)
export const samples: Record<string, Invocation[]> = Object.assign(
  {},
  coreSamples,
  ...parts.map((p) => p.samples ?? {}),
)
export const ignore: Record<string, string> = Object.assign({}, coreIgnore, ...parts.map((p) => p.ignore ?? {}))
