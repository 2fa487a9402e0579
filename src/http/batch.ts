import type { FastifyInstance } from 'fastify'
import type { validationProblem } from './problems.ts'

// What every batch endpoint shares (outcomes, participants, measurements): each item judged by
// the app's own body validator, a dry run that rolls its transaction back, and the summary of
// results. The endpoints keep what differs: their items' rules and how they write.

/** A compiled validator of one item, with the errors Fastify's validator leaves on it. */
export type ItemValidator = ((data: unknown) => boolean) & {
  errors?: Parameters<typeof validationProblem>[0] | null
}

/**
 * The app's body validator (no coercion, unknown properties rejected) for one item schema,
 * compiled on first use, so an item is judged exactly as the single create judges its body.
 */
export function itemValidator(app: FastifyInstance, schemaId: string, url: string): () => ItemValidator {
  let validate: ItemValidator | undefined
  return () =>
    (validate ??= app.validatorCompiler!({
      schema: { $ref: schemaId },
      method: 'POST',
      url,
      httpPart: 'body',
    }) as ItemValidator)
}

/** Thrown inside a dry run's transaction to roll it back, carrying what would have been written. */
export class DryRun<R> extends Error {
  constructor(readonly results: R) {
    super('dry run')
  }
}

type Outcome = 'created' | 'updated' | 'unchanged' | 'rejected'

/** The counts of a batch's per-item results. */
export function batchSummary(total: number, results: readonly { result: Outcome }[]) {
  const count = (result: Outcome) => results.filter((r) => r.result === result).length
  return {
    total,
    created: count('created'),
    updated: count('updated'),
    unchanged: count('unchanged'),
    rejected: count('rejected'),
  }
}
