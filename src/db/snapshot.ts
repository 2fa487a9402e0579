import type { Database } from './database.ts'

/**
 * Runs `fn` in one REPEATABLE READ, read-only transaction: every statement in it sees the same
 * committed state, so a view read in several statements is consistent (and its tag describes
 * exactly what was read).
 */
export function inSnapshot<T>(db: Database, fn: (trx: Database) => Promise<T>): Promise<T> {
  return db.transaction().setIsolationLevel('repeatable read').setAccessMode('read only').execute(fn)
}
