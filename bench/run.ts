import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { sql } from 'kysely'
import { openDatabase, type DatabaseHandle } from '../src/db/database.ts'
import { migrateToLatest } from '../src/db/migrator.ts'
import {
  acquireRunLock,
  analyze,
  createAdminKey,
  dropDatabase,
  loadOrganizations,
  recreateDatabase,
} from './dataset.ts'
import {
  checkSameAnswers,
  comparisonGoals,
  runRounds,
  sideScenario,
  summarize,
  type ComparisonGoal,
  type ComparisonResult,
  type Side,
} from './compare.ts'
import { checkScenario, measureApi, measurePgbench, variantsOf } from './measure.ts'
import { discoverModules, loadOrder, message, withTimeout } from './modules.ts'
import {
  cpuSample,
  embeddedStart,
  median,
  startGoals,
  type EmbeddedStart,
  makeLogDir,
  memoryOf,
  otherCores,
  resetPeak,
  root,
  spawnNode,
  spawnService,
  stop,
  waitForOk,
  type Child,
} from './processes.ts'
import { startPeer, type PeerInfo } from './peer.ts'
import { addRatios, checkGoals, comparisonTable, goalLines, label, save, table, type ScenarioResult } from './report.ts'
import { benchDatabaseUrl, databaseName, host, readSettings } from './settings.ts'
import type { BenchModule, Scenario } from './types.ts'

// npm run bench — see bench/README.md. Builds apa_bench, starts the service on it, measures every
// scenario through the API and its SQL through pgbench, beside a static Fastify ceiling; then,
// in interleaved rounds, the scenarios that name a comparison beside the generated peer
// (Platformatic DB, bench/peer.ts) and the bare Fastify + pg route.

const settings = readSettings()
const t0 = performance.now()
const say = (text: string) =>
  process.stderr.write(`[bench ${((performance.now() - t0) / 1000).toFixed(0).padStart(4)} s] ${text}\n`)
const logDir = await makeLogDir()
const children: Child[] = []
let handle: DatabaseHandle | undefined
let failed = false
let releaseLock: (() => Promise<void>) | undefined

interface ModuleStatus {
  file?: string
  name?: string
  status: 'ok' | 'import failed' | 'load failed' | 'blocked' | 'scenarios failed'
  loadSeconds?: number
  scenarios?: number
  error?: string
}

async function cleanup() {
  for (const child of children.splice(0)) await stop(child)
  await handle?.close().catch(() => {})
  handle = undefined
  if (settings.drop && releaseLock)
    await dropDatabase().then(
      () => say(`dropped ${databaseName}`),
      (err) => say(`could not drop ${databaseName}: ${message(err)}`),
    )
  await releaseLock?.().catch(() => {})
  releaseLock = undefined
  if (!failed) await rm(logDir, { recursive: true, force: true })
  else say(`service logs kept in ${logDir}`)
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    say(`${signal}: stopping child processes`)
    failed = true
    void cleanup().finally(() => process.exit(130))
  })
}

type StartMeasurement = Partial<EmbeddedStart> & { loadAverage?: number[]; cpus: number; error?: string }

/** `npm start` on embedded storage: first start on an empty DATA_DIR and restart, `runs` times each. */
async function timeEmbeddedStart(runs: number): Promise<StartMeasurement> {
  say(`timing \`npm start\` on embedded storage: first start and restart, ${runs} run${runs > 1 ? 's' : ''}`)
  const cpus = os.cpus().length
  const loadAverage = os.loadavg().map((n) => Math.round(n * 100) / 100)
  try {
    return { ...(await embeddedStart(logDir, runs)), loadAverage, cpus }
  } catch (err) {
    return { error: message(err), loadAverage, cpus }
  }
}

const secondsList = (values: number[] | undefined) => (values ?? []).map((v) => `${v} s`).join(', ')

/** The start goals beside the measured medians (wall time; CPU seconds and load for context). */
function startGoalLines(m: StartMeasurement) {
  const goal = (phase: 'firstStart' | 'restart', text: string) => {
    const times = m[phase]
    const med = times?.length ? median(times) : undefined
    return {
      text: `${text} in under ${startGoals[phase]} s`,
      met: med !== undefined && med < startGoals[phase],
      detail:
        med !== undefined
          ? `${med} s until GET /v1/countries answered 200 (median of ${secondsList(times)}; CPU ${secondsList(m[`${phase}Cpu`])}; load ${m.loadAverage?.join(' ')} on ${m.cpus} cores)`
          : `failed: ${m.error}`,
    }
  }
  return [
    goal('firstStart', '`npm start` on embedded storage, empty DATA_DIR (create, migrate, seed, first key), answers'),
    goal('restart', '`npm start` on embedded storage, restart, answers'),
  ]
}

function startLine(m: StartMeasurement) {
  if (m.error) return `embedded start: failed — ${m.error}`
  return `embedded start (${m.build}): first start ${secondsList(m.firstStart)} (goal ${startGoals.firstStart} s), restart ${secondsList(m.restart)} (goal ${startGoals.restart} s); 1-minute load average ${m.loadAverage?.[0]} on ${m.cpus} cores`
}

/** BENCH_ONLY=start: only the embedded start, BENCH_START_RUNS times (3 by default); nothing else is built. */
async function startOnly() {
  const runs = Number(process.env.BENCH_START_RUNS ?? 3)
  const m = await timeEmbeddedStart(Number.isInteger(runs) && runs > 0 ? runs : 3)
  const goals = startGoalLines(m)
  const saved = await save(new URL('./results/', import.meta.url), {
    startedAt: new Date().toISOString(),
    machine: machine(),
    git: git(),
    embeddedStart: m,
    goals,
  })
  console.log(`\n${startLine(m)}`)
  console.log(`\nGoals (issue 10):\n${goalLines([], goals)}`)
  console.log(`\nSaved ${path.relative(root, saved.file)} and ${path.relative(root, saved.latest)}`)
  if (m.error) failed = true
}

async function main() {
  releaseLock = await acquireRunLock(settings.lockWait, say)
  const startedAt = new Date().toISOString()
  say(
    `duration ${settings.duration} s, ${settings.connections} connections, warm-up ${settings.warmup} s, ${settings.organizations} organizations, ${settings.rounds} rounds beside the peer`,
  )
  const idle = cpuSample([process.pid])
  await new Promise((resolve) => setTimeout(resolve, 1000))
  const busy = otherCores(idle, cpuSample([process.pid]))
  if (busy !== undefined && busy > 0.2)
    say(`warning: other processes are using ${busy} of ${os.cpus().length} cores; figures will be low and noisy`)

  // 1. The database and its data.
  await recreateDatabase()
  handle = openDatabase({ url: benchDatabaseUrl, poolMax: 4, statementTimeoutMs: settings.loadTimeout * 1000 })
  const db = handle.db
  await migrateToLatest(db)
  let t = performance.now()
  const organizations = await loadOrganizations(db, settings.organizations)
  const dataset: Record<string, unknown> = { organizations, organizationsLoadSeconds: seconds(t) }
  say(`created ${databaseName}: ${organizations} organizations in ${seconds(t)} s`)

  const modules: ModuleStatus[] = []
  const discovered = await discoverModules()
  for (const d of discovered) if (d.error) modules.push({ file: d.file, status: 'import failed', error: d.error })
  const fileOf = new Map(discovered.filter((d) => d.module).map((d) => [d.module!, d.file]))
  const { ordered, blocked } = loadOrder([...fileOf.keys()])
  for (const b of blocked)
    modules.push({
      file: fileOf.get(b.module),
      name: b.module.name,
      status: 'blocked',
      error: `depends on ${b.missing.join(', ')} (missing or circular)`,
    })
  const loaded: BenchModule[] = []
  for (const m of ordered) {
    const status: ModuleStatus = { file: fileOf.get(m), name: m.name, status: 'ok' }
    modules.push(status)
    const missing = (m.dependsOn ?? []).filter((d) => !loaded.some((l) => l.name === d))
    if (missing.length) {
      Object.assign(status, { status: 'blocked', error: `depends on ${missing.join(', ')}, which failed` })
      continue
    }
    t = performance.now()
    try {
      await withTimeout(m.load(db), settings.loadTimeout * 1000, `${m.name}.load()`)
      status.loadSeconds = seconds(t)
      loaded.push(m)
      say(`module ${m.name}: loaded in ${status.loadSeconds} s`)
    } catch (err) {
      Object.assign(status, { status: 'load failed', error: message(err), loadSeconds: seconds(t) })
    }
  }
  for (const m of modules.filter((m) => m.status !== 'ok'))
    say(`module ${m.name ?? m.file} ${m.status} (skipped): ${m.error}`)
  t = performance.now()
  await analyze(db)
  dataset.analyzeSeconds = seconds(t)
  dataset.sizeMb = Number(
    (await sql<{ mb: number }>`select round(pg_database_size(current_database()) / 1048576.0) as mb`.execute(db))
      .rows[0]?.mb,
  )
  const token = await createAdminKey(db)

  // 2. The service, with every mechanism on and a rate limit that never trips.
  const serviceEnv = {
    DATABASE_URL: benchDatabaseUrl,
    LOG_LEVEL: 'warn',
    NODE_ENV: 'production',
    RATE_LIMIT_MAX: '1000000000',
    MIGRATE_ON_START: 'true',
    SEED_ON_START: 'never',
    CURSOR_SECRET: randomBytes(32).toString('base64'), // a fresh one per run: production refuses placeholders
  }
  const service = await spawnService(serviceEnv, logDir)
  children.push(service)
  const readyMs = await waitForOk(service, '/health/ready', 120_000)
  const baseUrl = `http://${host}:${service.port}`
  say(`service ready on ${baseUrl} in ${(readyMs / 1000).toFixed(1)} s`)
  const api = async (urlPath: string) => {
    const res = await fetch(baseUrl + urlPath, {
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(30_000),
    })
    const text = await res.text()
    if (!res.ok) throw new Error(`GET ${urlPath} answered ${res.status}: ${text.slice(0, 300)}`)
    return JSON.parse(text)
  }

  // 3. Scenarios, built after loading (modules may walk the API for ids and cursors).
  const planned: { module: string; scenario: Scenario }[] = []
  for (const m of loaded) {
    const status = modules.find((s) => s.name === m.name && s.status === 'ok')!
    try {
      const list = await withTimeout(m.scenarios({ db, api }), 300_000, `${m.name}.scenarios()`)
      status.scenarios = list.length
      for (const scenario of list) planned.push({ module: m.name, scenario })
    } catch (err) {
      Object.assign(status, { status: 'scenarios failed', error: message(err) })
      say(`module ${m.name}: scenarios failed (skipped): ${message(err)}`)
    }
  }
  const only = settings.only?.toLowerCase()
  const selected = only
    ? planned.filter((p) => label({ module: p.module, name: p.scenario.name }).toLowerCase().includes(only))
    : planned

  // 4. The ceiling: the same page from a bare Fastify route; and, to calibrate this machine
  // against the design's reference figures, the list SQL through a bare Fastify + pg route.
  const results: ScenarioResult[] = []
  const pageFile = path.join(logDir, 'static-page.json')
  await writeFile(pageFile, JSON.stringify(await api('/v1/organizations?limit=50')))
  const listSql = planned.find((p) => p.module === 'organizations' && p.scenario.name === 'list page 1')?.scenario.sql
  const staticServer = await spawnNode(
    'static',
    'bench/static-server.ts',
    {
      BENCH_STATIC_BODY: pageFile,
      BENCH_BARE_DATABASE_URL: benchDatabaseUrl,
      ...(listSql ? { BENCH_BARE_SQL: listSql } : {}),
    },
    logDir,
  )
  children.push(staticServer)
  await waitForOk(staticServer, '/health', 60_000)
  const staticUrl = `http://${host}:${staticServer.port}`
  results.push(
    await measure('static', { name: staticName, path: '/v1/organizations', sql: '' }, staticUrl, token, staticServer),
  )
  if (listSql) {
    const bare = await measure(
      'static',
      { name: 'bare Fastify + pg, list page 1 SQL (calibration)', path: '/bare/organizations', sql: '' },
      staticUrl,
      token,
      staticServer,
    )
    if (bare.api)
      bare.note = `the design quotes ~1 400/s for this on its reference machines; here ${bare.api.reqPerSec}/s (${(bare.api.reqPerSec / 1400).toFixed(2)}×)`
    results.push(bare)
  }
  // The static server stays up (idle) for the bare side of the comparisons in step 6.

  // 5. Every scenario: the API, then its SQL through pgbench.
  for (const p of selected) {
    if (service.process.exitCode !== null || service.process.signalCode !== null)
      throw new Error('the service exited during the run; see its log')
    if (!p.scenario.freshService) {
      results.push(await measure(p.module, p.scenario, baseUrl, token, service))
      continue
    }
    // A memory goal reads the process's peak: measured on a service started for it, not on one
    // whose heap the earlier scenarios' load has already grown (V8 keeps what it once took).
    const fresh = await spawnService(serviceEnv, logDir, 'service-fresh')
    children.push(fresh)
    try {
      await waitForOk(fresh, '/health/ready', 120_000)
      results.push(await measure(p.module, p.scenario, `http://${host}:${fresh.port}`, token, fresh))
    } finally {
      await stop(fresh)
      children.splice(children.indexOf(fresh), 1)
    }
  }

  // 6. Ours beside the generated peer and the bare route, in interleaved rounds.
  const compared = settings.rounds > 0 ? selected.filter((p) => p.scenario.comparison) : []
  const comparisons: ComparisonResult[] = []
  let peer:
    | {
        info?: PeerInfo
        config?: unknown
        readySeconds?: number
        endRssMb?: number
        peakRssMb?: number
        exitCode?: number | null
        error?: string
      }
    | undefined
  if (compared.length) {
    let peerChild: Child | undefined
    try {
      say('starting the generated peer (Platformatic DB)')
      const started = await startPeer(benchDatabaseUrl, logDir)
      peerChild = started.child
      children.push(peerChild)
      peer = { info: started.info, config: started.config, readySeconds: Math.round(started.readyMs) / 1000 }
      say(
        `peer ${started.info.package} ${started.info.version} ready on http://${host}:${peerChild.port} in ${peer.readySeconds} s`,
      )
    } catch (err) {
      peer = { error: message(err) }
      say(`the peer did not start: ${message(err)}`)
    }
    for (const p of compared)
      comparisons.push(
        await compare(
          p.module,
          p.scenario,
          {
            service,
            baseUrl,
            staticServer,
            staticUrl,
            peerChild: peer.error ? undefined : peerChild,
            peerError: peer.error,
            peerVersion: peer.info?.version,
          },
          token,
        ),
      )
    if (peerChild) {
      const m = memoryOf(peerChild.process.pid!)
      Object.assign(peer, { endRssMb: m?.rssMb, peakRssMb: m?.peakRssMb, exitCode: await stop(peerChild) })
      children.splice(children.indexOf(peerChild), 1)
    }
  }
  await stop(staticServer)
  children.splice(children.indexOf(staticServer), 1)
  const memory = memoryOf(service.process.pid!)
  say('stopping the service')
  const exitCode = await stop(service)
  children.splice(children.indexOf(service), 1)

  // 7. `npm start` on embedded storage.
  const embedded = await timeEmbeddedStart(1)

  const staticResult = results.find((r) => r.module === 'static' && r.name === staticName)
  addRatios(results, staticResult?.api?.reqPerSec)
  checkGoals(results)
  const comparisonGoalList: ComparisonGoal[] = comparisons.flatMap((c) => c.goals)
  const extraGoals = [
    ...comparisonGoalList.map((g) => ({ text: `${g.scenario} — ${g.text}`, met: g.met, detail: g.detail })),
    ...startGoalLines(embedded),
  ]

  const report = {
    startedAt,
    finishedAt: new Date().toISOString(),
    settings: {
      ...settings,
      pgbench: '-n -c <connections> -j 2 -T <duration> (simple protocol), latencies from -l --sampling-rate 0.1',
    },
    machine: { ...machine(), otherLoadCoresAtStart: busy },
    git: git(),
    postgres: (await sql<{ v: string }>`select version() as v`.execute(db)).rows[0]?.v,
    dataset,
    modules,
    service: {
      readySeconds: Math.round(readyMs) / 1000,
      endRssMb: memory?.rssMb,
      peakRssMb: memory?.peakRssMb,
      exitCode,
      env: 'NODE_ENV=production LOG_LEVEL=warn RATE_LIMIT_MAX=1e9 DB_POOL_MAX=10 (default)',
    },
    embeddedStart: embedded,
    peer,
    scenarios: results,
    comparisons,
    goals: [
      ...results
        .filter((r) => r.goal)
        .map((r) => ({ scenario: label(r), text: r.goal!.text, met: r.goalMet, detail: r.goalDetail })),
      ...comparisonGoalList,
      ...extraGoals.slice(comparisonGoalList.length),
    ],
  }
  const saved = await save(new URL('./results/', import.meta.url), report)

  console.log(`\n${table(results)}\n`)
  if (comparisons.length) {
    console.log(
      `Beside the generated peer (${peer?.info ? `${peer.info.package} ${peer.info.version}` : 'did not start'}) and the bare Fastify + pg route: ${settings.rounds} rounds of ${settings.duration} s × ${settings.connections} connections each (warm-up ${settings.warmup} s), order reversed every other round; medians over the rounds, ratios within a round\n`,
    )
    console.log(`${comparisonTable(comparisons)}\n`)
    for (const c of comparisons.filter((c) => c.note)) console.log(`note — ${label(c)}: ${c.note}`)
  }
  console.log(
    `service RSS at the end: ${memory?.rssMb ?? '?'} MB (peak ${memory?.peakRssMb ?? '?'} MB); ready in ${report.service.readySeconds} s; exit code ${exitCode}`,
  )
  console.log(startLine(embedded))
  for (const r of results.filter((r) => r.note)) console.log(`note — ${label(r)}: ${r.note}`)
  for (const m of modules.filter((m) => m.status !== 'ok'))
    console.log(`module ${m.name ?? m.file}: ${m.status} — ${m.error}`)
  console.log(`\nGoals (bench/README.md):\n${goalLines(results, extraGoals)}`)
  console.log(
    `\nSaved ${path.relative(root, saved.file)} and ${path.relative(root, saved.latest)} (${seconds(t0)} s in all)`,
  )
  if (
    results.some((r) => r.errors.length) ||
    comparisons.some((c) => c.errors.length) ||
    modules.some((m) => m.status !== 'ok')
  )
    failed = true
}

async function measure(
  module: string,
  s: Scenario,
  baseUrl: string,
  token: string,
  server: Child,
): Promise<ScenarioResult> {
  const variants = variantsOf(s)
  const sqlText = s.sql.length > 4000 ? `${s.sql.slice(0, 4000)} … (${s.sql.length} characters in all)` : s.sql
  const r: ScenarioResult = {
    module,
    name: s.name,
    method: s.method ?? 'GET',
    path: s.path,
    variants: variants.length,
    sql: sqlText,
    note: s.note,
    goal: s.goal,
    errors: [],
  }
  say(
    `${label(r)}: API ${s.sequential ? `${s.sequential} sequential requests` : `${settings.duration} s × ${settings.connections} connections`}`,
  )
  try {
    await checkScenario(baseUrl, token, s)
    resetPeak(server.process.pid!)
    const own = [process.pid, ...children.map((c) => c.process.pid!)]
    const before = cpuSample(own)
    r.api = await measureApi(baseUrl, token, s, settings)
    r.otherLoadCores = otherCores(before, cpuSample(own))
    r.servicePeakRssMb = memoryOf(server.process.pid!)?.peakRssMb
  } catch (err) {
    r.errors.push(`API: ${message(err)}`)
  }
  const scripts = variants.map((v) => v.sql).filter((q) => q.trim())
  if (r.api && scripts.length) {
    const dir = await mkdtemp(path.join(logDir, 'pgbench-'))
    try {
      r.pgbench = s.sequential
        ? await measurePgbench(scripts, { clients: 1, transactions: s.sequential, dir })
        : await measurePgbench(scripts, { clients: settings.connections, duration: settings.duration, dir })
    } catch (err) {
      r.errors.push(`pgbench: ${message(err)}`)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  }
  const a = r.api
  say(
    `  → ${a ? `${a.reqPerSec} req/s, p50 ${a.p50Ms} ms, p99 ${a.p99Ms} ms` : 'no API result'}${r.pgbench ? `; pgbench ${r.pgbench.tps} tps` : ''}${r.errors.length ? `; ${r.errors.join('; ')}` : ''}`,
  )
  return r
}

/**
 * One scenario beside the peer and the bare route: the same rows checked on every side, then
 * settings.rounds rounds. Sides that cannot be measured are left out (and said); the goals then fail.
 */
async function compare(
  module: string,
  s: Scenario,
  servers: {
    service: Child
    baseUrl: string
    staticServer: Child
    staticUrl: string
    peerChild?: Child
    peerError?: string
    peerVersion?: string
  },
  token: string,
): Promise<ComparisonResult> {
  const c = s.comparison!
  const name = label({ module, name: s.name })
  const variants = variantsOf(s)
  const r: ComparisonResult = {
    module,
    name: s.name,
    rounds: settings.rounds,
    durationSeconds: settings.duration,
    connections: settings.connections,
    warmupSeconds: settings.warmup,
    variants: variants.length,
    note: c.note,
    sides: [],
    roundsDetail: [],
    goals: [],
    errors: [],
  }
  const sides: Side[] = [
    { key: 'ours', server: 'ours (every mechanism on)', baseUrl: servers.baseUrl, child: servers.service, scenario: s },
  ]
  if (servers.peerChild)
    sides.push({
      key: 'peer',
      server: `Platformatic DB ${servers.peerVersion ?? ''}`.trim(),
      baseUrl: `http://${host}:${servers.peerChild.port}`,
      child: servers.peerChild,
      scenario: sideScenario(s, c.peer),
    })
  else r.errors.push(`peer: ${servers.peerError ?? 'not started'}`)
  if (c.bare)
    sides.push({
      key: 'bare',
      server: 'bare Fastify + pg',
      baseUrl: servers.staticUrl,
      child: servers.staticServer,
      scenario: sideScenario(s, c.bare),
    })
  for (const [key, paths] of [
    ['peer', c.peer],
    ['bare', c.bare],
  ] as const) {
    if (paths && paths.length !== variants.length)
      r.errors.push(`${key}: ${paths.length} paths for ${variants.length} requests`)
  }
  say(`${name}: ${settings.rounds} rounds of ${sides.map((x) => x.key).join(' / ')}, ${settings.duration} s each`)
  if (r.errors.length === 0 || (r.errors.length === 1 && !servers.peerChild)) {
    try {
      await checkSameAnswers(sides, token, variants.length)
      r.roundsDetail = await runRounds(
        sides,
        token,
        settings,
        () => [process.pid, ...children.map((ch) => ch.process.pid!)],
        say,
      )
      r.sides = summarize(sides, r.roundsDetail)
    } catch (err) {
      r.errors.push(message(err))
    }
  }
  r.goals = comparisonGoals(
    name,
    c,
    r.sides,
    r.errors.find((e) => e.startsWith('peer:')) ?? (r.sides.length ? undefined : r.errors[0]),
  )
  return r
}

const staticName = 'fixed 50-organization page (bare Fastify, no database)'
const seconds = (since: number) => Math.round(performance.now() - since) / 1000

function machine() {
  const cpus = os.cpus()
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
  }
}

function git() {
  const run = (...args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8', timeout: 5000 }).trim()
  try {
    return {
      commit: run('rev-parse', '--short', 'HEAD'),
      uncommittedFiles: run('status', '--porcelain').split('\n').filter(Boolean).length,
    }
  } catch {
    return undefined
  }
}

try {
  if (settings.only?.toLowerCase() === 'start') await startOnly()
  else await main()
} catch (err) {
  failed = true
  say(`failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`)
  process.exitCode = 1
} finally {
  await cleanup()
}
