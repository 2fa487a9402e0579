import type { Database } from '../../db/database.ts'
import { ApiError } from '../../http/problems.ts'
import type { ChangeFeedQuery } from './changes.schemas.ts'
import { newestExpiredChange, readFeed, type FeedPosition } from './changes.queries.ts'

// The feed's cursor is the (txid, id) of the last change read, opaque to clients: base64url of
// "txid.id". It is not signed: a made-up cursor only moves a reader within data it may read.

export function encodeCursor(p: FeedPosition): string {
  return Buffer.from(`${p.txid}.${p.id}`).toString('base64url')
}

export function decodeCursor(cursor: string): FeedPosition {
  const text = /^[A-Za-z0-9_-]+$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('latin1') : ''
  const m = /^(\d{1,19})\.(\d{1,18})$/.exec(text)
  if (!m || BigInt(m[1] as string) > 2n ** 63n - 1n) {
    throw new ApiError('invalid-cursor', 'The cursor was not issued by the change feed.', {
      errors: [{ pointer: '/query/after', detail: 'is not a cursor of the change feed' }],
    })
  }
  return { txid: BigInt(m[1] as string).toString(), id: Number(m[2]) }
}

const before = (a: FeedPosition, b: FeedPosition) => {
  const ta = BigInt(a.txid)
  const tb = BigInt(b.txid)
  return ta < tb || (ta === tb && a.id < b.id)
}

/** One page of the feed: 410 for a position before the retention horizon. */
export async function readChanges(db: Database, query: ChangeFeedQuery, retentionDays: number) {
  const limit = query.limit ?? 100
  const given = query.after ? decodeCursor(query.after) : null
  const types = query.types ? [...new Set(query.types.split(','))] : null
  const expired = await newestExpiredChange(db, retentionDays)
  if (given && expired && before(given, expired)) {
    throw new ApiError(
      'cursor-expired',
      `The cursor points before the oldest change still kept (changes are served for ${retentionDays} days); copy the data again and follow the feed from its start.`,
      { errors: [{ pointer: '/query/after', detail: 'is older than the retention of the change feed' }] },
    )
  }
  // Without a cursor, from the newest expired change: the feed skips the rows before it at once.
  const after = given ?? (expired ? { txid: expired.txid, id: expired.id } : null)
  const rows = await readFeed(db, { after, types, limit, retentionDays })
  const hasMore = rows.length > limit
  const page = hasMore ? rows.slice(0, limit) : rows
  const items = page.map((r) => ({
    cursor: encodeCursor({ txid: r.txid, id: r.id }),
    resource: r.resource,
    id: r.resourceId,
    operation: r.operation,
    version: r.version,
    fields: r.fields,
    occurredAt: r.occurredAt,
  }))
  const last = page.at(-1)
  const next = last ? { txid: last.txid, id: last.id } : (after ?? { txid: '0', id: 0 })
  return { items, nextCursor: encodeCursor(next), hasMore }
}
