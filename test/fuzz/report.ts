import { excerpt } from './judge.ts'
import type { WireRequest } from './requests.ts'

// Findings grouped so that one defect reads as one entry: by operation and kind, with the first
// few requests that showed it and the command that replays each; then the same kinds across
// operations, which is usually the list of defects to fix.

export interface Finding {
  operation: string
  kind: string
  detail: string
  /** The generated request's label: `valid` or the mutation (`body.nul /title`). */
  label: string
  caseIndex: number
  request: WireRequest
  status?: number
  /** What the server logged for a 5xx. */
  serverError?: string
  /** Sent in the pass that reads again after the writes: only the whole run replays it. */
  afterWrites?: boolean
}

export interface FuzzSummary {
  seed: number
  runs: number
  operations: number
  requests: number
  failures: Finding[]
  warnings: Finding[]
  /** How often each status answered, by operation: how deep the requests reached. */
  statuses: Record<string, Record<number, number>>
  elapsedMs: number
}

/** `201×3 400×10 422×5`: the statuses an operation answered with. */
export const statusLine = (counts: Record<number, number> = {}) =>
  Object.entries(counts)
    .map(([status, n]) => `${status}×${n}`)
    .join(' ')

const EXAMPLES = 3

/**
 * The command that sends this request again. A request may fail only after what earlier ones
 * wrote; when `--op --case` does not reproduce it, the whole run (`--seed --runs`) does.
 */
export function replayCommand(
  seed: number,
  runs: number,
  f: Pick<Finding, 'operation' | 'caseIndex' | 'afterWrites'>,
  checkHeaders = false,
): string {
  const flags = checkHeaders ? ' --check-headers' : ''
  return f.afterWrites
    ? `npm run fuzz -- --seed ${seed} --runs ${runs}${flags} (the whole run: it follows the writes)`
    : `npm run fuzz -- --seed ${seed} --op ${f.operation} --case ${f.caseIndex}${flags}`
}

export function describeRequest(r: WireRequest): string {
  const headers = Object.entries(r.headers)
    .filter(([k]) => k !== 'authorization' || r.caller === 'literal')
    .map(([k, v]) => `${k}: ${excerpt(v, 60)}`)
  const auth = r.caller === 'literal' ? '' : ` (${r.caller})`
  const body =
    r.payload !== undefined
      ? `\n          body: ${JSON.stringify(excerpt(r.payload, 160))}${r.payload.length > 160 ? ` (${r.payload.length} chars)` : ''}`
      : ''
  return `${r.method} ${excerpt(r.url, 200)}${auth}${headers.length ? `\n          headers: ${headers.join('; ')}` : ''}${body}`
}

function groupBy<T>(items: T[], key: (t: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>()
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item])
  return groups
}

/** Mutation families (`body.nul`, `query.value updatedSince`) with their counts, most first. */
function labels(findings: Finding[]): string {
  const counts = [...groupBy(findings, (f) => f.label.replace(/ \/.*$/, '')).entries()].sort(
    (a, b) => b[1].length - a[1].length,
  )
  const shown = counts.slice(0, 6).map(([label, fs]) => `${label} ×${fs.length}`)
  return shown.join(', ') + (counts.length > 6 ? `, … (${counts.length - 6} more)` : '')
}

function example(f: Finding, seed: number, runs: number, checkHeaders: boolean, indent: string): string[] {
  return [
    `${indent}#${f.caseIndex} ${f.label} → ${f.status ?? 'no response'}: ${excerpt(f.detail, 240)}`,
    ...(f.serverError ? [`${indent}      server: ${excerpt(f.serverError, 240)}`] : []),
    `${indent}      ${describeRequest(f.request)}`,
    `${indent}      replay: ${replayCommand(seed, runs, f, checkHeaders)}`,
  ]
}

/** Every operation and kind, with its first few examples; then the kinds across operations. */
function failureSection(findings: Finding[], seed: number, runs: number, checkHeaders: boolean): string[] {
  if (!findings.length) return []
  const lines = [``, `== failures ==`]
  for (const [operation, ofOperation] of groupBy(findings, (f) => f.operation)) {
    lines.push(``, `${operation}`)
    for (const [kind, ofKind] of groupBy(ofOperation, (f) => f.kind)) {
      lines.push(`  ${kind} — ${ofKind.length} request${ofKind.length === 1 ? '' : 's'} (${labels(ofKind)})`)
      for (const f of ofKind.slice(0, EXAMPLES)) lines.push(...example(f, seed, runs, checkHeaders, '    '))
    }
  }
  lines.push(``, `-- failures by kind --`)
  for (const [kind, ofKind] of byKind(findings))
    lines.push(`  ${kind}: ${ofKind.length} requests in ${operationCount(ofKind)} — ${labels(ofKind)}`)
  return lines
}

/** Disagreements are many and alike: one entry per kind, with its operations and one example. */
function warningSection(
  findings: Finding[],
  seed: number,
  runs: number,
  checkHeaders: boolean,
  strict: boolean,
): string[] {
  if (!findings.length) return []
  const lines = [
    ``,
    `== disagreements between the document and the service (${strict ? 'failures with --strict' : 'warnings; --strict makes them failures'}) ==`,
  ]
  for (const [kind, ofKind] of byKind(findings)) {
    const ops = [...new Set(ofKind.map((f) => f.operation))]
    lines.push(``, `  ${kind}: ${ofKind.length} requests in ${operationCount(ofKind)} — ${labels(ofKind)}`)
    lines.push(
      `    operations: ${ops.slice(0, 12).join(', ')}${ops.length > 12 ? `, … (${ops.length - 12} more)` : ''}`,
    )
    // One example per distinct message start, so different causes of one kind each show.
    const distinct = [...groupBy(ofKind, (f) => `${f.operation}|${f.detail.slice(0, 60)}`).values()].map((g) => g[0]!)
    for (const f of distinct.slice(0, EXAMPLES))
      lines.push(
        ...example(f, seed, runs, checkHeaders, '    ').map((l, i) =>
          i === 0 ? l.replace('#', `${f.operation} #`) : l,
        ),
      )
  }
  return lines
}

const byKind = (findings: Finding[]) =>
  [...groupBy(findings, (f) => f.kind).entries()].sort((a, b) => b[1].length - a[1].length)
const operationCount = (findings: Finding[]) => {
  const n = new Set(findings.map((f) => f.operation)).size
  return `${n} operation${n === 1 ? '' : 's'}`
}

export function formatReport(summary: FuzzSummary, options: { checkHeaders?: boolean; strict?: boolean } = {}): string {
  const checkHeaders = options.checkHeaders ?? false
  const lines = [
    ...failureSection(summary.failures, summary.seed, summary.runs, checkHeaders),
    ...warningSection(summary.warnings, summary.seed, summary.runs, checkHeaders, options.strict ?? false),
    ``,
    `fuzz: seed ${summary.seed}, ${summary.runs} runs per operation, ${(summary.elapsedMs / 1000).toFixed(1)} s; the whole run replays with: npm run fuzz -- --seed ${summary.seed} --runs ${summary.runs}${checkHeaders ? ' --check-headers' : ''}`,
    `fuzz: ${summary.operations} operations, ${summary.requests} requests, ${summary.failures.length + (options.strict ? summary.warnings.length : 0)} failures${summary.warnings.length && !options.strict ? ` (${summary.warnings.length} warnings)` : ''}`,
  ]
  return lines.join('\n')
}
