import { parseArgs } from 'node:util'
import { pathToFileURL } from 'node:url'
import fc from 'fast-check'
import { ContractDocument, type Operation } from '../contract/document.ts'
import { startHarness, type Harness } from './harness.ts'
import { disagreements, judge } from './judge.ts'
import type { OperationContext } from './model.ts'
import { formatReport, statusLine, type Finding, type FuzzSummary } from './report.ts'
import { fuzzInput, resourceOf, toWire, validInput } from './requests.ts'
import { ValueGenerator } from './values.ts'

// `npm run fuzz`: requests generated from openapi/openapi.json for every operation, valid and
// abusive, sent to the app on a seeded database; every response must be one the document
// declares, and none a 5xx. Deterministic for a seed: each operation's requests come from its
// own seed (derived from --seed and the operationId), so --op and --case replay a finding.
// Reads run first, then writes (deletes last), then the reads again with valid requests: a
// write can store what a later read cannot serve, and only the whole run replays that.
//
//   npm run fuzz                          20 requests per operation, seed 1
//   npm run fuzz -- --runs 300 --seed 7   a long run
//   npm run fuzz -- --seed 7 --op listActivities --case 12     replay one request
//   --check-headers   also require the headers sent to be declared
//   --strict          also fail on requests where the document and the service disagree on validity

export interface FuzzOptions {
  seed?: number
  /** Requests per operation. */
  runs?: number
  /** Only these operationIds. */
  operations?: string[]
  /** Only this request (by index) of each operation. */
  caseIndex?: number
  checkHeaders?: boolean
  /** Called with a line after each operation. */
  progress?: (line: string) => void
  /** The document to fuzz against (default openapi/openapi.json). */
  contract?: ContractDocument
}

export const defaults = { seed: 1, runs: 20 }

// Reads before writes, deletes last, so reads see the seed data and writes find it still there.
const methodOrder = ['get', 'head', 'options', 'post', 'put', 'patch', 'delete']
const rank = (op: Operation) => methodOrder.indexOf(op.method)

/** FNV-1a: a stable 31-bit seed per operation, whatever else is run. */
export function operationSeed(seed: number, operationId: string): number {
  let h = 0x811c9dc5 ^ seed
  for (const ch of `${seed}:${operationId}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193)
  return (h >>> 0) & 0x7fffffff
}

export async function runFuzz(options: FuzzOptions = {}): Promise<FuzzSummary> {
  const seed = options.seed ?? defaults.seed
  const runs = options.runs ?? defaults.runs
  const contract = options.contract ?? ContractDocument.load()
  const operations = contract.operations
    .filter((op) => !options.operations?.length || options.operations.includes(op.id))
    .sort((a, b) => rank(a) - rank(b))
  if (options.operations?.length && operations.length !== options.operations.length) {
    const unknown = options.operations.filter((id) => !operations.some((op) => op.id === id))
    throw new Error(`no such operation: ${unknown.join(', ')}`)
  }
  const started = Date.now()
  const harness = await startHarness()
  const summary: FuzzSummary = {
    seed,
    runs,
    operations: operations.length,
    requests: 0,
    failures: [],
    warnings: [],
    statuses: {},
    elapsedMs: 0,
  }
  try {
    const fuzzer = new OperationFuzzer(contract, harness, summary, options)
    for (const operation of operations) await fuzzer.fuzz(operation, runs)
    // Writes can store what reads then fail to serve (a count past the response schema's
    // maximum): read everything again, validly. Replaying these needs the whole run.
    if (options.caseIndex === undefined) {
      for (const operation of operations.filter((op) => op.method === 'get'))
        await fuzzer.fuzz(operation, Math.max(2, Math.ceil(runs / 5)), true)
    }
  } finally {
    await harness.close()
  }
  summary.elapsedMs = Date.now() - started
  return summary
}

/** Sends one operation's generated requests and records what the judges say. */
class OperationFuzzer {
  private readonly values: ValueGenerator
  private readonly cursors = new Map<string, string>() // the last nextCursor each operation returned

  constructor(
    private readonly contract: ContractDocument,
    private readonly harness: Harness,
    private readonly summary: FuzzSummary,
    private readonly options: FuzzOptions,
  ) {
    this.values = new ValueGenerator(contract, harness.pools)
  }

  async fuzz(operation: Operation, runs: number, afterWrites = false) {
    const { contract, harness, summary, options } = this
    const ctx: OperationContext = {
      contract,
      operation,
      values: this.values,
      resource: resourceOf(operation.path),
      realPaths: await harness.realPaths(operation.path),
    }
    // Value i of a sample depends only on the seed and i, so --case i regenerates request i.
    const arbitrary = afterWrites ? validInput(ctx) : fuzzInput(ctx)
    const seed = operationSeed(summary.seed, afterWrites ? `${operation.id}#after-writes` : operation.id)
    const inputs = fc.sample(arbitrary, {
      seed,
      numRuns: options.caseIndex !== undefined ? options.caseIndex + 1 : runs,
    })
    const before = summary.failures.length
    for (const [caseIndex, input] of inputs.entries()) {
      if (options.caseIndex !== undefined && caseIndex !== options.caseIndex) continue
      const foreign = [...this.cursors.entries()].find(([id]) => id !== operation.id)?.[1]
      const request = toWire(input, ctx, harness.credentials, { own: this.cursors.get(operation.id), foreign })
      summary.requests++
      const label = afterWrites ? `${input.label} (after writes)` : input.label
      const finding = (kind: string, detail: string, status?: number, serverError?: string): Finding => ({
        operation: operation.id,
        kind,
        detail,
        label,
        caseIndex,
        request,
        status,
        serverError,
        afterWrites,
      })
      let res: Awaited<ReturnType<typeof harness.app.inject>>
      try {
        res = await harness.app.inject(request)
      } catch (err) {
        summary.failures.push(finding('inject-error', String(err)))
        continue
      }
      const counts = (summary.statuses[afterWrites ? `${operation.id} (after writes)` : operation.id] ??= {})
      counts[res.statusCode] = (counts[res.statusCode] ?? 0) + 1
      const serverError = res.statusCode >= 500 ? harness.serverError(String(res.headers['x-request-id'])) : undefined
      for (const v of judge(contract, operation, res, { checkHeaders: options.checkHeaders }))
        summary.failures.push(finding(v.kind, v.detail, res.statusCode, serverError))
      for (const v of disagreements(contract, operation, input, request, res))
        summary.warnings.push(finding(v.kind, v.detail, res.statusCode))
      rememberCursor(this.cursors, operation.id, res)
    }
    const name = afterWrites ? `${operation.id} (after writes)` : operation.id
    options.progress?.(`${name}: ${summary.failures.length - before} failures; ${statusLine(summary.statuses[name])}`)
  }
}

function rememberCursor(
  cursors: Map<string, string>,
  operationId: string,
  res: { statusCode: number; body: string; headers: Record<string, unknown> },
) {
  if (res.statusCode !== 200 || !String(res.headers['content-type'] ?? '').startsWith('application/json')) return
  try {
    const next = (JSON.parse(res.body) as { nextCursor?: unknown }).nextCursor
    if (typeof next === 'string') cursors.set(operationId, next)
  } catch {
    // not a list
  }
}

async function main() {
  const { values } = parseArgs({
    options: {
      seed: { type: 'string' },
      runs: { type: 'string' },
      op: { type: 'string', multiple: true },
      case: { type: 'string' },
      'check-headers': { type: 'boolean', default: false },
      strict: { type: 'boolean', default: false },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  })
  if (values.help) {
    process.stdout.write(
      'usage: npm run fuzz -- [--seed N] [--runs N] [--op operationId]... [--case N] [--check-headers] [--strict] [--quiet]\n',
    )
    return
  }
  const int = (v: string | undefined, name: string) => {
    if (v === undefined) return undefined
    if (!/^\d+$/.test(v)) throw new Error(`--${name} takes a whole number, not ${v}`)
    return Number(v)
  }
  const options: FuzzOptions = {
    seed: int(values.seed, 'seed'),
    runs: int(values.runs, 'runs'),
    operations: values.op?.flatMap((o) => o.split(',')),
    caseIndex: int(values.case, 'case'),
    checkHeaders: values['check-headers'],
    progress: values.quiet ? undefined : (line) => process.stderr.write(`  ${line}\n`),
  }
  const seed = options.seed ?? defaults.seed
  const what =
    options.caseIndex !== undefined
      ? `request #${options.caseIndex} of ${options.operations?.join(', ') ?? 'every operation'}`
      : `${options.runs ?? defaults.runs} requests per operation`
  process.stdout.write(`fuzz: seed ${seed}, ${what}\n`)
  const summary = await runFuzz(options)
  process.stdout.write(`${formatReport(summary, { checkHeaders: options.checkHeaders, strict: values.strict })}\n`)
  process.exitCode = summary.failures.length > 0 || (values.strict && summary.warnings.length > 0) ? 1 : 0
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    process.stderr.write(`fuzz: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`)
    process.exitCode = 2
  })
}
