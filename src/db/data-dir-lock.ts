import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs'
import path from 'node:path'

// Embedded Postgres (PGlite) is one process's files: two processes opening one DATA_DIR would
// each keep their own copy in memory and the last to close would overwrite the other's writes
// (a key created by the CLI while the server ran was lost that way). So the folder is locked: a
// file naming the process that holds it, taken atomically, released on close. A lock whose
// process no longer runs (it crashed) is taken over.

export interface LockHolder {
  pid: number
  command: string
  url?: string
}

export class DataDirLocked extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder,
  ) {
    super(
      `${dataDir} is in use by ${holder.command} (pid ${holder.pid}${holder.url ? `, serving ${holder.url}` : ''}). ` +
        'Embedded storage serves one process at a time. Stop that process (Ctrl-C in its terminal) and run this again, ' +
        'or point DATA_DIR at another folder, or use Postgres (DATABASE_URL) to run several processes at once.' +
        // The way that works without stopping anything: the running server makes keys itself.
        (holder.url
          ? ` While it runs, an admin key (the first start printed one) makes and revokes keys over its API: curl -X POST ${holder.url}/v1/api-keys -H 'Authorization: Bearer apk_…' -H 'Content-Type: application/json' -d '{"name":"you","scopes":["read"]}'`
          : ''),
    )
  }
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

export interface DataDirLock {
  /** Records the URL the holder serves, so a second opener can say where it is. */
  announce(url: string): void
  release(): void
}

export function lockDataDir(dataDir: string, command: string): DataDirLock {
  const file = path.join(dataDir, 'apa.lock')
  const write = (holder: LockHolder) => {
    const fd = openSync(file, 'wx') // fails if another process holds it
    writeSync(fd, JSON.stringify(holder))
    closeSync(fd)
  }
  const holder: LockHolder = { pid: process.pid, command }
  try {
    write(holder)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
    let current: LockHolder | undefined
    try {
      current = JSON.parse(readFileSync(file, 'utf8')) as LockHolder
    } catch {
      current = undefined // half-written or garbled: its writer died mid-way
    }
    if (current && current.pid !== process.pid && alive(current.pid)) throw new DataDirLocked(dataDir, current)
    rmSync(file, { force: true })
    write(holder)
  }
  let released = false
  return {
    announce(url) {
      holder.url = url
      rmSync(file, { force: true })
      write(holder)
    },
    release() {
      if (released) return
      released = true
      rmSync(file, { force: true })
    },
  }
}
