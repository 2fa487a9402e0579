// npm run build — what `npm start` runs, compiled ahead of time (`npm start` calls this first and
// it does nothing when dist/ is newer than every source):
//   dist/server.js         src/server.ts and everything it imports, one ES module (esbuild, which
//                          comes with tsx); packages stay in node_modules
//   dist/migrations/*.js   each migration, imported by src/db/migrator.ts when it runs from dist/
//   dist/pglite-template/         an embedded cluster migrated to the newest migration, and
//   dist/pglite-template-seeded/  the same seeded too: copied into an empty DATA_DIR instead of
//                                 running initdb, the migrations and the seed there (the slow
//                                 steps of a first start); remade when migrations/, data/,
//                                 src/seed/, this script or the PGlite version change
//   dist/template.js              what makes them: the project's own openDatabase,
//                                 migrateToLatest and seedDatabase, compiled
// Plain JavaScript on purpose: it runs before anything is compiled, with no loader.
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const root = fileURLToPath(new URL('../', import.meta.url))
export const dist = path.join(root, 'dist')
const stampFile = path.join(dist, '.built')
const templateDir = path.join(dist, 'pglite-template')
const seededDir = path.join(dist, 'pglite-template-seeded')
// What the templates' contents depend on (besides the PGlite version).
const templateInputs = ['migrations', 'data', 'src/seed', 'scripts/build.mjs']
const inputs = ['src', 'migrations', 'package.json', 'package-lock.json', 'scripts/build.mjs']

/** The newest modification time among the sources the build reads (ms). */
function newestSource() {
  let newest = 0
  const visit = (p) => {
    let s
    try {
      s = statSync(p)
    } catch {
      return
    }
    if (s.isDirectory()) for (const entry of readdirSync(p)) visit(path.join(p, entry))
    else if (s.mtimeMs > newest) newest = s.mtimeMs
  }
  for (const input of inputs) visit(path.join(root, input))
  return newest
}

function pgliteVersion() {
  const file = path.join(root, 'node_modules/@electric-sql/pglite/package.json')
  return JSON.parse(readFileSync(file, 'utf8')).version
}

/** A hash of the PGlite version and every file the templates are made from. */
function templateHash() {
  const hash = createHash('sha256').update(`pglite ${pgliteVersion()}\n`)
  const visit = (relative) => {
    const full = path.join(root, relative)
    let s
    try {
      s = statSync(full)
    } catch {
      return
    }
    if (s.isDirectory()) for (const entry of readdirSync(full).sort()) visit(path.join(relative, entry))
    else hash.update(`${relative}\n${s.size}\n`).update(readFileSync(full))
  }
  for (const input of templateInputs) visit(input)
  return hash.digest('hex')
}

/** Whether dist/ is missing or older than a source. */
export function stale() {
  try {
    return statSync(stampFile).mtimeMs < newestSource()
  } catch {
    return true
  }
}

/**
 * Each project file sees its own location as import.meta.url, as under tsx, so that
 * `new URL('../../data/', import.meta.url)` finds the same folder from the bundle.
 */
const ownLocation = (outDir) => ({
  name: 'own-location',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, (args) => {
      if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined
      const text = readFileSync(args.path, 'utf8')
      if (!text.includes('import.meta.url')) return { contents: text, loader: 'ts' }
      // Relative to the output file, so the tree can move (or be copied into an image) as a whole.
      const relative = path.relative(outDir, args.path).split(path.sep).join('/')
      const own = `new URL(${JSON.stringify(relative)}, import.meta.url).href`
      return { contents: text.replaceAll('import.meta.url', own), loader: 'ts' }
    })
  },
})

const keepExternal = [
  '@electric-sql/pglite',
  '@electric-sql/pglite/*',
  'pino',
  'pino-pretty',
  'thread-stream',
  'redoc',
  'pg-native',
  'pg-boss',
  'kysely',
  'esbuild',
]

async function compile() {
  const esbuild = await import('esbuild')
  const migrations = readdirSync(path.join(root, 'migrations')).filter((f) => /^\d{4}_[\w-]+\.ts$/.test(f))
  rmSync(path.join(dist, 'migrations'), { recursive: true, force: true })
  const common = {
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'linked',
    logLevel: 'warning',
    // Tells src/db/migrator.ts that it runs from dist/, next to the compiled migrations.
    define: { APA_COMPILED: 'true' },
  }
  await Promise.all([
    esbuild.build({
      ...common,
      // The packages too: one file loads faster than the thousand Node would resolve and read.
      // Left in node_modules: what finds its own files at run time (PGlite's wasm, pino's worker
      // transports, the Redoc bundle), optional native code, and kysely, which the compiled
      // migrations import as well.
      external: [...keepExternal],
      // Bundled CommonJS calls require() for Node's own modules.
      banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
      plugins: [ownLocation(dist)],
      entryPoints: [path.join(root, 'src/server.ts')],
      outfile: path.join(dist, 'server.js'),
    }),
    esbuild.build({
      ...common,
      external: [...keepExternal],
      banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
      plugins: [ownLocation(dist)],
      stdin: { contents: templateMaker, resolveDir: root, sourcefile: 'template-maker.ts', loader: 'ts' },
      outfile: path.join(dist, 'template.js'),
    }),
    esbuild.build({
      ...common,
      packages: 'external',
      plugins: [ownLocation(path.join(dist, 'migrations'))],
      entryPoints: migrations.map((f) => path.join(root, 'migrations', f)),
      outdir: path.join(dist, 'migrations'),
    }),
  ])
}

/**
 * dist/template.js <migrated> <seeded>: makes both clusters with the code the server runs
 * (openDatabase, migrateToLatest, seedDatabase), each closed cleanly before it is copied.
 */
const templateMaker = `
import { cpSync } from 'node:fs'
import { openDatabase } from './src/db/database.ts'
import { migrateToLatest } from './src/db/migrator.ts'
import { seedDatabase } from './src/seed/index.ts'

const [migrated, seeded] = process.argv.slice(2)
const command = 'npm run build (making the embedded templates)'
const one = openDatabase({ dataDir: migrated, template: false, command })
await migrateToLatest(one.db)
await one.close()
cpSync(migrated, seeded, { recursive: true })
const two = openDatabase({ dataDir: seeded, template: false, command })
await seedDatabase(two.db)
await two.close()
`

function templateCurrent() {
  const stamp = (dir) => path.join(dir, '.inputs')
  if (!existsSync(stamp(templateDir)) || !existsSync(stamp(seededDir))) return false
  const hash = templateHash()
  if (readFileSync(stamp(templateDir), 'utf8') !== hash || readFileSync(stamp(seededDir), 'utf8') !== hash) return false
  // Same contents: the stamps are made newer than the inputs' times (a checkout touches files),
  // which src/db/database.ts compares before it copies a template.
  const now = new Date()
  for (const dir of [templateDir, seededDir]) utimesSync(stamp(dir), now, now)
  return true
}

/** The migrated and the seeded cluster for the installed PGlite and the current migrations and seed. */
async function template(say) {
  if (templateCurrent()) return
  const version = pgliteVersion()
  const hash = templateHash()
  say(`creating the embedded clusters for PGlite ${version}: migrated, and migrated and seeded (once per change of migrations or seed data)…`)
  const building = [templateDir, seededDir].map((dir) => `${dir}.tmp-${process.pid}`)
  for (const dir of building) rmSync(dir, { recursive: true, force: true })
  try {
    execFileSync(process.execPath, [path.join(dist, 'template.js'), ...building], {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit'],
      // Quiet and free of the caller's configuration: only the data directories matter here.
      env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'silent' },
    })
    for (const dir of building) {
      writeFileSync(path.join(dir, '.pglite-version'), version)
      writeFileSync(path.join(dir, '.inputs'), hash)
    }
  } catch (err) {
    for (const dir of building) rmSync(dir, { recursive: true, force: true })
    throw err
  }
  // Renamed into place whole: a server copying a template never sees half of one.
  for (const [i, dir] of [templateDir, seededDir].entries()) {
    rmSync(dir, { recursive: true, force: true })
    renameSync(building[i], dir)
  }
}

/** One build at a time (two `npm start`s, a test and the bench): a lock directory, waited for. */
async function locked(task) {
  mkdirSync(dist, { recursive: true })
  // Generated: never committed.
  writeFileSync(path.join(dist, '.gitignore'), '*\n')
  const lock = path.join(dist, '.build.lock')
  const deadline = Date.now() + 300_000
  for (;;) {
    try {
      mkdirSync(lock)
      break
    } catch (err) {
      if (err.code !== 'EEXIST') throw err
      // A lock left by a build that was killed is taken over after the deadline.
      if (Date.now() > deadline) break
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
  }
  try {
    return await task()
  } finally {
    rmSync(lock, { recursive: true, force: true })
  }
}

/** Builds dist/ when a source is newer; `withTemplate: false` skips the embedded cluster. */
export async function build(options = {}) {
  // Nothing to do is the common case, and needs no lock.
  if (!options.force && !stale() && (options.withTemplate === false || templateCurrent())) return { compiled: false, seconds: 0 }
  return locked(() => buildNow(options))
}

async function buildNow({ say = () => {}, force = false, withTemplate = true } = {}) {
  const t0 = performance.now()
  const startedAt = new Date()
  const compiling = force || stale()
  if (compiling) {
    say('compiling src/ into dist/ (sources changed)…')
    await compile()
  }
  if (withTemplate) await template(say)
  if (compiling) {
    // Stamped with the time the build began: a source saved meanwhile makes the next start rebuild.
    writeFileSync(stampFile, `${startedAt.toISOString()}\n`)
    utimesSync(stampFile, startedAt, startedAt)
  }
  return { compiled: compiling, seconds: Math.round(performance.now() - t0) / 1000 }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const args = new Set(process.argv.slice(2))
  const result = await build({
    say: (line) => process.stderr.write(`${line}\n`),
    force: !args.has('--if-stale'),
    withTemplate: !args.has('--no-template'),
  })
  process.stderr.write(`dist/ ${result.compiled ? 'built' : 'up to date'} in ${result.seconds} s\n`)
}
