import t from 'tap'
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'

// `npm start` as a newcomer runs it: scripts/start.mjs builds dist/ when a source is newer, then
// runs the compiled server, which copies the build's migrated and seeded cluster into an empty
// DATA_DIR instead of running initdb, the migrations and the seed there (`BENCH_ONLY=start npm run
// bench` times it); with SEED_ON_START=never it copies the migrated cluster that is not seeded.

const root = new URL('..', import.meta.url).pathname
const children = new Set<ChildProcess>()
t.teardown(() => children.forEach((c) => c.kill('SIGKILL')))

interface Started {
  child: ChildProcess
  port: number
  out: () => string
  exited: Promise<number | null>
}

/** Runs what `npm start` runs (package.json), without npm; resolves once the banner is out. */
function start(env: NodeJS.ProcessEnv): Promise<Started> {
  const child = spawn(process.execPath, ['scripts/start.mjs'], {
    cwd: root,
    // Load shedding off: on a busy machine a start-up delay would turn a request into a 503.
    env: { ...env, PORT: '0', LOG_LEVEL: 'info', MAX_EVENT_LOOP_DELAY_MS: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  children.add(child)
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  child.on('exit', () => children.delete(child))
  let out = ''
  return new Promise((resolve, reject) => {
    // A first build on a fresh clone makes the template too (initdb): minutes on a loaded machine.
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 300_000)
    const read = (chunk: Buffer) => {
      out += chunk
      const port = /Action Plan API — http:\/\/localhost:(\d+)/.exec(out)?.[1]
      if (port) {
        clearTimeout(timer)
        resolve({ child, port: Number(port), out: () => out, exited })
      }
    }
    child.stdout!.on('data', read)
    child.stderr!.on('data', read)
    child.on('exit', () => reject(new Error(`server exited: ${out}`)))
  })
}

t.setTimeout(600_000)

t.test(
  'npm start runs the compiled server: dist/ built when stale, an empty folder from the prebuilt seeded cluster',
  async (t) => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'apa-first-hour-'))
    t.teardown(() => rmSync(dataDir, { recursive: true, force: true }))
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, DATA_DIR: dataDir }
    // What `npm start` runs (package.json), without npm.
    const first = await start(env)
    t.match(
      first.out(),
      /creating embedded Postgres in \S+ from the prebuilt, migrated and seeded cluster/,
      'no initdb in DATA_DIR',
    )
    t.notMatch(first.out(), /loading the seed data/, 'the copy is seeded already: no seed on start')
    t.notMatch(first.out(), /applied \d+ migration/, 'the copy is migrated already: no migration on start')
    const key = /admin key\s+(apk_\S+)/.exec(first.out())?.[1]
    t.ok(key, 'the first start prints an admin key')
    const { stale } = (await import(new URL('../scripts/build.mjs', import.meta.url).href)) as { stale: () => boolean }
    t.notOk(stale(), 'dist/ is current after it')
    const base = `http://127.0.0.1:${first.port}`
    const plans = (await (await fetch(`${base}/v1/plans?code=COMMIT%20SPA%20I`)).json()) as { data: { code: string }[] }
    t.same(
      plans.data.map((p) => p.code),
      ['COMMIT SPA I'],
      'migrated and seeded (at build time, by the compiled migrations and seed)',
    )
    first.child.kill('SIGTERM')
    t.equal(await first.exited, 0)

    const again = await start(env)
    t.match(again.out(), /opening embedded Postgres/)
    t.notMatch(again.out(), /admin key\s+apk_/, 'a restart prints no new key')
    const res = await fetch(`http://127.0.0.1:${again.port}/v1/organizations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: '{"name":"After a restart","kind":"ngo"}',
    })
    t.equal(res.status, 201, 'the first key works after the restart')
    const invalid = await fetch(`http://127.0.0.1:${again.port}/v1/organizations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: '{"name":"x","kind":"ngo","unknown":1}',
    })
    t.equal(invalid.status, 400, 'validators compiled on first use still reject what they should')
    again.child.kill('SIGTERM')
    t.equal(await again.exited, 0)

    // Another installation: its own key (keys are made on the first start, never in the template).
    const otherDir = mkdtempSync(path.join(tmpdir(), 'apa-first-hour-'))
    t.teardown(() => rmSync(otherDir, { recursive: true, force: true }))
    const other = await start({ ...env, DATA_DIR: otherDir })
    const otherKey = /admin key\s+(apk_\S+)/.exec(other.out())?.[1]
    t.ok(otherKey, 'a second installation prints a key too')
    t.not(otherKey, key, 'each installation has its own key')
    const unknown = await fetch(`http://127.0.0.1:${other.port}/v1/organizations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: '{"name":"Not here","kind":"ngo"}',
    })
    t.equal(unknown.status, 401, "the first installation's key is unknown to the second")
    other.child.kill('SIGTERM')
    t.equal(await other.exited, 0)
  },
)

t.test('SEED_ON_START=never on an empty folder: migrated, not seeded, with a working key', async (t) => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'apa-never-'))
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }))
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    DATA_DIR: dataDir,
    SEED_ON_START: 'never',
  }
  const started = await start(env)
  t.match(started.out(), /creating embedded Postgres in \S+ from the prebuilt, migrated cluster/)
  t.notMatch(started.out(), /loading the seed data/)
  const base = `http://127.0.0.1:${started.port}`
  const plans = (await (await fetch(`${base}/v1/plans`)).json()) as { data: unknown[] }
  t.same(plans.data, [], 'no seeded plans')
  const organizations = (await (await fetch(`${base}/v1/organizations`)).json()) as { data: unknown[] }
  t.same(organizations.data, [], 'no seeded organizations')
  const key = /admin key\s+(apk_\S+)/.exec(started.out())?.[1]
  t.ok(key, 'a new installation prints an admin key')
  const res = await fetch(`${base}/v1/organizations`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: '{"name":"First of its kind","kind":"ngo"}',
  })
  t.equal(res.status, 201, 'the key works: the database is migrated')
  started.child.kill('SIGTERM')
  t.equal(await started.exited, 0)
})
