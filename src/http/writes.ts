import type { FastifyRequest } from 'fastify'
import type { Database } from '../db/database.ts'
import { insertChanges, type ChangeInput } from './writes.queries.ts'
import { expectedVersion, preconditionFailed } from './conditional.ts'
import { notFound } from './problems.ts'

// Writes: one request, one transaction, and the change log appended inside it, so a write that
// rolls back leaves no change behind. Modules create, update and delete through these helpers,
// which also enforce If-Match.

export interface Write {
  trx: Database
  record(change: ChangeInput | ChangeInput[]): Promise<void>
}

type Row = { id: string; version: number }

export async function write<T>(request: FastifyRequest, fn: (w: Write) => Promise<T>): Promise<T> {
  const actor = request.principal?.keyId ?? null
  const run = (trx: Database) => fn({ trx, record: (change) => insertChanges(trx, actor, [change].flat()) })
  const claim = request.idempotency
  if (!claim) {
    const result = await request.server.db.transaction().execute(run)
    request.server.invalidateReads() // this node's cache before the answer; others hear it from Postgres
    return result
  }
  // An idempotent POST: the transaction stays open until the response is known, and the
  // idempotency plugin stores that response in it before committing — so a committed write
  // always has its replay, and a write that did not commit leaves nothing to replay.
  const trx = claim.transaction ?? (await request.server.db.startTransaction().execute())
  try {
    const result = await run(trx)
    claim.transaction = trx
    return result
  } catch (err) {
    claim.transaction = undefined
    await trx
      .rollback()
      .execute()
      .catch(() => {})
    throw err
  }
}

/** The top-level fields whose value differs between two versions of a row. */
export function changedFields(before: object, after: object): string[] {
  const b = before as Record<string, unknown>
  return Object.entries(after)
    .filter(
      ([k, v]) => !['version', 'updatedAt', 'createdAt'].includes(k) && JSON.stringify(b[k]) !== JSON.stringify(v),
    )
    .map(([k]) => k)
}

export function createResource<R extends Row>(
  request: FastifyRequest,
  resource: string,
  insert: (trx: Database, w: Write) => Promise<R>,
  fields: string[],
): Promise<R> {
  return write(request, async (w) => {
    const row = await insert(w.trx, w)
    await w.record({ resource, resourceId: row.id, operation: 'create', version: row.version, fields })
    return row
  })
}

export interface UpdateSpec<R extends Row> {
  resource: string
  id: string
  /** Reads the row FOR UPDATE, so the If-Match check and the write see the same version. */
  lock: (trx: Database) => Promise<R | undefined>
  update: (trx: Database, before: R, w: Write) => Promise<R>
}

export function updateResource<R extends Row>(request: FastifyRequest, spec: UpdateSpec<R>): Promise<R> {
  const expected = expectedVersion(request)
  return write(request, async (w) => {
    const before = await spec.lock(w.trx)
    if (!before) throw notFound(spec.resource, spec.id)
    if (expected !== undefined && expected !== '*' && expected !== before.version)
      throw preconditionFailed(before.version)
    const after = await spec.update(w.trx, before, w)
    const fields = changedFields(before, after)
    if (after.version !== before.version)
      await w.record({
        resource: spec.resource,
        resourceId: spec.id,
        operation: 'update',
        version: after.version,
        fields,
      })
    return after
  })
}

export interface DeleteSpec<R extends Row> {
  resource: string
  id: string
  lock: (trx: Database) => Promise<R | undefined>
  remove: (trx: Database, before: R) => Promise<unknown>
}

export function deleteResource<R extends Row>(request: FastifyRequest, spec: DeleteSpec<R>): Promise<void> {
  const expected = expectedVersion(request)
  return write(request, async (w) => {
    const before = await spec.lock(w.trx)
    if (!before) throw notFound(spec.resource, spec.id)
    if (expected !== undefined && expected !== '*' && expected !== before.version)
      throw preconditionFailed(before.version)
    await spec.remove(w.trx, before)
    await w.record({
      resource: spec.resource,
      resourceId: spec.id,
      operation: 'delete',
      version: before.version + 1,
      fields: [],
    })
  })
}
