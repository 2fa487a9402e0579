import { isDeepStrictEqual } from 'node:util'
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { json, setup, type TestContext } from '../helpers/app.ts'

// The two example programs, run as a partner runs them (child processes, over a real socket,
// through the typed client in clients/typescript): post-outcomes posts a CSV twice without
// creating anything twice; sync crawls, then follows the change feed through creates, updates
// and deletes, and its JSON copy ends equal to what the API serves. (examples-compile.test.ts
// compiles them with tsc.)

const root = fileURLToPath(new URL('../../', import.meta.url))
const types = ['organization', 'plan', 'activity', 'meeting', 'outcome'] as const
const listPath = {
  organization: '/v1/organizations',
  plan: '/v1/plans',
  activity: '/v1/activities',
  meeting: '/v1/meetings',
  outcome: '/v1/outcomes',
}

/** The environment without tap's variables (its hooks would follow the child). */
const cleanEnv = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
  ...Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => name !== 'NODE_OPTIONS' && name !== 'NODE_V8_COVERAGE' && !/^_?TAP/.test(name),
    ),
  ),
  ...extra,
})

function run(args: string[], env: Record<string, string>): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      args,
      { cwd: root, env: cleanEnv(env), timeout: 90_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, output: `${stdout}${stderr}` }),
    )
  })
}

/** Everything the API serves of a type, by crawling its list. */
async function serverCopy(ctx: TestContext, type: (typeof types)[number]) {
  const out: Record<string, unknown> = {}
  let cursor: string | null = null
  do {
    const url = `${listPath[type]}?limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`
    const page = json(await ctx.app.inject({ url, headers: ctx.admin }))
    for (const item of page.data) out[item.id] = item
    cursor = page.nextCursor
  } while (cursor)
  return out
}

// Child processes and real sockets on a shared 2-core machine: more than tap's default 120 s at times.
t.setTimeout(300_000)

t.test('post-outcomes and sync against a live server', async (t) => {
  const ctx = await setup(t)
  await ctx.app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = ctx.app.server.address() as AddressInfo
  const env = { API_BASE_URL: `http://127.0.0.1:${port}`, API_KEY: ctx.admin.authorization.replace(/^Bearer /, '') }
  const dir = await mkdtemp(path.join(tmpdir(), 'apa-sync-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  const copyFile = path.join(dir, 'copy.json')

  const post = async (url: string, payload: object) => {
    const res = await ctx.app.inject({ method: 'POST', url, headers: ctx.admin, payload })
    t.equal(res.statusCode, 201, `POST ${url}: ${res.body.slice(0, 200)}`)
    return json(res)
  }
  const org = await post('/v1/organizations', { name: 'COMMIT Task Force Cambodia', kind: 'national_task_force' })
  const plan = await post('/v1/plans', { code: 'SYNC', title: 'A plan to copy', countries: ['KH', 'TH'] })
  const a1 = await post('/v1/activities', { planId: plan.id, code: 'Activity 1', title: 'Research' })
  const a2 = await post('/v1/activities', { planId: plan.id, code: 'Activity 2', title: 'Training' })
  const meeting = await post('/v1/meetings', {
    planId: plan.id,
    kind: 'regional_seminar',
    title: 'A seminar',
    startDate: '2026-10-28',
  })

  // post-outcomes: three rows (one with a comma, quotes and a line break), posted twice.
  const csv = path.join(dir, 'outcomes.csv')
  await writeFile(
    csv,
    'externalRef,kind,text,dueDate,status\r\n' +
      'r1,decision,"Adopt the guidelines, as amended",,\r\n' +
      'r2,action_item,"Share the ""victim identification"" guidelines\nbefore the next SOM",2027-01-31,open\r\n' +
      'r3,recommendation,Train prosecutors,,\r\n',
  )
  const first = await run(['--import', 'tsx', 'examples/post-outcomes.ts', meeting.id, csv], env)
  t.equal(first.code, 0, first.output)
  t.match(first.output, /3 of 3 outcomes posted/)
  t.equal(first.output.match(/: created /g)?.length, 3, 'three created')
  const again = await run(['--import', 'tsx', 'examples/post-outcomes.ts', meeting.id, csv], env)
  t.equal(again.code, 0, again.output)
  t.equal(again.output.match(/already posted/g)?.length, 3, 'the second run creates nothing (Idempotency-Key per row)')
  const outcomes = json(await ctx.app.inject({ url: `/v1/meetings/${meeting.id}/outcomes`, headers: ctx.admin }))
  t.equal(outcomes.data.length, 3, 'three outcomes, not six')
  t.same(outcomes.data.map((o: { externalRef: string }) => o.externalRef).sort(), ['r1', 'r2', 'r3'])
  const r2 = outcomes.data.find((o: { externalRef: string }) => o.externalRef === 'r2')
  t.equal(r2.text, 'Share the "victim identification" guidelines\nbefore the next SOM')
  const batch = await run(['--import', 'tsx', 'examples/post-outcomes.ts', meeting.id, csv, '--batch'], env)
  t.equal(batch.code, 0, batch.output)
  t.match(batch.output, /r1: unchanged/, 'the batch endpoint upserts by externalRef')

  const equalToServer = async (when: string) => {
    const copy = JSON.parse(await readFile(copyFile, 'utf8'))
    t.ok(copy.cursor, `${when}: the cursor is saved`)
    for (const type of types) t.same(copy.resources[type], await serverCopy(ctx, type), `${when}: ${type} equal`)
  }

  // The first sync crawls.
  const sync1 = await run(['--import', 'tsx', 'examples/sync.ts', copyFile], env)
  t.equal(sync1.code, 0, sync1.output)
  t.match(sync1.output, /crawled/)
  await equalToServer('after the crawl')

  // Creates, updates and deletes, then the second sync follows the feed from its saved cursor.
  const org2 = await post('/v1/organizations', { name: 'A new NGO', kind: 'ngo', country: 'TH' })
  const a3 = await post('/v1/activities', { planId: plan.id, code: 'Activity 3', title: 'Prevention' })
  const patch = (url: string, payload: object) =>
    ctx.app.inject({
      method: 'PATCH',
      url,
      headers: { ...ctx.admin, 'content-type': 'application/merge-patch+json' },
      payload: JSON.stringify(payload),
    })
  t.equal(
    (await patch(`/v1/activities/${a1.id}`, { title: 'Research, updated', status: 'in_progress' })).statusCode,
    200,
  )
  t.equal((await patch(`/v1/organizations/${org.id}`, { acronym: 'TF KH' })).statusCode, 200)
  t.equal((await patch(`/v1/outcomes/${r2.id}`, { status: 'done' })).statusCode, 200)
  const del = (url: string) => ctx.app.inject({ method: 'DELETE', url, headers: ctx.admin })
  t.equal((await del(`/v1/activities/${a2.id}`)).statusCode, 204)
  t.equal((await del(`/v1/outcomes/${outcomes.data[0].id}`)).statusCode, 204)
  // Created and deleted between two syncs: never seen, never kept.
  const brief = await post('/v1/organizations', { name: 'Here and gone', kind: 'donor' })
  t.equal((await del(`/v1/organizations/${brief.id}`)).statusCode, 204)

  // The feed serves a change once no transaction that began before it is still open in this
  // database (docs/integration.md): with the app's background work beside it, it can be a little
  // late, never lossy. A partner's sync runs again later; so does this one, until a run
  // finds nothing new and the copy equals the server.
  const same = async () => {
    const copy = JSON.parse(await readFile(copyFile, 'utf8'))
    for (const type of types) if (!isDeepStrictEqual(copy.resources[type], await serverCopy(ctx, type))) return false
    return true
  }
  let applied = 0
  for (let runs = 0; runs < 60; runs++) {
    const sync2 = await run(['--import', 'tsx', 'examples/sync.ts', copyFile], env)
    t.equal(sync2.code, 0, sync2.output)
    t.notMatch(sync2.output, /crawled/, 'a later run follows the feed, it does not crawl')
    const n = Number(/applied (\d+) change/.exec(sync2.output)?.[1] ?? Number.NaN)
    t.ok(Number.isInteger(n), `it says how many changes it applied (${n})`)
    applied += n
    if (n === 0 && (await same())) break
    await new Promise((r) => setTimeout(r, 1000))
  }
  t.ok(applied >= 1, `the changes were applied through the feed (${applied})`)
  await equalToServer('after creates, updates and deletes')
  const copy = JSON.parse(await readFile(copyFile, 'utf8'))
  t.ok(copy.resources.organization[org2.id], 'the created organization is there')
  t.ok(copy.resources.activity[a3.id], 'the created activity is there')
  t.notOk(copy.resources.activity[a2.id], 'the deleted activity is gone')
  t.equal(copy.resources.activity[a1.id].title, 'Research, updated')

  // A third run with nothing new changes nothing, and resumes from the saved cursor.
  const sync3 = await run(['--import', 'tsx', 'examples/sync.ts', copyFile], env)
  t.equal(sync3.code, 0, sync3.output)
  t.match(sync3.output, /applied 0 change/)
  await equalToServer('after an idle run')
})
