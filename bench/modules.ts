import { readdir } from 'node:fs/promises'
import { pathToFileURL } from 'node:url'
import path from 'node:path'
import type { BenchModule } from './types.ts'

// Every file in bench/scenarios/ is a module of the bench. One that fails to import, to load its
// data or to build its scenarios is reported and skipped; the run goes on without it.

export const scenariosDir = new URL('./scenarios/', import.meta.url)

export interface Discovered {
  file: string
  module?: BenchModule
  error?: string
}

export async function discoverModules(): Promise<Discovered[]> {
  const files = (await readdir(scenariosDir)).filter((f) => /\.(ts|js|mjs)$/.test(f) && !f.endsWith('.d.ts')).sort()
  const out: Discovered[] = []
  for (const file of files) {
    try {
      const exports = (await import(pathToFileURL(path.join(scenariosDir.pathname, file)).href)) as Record<
        string,
        unknown
      >
      const found = [
        exports.default,
        ...Object.entries(exports)
          .filter(([k]) => k !== 'default')
          .map(([, v]) => v),
      ].filter(isBenchModule)
      const unique = [...new Set(found)]
      if (unique.length === 0)
        out.push({ file, error: 'exports no BenchModule (export default { name, load, scenarios })' })
      for (const module of unique) out.push({ file, module })
    } catch (err) {
      out.push({ file, error: `failed to import: ${message(err)}` })
    }
  }
  return out
}

function isBenchModule(value: unknown): value is BenchModule {
  const m = value as BenchModule
  return (
    typeof m === 'object' &&
    m !== null &&
    typeof m.name === 'string' &&
    typeof m.load === 'function' &&
    typeof m.scenarios === 'function'
  )
}

/**
 * Load order: organizations first (every module refers to them), then by name, each after the
 * modules it names in dependsOn. A module whose dependency is missing or failed is not loaded.
 */
export function loadOrder(modules: BenchModule[]): {
  ordered: BenchModule[]
  blocked: { module: BenchModule; missing: string[] }[]
} {
  const pending = [...modules].sort((a, b) =>
    a.name === 'organizations' ? -1 : b.name === 'organizations' ? 1 : a.name.localeCompare(b.name),
  )
  const names = new Set(modules.map((m) => m.name))
  const ordered: BenchModule[] = []
  const done = new Set<string>()
  for (let round = 0; round <= modules.length && pending.length; round++) {
    for (let i = 0; i < pending.length; i++) {
      const m = pending[i]!
      if ((m.dependsOn ?? []).every((d) => done.has(d))) {
        ordered.push(m)
        done.add(m.name)
        pending.splice(i, 1)
        i = -1 // restart: keep name order among the ready ones
      }
    }
  }
  const blocked = pending.map((module) => ({
    module,
    missing: (module.dependsOn ?? []).filter((d) => !done.has(d) || !names.has(d)),
  }))
  return { ordered, blocked }
}

/** Rejects when `promise` has not settled within `ms` (the work itself may go on in the background). */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms / 1000} s`)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

export const message = (err: unknown) => (err instanceof Error ? err.message : String(err))
