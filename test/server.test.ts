import t from 'tap'
import { spawn, execFile, type ChildProcess } from 'node:child_process'
import { connect } from 'node:net'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { createTestDatabase, testBackend } from './helpers/database.ts'

// The real process, over a real socket: start, serve, drain on SIGTERM, exit 0, keep its data.
const root = new URL('..', import.meta.url).pathname
const run = promisify(execFile)
// Whatever happens in a test, no server is left running after it.
const children = new Set<ChildProcess>()
t.teardown(() => children.forEach((c) => c.kill('SIGKILL')))

async function createKey(env: NodeJS.ProcessEnv) {
  const { stdout } = await run(
    process.execPath,
    ['--import', 'tsx', 'src/cli/create-api-key.ts', '--name', 'smoke', '--scopes', 'admin'],
    { cwd: root, env },
  )
  const token = /apk_[0-9a-f]{12}_\S+/.exec(stdout)?.[0]
  if (!token) throw new Error(`no key printed: ${stdout}`)
  return token
}

function start(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; port: number; exited: Promise<number | null> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: root,
    env: { ...env, PORT: '0', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  children.add(child)
  child.on('exit', () => children.delete(child))
  return new Promise((resolve, reject) => {
    let out = ''
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 120_000)
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk
      const port = /listening at http:\/\/127\.0\.0\.1:(\d+)/.exec(out)?.[1]
      if (port) {
        clearTimeout(timer)
        resolve({ child, port: Number(port), exited })
      }
    })
    child.stderr!.on('data', (chunk: Buffer) => (out += chunk))
    child.on('exit', () => reject(new Error(`server exited: ${out}`)))
  })
}

/** Sends a POST in two halves, so it is still in flight when the test signals the server. */
/**
 * A POST whose body arrives only after `between` ran. It asks `Expect: 100-continue` and runs
 * `between` once the server has answered 100 — the request has reached the server's handler —
 * so a SIGTERM sent there lands while the request is in flight, never before it arrived.
 */
function slowPost(port: number, token: string, body: string, between: () => Promise<void>): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1')
    let response = ''
    let continued = false
    socket.on('data', (d) => {
      response += d
      if (continued || !response.startsWith('HTTP/1.1 100')) return
      continued = true
      response = response.replace(/^HTTP\/1\.1 100[^\r]*\r\n\r\n/, '')
      void between().then(() => socket.write(body))
    })
    socket.on('end', () => resolve(response))
    socket.on('error', reject)
    socket.write(
      `POST /v1/organizations HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n`,
    )
  })
}

const available = await testBackend()
for (const backend of ['pglite', 'postgres'] as const) {
  const skip = backend === 'postgres' && available !== 'postgres' ? 'no Postgres answers here' : false
  t.test(`the service on ${backend}: serves, drains on SIGTERM, exits 0, keeps its data`, { skip }, async (t) => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'apa-smoke-'))
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, DATA_DIR: dataDir }
    if (backend === 'postgres') {
      const db = await createTestDatabase()
      await db.close()
      env.DATABASE_URL = db.url
      t.teardown(() => db.drop())
    }
    t.teardown(() => rmSync(dataDir, { recursive: true, force: true }))

    const token = await createKey(env)
    const started = Date.now()
    const first = await start(env)
    const countries = await fetch(`http://127.0.0.1:${first.port}/v1/countries?q=Lao`)
    t.equal(countries.status, 200)
    t.comment(`first start answered GET /v1/countries ${Date.now() - started} ms after spawn`)
    t.equal(((await countries.json()) as { data: { code: string }[] }).data[0]!.code, 'LA')

    const name = `Smoke ${backend} ${Date.now()}`
    const raw = await slowPost(first.port, token, JSON.stringify({ name, kind: 'ngo' }), async () => {
      first.child.kill('SIGTERM')
      await new Promise((r) => setTimeout(r, 300))
    })
    t.match(raw, /^HTTP\/1\.1 201/, 'the request in flight at SIGTERM was finished')
    t.equal(await first.exited, 0, 'exit code 0 after draining')

    const second = await start(env)
    const found = (await (
      await fetch(`http://127.0.0.1:${second.port}/v1/organizations?q=${encodeURIComponent(name)}`)
    ).json()) as { data: unknown[] }
    t.equal(found.data.length, 1, 'the write survived the restart')
    second.child.kill('SIGTERM')
    t.equal(await second.exited, 0)
  })
}

t.test('a bad configuration value stops the process naming the variable', async (t) => {
  const result = await run(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH, PORT: 'eighty' },
  }).catch((e) => e)
  t.equal(result.code, 1)
  t.match(result.stderr, /Invalid configuration: .*PORT/)
})

t.test(
  'a key revoked with the CLI stops working on a running server within AUTH_CACHE_TTL_MS',
  { skip: available === 'postgres' ? false : 'needs Postgres (embedded storage is one process)' },
  async (t) => {
    const db = await createTestDatabase()
    await db.close()
    t.teardown(() => db.drop())
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DATABASE_URL: db.url,
      AUTH_CACHE_TTL_MS: '1000',
      READ_CACHE_ENTRIES: '0',
    }
    const token = await createKey(env)
    const server = await start(env)
    const plans = () =>
      fetch(`http://127.0.0.1:${server.port}/v1/plans`, { headers: { authorization: `Bearer ${token}` } }).then(
        (r) => r.status,
      )
    t.equal(await plans(), 200, 'the key works (and is now cached by the server)')
    const prefix = /apk_([0-9a-f]{12})_/.exec(token)![1]!
    await run(process.execPath, ['--import', 'tsx', 'src/cli/revoke-api-key.ts', prefix], { cwd: root, env })
    const revokedAt = Date.now()
    let status = 200
    while (status === 200 && Date.now() - revokedAt < 10_000) {
      await new Promise((r) => setTimeout(r, 100))
      status = await plans()
    }
    const took = Date.now() - revokedAt
    t.equal(status, 401, 'the revoked key is refused')
    t.ok(took <= 1000 + 1500, `within the cache's 1 s (plus a request's slack): ${took} ms`)
    server.child.kill('SIGTERM')
    t.equal(await server.exited, 0)
  },
)
