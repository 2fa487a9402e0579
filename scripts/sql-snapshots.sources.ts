import { readdirSync, readFileSync } from 'node:fs'
import { basename, dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

// Where the query modules are. Everything is found by file name under src/, never by folder, so
// that moving a module (src/plugins → src/http …) changes nothing here or in the samples.

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const srcDir = join(root, 'src')

let files: string[] | undefined
/** Every .ts file under src/, as paths relative to the repository root, sorted. */
function sourceFiles(): string[] {
  files ??= (readdirSync(srcDir, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .map((f) => relative(root, join(srcDir, f)).split('\\').join('/'))
    .sort()
  return files
}

/** The query modules (src/**\/*.queries.ts), sorted by file name; their file names must be unique. */
export function queriesFiles(): string[] {
  const found = sourceFiles().filter((f) => f.endsWith('.queries.ts'))
  const byName = new Map<string, string[]>()
  for (const f of found) byName.set(basename(f), [...(byName.get(basename(f)) ?? []), f])
  const clashes = [...byName].filter(([, paths]) => paths.length > 1)
  if (clashes.length)
    throw new Error(
      `query modules must have distinct file names (sql/<name>.sql is named after them): ${clashes.map(([, p]) => p.join(' and ')).join('; ')}`,
    )
  return found.sort((a, b) => (basename(a) < basename(b) ? -1 : basename(a) > basename(b) ? 1 : 0))
}

/** The one file under src/ with this name (e.g. 'pagination.ts'). */
export function findSource(name: string): string {
  const found = sourceFiles().filter((f) => basename(f) === name)
  if (found.length !== 1)
    throw new Error(found.length ? `more than one src/**/${name}: ${found.join(', ')}` : `no src/**/${name}`)
  return found[0]!
}

/**
 * Imports a module of src/ by file name. Give it the module's type for checking, e.g.
 * load<typeof import('../src/plugins/pagination.ts')>('pagination.ts'): the type import is erased
 * at run time, so a moved file breaks only the type check, whose error names the new place.
 */
export function load<M>(name: string): Promise<M> {
  return import(pathToFileURL(join(root, findSource(name))).href) as Promise<M>
}

export const readSource = (path: string) => readFileSync(join(root, path), 'utf8')
