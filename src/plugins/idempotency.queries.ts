import { sql } from 'kysely'
import type { Database } from '../db/database.ts'

export const IDEMPOTENCY_WINDOW = '24 hours'
// A claim older than this whose request never finished (the node died) may be taken over;
// statement_timeout keeps live requests far shorter.
const ABANDONED_AFTER = '2 minutes'

/** Claims (scope, key) for this request: true when we may run it. */
export async function claimKey(db: Database, scope: string, key: string, requestHash: string): Promise<boolean> {
  const row = await db
    .insertInto('idempotencyKeys')
    .values({ scope, key, requestHash, state: 'in_flight' })
    .onConflict((oc) =>
      oc
        .columns(['scope', 'key'])
        .doUpdateSet({
          requestHash,
          state: 'in_flight',
          responseStatus: null,
          responseHeaders: null,
          responseBody: null,
          createdAt: sql`now()`,
          lockedAt: sql`now()`,
        })
        .where(({ or, eb }) =>
          or([
            eb('idempotencyKeys.createdAt', '<', sql<string>`now() - ${IDEMPOTENCY_WINDOW}::interval`),
            eb.and([
              eb('idempotencyKeys.state', '=', 'in_flight'),
              eb('idempotencyKeys.lockedAt', '<', sql<string>`now() - ${ABANDONED_AFTER}::interval`),
            ]),
          ]),
        ),
    )
    .returning('scope')
    .executeTakeFirst()
  return !!row
}

export function findKey(db: Database, scope: string, key: string) {
  return db
    .selectFrom('idempotencyKeys')
    .selectAll()
    .where('scope', '=', scope)
    .where('key', '=', key)
    .executeTakeFirst()
}

export async function completeKey(
  db: Database,
  scope: string,
  key: string,
  response: { status: number; headers: Record<string, string>; body: string | null },
) {
  await db
    .updateTable('idempotencyKeys')
    .set({
      state: 'done',
      responseStatus: response.status,
      responseHeaders: JSON.stringify(response.headers) as never,
      responseBody: response.body,
    })
    .where('scope', '=', scope)
    .where('key', '=', key)
    .execute()
}

export async function releaseKey(db: Database, scope: string, key: string) {
  await db
    .deleteFrom('idempotencyKeys')
    .where('scope', '=', scope)
    .where('key', '=', key)
    .where('state', '=', 'in_flight')
    .execute()
}

export async function purgeExpiredKeys(db: Database) {
  await db
    .deleteFrom('idempotencyKeys')
    .where('createdAt', '<', sql<string>`now() - ${IDEMPOTENCY_WINDOW}::interval`)
    .execute()
}
