import type { FaultRecord } from './faults.ts'
import type { Load, Sample } from './load.ts'

// The pass criteria, each with the figure it was judged on, and the printed summary.

export interface Verification {
  organizationRows: number
  missingWrites: string[]
  organizationDuplicates: string[]
  unacknowledgedLanded: number
  outcomeRows: number
  missingOutcomes: string[]
  outcomeDuplicates: string[]
}

export interface Criterion {
  name: string
  pass: boolean
  figure: string
  details?: string[]
}

interface Exit {
  code: number | null
  signal: NodeJS.Signals | null
}

export interface JudgeInput {
  settings: { durationMs: number; settleMs: number; minRecovered: number; requestTimeoutMs: number }
  load: Load
  faults: FaultRecord[]
  plannedFaults: number
  /** Set when the server exited before the run asked it to (`at`: ms after the load started). */
  exitDuringRun?: Exit & { at: number; tail: string[] }
  verification: Verification
  /** How the server ended on SIGTERM (undefined: it was already gone). */
  shutdown?: Exit & { ms: number; tail: string[] }
}

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`
const pct = (part: number, whole: number) => (whole ? `${((100 * part) / whole).toFixed(2)} %` : 'n/a')
const exitText = (e: Exit) => (e.signal ? `signal ${e.signal}` : `code ${e.code}`)

/** Failures grouped by what went wrong: "500 /problems/internal ×12 (createOrganization, first at 13.2 s)". */
function grouped(samples: Sample[], max = 8): string[] {
  const groups = new Map<string, { n: number; ops: Set<string>; first: number }>()
  for (const x of samples) {
    const g = groups.get(x.detail ?? String(x.status)) ?? { n: 0, ops: new Set(), first: x.start }
    g.n++
    g.ops.add(x.op)
    groups.set(x.detail ?? String(x.status), g)
  }
  const lines = [...groups]
    .sort((a, b) => b[1].n - a[1].n)
    .map(([what, g]) => `${what} ×${g.n} (${[...g.ops].join(', ')}; first at ${s(g.first)})`)
  return lines.length > max ? [...lines.slice(0, max), `… and ${lines.length - max} more kinds`] : lines
}

export function judge(o: JudgeInput): Criterion[] {
  const { load, faults, verification: v, settings } = o
  // Recovery is judged from settleMs after the last fault ended; everything before is "during the faults".
  const lastFault = faults.length ? Math.max(...faults.map((f) => f.end)) : undefined
  const recoveryFrom = lastFault === undefined ? Infinity : lastFault + settings.settleMs
  const during = load.samples.filter((x) => x.start < recoveryFrom)
  const after = load.samples.filter((x) => x.start >= recoveryFrom)
  const bad = during.filter((x) => x.verdict === 'failure')
  const faultErrors = faults.filter((f) => f.error).map((f) => `${f.kind} at ${s(f.start)}: ${f.error}`)
  const allFaults = faults.length === o.plannedFaults && !faultErrors.length
  const recovered = after.filter((x) => x.verdict === 'ok').length
  const exit = o.exitDuringRun
  const orgAnomalies = load.anomalies.filter((a) => !a.startsWith('batch'))
  const batchAnomalies = load.anomalies.filter((a) => a.startsWith('batch'))

  return [
    {
      name: 'the server process stays up through the faults',
      pass: !exit,
      figure: exit
        ? `server exited with ${exitText(exit)} during the run, at ${s(exit.at)} (${sinceFault(faults, exit.at)}); its last lines:`
        : `no exit in ${s(settings.durationMs)} of load and ${faults.length} faults`,
      details: exit?.tail,
    },
    {
      name: 'until the service has recovered, every answer is a success or a 503 problem with Retry-After (no 500, no hang)',
      pass: !bad.length && allFaults && during.length > 0,
      figure:
        `${during.length} requests up to ${Number.isFinite(recoveryFrom) ? s(recoveryFrom) : 'the end'}: ${count(during, 'ok')} ok, ${count(during, 'unavailable')} 503 problems, ${bad.length} other; ` +
        `slowest ${Math.max(0, ...during.map((x) => x.ms))} ms (timeout ${settings.requestTimeoutMs} ms)` +
        (allFaults ? '' : `; only ${faults.length - faultErrors.length} of ${o.plannedFaults} faults injected`),
      details: [...grouped(bad), ...faultErrors],
    },
    {
      name: `from ${s(settings.settleMs)} after the last fault, ≥ ${settings.minRecovered * 100} % of requests succeed`,
      pass: after.length >= 50 && recovered / after.length >= settings.minRecovered,
      figure: after.length
        ? `${recovered} of ${after.length} = ${pct(recovered, after.length)} (from ${s(recoveryFrom)})`
        : 'no requests were sent after that point',
      details: grouped(after.filter((x) => x.verdict !== 'ok')),
    },
    {
      name: 'every acknowledged organization is stored, none twice',
      pass:
        load.writes.length > 0 && !v.missingWrites.length && !v.organizationDuplicates.length && !orgAnomalies.length,
      figure:
        `${load.writes.length} acknowledged (${load.writes.filter((w) => w.replayed).length} as replays, ${load.writes.filter((w) => w.attempts > 1).length} after retries): ` +
        `${v.missingWrites.length} missing, ${v.organizationDuplicates.length} names stored twice; ${v.organizationRows} rows, ${v.unacknowledgedLanded} of them never acknowledged`,
      details: [
        ...v.missingWrites.map((m) => `missing: ${m}`),
        ...v.organizationDuplicates.map((d) => `twice: ${d}`),
        ...orgAnomalies,
      ].slice(0, 10),
    },
    {
      name: 'every acknowledged outcome is stored, no externalRef twice',
      pass:
        load.outcomes.length > 0 && !v.missingOutcomes.length && !v.outcomeDuplicates.length && !batchAnomalies.length,
      figure: `${load.outcomes.length} acknowledged in batches: ${v.missingOutcomes.length} missing, ${v.outcomeDuplicates.length} externalRefs stored twice; ${v.outcomeRows} rows`,
      details: [
        ...v.missingOutcomes.map((m) => `missing: ${m}`),
        ...v.outcomeDuplicates.map((d) => `twice: ${d}`),
        ...batchAnomalies,
      ].slice(0, 10),
    },
    {
      name: 'the server shuts down cleanly on SIGTERM (exit code 0)',
      pass: o.shutdown?.code === 0,
      figure: o.shutdown
        ? `${exitText(o.shutdown)} ${o.shutdown.ms} ms after SIGTERM`
        : 'not tried: the server had already exited',
      details: o.shutdown?.code === 0 ? [] : o.shutdown?.tail,
    },
  ]
}

const count = (samples: Sample[], verdict: Sample['verdict']) => samples.filter((x) => x.verdict === verdict).length

function sinceFault(faults: FaultRecord[], at: number) {
  const last = faults.filter((f) => f.start <= at).at(-1)
  return last ? `${s(at - last.start)} after the ${last.kind} fault at ${s(last.start)}` : 'before any fault'
}

export function printReport(r: { load: Load; faults: FaultRecord[]; criteria: Criterion[]; seconds: number }) {
  const { samples } = r.load
  const byStatus = new Map<string, number>()
  for (const x of samples) byStatus.set(String(x.status), (byStatus.get(String(x.status)) ?? 0) + 1)
  const byOp = new Map<string, Sample[]>()
  for (const x of samples)
    byOp
      .set(x.op, byOp.get(x.op) ?? [])
      .get(x.op)!
      .push(x)
  const ms = samples.map((x) => x.ms).sort((a, b) => a - b)
  const quantile = (q: number) => ms[Math.min(ms.length - 1, Math.floor(q * ms.length))] ?? 0
  const failures = samples.filter((x) => x.verdict === 'failure')

  console.log('')
  console.log(
    `requests: ${samples.length} sent — ${[...byStatus]
      .sort()
      .map(([k, n]) => `${k}: ${n}`)
      .join(', ')}`,
  )
  console.log(`  by operation: ${[...byOp].map(([op, xs]) => `${op} ${xs.length} (${count(xs, 'ok')} ok)`).join(', ')}`)
  console.log(`  latency: p50 ${quantile(0.5)} ms, p99 ${quantile(0.99)} ms, max ${ms.at(-1) ?? 0} ms`)
  console.log(
    `faults: ${r.faults.length} injected — ` +
      r.faults
        .map((f) =>
          f.kind === 'terminate'
            ? `${s(f.start)} sessions killed (${f.backends})`
            : `${s(f.start)}–${s(f.end)} connections refused (${f.backends} killed)`,
        )
        .join('; '),
  )
  console.log(
    `writes: ${r.load.writes.length} organizations and ${r.load.outcomes.length} outcomes acknowledged and checked; ` +
      `${r.load.abandoned.length} writes given up after retrying`,
  )
  // The shape of each outage: which seconds had answers other than a success, and what they were.
  const seconds = new Map<number, Map<string, number>>()
  for (const x of samples.filter((x) => x.verdict !== 'ok')) {
    const second = seconds.get(Math.floor(x.start / 1000)) ?? new Map<string, number>()
    second.set(String(x.status), (second.get(String(x.status)) ?? 0) + 1)
    seconds.set(Math.floor(x.start / 1000), second)
  }
  const timeline = [...seconds]
    .sort((a, b) => a[0] - b[0])
    .map(([t, m]) => `${t} s: ${[...m].map(([k, n]) => `${n}×${k}`).join(' ')}`)
  console.log(`non-successes by second of the load: ${timeline.join('; ') || 'none'}`)
  console.log(`failures: ${failures.length}${failures.length ? '' : ' requests'}`)
  for (const line of grouped(failures)) console.log(`  ${line}`)
  console.log('')
  for (const [i, c] of r.criteria.entries()) {
    console.log(`${c.pass ? 'PASS' : 'FAIL'}  ${i + 1}. ${c.name}: ${c.figure}`)
    for (const d of c.details ?? []) if (!c.pass) console.log(`        ${d}`)
  }
  const passed = r.criteria.filter((c) => c.pass).length
  console.log(`\n(run took ${r.seconds.toFixed(1)} s)`)
  console.log(`faults: ${passed} passed, ${r.criteria.length - passed} failed`)
}
