import { mkdir, writeFile } from 'node:fs/promises'
import type { ApiResult, PgbenchResult } from './measure.ts'
import { round } from './measure.ts'
import type { Goal } from './types.ts'
import type { ComparisonResult } from './compare.ts'

// The printed table, the goal checks and the JSON file of a run.

export interface ScenarioResult {
  module: string
  name: string
  method: string
  path: string
  variants: number
  sql: string
  note?: string
  goal?: Goal
  api?: ApiResult
  pgbench?: PgbenchResult
  /** CPU cores used by other processes on the machine during the API measurement. */
  otherLoadCores?: number
  /** Peak RSS of the service while this scenario ran. */
  servicePeakRssMb?: number
  apiPerPgbench?: number
  apiPerStatic?: number
  goalMet?: boolean
  goalDetail?: string
  errors: string[]
}

export const label = (r: { module: string; name: string }) => `${r.module}: ${r.name}`

/** Ratios beside each figure: of throughput, or for sequential scenarios of time per request. */
export function addRatios(results: ScenarioResult[], staticReqPerSec: number | undefined): void {
  for (const r of results) {
    if (!r.api) continue
    if (r.api.mode === 'sequential') {
      const pgMs = r.pgbench?.p50Ms ?? r.pgbench?.latencyAvgMs
      if (pgMs) r.apiPerPgbench = round(pgMs / r.api.p50Ms, 3)
    } else {
      if (r.pgbench?.tps) r.apiPerPgbench = round(r.api.reqPerSec / r.pgbench.tps, 3)
      if (staticReqPerSec && r.module !== 'static') r.apiPerStatic = round(r.api.reqPerSec / staticReqPerSec, 3)
    }
  }
}

export function checkGoals(results: ScenarioResult[]): void {
  for (const r of results) {
    const g = r.goal
    if (!g || !r.api) continue
    const fails: string[] = []
    const passes: string[] = []
    const test = (ok: boolean, text: string) => (ok ? passes : fails).push(text)
    if (g.minReqPerSec !== undefined)
      test(r.api.reqPerSec >= g.minReqPerSec, `${r.api.reqPerSec} req/s vs ≥ ${g.minReqPerSec}`)
    if (g.maxP50Ms !== undefined) test(r.api.p50Ms <= g.maxP50Ms, `p50 ${r.api.p50Ms} ms vs ≤ ${g.maxP50Ms}`)
    if (g.maxP99Ms !== undefined) test(r.api.p99Ms <= g.maxP99Ms, `p99 ${r.api.p99Ms} ms vs ≤ ${g.maxP99Ms}`)
    if (g.maxRssMb !== undefined)
      test(
        (r.servicePeakRssMb ?? Infinity) <= g.maxRssMb,
        `peak RSS ${r.servicePeakRssMb ?? '?'} MB vs ≤ ${g.maxRssMb}`,
      )
    if (g.maxP50RatioTo) {
      const other = results.find((o) => o.module === r.module && o.name === g.maxP50RatioTo!.scenario)
      if (!other?.api) fails.push(`no result for "${g.maxP50RatioTo.scenario}" to compare with`)
      else {
        const ratio = round(r.api.p50Ms / other.api.p50Ms, 2)
        test(
          ratio <= g.maxP50RatioTo.ratio,
          `p50 ${ratio}× that of ${g.maxP50RatioTo.scenario} vs ≤ ${g.maxP50RatioTo.ratio}×`,
        )
      }
    }
    r.goalMet = fails.length === 0
    r.goalDetail = [...fails, ...passes].join('; ')
  }
}

/** Above this, the machine was shared enough during a measurement to say so beside it. */
const noisyCores = 0.15

const fmt = (n: number | undefined, digits = 0) =>
  n === undefined || Number.isNaN(n)
    ? '–'
    : n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })

export function table(results: ScenarioResult[]): string {
  const head = [
    'scenario',
    'API req/s',
    'p50 ms',
    'p99 ms',
    'pgbench tps',
    'API/pgbench',
    'API/static',
    'RSS MB',
    'notes',
  ]
  const rows = results.map((r) => {
    const seq = r.api?.mode === 'sequential'
    const notes: string[] = []
    if (seq) notes.push(`${r.api!.requests} sequential requests`)
    if (r.api && (r.api.non2xx || r.api.errors || r.api.timeouts))
      notes.push(`non-2xx ${r.api.non2xx}, errors ${r.api.errors}, timeouts ${r.api.timeouts}`)
    if ((r.otherLoadCores ?? 0) > noisyCores) notes.push(`other processes used ${r.otherLoadCores} cores meanwhile`)
    if (r.pgbench?.failed) notes.push(`pgbench failed ${r.pgbench.failed}`)
    notes.push(...r.errors.map((e) => e.split('\n')[0]!.slice(0, 120)))
    return [
      label(r),
      fmt(r.api?.reqPerSec),
      fmt(r.api?.p50Ms, 2),
      fmt(r.api?.p99Ms, 2),
      seq ? `${fmt(r.pgbench?.p50Ms, 2)} ms` : fmt(r.pgbench?.tps),
      fmt(r.apiPerPgbench, 3),
      fmt(r.apiPerStatic, 3),
      fmt(r.servicePeakRssMb),
      notes.join('; '),
    ]
  })
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)))
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 0 || i === cells.length - 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join(' | ')
      .trimEnd()
  return [line(head), widths.map((w) => '-'.repeat(w)).join('-|-'), ...rows.map(line)].join('\n')
}

/** Ours beside the peer and the bare route: one row per server, medians over the rounds. */
export function comparisonTable(comparisons: ComparisonResult[]): string {
  const head = [
    'scenario',
    'server',
    'req/s',
    'p50 ms',
    'p99 ms',
    'RSS MB',
    'ours ÷ this (min–max)',
    'req/s per round',
    'notes',
  ]
  const rows: string[][] = []
  for (const c of comparisons) {
    if (!c.sides.length) rows.push([label(c), '–', '–', '–', '–', '–', '–', '–', c.errors.join('; ').slice(0, 160)])
    for (const [i, s] of c.sides.entries()) {
      const notes: string[] = []
      if (s.non2xx) notes.push(`non-2xx, errors or timeouts: ${s.non2xx}`)
      if ((s.otherLoadCoresMax ?? 0) > noisyCores)
        notes.push(`other processes used up to ${s.otherLoadCoresMax} cores meanwhile`)
      notes.push(...s.errors.map((e) => e.split('\n')[0]!.slice(0, 120)))
      if (i === 0) notes.push(...c.errors.map((e) => e.split('\n')[0]!.slice(0, 160)))
      rows.push([
        i === 0 ? label(c) : '',
        s.server,
        fmt(s.reqPerSec),
        fmt(s.p50Ms, 2),
        fmt(s.p99Ms, 2),
        fmt(s.peakRssMb),
        s.ratio ? `${fmt(s.ratio.median, 2)}× (${fmt(s.ratio.min, 2)}–${fmt(s.ratio.max, 2)})` : '',
        s.perRound.map((v) => fmt(v)).join(', '),
        notes.join('; '),
      ])
    }
  }
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)))
  const textColumns = new Set([0, 1, 7, 8])
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (textColumns.has(i) ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join(' | ')
      .trimEnd()
  return [line(head), widths.map((w) => '-'.repeat(w)).join('-|-'), ...rows.map(line)].join('\n')
}

export function goalLines(results: ScenarioResult[], extra: { text: string; met: boolean; detail: string }[]): string {
  const lines = results
    .filter((r) => r.goal && r.goalMet !== undefined)
    .map((r) => `${r.goalMet ? 'PASS' : 'FAIL'}  ${label(r)} — ${r.goal!.text}: ${r.goalDetail}`)
  for (const e of extra) lines.push(`${e.met ? 'PASS' : 'FAIL'}  ${e.text}: ${e.detail}`)
  return lines.join('\n')
}

export async function save(dir: URL, report: unknown): Promise<{ file: string; latest: string }> {
  await mkdir(dir, { recursive: true })
  const stamp = new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')
  const text = `${JSON.stringify(report, null, 2)}\n`
  const file = new URL(`${stamp}.json`, dir).pathname
  const latest = new URL('latest.json', dir).pathname
  await writeFile(file, text)
  await writeFile(latest, text)
  return { file, latest }
}
