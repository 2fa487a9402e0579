import type { ColumnType, Generated } from 'kysely'

// Table rows as Kysely sees them (camelCase through CamelCasePlugin). These describe storage,
// not the API: API shapes are the TypeBox schemas in each module.

// Set by defaults and the bump_version trigger, never by queries.
// Timestamps are read as RFC 3339 strings (see isoTimestamp in database.ts).
type CreatedAt = ColumnType<string, never, never>
type UpdatedAt = ColumnType<string, never, never>
type Version = ColumnType<number, never, never>
// Set by a trigger from `code` (migrations/0005_natural_sort.ts): the key of the natural code sort.
type CodeSort = ColumnType<string, never, never>

export interface Timestamps {
  createdAt: CreatedAt
  updatedAt: UpdatedAt
  version: Version
}

// Where a row's values come from (migrations/0008_provenance.ts), as JSON text on the way in;
// read back as stored and shaped by provenanceOf (src/schemas/provenance.ts). NULL: written
// before the column and not attributed yet.
type Provenance = ColumnType<unknown, string | undefined, string>

export interface CountryTable extends Timestamps {
  code: string
  name: string
  region: string | null
  subregion: string | null
}

export interface OrganizationTable extends Timestamps {
  id: Generated<string>
  name: string
  acronym: string | null
  kind: string
  countryCode: string | null
  parentId: string | null
  website: string | null
  description: string | null
  provenance: Provenance
}

export interface ApiKeyTable {
  id: Generated<string>
  name: string
  prefix: string
  secretHash: string
  organizationId: string | null
  scopes: string[]
  countries: string[] | null
  createdAt: CreatedAt
  revokedAt: ColumnType<string | null, string | null, Date | null>
  // migrations/0012_integration.ts: rotation, last use, versions for the change log.
  updatedAt: ColumnType<string, never, string>
  version: ColumnType<number, never, number>
  lastUsedAt: ColumnType<string | null, never, string | null>
  expiresAt: ColumnType<string | null, string | null, string | null>
  previousSecretHash: ColumnType<string | null, never, string | null>
  previousExpiresAt: ColumnType<string | null, never, string | null>
  rotatedAt: ColumnType<string | null, never, string | null>
  createdByKeyId: ColumnType<string | null, string | null, never>
}

export interface ChangeTable {
  id: Generated<number>
  txid: Generated<string>
  resource: string
  resourceId: string
  operation: 'create' | 'update' | 'delete'
  version: number
  actorKeyId: string | null
  fields: string[]
  occurredAt: CreatedAt
}

// migrations/0012_integration.ts: webhooks. The secret is kept as given (it signs bodies) and never sent back.
export interface WebhookSubscriptionTable extends Timestamps {
  id: Generated<string>
  url: string
  secret: string
  eventTypes: string[]
  active: Generated<boolean>
  description: string | null
  afterChangeId: ColumnType<number, number | undefined, never>
  provenance: Provenance
}

export interface WebhookDeliveryTable {
  id: Generated<string>
  subscriptionId: string
  changeId: number
  eventType: string
  payload: string
  status: Generated<'pending' | 'succeeded' | 'failed'>
  attempts: Generated<number>
  responseStatus: number | null
  lastError: string | null
  jobId: string | null
  lastAttemptAt: ColumnType<string | null, string | null, string | null>
  deliveredAt: ColumnType<string | null, string | null, string | null>
  provenance: Provenance
  createdAt: CreatedAt
  updatedAt: ColumnType<string, never, string>
}

export interface ChangeCursorTable {
  name: string
  lastTxid: string
  lastId: number
  updatedAt: ColumnType<string, string | undefined, string>
}

export interface IdempotencyKeyTable {
  scope: string
  key: string
  requestHash: string
  state: 'in_flight' | 'done'
  responseStatus: number | null
  responseHeaders: Record<string, string> | null
  responseBody: string | null
  createdAt: Generated<string>
  lockedAt: Generated<string>
}

// Planning (migrations/0003_planning.ts). Dates are 'YYYY-MM-DD' strings (see database.ts).
export interface PlanTable extends Timestamps {
  id: Generated<string>
  code: string
  codeSort: CodeSort
  title: string
  initiativeId: string | null
  /** Null: not known (migrations/0009). */
  status: ColumnType<string | null, string | null | undefined, string | null>
  countries: Generated<string[]>
  startDate: string | null
  endDate: string | null
  supersedesId: string | null
  region: string | null
  adoptionDate: string | null
  adoptionEndDate: string | null
  adoptionDatePrecision: string | null
  milestones: ColumnType<unknown[], string | undefined, string>
  adoptionPlace: string | null
  adoptionMeeting: string | null
  description: string | null
  documents: ColumnType<unknown[], string | undefined, string>
  provenance: Provenance
}

export interface AreaTable extends Timestamps {
  id: Generated<string>
  planId: string
  parentId: string | null
  code: string
  codeSort: CodeSort
  title: string
  kind: Generated<string>
  position: Generated<number>
  description: string | null
  provenance: Provenance
}

export interface ActivityTable extends Timestamps {
  id: Generated<string>
  planId: string
  areaId: string | null
  code: string
  codeSort: CodeSort
  title: string
  description: string | null
  category: string | null
  status: Generated<string>
  countries: Generated<string[]>
  plannedStart: string | null
  plannedEnd: string | null
  actualStart: string | null
  actualEnd: string | null
  documents: ColumnType<unknown[], string | undefined, string>
  wordings: ColumnType<{ source: string; text: string }[], string | undefined, string>
  relatedRevision: Generated<number>
  provenance: Provenance
}

export interface ActivityOrganizationTable {
  activityId: string
  organizationId: string
  role: string
  position: Generated<number>
}

export interface ProjectTable extends Timestamps {
  id: Generated<string>
  planId: string
  code: string
  codeSort: CodeSort
  title: string
  name: string | null
  objective: string | null
  countries: Generated<string[]>
  notes: Generated<string[]>
  documents: ColumnType<unknown[], string | undefined, string>
  relatedRevision: Generated<number>
  provenance: Provenance
}

export interface ProjectActivityTable {
  projectId: string
  activityId: string
  position: Generated<number>
}

export interface ProjectLinkTable {
  projectId: string
  linkedProjectId: string
  position: Generated<number>
}

export interface ProjectResultTable extends Timestamps {
  id: Generated<string>
  projectId: string
  position: Generated<number>
  statement: string
  provenance: Provenance
}

export interface ProjectTaskTable extends Timestamps {
  id: Generated<string>
  projectId: string
  phase: string
  title: string
  status: Generated<string>
  dueDate: string | null
  responsibleOrganizationId: string | null
  quantity: number | null
  durationDays: ColumnType<NumberRangeStored | null, string | null | undefined, string | null>
  participants: ColumnType<NumberRangeStored | null, string | null | undefined, string | null>
  position: Generated<number>
  provenance: Provenance
}

/** A count or a number of days as a text gives it: "at least 5", "approximately 20–30" (0009). */
export interface NumberRangeStored {
  min: number | null
  max: number | null
  approximate: boolean
}

// Meetings (migrations/0004_meetings.ts). jsonb columns are written as JSON text.
type Json<T> = ColumnType<T, string | undefined, string>

export interface MeetingTable extends Timestamps {
  id: Generated<string>
  planId: string | null
  /** Null: not known (migrations/0009). */
  kind: string | null
  title: string
  sequence: string | null
  status: Generated<string>
  startDate: string | null
  endDate: string | null
  startSort: string
  datePrecision: Generated<string>
  timeZone: string | null
  venueCity: string | null
  venueCountry: string | null
  countries: Generated<string[]>
  organizerIds: Generated<string[]>
  activityIds: Generated<string[]>
  projectIds: Generated<string[]>
  agenda: Json<{ id: string; title: string; description: string | null }[]>
  documents: Json<unknown[]>
  attendance: Json<
    { country: string | null; organizationKind: string; female: number; male: number; unspecified: number }[]
  >
  description: string | null
  provenance: Provenance
}

export interface MeetingOrganizerTable {
  meetingId: string
  organizationId: string
}

export interface MeetingActivityTable {
  meetingId: string
  activityId: string
}

export interface MeetingProjectTable {
  meetingId: string
  projectId: string
}

export interface OutcomeTable extends Timestamps {
  id: Generated<string>
  meetingId: string
  externalRef: string | null
  kind: string
  text: string
  status: string | null
  dueDate: string | null
  dueSort: string
  activityId: string | null
  projectId: string | null
  responsibleOrganizationIds: Generated<string[]>
  provenance: Provenance
}

export interface OutcomeResponsibleOrganizationTable {
  outcomeId: string
  organizationId: string
}

// Training (migrations/0010_training.ts).
export interface TrainingCourseTable extends Timestamps {
  id: Generated<string>
  planId: string | null
  activityId: string | null
  projectId: string | null
  title: string
  topic: string
  level: Generated<string>
  scope: Generated<string>
  status: Generated<string>
  providerId: string | null
  venueCity: string | null
  venueCountry: string | null
  countries: Generated<string[]>
  startDate: string | null
  endDate: string | null
  startSort: string
  minDurationDays: number | null
  minParticipants: Generated<number>
  maxParticipants: Generated<number>
  quotas: Json<{ country: string; seats: number }[]>
  trainers: Generated<string[]>
  materials: Json<unknown[]>
  description: string | null
  provenance: Provenance
}

export interface TrainingParticipantTable extends Timestamps {
  id: Generated<string>
  courseId: string
  externalRef: string | null
  name: string
  sex: Generated<string>
  country: string | null
  organizationId: string | null
  occupationGroup: Generated<string>
  contact: string | null
  status: Generated<string>
  queuedAt: ColumnType<string, string | undefined, string>
  daysAttended: number | null
  preScore: number | null
  postScore: number | null
  provenance: Provenance
}

// Monitoring and evaluation (migrations/0011_monitoring.ts). Periods as written beside the days they cover.
export interface IndicatorTable extends Timestamps {
  id: Generated<string>
  planId: string
  code: string
  codeSort: CodeSort
  title: string
  definition: string | null
  unit: string
  direction: Generated<string>
  aggregation: Generated<string>
  frequency: Generated<string>
  areaId: string | null
  projectId: string | null
  resultId: string | null
  activityId: string | null
  dataSource: string | null
  disaggregations: Generated<string[]>
  provenance: Provenance
}

export interface IndicatorTargetTable extends Timestamps {
  id: Generated<string>
  indicatorId: string
  period: string
  periodStart: string
  periodEnd: string
  country: string | null
  baseline: number | null
  target: number | null
  comment: string | null
  provenance: Provenance
}

export interface MeasurementTable extends Timestamps {
  id: Generated<string>
  indicatorId: string
  period: string
  periodStart: string
  periodEnd: string
  country: string | null
  sex: string | null
  value: number
  status: Generated<string>
  source: string | null
  comment: string | null
  reportingOrganizationId: string | null
  provenance: Provenance
}

export interface MeasurementHistoryTable {
  id: Generated<number>
  measurementId: string
  version: number
  valueBefore: number | null
  statusBefore: string | null
  valueAfter: number | null
  statusAfter: string | null
  reason: string | null
  actorKeyId: string | null
  changedAt: CreatedAt
}

export interface PeriodLockTable extends Timestamps {
  id: Generated<string>
  planId: string
  period: string
  periodStart: string
  periodEnd: string
  reason: string | null
  provenance: Provenance
}

export interface ReportSnapshotTable extends Timestamps {
  id: Generated<string>
  planId: string
  period: string
  report: ColumnType<unknown, string, string>
  note: string | null
  provenance: Provenance
}

export interface DB {
  countries: CountryTable
  organizations: OrganizationTable
  apiKeys: ApiKeyTable
  changes: ChangeTable
  webhookSubscriptions: WebhookSubscriptionTable
  webhookDeliveries: WebhookDeliveryTable
  changeCursors: ChangeCursorTable
  idempotencyKeys: IdempotencyKeyTable
  plans: PlanTable
  areas: AreaTable
  activities: ActivityTable
  activityOrganizations: ActivityOrganizationTable
  projects: ProjectTable
  projectActivities: ProjectActivityTable
  projectLinks: ProjectLinkTable
  projectResults: ProjectResultTable
  projectTasks: ProjectTaskTable
  meetings: MeetingTable
  meetingOrganizers: MeetingOrganizerTable
  meetingActivities: MeetingActivityTable
  meetingProjects: MeetingProjectTable
  outcomes: OutcomeTable
  outcomeResponsibleOrganizations: OutcomeResponsibleOrganizationTable
  trainingCourses: TrainingCourseTable
  trainingParticipants: TrainingParticipantTable
  indicators: IndicatorTable
  indicatorTargets: IndicatorTargetTable
  measurements: MeasurementTable
  measurementHistory: MeasurementHistoryTable
  periodLocks: PeriodLockTable
  reportSnapshots: ReportSnapshotTable
}
