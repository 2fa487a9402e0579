import { sql, type Kysely, type Selectable } from 'kysely'
import type { Database } from './database.ts'
import type { DB } from './types.ts'

// The seed's upsert for the planning tables: insert by id, or update only when a value really
// differs, so that a second run writes nothing, bumps no version and records no change.

export interface Upserted {
  id: string
  version: number
  inserted: boolean
}

/** Upserts rows by id in one statement; returns only the rows that were inserted or changed. */
export async function upsertById(
  db: Database,
  table: 'plans' | 'areas' | 'activities' | 'projects' | 'projectResults' | 'projectTasks',
  rows: ({ id: string } & Record<string, unknown>)[],
  columns: string[],
): Promise<Upserted[]> {
  if (rows.length === 0) return []
  const k = db as unknown as Kysely<any>
  const mine = sql.join(columns.map((c) => sql.ref(`${table}.${c}`)))
  const theirs = sql.join(columns.map((c) => sql.ref(`excluded.${c}`)))
  return k
    .insertInto(table)
    .values(rows)
    .onConflict((oc) =>
      oc
        .column('id')
        .doUpdateSet(Object.fromEntries(columns.map((c) => [c, sql.ref(`excluded.${c}`)])))
        .where(sql<boolean>`row(${mine}) is distinct from row(${theirs})`),
    )
    .returning(['id', 'version', sql<boolean>`xmax = 0`.as('inserted')])
    .execute() as Promise<Upserted[]>
}

export type UpsertOutcome = 'created' | 'updated' | 'unchanged'

const snake = (k: string) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)

/**
 * Upserts one row by id and says what happened: created, updated, or unchanged (an equal row is
 * left alone: no version bump, no change to record). The row comes back unless unchanged.
 */
export async function upsertRow<T extends 'organizations' | 'meetings'>(
  db: Database,
  table: T,
  values: { id: string } & Record<string, unknown>,
): Promise<{ row?: Selectable<DB[T]>; outcome: UpsertOutcome }> {
  const k = db as unknown as Kysely<any>
  const names = Object.keys(values).filter((c) => c !== 'id')
  const row = await k
    .insertInto(table)
    .values(values)
    .onConflict((oc) =>
      oc
        .column('id')
        .doUpdateSet(Object.fromEntries(names.map((c) => [c, sql.ref(`excluded.${c}`)])) as never)
        .where(
          sql<boolean>`(${sql.join(names.map((c) => sql.ref(`${table}.${snake(c)}`)))}) is distinct from (${sql.join(names.map((c) => sql.ref(`excluded.${snake(c)}`)))})`,
        ),
    )
    .returningAll()
    .returning(sql<boolean>`xmax = 0`.as('inserted'))
    .executeTakeFirst()
  if (!row) return { outcome: 'unchanged' }
  const { inserted, ...rest } = row as { inserted: boolean } & Record<string, unknown>
  return { row: rest as unknown as Selectable<DB[T]>, outcome: inserted ? 'created' : 'updated' }
}

/**
 * Replaces join rows (owner → ordered targets) only where they differ: equal sets in the same
 * order are left alone. Returns the owners whose rows changed.
 */
export async function syncJoinRows<R extends { owner: string; target: string; extra?: string }>(
  db: Database,
  spec: {
    table: 'activityOrganizations' | 'projectActivities' | 'projectLinks'
    owner: string
    target: string
    extra?: string
  },
  owners: string[],
  wanted: R[],
): Promise<Set<string>> {
  const changed = new Set<string>()
  if (owners.length === 0) return changed
  const k = db as unknown as Kysely<any>
  const cols = [spec.owner, spec.target, ...(spec.extra ? [spec.extra] : []), 'position']
  const existing = (await k
    .selectFrom(spec.table)
    .select(cols)
    .where(spec.owner, 'in', owners)
    .orderBy(spec.owner)
    .orderBy('position')
    .execute()) as Record<string, unknown>[]
  const key = (owner: unknown, target: unknown, extra: unknown) =>
    `${String(owner)}|${String(target)}|${String(extra ?? '')}`
  const listOf = (rows: { owner: string; key: string }[]) => {
    const byOwner = new Map<string, string[]>()
    for (const r of rows) byOwner.set(r.owner, [...(byOwner.get(r.owner) ?? []), r.key])
    return byOwner
  }
  const had = listOf(
    existing.map((r) => ({
      owner: String(r[spec.owner]),
      key: key(r[spec.owner], r[spec.target], spec.extra ? r[spec.extra] : undefined),
    })),
  )
  const want = listOf(wanted.map((w) => ({ owner: w.owner, key: key(w.owner, w.target, w.extra) })))
  for (const owner of owners)
    if ((had.get(owner) ?? []).join('\n') !== (want.get(owner) ?? []).join('\n')) changed.add(owner)
  if (changed.size === 0) return changed
  const ids = [...changed]
  await k.deleteFrom(spec.table).where(spec.owner, 'in', ids).execute()
  const positions = new Map<string, number>()
  const rows = wanted
    .filter((w) => changed.has(w.owner))
    .map((w) => {
      const position = positions.get(w.owner) ?? 0
      positions.set(w.owner, position + 1)
      return {
        [spec.owner]: w.owner,
        [spec.target]: w.target,
        ...(spec.extra ? { [spec.extra]: w.extra } : {}),
        position,
      }
    })
  if (rows.length) await k.insertInto(spec.table).values(rows).execute()
  return changed
}
