import { readdir } from 'node:fs/promises'
import { fileURLToPath, pathToFileURL } from 'node:url'
import path from 'node:path'
import { Migrator, sql, type Kysely, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely'

export const migrationsDir = fileURLToPath(new URL('../../migrations/', import.meta.url))

// Defined (true) by scripts/build.mjs in dist/server.js, which imports the compiled migrations.
declare const APA_COMPILED: boolean | undefined
const compiledDir = fileURLToPath(new URL('../../dist/migrations/', import.meta.url))

// Migrations are .ts files named NNNN_description.ts, imported in name order (from dist/ as .js
// when the server runs compiled).
class FolderProvider implements MigrationProvider {
  constructor(private readonly dir: string) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    const files = (await readdir(this.dir)).filter((f) => /^\d{4}_[\w-]+\.ts$/.test(f)).sort()
    const compiled = typeof APA_COMPILED === 'boolean'
    const out: Record<string, Migration> = {}
    for (const file of files) {
      const name = file.replace(/\.ts$/, '')
      const location = compiled ? path.join(compiledDir, `${name}.js`) : path.join(this.dir, file)
      out[name] = await import(pathToFileURL(location).href)
    }
    return out
  }
}

function migrator(db: Kysely<any>) {
  // Kysely's Postgres adapter takes an advisory lock around the run, so two instances starting
  // at once migrate one after the other and the second finds nothing to do.
  return new Migrator({ db, provider: new FolderProvider(migrationsDir) })
}

/** The newest migration on disk. */
async function newestOnDisk() {
  return (await readdir(migrationsDir))
    .filter((f) => /^\d{4}_[\w-]+\.ts$/.test(f))
    .sort()
    .at(-1)
    ?.replace(/\.ts$/, '')
}

export async function migrateToLatest(db: Kysely<any>): Promise<MigrationResultSet['results']> {
  // A restart finds nothing to do: one cheap query instead of importing every migration file.
  const applied = await sql<{ name: string }>`select name from kysely_migration order by name desc limit 1`
    .execute(db)
    .catch(() => undefined)
  if (applied && applied.rows[0]?.name === (await newestOnDisk())) return []
  const { error, results } = await migrator(db).migrateToLatest()
  if (error) throw error
  return results
}

/** Names of migrations present on disk but not yet applied. */
export async function pendingMigrations(db: Kysely<any>): Promise<string[]> {
  const all = await migrator(db).getMigrations()
  return all.filter((m) => !m.executedAt).map((m) => m.name)
}
