import { measureApi, requestOf, round, type ApiResult } from './measure.ts'
import { cpuSample, memoryOf, otherCores, resetPeak, type Child } from './processes.ts'
import type { Comparison, Scenario } from './types.ts'

// Ours beside the generated peer (bench/peer.ts) and the bare Fastify + pg route, for the
// scenarios that declare a `comparison`: R rounds, each measuring every side once for the same
// duration, connections and warm-up, the order reversed every other round (ours, peer, bare;
// then bare, peer, ours) so that a drift of the machine during the run weighs on every side
// alike. The ratios are taken within a round (both sides measured minutes apart at most), and
// summarized by their median over the rounds, with the lowest and highest.

export type SideKey = 'ours' | 'peer' | 'bare'

export interface Side {
  key: SideKey
  /** What the table calls it, e.g. "Platformatic DB 2.61.0". */
  server: string
  baseUrl: string
  child: Child
  /** The scenario as this side is asked it (its own paths). */
  scenario: Scenario
}

export interface SideMeasurement {
  api?: ApiResult
  otherLoadCores?: number
  peakRssMb?: number
  error?: string
}

export interface RoundResult {
  round: number
  order: SideKey[]
  sides: Partial<Record<SideKey, SideMeasurement>>
}

export interface SideSummary {
  key: SideKey
  server: string
  /** Path of its first request. */
  path: string
  rounds: number
  reqPerSec?: number
  p50Ms?: number
  p99Ms?: number
  peakRssMb?: number
  /** req/s of each round, in order. */
  perRound: (number | undefined)[]
  /** Ours ÷ this side, from the rounds where both were measured. */
  ratio?: { median: number; min: number; max: number; perRound: number[] }
  /** Highest CPU (cores) other processes took during one of this side's measurements. */
  otherLoadCoresMax?: number
  non2xx: number
  errors: string[]
}

export interface ComparisonGoal {
  scenario: string
  text: string
  met: boolean
  detail: string
}

export interface ComparisonResult {
  module: string
  name: string
  rounds: number
  durationSeconds: number
  connections: number
  warmupSeconds: number
  variants: number
  note?: string
  sides: SideSummary[]
  roundsDetail: RoundResult[]
  goals: ComparisonGoal[]
  errors: string[]
}

/** The scenario as asked of another server: its paths instead of ours, nothing else changed. */
export function sideScenario(s: Scenario, paths: string[]): Scenario {
  return {
    name: s.name,
    method: s.method,
    path: paths[0]!,
    sql: '',
    headers: s.headers,
    body: s.body,
    ...(paths.length > 1 ? { variants: paths.map((p) => ({ path: p, sql: '' })) } : {}),
  }
}

/** The ids (and names) a body answers: a bare array (the peer), a { data } page, or one row. */
export function rowsOf(body: unknown): string[] {
  const rows = Array.isArray(body)
    ? body
    : Array.isArray((body as { data?: unknown })?.data)
      ? (body as { data: unknown[] }).data
      : body && typeof body === 'object' && 'id' in body
        ? [body]
        : []
  return rows.map((r) => `${(r as { id?: unknown }).id} ${(r as { name?: unknown }).name}`)
}

/**
 * Asks every side each request of the scenario once, and fails unless all answer 200 with the
 * same rows (ids and names, in the same order).
 */
export async function checkSameAnswers(sides: Side[], token: string, requests: number): Promise<void> {
  for (let i = 0; i < requests; i++) {
    const answers: { side: Side; path: string; rows: string[] }[] = []
    for (const side of sides) {
      const req = requestOf(side.scenario, i)
      const res = await fetch(side.baseUrl + req.path, {
        method: req.method,
        headers: { ...req.headers, authorization: `Bearer ${token}` },
        body: req.body,
        signal: AbortSignal.timeout(30_000),
      })
      const text = await res.text()
      if (res.status !== 200)
        throw new Error(`${side.key}: ${req.method} ${req.path} answered ${res.status}: ${text.slice(0, 200)}`)
      answers.push({ side, path: req.path, rows: rowsOf(JSON.parse(text)) })
    }
    const [first, ...rest] = answers
    if (!first!.rows.length) throw new Error(`${first!.side.key}: ${first!.path} answered no rows`)
    for (const a of rest) {
      if (a.rows.join('\n') !== first!.rows.join('\n')) {
        throw new Error(
          `${a.side.key} (${a.path}) answers other rows than ${first!.side.key} (${first!.path}): ${a.rows.length} vs ${first!.rows.length} rows, first ${a.rows[0]} vs ${first!.rows[0]}`,
        )
      }
    }
  }
}

/** Measures every side once per round, alternating the order; `ownPids` are the bench's processes. */
export async function runRounds(
  sides: Side[],
  token: string,
  settings: { rounds: number; duration: number; connections: number; warmup: number },
  ownPids: () => number[],
  say: (text: string) => void,
): Promise<RoundResult[]> {
  const rounds: RoundResult[] = []
  for (let r = 0; r < settings.rounds; r++) {
    const order = r % 2 === 0 ? sides : [...sides].reverse()
    const result: RoundResult = { round: r + 1, order: order.map((s) => s.key), sides: {} }
    for (const side of order) {
      const m: SideMeasurement = {}
      try {
        if (side.child.process.exitCode !== null || side.child.process.signalCode !== null)
          throw new Error(`${side.child.name} exited`)
        resetPeak(side.child.process.pid!)
        const before = cpuSample(ownPids())
        m.api = await measureApi(side.baseUrl, token, side.scenario, settings)
        m.otherLoadCores = otherCores(before, cpuSample(ownPids()))
        m.peakRssMb = memoryOf(side.child.process.pid!)?.peakRssMb
      } catch (err) {
        m.error = err instanceof Error ? err.message : String(err)
      }
      result.sides[side.key] = m
      say(
        `  round ${r + 1}/${settings.rounds} ${side.key.padEnd(4)} → ${m.api ? `${m.api.reqPerSec} req/s, p50 ${m.api.p50Ms} ms, p99 ${m.api.p99Ms} ms${m.api.non2xx ? `, non-2xx ${m.api.non2xx}` : ''}` : m.error}`,
      )
    }
    rounds.push(result)
  }
  return rounds
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  if (!sorted.length) return NaN
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

export function summarize(sides: Side[], rounds: RoundResult[]): SideSummary[] {
  const measured = (key: SideKey) => rounds.map((r) => r.sides[key]?.api)
  const ours = measured('ours')
  return sides.map((side) => {
    const results = measured(side.key)
    const ok = results.filter((a): a is ApiResult => a !== undefined)
    const s: SideSummary = {
      key: side.key,
      server: side.server,
      path: side.scenario.path,
      rounds: ok.length,
      perRound: results.map((a) => a?.reqPerSec),
      non2xx: ok.reduce((n, a) => n + a.non2xx + a.errors + a.timeouts, 0),
      errors: rounds.map((r) => r.sides[side.key]?.error).filter((e): e is string => e !== undefined),
    }
    if (ok.length) {
      s.reqPerSec = round(median(ok.map((a) => a.reqPerSec)))
      s.p50Ms = round(median(ok.map((a) => a.p50Ms)), 3)
      s.p99Ms = round(median(ok.map((a) => a.p99Ms)), 3)
      const rss = rounds.map((r) => r.sides[side.key]?.peakRssMb).filter((v): v is number => v !== undefined)
      if (rss.length) s.peakRssMb = Math.max(...rss)
      const load = rounds.map((r) => r.sides[side.key]?.otherLoadCores).filter((v): v is number => v !== undefined)
      if (load.length) s.otherLoadCoresMax = Math.max(...load)
    }
    if (side.key !== 'ours') {
      const ratios = rounds.flatMap((_, i) =>
        ours[i] && results[i]?.reqPerSec ? [ours[i]!.reqPerSec / results[i]!.reqPerSec] : [],
      )
      if (ratios.length)
        s.ratio = {
          median: round(median(ratios), 3),
          min: round(Math.min(...ratios), 3),
          max: round(Math.max(...ratios), 3),
          perRound: ratios.map((x) => round(x, 3)),
        }
    }
    return s
  })
}

const f2 = (n: number) => n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })

/** The goals of a comparison: ours ≥ minRatio × the peer's req/s, and (by default) our p99 ≤ the peer's. */
export function comparisonGoals(scenario: string, c: Comparison, sides: SideSummary[], why?: string): ComparisonGoal[] {
  const ours = sides.find((s) => s.key === 'ours')
  const peer = sides.find((s) => s.key === 'peer')
  const missing =
    why ?? (!ours?.reqPerSec ? 'ours was not measured' : !peer?.reqPerSec ? 'the peer was not measured' : undefined)
  const goals: ComparisonGoal[] = []
  const ratioText = `≥ ${c.minRatio.toFixed(1)}× the peer's req/s`
  if (missing || !peer?.ratio) {
    goals.push({ scenario, text: ratioText, met: false, detail: missing ?? 'no round measured both' })
  } else {
    const r = peer.ratio
    goals.push({
      scenario,
      text: ratioText,
      met: r.median >= c.minRatio,
      detail: `${f2(r.median)}× (median of ${r.perRound.length} rounds, ${f2(r.min)}–${f2(r.max)}×): ours ${ours!.reqPerSec}/s, peer ${peer.reqPerSec}/s`,
    })
  }
  if (c.p99AtMostPeer !== false) {
    const text = "p99 no higher than the peer's"
    if (missing) goals.push({ scenario, text, met: false, detail: missing })
    else
      goals.push({
        scenario,
        text,
        met: ours!.p99Ms! <= peer!.p99Ms!,
        detail: `ours ${ours!.p99Ms} ms vs peer ${peer!.p99Ms} ms (medians of the rounds)`,
      })
  }
  return goals
}
