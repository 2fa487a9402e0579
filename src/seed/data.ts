import { readFileSync } from 'node:fs'

const dataDir = new URL('../../data/', import.meta.url)

/** Reads a JSON file of data/; a missing optional file gives the fallback. */
export function readData<T>(path: string, fallback?: T): T {
  try {
    return JSON.parse(readFileSync(new URL(path, dataDir), 'utf8')) as T
  } catch (err) {
    if (fallback !== undefined && (err as NodeJS.ErrnoException).code === 'ENOENT') return fallback
    throw err
  }
}
