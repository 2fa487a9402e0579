import { sql } from 'kysely'
import type { Database } from '../../db/database.ts'

/** The newest migration the database has applied, or null before the first. */
export async function latestAppliedMigration(db: Database): Promise<string | null> {
  const result = await sql<{ name: string }>`select name from kysely_migration order by name desc limit 1`.execute(db)
  return result.rows[0]?.name ?? null
}
