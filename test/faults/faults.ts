import type { FaultDatabase } from './db.ts'

// The faults, at fixed times after the load starts: four times every session of the service's
// database is killed (as a failover or an admin would), and once Postgres refuses the database
// for a few seconds (as while it restarts), so every reconnect fails too.

export interface Fault {
  kind: 'terminate' | 'refuse'
  at: number // ms after the load started
  ms?: number // how long connections are refused
}

export const schedule: Fault[] = [
  { kind: 'terminate', at: 5_000 },
  { kind: 'terminate', at: 9_000 },
  { kind: 'refuse', at: 13_000, ms: 3_000 },
  { kind: 'terminate', at: 21_000 },
  { kind: 'terminate', at: 25_000 },
]

export interface FaultRecord {
  kind: Fault['kind']
  start: number // ms after the load started, as done
  end: number
  backends: number // sessions ended
  error?: string
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Runs the schedule against `db`; `stopped()` ends it early (the service is gone). */
export async function injectFaults(
  db: FaultDatabase,
  loadStartedAt: number,
  stopped: () => boolean,
): Promise<FaultRecord[]> {
  const done: FaultRecord[] = []
  const now = () => Date.now() - loadStartedAt
  for (const fault of schedule) {
    while (now() < fault.at) {
      if (stopped()) return done
      await sleep(Math.min(100, fault.at - now()))
    }
    const record: FaultRecord = { kind: fault.kind, start: now(), end: 0, backends: 0 }
    try {
      if (fault.kind === 'terminate') {
        record.backends = await db.terminateBackends()
      } else {
        try {
          record.backends = await db.refuseConnections()
          await sleep(fault.ms ?? 3_000)
        } finally {
          // Whatever happened, the database must take connections again.
          await db.acceptConnections()
        }
      }
    } catch (err) {
      record.error = (err as Error).message
    }
    record.end = now()
    done.push(record)
  }
  return done
}
