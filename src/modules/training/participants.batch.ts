import { batchSummary, DryRun, itemValidator, type ItemValidator } from '../../http/batch.ts'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { IdParams, ref } from '../../schemas/common.ts'
import { apiProvenance } from '../../schemas/provenance.ts'
import { write } from '../../http/writes.ts'
import { ApiError, boundedErrors, notFound, validationProblem, type FieldError } from '../../http/problems.ts'
import {
  ParticipantBatch,
  ParticipantBatchQuery,
  ParticipantBatchResult,
  externalRefMaxLength,
  participantBatchLimit,
  type ParticipantBatchItemResultT,
  type ParticipantBatchItemT,
  type ParticipantBatchResultT,
} from './participants.schemas.ts'
import {
  assertParticipantCountry,
  changedParticipantFields,
  createParticipantState,
  participantReferenceErrors,
  participantStateOf,
} from './participants.service.ts'
import { assertCountsWithinCapacity, holdsSeat, moveSeat, oneAtATime, promote, room } from './seats.service.ts'
import * as q from './training.queries.ts'
import type { ParticipantState } from './training.queries.ts'

// POST /v1/training-courses/{id}/participants/batch: a country task force's nomination list, as
// the outcomes batch (src/modules/outcomes/outcomes.batch.ts) does it: every item validated
// (schema, duplicate externalRefs, references) before anything is written; keyed by the
// poster's externalRef, so posting the same list again changes nothing and says so item by
// item. The writes run under the course's row lock, in the order of the list: a new nomination
// takes a free seat (within its country's quota) or joins the waitlist, exactly as a single
// enrolment does, however many batches and single enrolments race.

interface Checked {
  index: number
  externalRef: string | null
  item?: ParticipantBatchItemT
  state?: ParticipantState
  errors: FieldError[]
}

function checkItems(items: unknown[], validate: ItemValidator): Checked[] {
  const firstIndex = new Map<string, number>()
  return items.map((raw, index) => {
    const prefix = `/body/items/${index}`
    const given = (raw as { externalRef?: unknown })?.externalRef
    const ref = typeof given === 'string' && Array.from(given).length <= externalRefMaxLength ? given : null
    if (!validate(raw))
      return {
        index,
        externalRef: ref,
        errors: validationProblem(validate.errors ?? [], prefix.slice(1)).extras.errors,
      }
    const item = raw as ParticipantBatchItemT
    const errors: FieldError[] = []
    const first = firstIndex.get(item.externalRef)
    if (first === undefined) firstIndex.set(item.externalRef, index)
    else errors.push({ pointer: `${prefix}/externalRef`, detail: `repeats the externalRef of /body/items/${first}` })
    return { index, externalRef: ref, item, state: createParticipantState(item), errors }
  })
}

async function runBatch(
  request: FastifyRequest,
  courseId: string,
  items: unknown[],
  mode: 'atomic' | 'partial',
  dryRun: boolean,
  validate: ItemValidator,
): Promise<ParticipantBatchResultT> {
  const db = request.server.db
  if (!(await q.getCourse(db, courseId))) throw notFound('training course', courseId)
  const checked = checkItems(items, validate)
  // A country-limited key posts only its countries' nominations: one beyond them refuses the batch.
  checked.forEach(
    (c) => c.state && assertParticipantCountry(request, c.state.country, `/body/items/${c.index}/country`),
  )
  const valid = checked.filter((c) => c.state && c.errors.length === 0)
  const refs = await participantReferenceErrors(
    db,
    valid.map((c) => ({ state: c.state!, prefix: `/body/items/${c.index}` })),
  )
  valid.forEach((c, n) => c.errors.push(...refs[n]!))
  const rejected = checked.filter((c) => c.errors.length > 0)
  const rejectedResult = (c: Checked): ParticipantBatchItemResultT => ({
    index: c.index,
    externalRef: c.externalRef,
    result: 'rejected',
    id: null,
    status: null,
    version: null,
    errors: boundedErrors(c.errors),
  })
  if (mode === 'atomic' && rejected.length)
    throw new ApiError(
      'rule-violation',
      `${rejected.length} of ${items.length} items are not valid (first: item ${rejected[0]!.index}); nothing was written.`,
      { errors: rejected.flatMap((c) => c.errors), items: rejected.map(rejectedResult) },
    )

  const toWrite = checked.filter((c) => c.errors.length === 0)
  let results: Map<number, ParticipantBatchItemResultT>
  try {
    results = await oneAtATime(courseId, () =>
      write(request, async (w) => {
        const course = (await q.lockCourseRow(w.trx, courseId))!
        const existing = new Map(
          (
            await q.participantsByRef(
              w.trx,
              courseId,
              toWrite.map((c) => c.item!.externalRef),
            )
          ).map((r) => [r.externalRef!, r]),
        )
        const out = new Map<number, ParticipantBatchItemResultT>()
        let freed = false
        // Counted once under the course lock and kept up to date below: no count query per item.
        const counts = await q.seatCounts(w.trx, course.id)
        for (const c of toWrite) {
          const item = c.item!
          const found = existing.get(item.externalRef)
          const base = { index: c.index, externalRef: c.externalRef }
          if (!found) {
            const state = { ...c.state!, status: item.status ?? 'confirmed' } as ParticipantState
            if (state.status === 'confirmed' && room(course, counts, state.country) <= 0) state.status = 'waitlisted'
            const row = await q.insertParticipant(
              w.trx,
              courseId,
              state,
              apiProvenance(request.principal?.keyId ?? null),
            )
            moveSeat(counts, null, row)
            await w.record({
              resource: 'trainingParticipant',
              resourceId: row.id,
              operation: 'create',
              version: row.version,
              fields: Object.keys(item),
            })
            out.set(c.index, {
              ...base,
              result: 'created',
              id: row.id,
              status: row.status as never,
              version: row.version,
            })
            continue
          }
          const old = participantStateOf(found)
          if (old.country !== c.state!.country)
            assertParticipantCountry(request, old.country, `/body/items/${c.index}/externalRef`)
          // The item is the whole state, except status: absent, an existing participant keeps theirs.
          const next: ParticipantState = { ...c.state!, status: item.status ?? old.status }
          const fields = changedParticipantFields(old, next)
          if (fields.length === 0) {
            out.set(c.index, { ...base, result: 'unchanged', id: found.id, status: old.status, version: found.version })
            continue
          }
          const requeue = next.status === 'waitlisted' && old.status !== 'waitlisted'
          const row = await q.updateParticipant(w.trx, found.id, next, requeue)
          moveSeat(counts, old, row)
          if (holdsSeat(next.status)) assertCountsWithinCapacity(course, counts, `/body/items/${c.index}/status`)
          if (holdsSeat(old.status) && !holdsSeat(next.status)) freed = true
          await w.record({
            resource: 'trainingParticipant',
            resourceId: row.id,
            operation: 'update',
            version: row.version,
            fields,
          })
          out.set(c.index, {
            ...base,
            result: 'updated',
            id: row.id,
            status: row.status as never,
            version: row.version,
          })
        }
        if (freed) {
          const promoted = new Set(await promote(w, course))
          for (const r of out.values()) if (r.id && promoted.has(r.id)) r.status = 'confirmed'
        }
        // A dry run does all of it, then rolls back: it reports exactly what the real run would do.
        if (dryRun) throw new DryRun(out)
        return out
      }),
    )
  } catch (err) {
    if (!(err instanceof DryRun)) throw err
    results = err.results
  }

  const all = checked.map((c): ParticipantBatchItemResultT => {
    if (c.errors.length) return rejectedResult(c)
    const r = results.get(c.index)!
    if (!dryRun) return r
    return { ...r, id: r.result === 'created' ? null : r.id, version: r.result === 'unchanged' ? r.version : null }
  })
  return { mode, dryRun, summary: batchSummary(items.length, all), items: all }
}

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const validator = itemValidator(app, 'TrainingParticipantBatchItem', '/v1/training-courses/:id/participants/batch')

  app.post(
    '/training-courses/:id/participants/batch',
    {
      schema: {
        operationId: 'enrolTrainingParticipants',
        tags: ['Training'],
        summary: 'Enrol a nomination list',
        description:
          `Up to ${participantBatchLimit} nominations, each a \`TrainingParticipantBatchItem\` with your \`externalRef\`: a known externalRef updates that participant (or leaves it unchanged if equal), a new one enrols one — confirmed while seats are free within the country’s quota, waitlisted after, in the order of the list. ` +
          'Posting the same list again is safe: every item comes back `unchanged`. `mode=atomic` (default): any invalid item and nothing is written (422 naming each bad field, e.g. `/body/items/3/sex`). `mode=partial`: valid items are written, invalid ones reported. `dryRun=true` reports without writing. ' +
          'A country-limited key posts only nominations of its countries (403 otherwise). The result holds ids, statuses and your externalRefs — no personal data.',
        params: IdParams,
        querystring: ParticipantBatchQuery,
        body: ref(ParticipantBatch),
        response: { 200: ref(ParticipantBatchResult) },
      },
      config: {
        scope: 'training:write',
        documentResponses: {
          422: {
            description:
              'Atomic mode and some items are not valid: nothing was written; `items` lists each rejected item.',
            schema: { $ref: 'TrainingParticipantBatchProblem' },
          },
        },
      },
    },
    async (request) =>
      runBatch(request, request.params.id, request.body.items, request.query.mode, request.query.dryRun, validator()),
  )
}

export default routes
