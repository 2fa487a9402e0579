import type { FastifyRequest } from 'fastify'
import type { Database } from '../../db/database.ts'
import { assertCountries, hasScope } from '../../http/access.ts'
import { ApiError, notFound, type FieldError } from '../../http/problems.ts'
import { one, referenceErrors } from '../../db/references.queries.ts'
import { provenanceOf } from '../../schemas/provenance.ts'
import { personalFields, type ParticipantCreateT, type ParticipantT } from './participants.schemas.ts'
import type { ParticipantRow, ParticipantState } from './training.queries.ts'

// Participants hold personal data. The rule: a participant's personal fields leave the service
// only for keys with `participants:read` (or admin). Reads of participants need that scope
// (403 otherwise; everyone else has the summary); writes answer without the personal fields
// when the writing key lacks it. Change records name fields only; problems name pointers, never
// values; names never travel in a URL (no name filter, no name sort), so access logs cannot
// hold them. A country-limited key reads and writes only participants of its countries.

/** Whether the caller may see personal data. */
export const seesPersonal = (request: FastifyRequest) => hasScope(request.principal ?? null, 'participants:read')

/** The countries a caller's participant reads are limited to (null: all). */
export const readableCountries = (request: FastifyRequest) => request.principal?.countries ?? null

/** The one mapping between the table and the API shape; personal fields only when allowed. */
export function toParticipant(row: ParticipantRow, personal: boolean): ParticipantT {
  const base: ParticipantT = {
    id: row.id,
    courseId: row.courseId,
    externalRef: row.externalRef,
    country: row.country,
    status: row.status as ParticipantT['status'],
    provenance: provenanceOf(row.provenance),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    version: row.version,
  }
  if (!personal) return base
  return {
    ...base,
    name: row.name,
    sex: row.sex as NonNullable<ParticipantT['sex']>,
    organizationId: row.organizationId,
    occupationGroup: row.occupationGroup as NonNullable<ParticipantT['occupationGroup']>,
    contact: row.contact,
    daysAttended: row.daysAttended,
    preScore: row.preScore,
    postScore: row.postScore,
  }
}

/** The stored state of a row (what a merge patch applies to). */
export function participantStateOf(row: ParticipantRow): ParticipantState {
  const p = toParticipant(row, true)
  return {
    externalRef: p.externalRef,
    name: p.name!,
    sex: p.sex!,
    country: p.country,
    organizationId: p.organizationId!,
    occupationGroup: p.occupationGroup!,
    contact: p.contact!,
    status: p.status,
    daysAttended: p.daysAttended!,
    preScore: p.preScore!,
    postScore: p.postScore!,
  }
}

/** A new participant's state; `status` is what was asked for (seats decide confirmed or waitlisted). */
export function createParticipantState(b: Omit<ParticipantCreateT, 'status'> & { status?: string }): ParticipantState {
  return {
    externalRef: b.externalRef ?? null,
    name: b.name,
    sex: b.sex ?? 'unspecified',
    country: b.country ?? null,
    organizationId: b.organizationId ?? null,
    occupationGroup: b.occupationGroup ?? 'other',
    contact: b.contact ?? null,
    status: (b.status ?? 'confirmed') as ParticipantState['status'],
    daysAttended: b.daysAttended ?? null,
    preScore: b.preScore ?? null,
    postScore: b.postScore ?? null,
  }
}

/** The top-level fields that differ between two states: what a change record names. */
export function changedParticipantFields(before: ParticipantState, after: ParticipantState): string[] {
  return (Object.keys(after) as (keyof ParticipantState)[]).filter(
    (k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]),
  )
}

/** 403 unless a country-limited key may write a participant of this country. */
export function assertParticipantCountry(request: FastifyRequest, country: string | null, pointer: string) {
  assertCountries(request, [country], pointer)
}

/** References of many participants, by position, with pointers under each one's prefix. */
export async function participantReferenceErrors(
  db: Database,
  states: { state: ParticipantState; prefix: string }[],
): Promise<FieldError[][]> {
  const errors = await referenceErrors(
    db,
    states.flatMap(({ state, prefix }) => [
      ...one('countries', state.country, `${prefix}/country`),
      ...one('organizations', state.organizationId, `${prefix}/organizationId`),
    ]),
  )
  return states.map(({ prefix }) => errors.filter((e) => e.pointer.startsWith(`${prefix}/`)))
}

export async function checkParticipantReferences(db: Database, state: ParticipantState) {
  const [refs = []] = await participantReferenceErrors(db, [{ state, prefix: '/body' }])
  if (refs.length)
    throw new ApiError(
      'invalid-reference',
      `${refs.length === 1 ? 'A reference does' : `${refs.length} references do`} not exist.`,
      { errors: refs },
    )
}

/** A participant outside a country-limited key's countries does not exist for it. */
export function participantNotFound(id: string) {
  return notFound('participant', id)
}

export { personalFields }
