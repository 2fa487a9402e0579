import { writeFileSync } from 'node:fs'
import { createFaultDatabase, type FaultDatabase } from './db.ts'
import { injectFaults, schedule, type FaultRecord } from './faults.ts'
import { Load } from './load.ts'
import { judge, printReport, type Verification } from './report.ts'
import { createKey, serviceEnv, startServer, stopServer, type ServerProcess } from './server.ts'

// npm run test:faults — DESIGN §6 "Reliability" against the real process: a bounded mixed load
// over HTTP while Postgres sessions are killed and the database refuses connections for a
// while. The service must answer 503 problems (never crash, hang or 500), recover by itself,
// lose no acknowledged write and duplicate none, and still shut down cleanly. Loopback only,
// its own database (dropped at the end), about a minute, exit 0 on pass and 1 on failure.

const settings = {
  workers: 8,
  durationMs: 40_000, // the last fault ends at about 25 s: 10 s of recovery are measured
  requestTimeoutMs: 10_000, // the pool's connect timeout (2 s) plus a wide margin
  settleMs: 5_000, // after the last fault, this long before recovery is judged
  minRecovered: 0.99,
  watchdogMs: 150_000, // the whole run, whatever happens
}

const began = Date.now()
let db: FaultDatabase | undefined
let server: ServerProcess | undefined

/** Leaves nothing behind: no server process, no database. Safe to call twice. */
async function cleanup() {
  if (server && !server.exit) server.child.kill('SIGKILL')
  await db?.drop().catch((err: Error) => console.error(`could not drop ${db?.name}: ${err.message}`))
}

let aborting = false
async function abort(why: string) {
  aborting = true // what main() runs into from here on is our doing: not reported
  console.error(why)
  await cleanup()
  process.exit(1)
}
process.once('SIGINT', () => void abort('interrupted'))
setTimeout(
  () => void abort(`the run took longer than ${settings.watchdogMs / 1000} s; stopped`),
  settings.watchdogMs,
).unref()

async function getJson<T>(url: string, token: string): Promise<T> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(10_000) })
  if (!res.ok) throw new Error(`GET ${url}: ${res.status} ${await res.text()}`)
  return (await res.json()) as T
}

async function main(): Promise<boolean> {
  db = await createFaultDatabase()
  const runId = db.name.replace('apa_faults_', '')
  const env = serviceEnv(db.url)
  console.log(
    `faults: database ${db.name}; ${settings.workers} workers for ${settings.durationMs / 1000} s; ${schedule.length} faults`,
  )

  const token = await createKey(env) // also migrates the new database
  server = await startServer(env) // seeds it (SEED_ON_START=always)
  const baseUrl = `http://127.0.0.1:${server.port}`
  const meetings = await getJson<{ data: { id: string }[] }>(`${baseUrl}/v1/meetings?limit=1`, token)
  const organizations = await getJson<{ data: { id: string }[] }>(`${baseUrl}/v1/organizations?limit=50`, token)
  if (!meetings.data[0] || !organizations.data.length) throw new Error('the seed data has no meetings or organizations')
  console.log(
    `faults: server up on port ${server.port} after ${((Date.now() - began) / 1000).toFixed(1)} s; load starts`,
  )

  const load = new Load({
    ...settings,
    baseUrl,
    token,
    runId,
    meetingId: meetings.data[0].id,
    organizationIds: organizations.data.map((o) => o.id),
  })
  const running = server
  void running.exited.then(() => load.stop()) // a dead server: stop sending, report it
  const loadDone = load.run()
  const faults: FaultRecord[] = await injectFaults(db, load.startedAt, () => !!running.exit)
  await loadDone
  const exitDuringRun = running.exit
    ? { ...running.exit, at: running.exit.at - load.startedAt, tail: running.tail(12) }
    : undefined

  const verification = await verify(db, load)
  const shutdownStarted = Date.now()
  const shutdown = exitDuringRun
    ? undefined
    : { ...(await stopServer(running)), ms: Date.now() - shutdownStarted, tail: running.tail(5) }

  // FAULTS_SAMPLES=<file> keeps every request (op, start, ms, status, verdict) for a closer look.
  if (process.env.FAULTS_SAMPLES)
    writeFileSync(process.env.FAULTS_SAMPLES, JSON.stringify({ faults, samples: load.samples }))
  const criteria = judge({
    settings,
    load,
    faults,
    plannedFaults: schedule.length,
    exitDuringRun,
    verification,
    shutdown,
  })
  printReport({ load, faults, criteria, seconds: (Date.now() - began) / 1000 })
  return criteria.every((c) => c.pass)
}

/** The ledger against the table: by direct SQL, not through the service under test. */
async function verify(db: FaultDatabase, load: Load): Promise<Verification> {
  const rows = await db.query<{ id: string; name: string }>(
    `select id::text, name from organizations where name like 'faults-%'`,
  )
  const organizationDuplicates = await db.query<{ name: string; n: number }>(
    `select name, count(*)::int as n from organizations where name like 'faults-%' group by name having count(*) > 1`,
  )
  const outcomeRows = await db.query<{ id: string; external_ref: string }>(
    `select id::text, external_ref from outcomes where external_ref like 'faults-%'`,
  )
  const outcomeDuplicates = await db.query<{ external_ref: string; n: number }>(
    `select external_ref, count(*)::int as n from outcomes where external_ref like 'faults-%' group by meeting_id, external_ref having count(*) > 1`,
  )
  const byId = new Map(rows.map((r) => [r.id, r.name]))
  const outcomeById = new Map(outcomeRows.map((r) => [r.id, r.external_ref]))
  const acknowledged = new Set(load.writes.map((w) => w.name))
  return {
    organizationRows: rows.length,
    missingWrites: load.writes.filter((w) => byId.get(w.id) !== w.name).map((w) => `${w.name} (${w.id})`),
    organizationDuplicates: organizationDuplicates.map((d) => `${d.name} ×${d.n}`),
    unacknowledgedLanded: rows.filter((r) => !acknowledged.has(r.name)).length,
    outcomeRows: outcomeRows.length,
    missingOutcomes: load.outcomes
      .filter((o) => outcomeById.get(o.id) !== o.externalRef)
      .map((o) => `${o.externalRef} (${o.id})`),
    outcomeDuplicates: outcomeDuplicates.map((d) => `${d.external_ref} ×${d.n}`),
  }
}

let passed = false
try {
  passed = await main()
} catch (err) {
  if (aborting) await new Promise(() => {}) // abort() ends the process
  console.error(`faults: the run could not complete: ${(err as Error).stack ?? err}`)
  if (server) console.error(server.tail().join('\n'))
  console.log('faults: 0 passed, 1 failed')
} finally {
  await cleanup()
}
process.exit(passed ? 0 : 1)
