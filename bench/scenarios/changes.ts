import { sql } from 'kysely'
import { newestExpiredChange, readFeed } from '../../src/modules/changes/changes.queries.ts'
import { decodeCursor } from '../../src/modules/changes/changes.service.ts'
import { captureSql, toScript } from '../sql.ts'
import type { BenchModule, Scenario } from '../types.ts'

// The change feed (GET /v1/changes): a partner following it reads pages of 1 000 changes. The
// table gets 500 000 change records (several per transaction, as batches and cascades write them,
// of every resource type), and the scenario reads pages of 1 000 from cursors spread over
// them, with and without a types filter, beside pgbench running the same two statements the API
// runs (the retention probe and the page). Changes per second = requests per second × 1 000.

const size = { changes: 500_000, page: 1000 }
const types = ['activity', 'meeting', 'outcome', 'organization', 'plan', 'project']

const changes: BenchModule = {
  name: 'changes',
  async load(db) {
    // Explicit txids below any running transaction (spread under the cluster's current horizon,
    // about ten changes each): every row is past the feed's horizon, in (txid, id) order.
    await sql`insert into changes (txid, resource, resource_id, operation, version, fields, occurred_at)
      select ((3 + (i::bigint * (h.xmin - 10) / ${size.changes}::int))::text)::xid8,
        (${sql.lit(`{${types.join(',')}}`)}::text[])[1 + i % ${types.length}::int],
        overlay(overlay(md5('bench-change-' || (i % 50000)) placing '4' from 13) placing '8' from 17),
        (array['create', 'update', 'update', 'delete'])[1 + i % 4], 1 + i / 50000,
        case when i % 4 = 3 then '{}'::text[] else '{title,status}'::text[] end,
        now() - interval '1 hour'
      from generate_series(0, ${size.changes - 1}::int) i,
        (select pg_snapshot_xmin(pg_current_snapshot())::text::bigint as xmin) h`.execute(db)
  },

  async scenarios({ db, api: call }) {
    // Setting up walks 400 pages of 1 000: on a busy machine the service may shed one (503); retry it.
    const api = async (path: string) => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await call(path)
        } catch (err) {
          if (attempt >= 5 || !/ 503/.test(String(err))) throw err
          await new Promise((r) => setTimeout(r, 2000))
        }
      }
    }
    // Cursors at the start of ten stretches of the log, as the API hands them out.
    const variants: { path: string; sql: string }[] = []
    const filtered: { path: string; sql: string }[] = []
    let cursor: string | undefined
    for (let stretch = 0; stretch < 10; stretch++) {
      const q = cursor ? `&after=${cursor}` : ''
      const pageRes = (await api(`/v1/changes?limit=${size.page}${q}`)) as {
        items: unknown[]
        nextCursor: string
      }
      if (pageRes.items.length < size.page) throw new Error('changes: the bench log is shorter than expected')
      const after = cursor ? decodeCursor(cursor) : null
      const statement = async (t: string[] | null) =>
        toScript([
          ...(await captureSql((d) => newestExpiredChange(d, 90))),
          ...(await captureSql((d) => readFeed(d, { after, types: t, limit: size.page, retentionDays: 90 }))),
        ])
      variants.push({ path: `/v1/changes?limit=${size.page}${q}`, sql: await statement(null) })
      filtered.push({
        path: `/v1/changes?limit=${size.page}&types=activity,meeting${q}`,
        sql: await statement(['activity', 'meeting']),
      })
      // The next stretch starts 40 pages further on.
      for (let skip = 0; skip < 40; skip++) {
        cursor = (
          (await api(`/v1/changes?limit=${size.page}${cursor ? `&after=${cursor}` : ''}`)) as { nextCursor: string }
        ).nextCursor
      }
    }
    void db
    const scenarios: Scenario[] = [
      {
        name: 'change feed, pages of 1 000',
        path: variants[0]!.path,
        sql: variants[0]!.sql,
        variants,
        note: `${size.changes.toLocaleString('en')} changes; each request returns 1 000 (changes/s = req/s × 1 000); pgbench runs the retention probe and the page`,
      },
      {
        name: 'change feed, two types, pages of 1 000',
        path: filtered[0]!.path,
        sql: filtered[0]!.sql,
        variants: filtered,
        note: 'types=activity,meeting: a third of the log, read past the rest',
      },
    ]
    return scenarios
  },
}

export default changes
