import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { captureSql, literal, type Statement } from '../bench/sql.ts'
import { formatSql } from './sql-format.ts'
import { load, queriesFiles, readSource, root } from './sql-snapshots.sources.ts'
import type { Invocation } from './sql-snapshots.samples.ts'

// The SQL of every query function, committed under sql/ (as immich does with
// server/src/queries/*.sql) so that a review shows what a change does to the statements, and
// test/sql-snapshots.test.ts fails when the committed files no longer match the code.
//
// Every exported function of every src/**/*.queries.ts is either called with the sample
// arguments of scripts/sql-snapshots.samples.ts, through bench/sql.ts's captureSql (a Kysely
// that compiles like the service's and sends nothing; every statement sees no rows), or listed
// there as issuing no SQL. One file per module: sql/<file name>.sql.
//
//   npm run sql              regenerate sql/
//   npm run sql -- --check   only compare (exit 1 and a diff when they differ)

export const outDir = join(root, 'sql')

export interface Snapshots {
  /** sql/<name>.sql file name → content, in module order. */
  files: Map<string, string>
  /** Why the snapshots cannot be trusted (a function without a sample, a stale sample …); empty when fine. */
  problems: string[]
  stats: { modules: number; functions: number; invocations: number; statements: number; ignored: number }
}

interface ExportedFunction {
  name: string
  /** Offset of its declaration (or export clause) in the file: the order of the output. */
  at: number
  /** Its first parameter as written ('db: Database'), when found. */
  firstParam?: string
}

const identifier = '[A-Za-z_$][\\w$]*'

/** The first parameter of the parameter list starting at or after `from` (a '(' or a '<' of type parameters). */
function firstParameter(source: string, from: number): string | undefined {
  let i = from
  while (/\s/.test(source[i] ?? '')) i++
  if (source[i] === '<') {
    // Skip the type parameters, <R extends { a: string }>, nesting included.
    let depth = 0
    for (; i < source.length; i++) {
      const c = source[i]
      if (c === '<') depth++
      else if (c === '>' && source[i - 1] !== '=' && --depth === 0) break
    }
    i++
    while (/\s/.test(source[i] ?? '')) i++
  }
  if (source[i] !== '(') return undefined
  let depth = 0
  const start = i + 1
  for (i = start; i < source.length; i++) {
    const c = source[i]!
    if ('([{<'.includes(c)) depth++
    else if (')]}>'.includes(c) && !(c === '>' && source[i - 1] === '=')) {
      if (depth === 0) break
      depth--
    } else if (c === ',' && depth === 0) break
  }
  return source.slice(start, i).trim() || undefined
}

/** The functions a module declares and exports, as written in its source (re-exports from elsewhere are not its own). */
export function exportedDeclarations(source: string): Map<string, ExportedFunction> {
  const found = new Map<string, ExportedFunction>()
  const add = (f: ExportedFunction) => void (found.has(f.name) || found.set(f.name, f))
  const local = (name: string) => {
    const decl = new RegExp(
      `^\\s*(?:async\\s+)?function\\s*\\*?\\s*${name.replace(/\$/g, '\\$')}\\s*(?=[<(])|^\\s*(?:const|let)\\s+${name.replace(/\$/g, '\\$')}\\s*(?::[^=]*)?=\\s*(?:async\\s+)?(?:function\\b\\s*\\*?\\s*${identifier}?\\s*)?(?=[<(])`,
      'm',
    ).exec(source)
    return decl ? firstParameter(source, decl.index + decl[0].length) : undefined
  }
  for (const m of source.matchAll(
    new RegExp(`^export\\s+(?:default\\s+)?(?:async\\s+)?function\\s*\\*?\\s*(${identifier})\\s*`, 'gm'),
  )) {
    add({ name: m[1]!, at: m.index!, firstParam: firstParameter(source, m.index! + m[0].length) })
  }
  for (const m of source.matchAll(
    new RegExp(
      `^export\\s+(?:const|let)\\s+(${identifier})\\s*(?::[^=]*)?=\\s*(?:async\\s+)?(?:function\\b\\s*\\*?\\s*${identifier}?\\s*)?`,
      'gm',
    ),
  )) {
    add({ name: m[1]!, at: m.index!, firstParam: firstParameter(source, m.index! + m[0].length) })
  }
  // export { a, b as c } (without `from`: the module's own functions).
  for (const m of source.matchAll(/^export\s*\{([^}]*)\}(?!\s*from)/gm)) {
    for (const part of m[1]!.split(',')) {
      const [, inner, outer] = /^\s*(?:type\s+)?([\w$]+)(?:\s+as\s+([\w$]+))?\s*$/.exec(part) ?? []
      if (inner && !/^\s*type\s/.test(part)) add({ name: outer ?? inner, at: m.index!, firstParam: local(inner) })
    }
  }
  return found
}

/** Whether `name` is re-exported from another module (export { name } from …, or export * from …). */
function reexported(source: string, name: string): boolean {
  if (/^export\s*\*\s*(?:as\s+[\w$]+\s*)?from/m.test(source)) return true
  return [...source.matchAll(/^export\s*(?:type\s*)?\{([^}]*)\}\s*from/gm)].some((m) =>
    m[1]!.split(',').some((part) => {
      const [, inner, outer] = /^\s*(?:type\s+)?([\w$]+)(?:\s+as\s+([\w$]+))?\s*$/.exec(part) ?? []
      return (outer ?? inner) === name
    }),
  )
}

/** Whether a first parameter, as written, is the database (a Kysely, a transaction, or named db/trx). */
export const takesDatabase = (param: string | undefined) =>
  !!param && (/:\s*(?:Database|Kysely\s*<|Transaction\s*<)/.test(param) || /^(?:db|trx|tx)\s*(?:$|:)/.test(param))

function renderParameters(statement: Statement, varying: Record<number, string>): string[] {
  return statement.parameters.map((value, i) => {
    const n = i + 1
    if (varying[n] !== undefined) return `-- $${n} = <${varying[n]}>`
    return `-- $${n} = ${literal(value).replace(/\r?\n/g, '\\n')}`
  })
}

const sameParameter = (a: unknown, b: unknown) => literal(a) === literal(b)

/** Captures an invocation twice: the SQL text must not change, and parameters that do must be declared varying. */
async function capture(key: string, inv: Invocation, problems: string[]): Promise<Statement[]> {
  const label = `${key}(${inv.call})`
  let first: Statement[]
  let second: Statement[]
  try {
    first = await captureSql(inv.run)
    second = await captureSql(inv.run)
  } catch (err) {
    problems.push(`${label}: threw before issuing any SQL: ${(err as Error).message}`)
    return []
  }
  if (first.length === 0)
    problems.push(`${label}: issued no SQL (use arguments that reach the database, or list the function in \`ignore\`)`)
  if (first.length !== second.length || first.some((s, i) => s.sql !== second[i]!.sql)) {
    problems.push(`${label}: issues different SQL from one run to the next`)
    return first
  }
  first.forEach((s, i) => {
    s.parameters.forEach((p, j) => {
      const n = j + 1
      if (!inv.varying?.[n] && !sameParameter(p, second[i]!.parameters[j]))
        problems.push(
          `${label}: statement ${i + 1}, parameter $${n} changes from run to run; declare it in \`varying\``,
        )
    })
  })
  return first
}

export interface QueryModule {
  /** Path from the repository root, e.g. src/modules/plans/plans.queries.ts. */
  path: string
  /** File name, e.g. plans.queries.ts: the key prefix of its samples and the name of its sql/ file. */
  file: string
  /** Its own exported functions, in file order. */
  functions: ExportedFunction[]
}

/** Every src/**\/*.queries.ts with its exported functions (those it declares; re-exports are snapshotted where declared). */
export async function queryModules(): Promise<QueryModule[]> {
  const modules: QueryModule[] = []
  for (const path of queriesFiles()) {
    const file = basename(path)
    const mod = await load<Record<string, unknown>>(file)
    const source = readSource(path)
    const declared = exportedDeclarations(source)
    const functions = Object.entries(mod)
      .filter(([name, v]) => typeof v === 'function' && (declared.has(name) || !reexported(source, name)))
      .map(([name]) => declared.get(name) ?? { name, at: Number.MAX_SAFE_INTEGER })
      .sort((a, b) => a.at - b.at || (a.name < b.name ? -1 : 1))
    modules.push({ path, file, functions })
  }
  return modules
}

/**
 * What keeps the samples from covering every query: an export with neither samples nor an
 * `ignore` entry, an ignored export that takes the database, an entry naming no export.
 */
export function coverageProblems(
  modules: QueryModule[],
  samples: Record<string, Invocation[]>,
  ignore: Record<string, string>,
): string[] {
  const problems: string[] = []
  const seen = new Set<string>()
  for (const { file, functions } of modules) {
    for (const fn of functions) {
      const key = `${file}:${fn.name}`
      seen.add(key)
      const sampled = (samples[key]?.length ?? 0) > 0
      if (key in ignore) {
        if (sampled) problems.push(`${key} is both sampled and in \`ignore\``)
        else if (takesDatabase(fn.firstParam))
          problems.push(
            `${key} is in \`ignore\` but its first parameter is the database (${fn.firstParam}): give it samples`,
          )
      } else if (!sampled) {
        problems.push(
          takesDatabase(fn.firstParam) || fn.firstParam === undefined
            ? `${key} has no sample: add its calls to scripts/sql-snapshots.samples.ts`
            : `${key} has no sample: add its calls to scripts/sql-snapshots.samples.ts, or list it in \`ignore\` if it issues no SQL (its first parameter is ${fn.firstParam})`,
        )
      }
    }
  }
  for (const key of [...Object.keys(samples), ...Object.keys(ignore)]) {
    if (!seen.has(key))
      problems.push(
        `${key} is in scripts/sql-snapshots.samples.ts but no src/**/*.queries.ts exports it: remove or rename the entry`,
      )
  }
  return problems
}

/** Regenerates every snapshot in memory. */
export async function generateSqlSnapshots(): Promise<Snapshots> {
  const { samples, ignore } = await import('./sql-snapshots.samples.ts')
  const modules = await queryModules()
  const problems = coverageProblems(modules, samples, ignore)
  const files = new Map<string, string>()
  const stats = { modules: modules.length, functions: 0, invocations: 0, statements: 0, ignored: 0 }

  for (const { file, functions } of modules) {
    const blocks: string[] = []
    for (const fn of functions) {
      const key = `${file}:${fn.name}`
      if (key in ignore) stats.ignored++
      const invocations = samples[key]
      if (key in ignore || !invocations?.length) continue
      stats.functions++
      for (const inv of invocations) {
        stats.invocations++
        const statements = await capture(key, inv, problems)
        statements.forEach((s, i) => {
          stats.statements++
          const part = statements.length > 1 ? ` -- statement ${i + 1} of ${statements.length}` : ''
          blocks.push(
            [
              `-- ${file}: ${fn.name}(${inv.call})${part}`,
              ...renderParameters(s, inv.varying ?? {}),
              `${formatSql(s.sql)};`,
            ].join('\n'),
          )
        })
      }
    }
    const header = [
      `-- The SQL of ${file}'s query functions, called with the samples of scripts/sql-snapshots.samples.ts.`,
      '-- Generated by `npm run sql` from the functions themselves: do not edit. test/sql-snapshots.test.ts fails when it drifts.',
    ].join('\n')
    files.set(`${file.replace(/\.ts$/, '')}.sql`, [header, ...blocks].join('\n\n') + '\n')
  }
  return { files, problems: [...new Set(problems)], stats }
}

/** The committed sql/*.sql files. */
export function readCommitted(): Map<string, string> {
  const committed = new Map<string, string>()
  if (!existsSync(outDir)) return committed
  for (const name of readdirSync(outDir)
    .filter((f) => f.endsWith('.sql'))
    .sort())
    committed.set(name, readFileSync(join(outDir, name), 'utf8'))
  return committed
}

/** A unified-style diff of two texts (whole-file LCS on lines; the files are small). */
export function unifiedDiff(name: string, before: string, after: string, context = 3): string {
  const a = before === '' ? [] : before.replace(/\n$/, '').split('\n')
  const b = after === '' ? [] : after.replace(/\n$/, '').split('\n')
  // Trim the common head and tail, then LCS on what is left.
  let head = 0
  while (head < a.length && head < b.length && a[head] === b[head]) head++
  let tail = 0
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++
  const x = a.slice(head, a.length - tail)
  const y = b.slice(head, b.length - tail)
  const lcs = Array.from({ length: x.length + 1 }, () => new Uint32Array(y.length + 1))
  for (let i = x.length - 1; i >= 0; i--)
    for (let j = y.length - 1; j >= 0; j--)
      lcs[i]![j] = x[i] === y[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!)
  const ops: { op: ' ' | '-' | '+'; line: string; ai: number; bi: number }[] = []
  for (let k = 0; k < head; k++) ops.push({ op: ' ', line: a[k]!, ai: k, bi: k })
  let i = 0
  let j = 0
  while (i < x.length || j < y.length) {
    if (i < x.length && j < y.length && x[i] === y[j])
      ops.push({ op: ' ', line: x[i]!, ai: head + i++, bi: head + j++ })
    else if (i < x.length && (j === y.length || lcs[i + 1]![j]! >= lcs[i]![j + 1]!))
      ops.push({ op: '-', line: x[i]!, ai: head + i++, bi: head + j })
    else ops.push({ op: '+', line: y[j]!, ai: head + i, bi: head + j++ })
  }
  for (let k = 0; k < tail; k++)
    ops.push({ op: ' ', line: a[a.length - tail + k]!, ai: a.length - tail + k, bi: b.length - tail + k })
  const changed = ops.map((o, k) => (o.op !== ' ' ? k : -1)).filter((k) => k >= 0)
  if (changed.length === 0) return ''
  const out = [`--- a/sql/${name}`, `+++ b/sql/${name}`]
  let k = 0
  while (k < changed.length) {
    const start = Math.max(0, changed[k]! - context)
    let end = Math.min(ops.length, changed[k]! + context + 1)
    while (k + 1 < changed.length && changed[k + 1]! - context <= end)
      end = Math.min(ops.length, changed[++k]! + context + 1)
    k++
    const hunk = ops.slice(start, end)
    const aLen = hunk.filter((o) => o.op !== '+').length
    const bLen = hunk.filter((o) => o.op !== '-').length
    out.push(`@@ -${hunk[0]!.ai + (aLen ? 1 : 0)},${aLen} +${hunk[0]!.bi + (bLen ? 1 : 0)},${bLen} @@`)
    for (const o of hunk) out.push(`${o.op}${o.line}`)
  }
  return out.join('\n')
}

/** The differences between generated and committed snapshots, as diffs (empty when equal). */
export function compareSnapshots(generated: Map<string, string>, committed: Map<string, string>): string[] {
  const names = [...new Set([...generated.keys(), ...committed.keys()])].sort()
  return names.map((n) => unifiedDiff(n, committed.get(n) ?? '', generated.get(n) ?? '')).filter((d) => d !== '')
}

async function main(args: string[]) {
  const started = performance.now()
  const { files, problems, stats } = await generateSqlSnapshots()
  const elapsed = ((performance.now() - started) / 1000).toFixed(2)
  if (problems.length) {
    console.error(
      `sql: ${problems.length} problem(s); sql/ left as it was:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    )
    process.exitCode = 1
    return
  }
  const summary = `${stats.modules} modules, ${stats.functions} functions (${stats.ignored} exports issue no SQL), ${stats.invocations} sample calls, ${stats.statements} statements in ${elapsed}s`
  if (args.includes('--check')) {
    const diffs = compareSnapshots(files, readCommitted())
    if (diffs.length) {
      console.error(
        `${diffs.join('\n')}\n\nsql/ is out of date: run \`npm run sql\` to regenerate it, and review the diff.`,
      )
      process.exitCode = 1
    } else console.log(`sql/ is up to date: ${summary}`)
    return
  }
  mkdirSync(outDir, { recursive: true })
  const committed = readCommitted()
  let written = 0
  for (const [name, text] of files) {
    if (committed.get(name) === text) continue
    writeFileSync(join(outDir, name), text)
    written++
  }
  const removed = [...committed.keys()].filter((n) => !files.has(n))
  for (const name of removed) rmSync(join(outDir, name))
  console.log(
    `sql/: ${summary}; ${written} file(s) written${removed.length ? `, ${removed.length} removed (${removed.join(', ')})` : ''}`,
  )
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main(process.argv.slice(2))
