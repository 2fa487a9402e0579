import { batchSummary, DryRun, itemValidator, type ItemValidator } from '../../http/batch.ts'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { IdParams, ref } from '../../schemas/common.ts'
import { changedFields, write } from '../../http/writes.ts'
import { ApiError, boundedErrors, validationProblem, type FieldError } from '../../http/problems.ts'
import {
  OutcomeBatch,
  OutcomeBatchQuery,
  OutcomeBatchResult,
  batchLimit,
  externalRefMaxLength,
  type OutcomeBatchItemResultT,
  type OutcomeBatchItemT,
  type OutcomeBatchResultT,
} from './outcomes.schemas.ts'
import { normalize, outcomeReferenceErrors, ruleErrors, meetingForWrite } from './outcomes.service.ts'
import {
  stateOf,
  syncResponsibles,
  toOutcome,
  upsertOutcomes,
  type UpsertItem,
  type UpsertResult,
} from './outcomes.queries.ts'
import { apiProvenance } from '../../schemas/provenance.ts'

// POST /v1/meetings/{id}/outcomes/batch: what a secretariat's script posts after a meeting, on
// a connection that may drop. Every item is validated (schema, rules, references) before
// anything is written; the write is one upsert keyed by (meeting, externalRef), so posting the
// same batch again changes nothing and says so item by item.

interface Checked {
  index: number
  externalRef: string | null
  item?: Omit<UpsertItem, 'provenance'>
  errors: FieldError[]
}

const stateFields = [
  'externalRef',
  'kind',
  'text',
  'status',
  'dueDate',
  'responsibleOrganizationIds',
  'activityId',
  'projectId',
]

/** Schema, rules and duplicate externalRefs, item by item; no database. */
function checkItems(items: unknown[], validate: ItemValidator): Checked[] {
  const firstIndex = new Map<string, number>()
  return items.map((raw, index) => {
    const prefix = `/body/items/${index}`
    // Echoed as sent when it is a string short enough to be one (a longer one is reported, not echoed).
    const given = (raw as { externalRef?: unknown })?.externalRef
    const ref = typeof given === 'string' && Array.from(given).length <= externalRefMaxLength ? given : null
    if (!validate(raw))
      return {
        index,
        externalRef: ref,
        errors: validationProblem(validate.errors ?? [], prefix.slice(1)).extras.errors,
      }
    const item = raw as OutcomeBatchItemT
    const state = normalize({
      externalRef: item.externalRef,
      kind: item.kind,
      text: item.text,
      status: item.status ?? null,
      dueDate: item.dueDate ?? null,
      responsibleOrganizationIds: item.responsibleOrganizationIds ?? [],
      activityId: item.activityId ?? null,
      projectId: item.projectId ?? null,
    })
    const errors = ruleErrors(state, item, prefix)
    const first = firstIndex.get(item.externalRef)
    if (first === undefined) firstIndex.set(item.externalRef, index)
    else errors.push({ pointer: `${prefix}/externalRef`, detail: `repeats the externalRef of /body/items/${first}` })
    // An action item whose status was left out keeps the stored one (see upsertOutcomes).
    return {
      index,
      externalRef: ref,
      item: { ...state, externalRef: item.externalRef, statusGiven: item.status != null },
      errors,
    }
  })
}

async function runBatch(
  request: FastifyRequest,
  meetingId: string,
  items: unknown[],
  mode: 'atomic' | 'partial',
  dryRun: boolean,
  validate: ItemValidator,
): Promise<OutcomeBatchResultT> {
  const db = request.server.db
  await meetingForWrite(request, db, meetingId)
  const checked = checkItems(items, validate)
  const valid = checked.filter((c) => c.item && c.errors.length === 0)
  const refs = await outcomeReferenceErrors(
    db,
    valid.map((c) => ({ state: c.item!, prefix: `/body/items/${c.index}` })),
  )
  valid.forEach((c, n) => c.errors.push(...refs[n]!))
  const rejected = checked.filter((c) => c.errors.length > 0)
  const rejectedResults = rejected.map(
    (c): OutcomeBatchItemResultT => ({
      index: c.index,
      externalRef: c.externalRef,
      result: 'rejected',
      id: null,
      version: null,
      errors: boundedErrors(c.errors),
    }),
  )

  if (mode === 'atomic' && rejected.length) {
    throw new ApiError(
      'rule-violation',
      `${rejected.length} of ${items.length} items are not valid (first: item ${rejected[0]!.index}); nothing was written.`,
      {
        errors: rejected.flatMap((c) => c.errors),
        items: rejectedResults,
      },
    )
  }

  // Outcomes the batch creates carry the key that posted it; existing ones keep their provenance.
  const provenance = apiProvenance(request.principal?.keyId ?? null)
  const toWrite = checked.filter((c) => c.errors.length === 0).map((c) => ({ ...c.item!, provenance }))
  let written: UpsertResult[]
  try {
    written = await write(request, async (w) => {
      const results = await upsertOutcomes(w.trx, meetingId, toWrite, 'keep')
      const changed = results.filter((r) => r.result !== 'unchanged')
      await syncResponsibles(
        w.trx,
        changed.map((r) => r.id),
        changed.filter((r) => r.result === 'updated').map((r) => r.id),
      )
      await w.record(
        changed.map((r) => ({
          resource: 'outcome',
          resourceId: r.id,
          operation: r.result === 'created' ? ('create' as const) : ('update' as const),
          version: r.version,
          fields: r.before ? changedFields(r.before, stateOf(toOutcome(r.after!))) : stateFields,
        })),
      )
      // A dry run does all of it, then rolls back: it reports exactly what the real run would do.
      if (dryRun) throw new DryRun(results)
      return results
    })
  } catch (err) {
    if (!(err instanceof DryRun)) throw err
    written = err.results
  }

  const byRef = new Map(written.map((r) => [r.externalRef, r]))
  const rejectedAt = new Map(rejectedResults.map((r) => [r.index, r]))
  const results = checked.map((c): OutcomeBatchItemResultT => {
    if (c.errors.length) return rejectedAt.get(c.index)!
    const r = byRef.get(c.item!.externalRef)!
    const created = r.result === 'created'
    return {
      index: c.index,
      externalRef: c.externalRef,
      result: r.result,
      id: dryRun && created ? null : r.id,
      version: dryRun && r.result !== 'unchanged' ? null : r.version,
    }
  })
  return { mode, dryRun, summary: batchSummary(items.length, results), items: results }
}

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const validator = itemValidator(app, 'OutcomeBatchItem', '/v1/meetings/:id/outcomes/batch')

  app.post(
    '/meetings/:id/outcomes/batch',
    {
      schema: {
        operationId: 'upsertMeetingOutcomes',
        tags: ['Outcomes'],
        summary: 'Post a batch of outcomes',
        description:
          `Up to ${batchLimit} outcomes, each an \`OutcomeBatchItem\` with your \`externalRef\`: a known externalRef updates that outcome (or leaves it unchanged if equal), a new one creates it. ` +
          'Posting the same batch again is safe: every item comes back `unchanged`. ' +
          '`mode=atomic` (default): if any item is invalid nothing is written and the answer is a 422 problem whose `errors` point at each bad field (`/body/items/3/kind`) and whose `items` list every rejected item. ' +
          '`mode=partial`: valid items are written, invalid ones reported as `rejected`. `dryRun=true` reports without writing. ' +
          `More than ${batchLimit} items is a 400 problem (pointer \`/body/items\`); a body over the size limit is 413.`,
        params: IdParams,
        querystring: OutcomeBatchQuery,
        body: ref(OutcomeBatch),
        response: { 200: ref(OutcomeBatchResult) },
      },
      config: {
        scope: 'meetings:write',
        documentResponses: {
          422: {
            description:
              'Atomic mode and some items are not valid: nothing was written; `errors` points at each bad field and `items` lists each rejected item.',
            schema: { $ref: 'OutcomeBatchProblem' },
          },
        },
      },
    },
    async (request) =>
      runBatch(request, request.params.id, request.body.items, request.query.mode, request.query.dryRun, validator()),
  )
}

export default routes
