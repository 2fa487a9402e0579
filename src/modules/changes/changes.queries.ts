import { sql } from 'kysely'
import type { Database } from '../../db/database.ts'

/** For tests and the audit: the changes recorded against one resource, oldest first. */
export function listChangesOf(db: Database, resource: string, resourceId: string) {
  return db
    .selectFrom('changes')
    .selectAll()
    .where('resource', '=', resource)
    .where('resourceId', '=', resourceId)
    .orderBy('id')
    .execute()
}

/** Every resource id an API key has created, changed or deleted (the seed leaves those alone). */
export async function idsWrittenByKeys(db: Database): Promise<string[]> {
  const rows = await db
    .selectFrom('changes')
    .select('resourceId')
    .distinct()
    .where('actorKeyId', 'is not', null)
    .execute()
  return rows.map((r) => r.resourceId)
}

/** A place in the feed: the (transaction id, change id) of the last change read. */
export interface FeedPosition {
  txid: string
  id: number
}

export interface FeedRequest {
  after: FeedPosition | null
  types: string[] | null
  limit: number
  retentionDays: number
}

/**
 * The change feed: changes after a position, in (txid, id) order, only from transactions older
 * than every transaction still running in this database (feed_horizon(), migration 0013). A
 * transaction that is still open therefore holds the feed back at its place; when it commits its
 * changes come after every position already handed out, since any transaction that can still
 * write has a txid at or above that horizon. Reads limit + 1 rows (the last one says there is more) and
 * stops at the retention horizon.
 */
export function readFeed(db: Database, req: FeedRequest) {
  const horizon = sql<string>`now() - make_interval(days => ${req.retentionDays})`
  let query = db
    .selectFrom('changes')
    .select(['id', sql<string>`txid::text`.as('txid'), 'resource', 'resourceId', 'operation', 'version', 'fields'])
    .select('occurredAt')
    .where(sql<boolean>`txid < (select feed_horizon())`)
    .where('occurredAt', '>=', horizon)
  if (req.after) query = query.where(sql<boolean>`(txid, id) > (${req.after.txid}::xid8, ${req.after.id}::bigint)`)
  if (req.types) query = query.where('resource', '=', sql<string>`any(${req.types}::text[])`)
  // The column, not the output column "txid" (its text, for the cursor): as text, 100 sorts before
  // 99, so a page crossing a power of ten jumped the cursor past changes it never served.
  return query
    .orderBy(sql`changes.txid`)
    .orderBy('id')
    .limit(req.limit + 1)
    .execute()
}

/**
 * The newest change past the retention horizon (by time; one probe of changes_occurred_at): a
 * position before it may have missed changes the feed no longer serves.
 */
export function newestExpiredChange(db: Database, retentionDays: number) {
  return db
    .selectFrom('changes')
    .select(['id', sql<string>`txid::text`.as('txid')])
    .where('occurredAt', '<', sql<string>`now() - make_interval(days => ${retentionDays})`)
    .orderBy('occurredAt', 'desc')
    .limit(1)
    .executeTakeFirst()
}

/** The highest change id recorded so far (a new webhook subscription starts after it). */
export async function lastChangeId(db: Database): Promise<number> {
  const row = await db
    .selectFrom('changes')
    .select((eb) => eb.fn.max('id').as('max'))
    .executeTakeFirst()
  return Number(row?.max ?? 0)
}

/** A named reader's stored position, locked for the transaction (null: another node holds it). */
export async function lockCursor(db: Database, name: string): Promise<FeedPosition | null> {
  await db
    .insertInto('changeCursors')
    .values({ name, lastTxid: '0', lastId: 0 })
    .onConflict((oc) => oc.doNothing())
    .execute()
  const row = await db
    .selectFrom('changeCursors')
    .select([sql<string>`last_txid::text`.as('lastTxid'), 'lastId'])
    .where('name', '=', name)
    .forUpdate()
    .skipLocked()
    .executeTakeFirst()
  return row ? { txid: row.lastTxid, id: row.lastId } : null
}

export function saveCursor(db: Database, name: string, position: FeedPosition) {
  return db
    .updateTable('changeCursors')
    .set({ lastTxid: sql<string>`${position.txid}::xid8`, lastId: position.id, updatedAt: sql<string>`now()` })
    .where('name', '=', name)
    .execute()
}

/** The newest position the feed can serve now (a new reader that wants only what follows starts here). */
export async function newestFeedPosition(db: Database): Promise<FeedPosition | null> {
  const row = await db
    .selectFrom('changes')
    .select(['id', sql<string>`txid::text`.as('txid')])
    .where(sql<boolean>`txid < (select feed_horizon())`)
    .orderBy(sql`changes.txid`, 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst()
  return row ? { txid: row.txid, id: row.id } : null
}
