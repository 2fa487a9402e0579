import type { FastifyRequest } from 'fastify'
import type { Database } from '../../db/database.ts'
import { ApiError, notFound, type FieldError } from '../../http/problems.ts'
import { getMeeting, toMeeting } from '../meetings/meetings.queries.ts'
import { each, one, referenceErrors } from '../../db/references.queries.ts'
import { assertMeetingCountries } from '../meetings/meetings.service.ts'
import type { OutcomeState } from './outcomes.queries.ts'

// The rules of an outcome, shared by the single routes and the batch, which must report every
// broken rule of every item rather than stop at the first.

/** What the client said explicitly, as opposed to what was inherited or defaulted. */
export interface Explicit {
  status?: unknown
  dueDate?: unknown
}

/** Status and due date belong to action items: given for another kind, they are an error. */
export function ruleErrors(s: Pick<OutcomeState, 'kind'>, explicit: Explicit, prefix: string): FieldError[] {
  if (s.kind === 'action_item') return []
  const errors: FieldError[] = []
  if (explicit.status != null)
    errors.push({
      pointer: `${prefix}/status`,
      detail: `only action items have a status; a ${s.kind} has none (send null or leave it out)`,
    })
  if (explicit.dueDate != null)
    errors.push({
      pointer: `${prefix}/dueDate`,
      detail: `only action items have a due date; a ${s.kind} has none (send null or leave it out)`,
    })
  return errors
}

/** An action item without a status is open; any other kind drops an inherited status and due date. */
export function normalize(s: OutcomeState): OutcomeState {
  if (s.kind === 'action_item') return { ...s, status: s.status ?? 'open' }
  return { ...s, status: null, dueDate: null }
}

/**
 * The references of many outcomes checked in one statement; returns the errors of each, by
 * position in `states`, with pointers under each one's prefix.
 */
export async function outcomeReferenceErrors(
  db: Database,
  states: { state: OutcomeState; prefix: string }[],
): Promise<FieldError[][]> {
  const refsOf = ({ state, prefix }: { state: OutcomeState; prefix: string }) => [
    ...one('activities', state.activityId, `${prefix}/activityId`),
    ...one('projects', state.projectId, `${prefix}/projectId`),
    ...each('organizations', state.responsibleOrganizationIds, `${prefix}/responsibleOrganizationIds`),
  ]
  const errors = await referenceErrors(db, states.flatMap(refsOf))
  return states.map(({ prefix }) => errors.filter((e) => e.pointer.startsWith(`${prefix}/`)))
}

/** One outcome's rules and references; throws the problem a single create or patch answers. */
export async function checkOutcome(db: Database, state: OutcomeState, explicit: Explicit) {
  const rules = ruleErrors(state, explicit, '/body')
  if (rules.length) throw new ApiError('rule-violation', rules[0]!.detail, { errors: rules })
  const [refs = []] = await outcomeReferenceErrors(db, [{ state, prefix: '/body' }])
  if (refs.length)
    throw new ApiError(
      'invalid-reference',
      `${refs.length === 1 ? 'A reference does' : `${refs.length} references do`} not exist.`,
      { errors: refs },
    )
}

/** The meeting outcomes are written to: 404 if it does not exist, 403 outside a key's countries. */
export async function meetingForWrite(request: FastifyRequest, db: Database, meetingId: string) {
  const row = await getMeeting(db, meetingId)
  if (!row) throw notFound('meeting', meetingId)
  assertMeetingCountries(request, toMeeting(row), '/params/id')
  return row
}

/** The country check of an existing outcome's meeting (PATCH, DELETE). */
export async function assertOutcomeMeeting(request: FastifyRequest, db: Database, meetingId: string) {
  const row = await getMeeting(db, meetingId)
  if (row) assertMeetingCountries(request, toMeeting(row), '/params/id')
}
