import t from 'tap'
import { spawn, execFile, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { json, setup } from './helpers/app.ts'
import { seedDatabase } from '../src/seed/index.ts'
import { seedId } from '../src/schemas/seed-ids.ts'

// What a newcomer meets in the first hour, through the real processes where it matters: a key
// on first start, the CLI and the server on one embedded folder without losing anything, and a
// seed that never undoes what a user changed.

const root = new URL('..', import.meta.url).pathname
const run = promisify(execFile)
const children = new Set<ChildProcess>()
t.teardown(() => children.forEach((c) => c.kill('SIGKILL')))

function start(
  env: NodeJS.ProcessEnv,
): Promise<{ child: ChildProcess; port: number; out: () => string; exited: Promise<number | null> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: root,
    env: { ...env, PORT: '0', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  children.add(child)
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  child.on('exit', () => children.delete(child))
  let out = ''
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 60_000)
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

t.test(
  'embedded storage: a key on first start, the CLI and a second server refused while it runs, nothing lost',
  async (t) => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'apa-first-hour-'))
    t.teardown(() => rmSync(dataDir, { recursive: true, force: true }))
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, DATA_DIR: dataDir }

    const first = await start(env)
    const banner = first.out()
    t.match(banner, /from the prebuilt, migrated and seeded cluster|loading the seed data/, 'it says what it is doing')
    t.match(banner, /docs\s+http:\/\/localhost:\d+\/docs/)
    const key = /admin key\s+(apk_\S+)/.exec(banner)?.[1]
    t.ok(key, 'the first start prints an admin key')
    const base = `http://127.0.0.1:${first.port}`
    const index = (await (await fetch(`${base}/`)).json()) as { links: Record<string, string> }
    t.equal(index.links.docs, '/docs', 'GET / is an index')

    const created = await fetch(`${base}/v1/organizations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Made with the first key', kind: 'ngo' }),
    })
    t.equal(created.status, 201, 'the printed key works')

    const cli = await run(
      process.execPath,
      ['--import', 'tsx', 'src/cli/create-api-key.ts', '--name', 'while running', '--scopes', 'admin'],
      { cwd: root, env },
    ).catch((e: { code: number; stderr: string; stdout: string }) => e)
    t.equal((cli as { code?: number }).code, 1, 'the CLI refuses while the server holds the folder')
    t.match(
      (cli as { stderr: string }).stderr,
      new RegExp(
        `in use by the server \\(npm start\\) \\(pid ${first.child.pid}, serving http://127\\.0\\.0\\.1:${first.port}\\)`,
      ),
    )
    t.match((cli as { stderr: string }).stderr, /Stop that process/, 'and says what to do')
    t.match(
      (cli as { stderr: string }).stderr,
      `curl -X POST http://127.0.0.1:${first.port}/v1/api-keys`,
      'and the way that works while the server runs',
    )
    // That way, as the message gives it: a key made by the running server, usable at once.
    const viaApi = await fetch(`${base}/v1/api-keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'you', scopes: ['read'] }),
    })
    t.equal(viaApi.status, 201, 'the server makes a key while it runs')
    const apiKey = ((await viaApi.json()) as { secret: string }).secret
    t.equal(
      (await fetch(`${base}/v1/plans`, { headers: { authorization: `Bearer ${apiKey}` } })).status,
      200,
      'and it works at once',
    )

    const second = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      cwd: root,
      env: { ...env, PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    children.add(second)
    let secondOut = ''
    second.stderr!.on('data', (d) => (secondOut += d))
    const secondCode = await new Promise<number | null>((resolve) => second.on('exit', resolve))
    t.equal(secondCode, 1, 'a second server on the same folder stops at once')
    t.match(secondOut, /in use by the server/)

    first.child.kill('SIGTERM')
    t.equal(await first.exited, 0)
    const keyed = await run(
      process.execPath,
      ['--import', 'tsx', 'src/cli/create-api-key.ts', '--name', 'after', '--scopes', 'read'],
      { cwd: root, env },
    )
    const second_key = /apk_[0-9a-f]{12}_\S+/.exec(keyed.stdout)?.[0]
    t.ok(second_key, 'with the server stopped, the CLI makes a key')

    // A hair-trigger load shedder on the restart: embedded storage runs every query on the event
    // loop, so a cold first query once shed the next requests (the CLI key's among them) with 503.
    const again = await start({ ...env, MAX_EVENT_LOOP_DELAY_MS: '1', LOAD_SHED_WARMUP_MS: '0' })
    t.notMatch(again.out(), /admin key\s+apk_/, 'a restart prints no new key')
    const base2 = `http://127.0.0.1:${again.port}`
    const found = (await (
      await fetch(`${base2}/v1/organizations?q=${encodeURIComponent('Made with the first key')}`)
    ).json()) as { data: unknown[] }
    t.equal(found.data.length, 1, 'the write made while the CLI was refused is there')
    t.equal(
      (
        await fetch(`${base2}/v1/organizations`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body: '{"name":"Still works","kind":"ngo"}',
        })
      ).status,
      201,
      'the first key survived',
    )
    const plans = await fetch(`${base2}/v1/plans`, { headers: { authorization: `Bearer ${second_key}` } })
    t.equal(plans.status, 200, plans.status === 200 ? 'the CLI key survived' : `the CLI key: ${await plans.text()}`)
    t.equal(
      (await fetch(`${base2}/v1/plans`, { headers: { authorization: `Bearer ${apiKey}` } })).status,
      200,
      'the key the server made while running survived',
    )
    again.child.kill('SIGTERM')
    t.equal(await again.exited, 0)
  },
)

t.test('seeding again keeps what users changed, and does not bring back what they deleted', async (t) => {
  const { app, admin, database } = await setup(t)
  await seedDatabase(database.db)
  const id = seedId('activity', 'commit-spa-1/Activity 1')
  const url = `/v1/activities/${id}`
  const patch = await app.inject({
    method: 'PATCH',
    url,
    headers: { ...admin, 'content-type': 'application/merge-patch+json' },
    payload: {
      status: 'in_progress',
      actualStart: '2005-03-01',
      description: 'Started with the national task forces.',
    },
  })
  t.equal(patch.statusCode, 200)
  const edited = json(patch)
  const outcome = json(await app.inject({ url: '/v1/outcomes?limit=1' })).data[0] as { id: string }
  t.equal(
    (await app.inject({ method: 'DELETE', url: `/v1/outcomes/${outcome.id}`, headers: admin })).statusCode,
    204,
    'a seeded outcome deleted by a user',
  )

  const report = await seedDatabase(database.db)
  t.ok(report.kept >= 1, `the seed reports what it kept (${report.kept})`)
  t.equal(report.created, 0)
  t.equal(report.updated, 0)
  const after = json(await app.inject({ url }))
  t.same(
    [after.status, after.actualStart, after.description, after.version],
    [edited.status, edited.actualStart, edited.description, edited.version],
    'the edit survives, whole',
  )
  t.equal(
    (await app.inject({ url: `/v1/outcomes/${outcome.id}` })).statusCode,
    404,
    'the deleted outcome stays deleted',
  )
})
