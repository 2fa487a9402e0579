import t from 'tap'
import { execFile } from 'node:child_process'
import { copyFile, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { AddressInfo } from 'node:net'
import openapiTS, { astToString, ts } from 'openapi-typescript-ts5'
import { seedDatabase } from '../../src/seed/index.ts'
import { json, setup } from '../helpers/app.ts'

// The gate for generated clients: types generated from the committed openapi/openapi.json by
// openapi-typescript, plus the client program test/contract/client-program.ts written against
// them with openapi-fetch, compile under the project's TypeScript (7, native tsc) in strict mode
// with library checking on, with no workaround in the program; then the compiled program runs
// against a live, seeded server and does what it says.

const root = fileURLToPath(new URL('../../', import.meta.url))
const documentUrl = new URL('../../openapi/openapi.json', import.meta.url)
const programPath = fileURLToPath(new URL('./client-program.ts', import.meta.url))
// typescript/bin/tsc imports this file; an extensionless ESM entry trips the module hooks tap
// puts into child processes, the .js one does not.
const tsc = path.join(root, 'node_modules', 'typescript', 'lib', 'tsc.js')

/** The environment without tap's variables (tap's process-info hook still adds its own --import to each child node). */
const cleanEnv = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
  ...Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => name !== 'NODE_OPTIONS' && name !== 'NODE_V8_COVERAGE' && !/^_?TAP/.test(name),
    ),
  ),
  ...extra,
})

interface Run {
  code: number
  output: string
}
function run(
  file: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeout?: number },
): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [file, ...args],
      {
        cwd: options.cwd,
        env: options.env ?? cleanEnv(),
        timeout: options.timeout ?? 60_000,
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0
        resolve({ code, output: `${stdout}${stderr}` })
      },
    )
  })
}

/**
 * What in the program works around the types instead of using them: `as` (even `as const`) and `<T>x` casts,
 * non-null assertions, `any`, `@ts-ignore` / `@ts-nocheck`, and every `@ts-expect-error` but the
 * one on the line before `items: [42]` (that one proves the batch item type is exact).
 */
function findWorkarounds(source: string): string[] {
  const file = ts.createSourceFile('client-program.ts', source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS)
  const lines = source.split('\n')
  const at = (pos: number) => `line ${file.getLineAndCharacterOfPosition(pos).line + 1}`
  const found: string[] = []
  const visit = (node: ts.Node) => {
    if (ts.isAsExpression(node)) found.push(`${at(node.getStart(file))}: cast \`${node.getText(file)}\``)
    if (ts.isTypeAssertionExpression(node)) found.push(`${at(node.getStart(file))}: cast \`${node.getText(file)}\``)
    if (ts.isNonNullExpression(node))
      found.push(`${at(node.getStart(file))}: non-null assertion \`${node.getText(file)}\``)
    if (node.kind === ts.SyntaxKind.AnyKeyword) found.push(`${at(node.getStart(file))}: \`any\``)
    ts.forEachChild(node, visit)
  }
  visit(file)
  lines.forEach((line, i) => {
    if (/@ts-(ignore|nocheck)/.test(line)) found.push(`line ${i + 1}: ${line.trim()}`)
    if (/@ts-expect-error/.test(line) && !/^\s*items: \[42\],?\s*$/.test(lines[i + 1] ?? ''))
      found.push(`line ${i + 1}: ${line.trim()}`)
  })
  return found
}

let dir = ''
t.before(async () => {
  // A directory of its own, outside the project's compilation: node_modules links to the
  // project's, so openapi-fetch (and @types/node) resolve there for tsc and for node alike.
  dir = await mkdtemp(path.join(tmpdir(), 'apa-client-'))
  await symlink(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'junction')
  await writeFile(path.join(dir, 'package.json'), JSON.stringify({ private: true, type: 'module' }))
  await writeFile(
    path.join(dir, 'tsconfig.json'),
    JSON.stringify(
      {
        compilerOptions: {
          strict: true,
          target: 'es2022',
          module: 'nodenext',
          moduleResolution: 'nodenext',
          lib: ['es2022', 'dom'],
          // node only for the program's process.env; the API types come from schema.d.ts alone.
          types: ['node'],
          skipLibCheck: false,
          noEmitOnError: true,
          rootDir: '.',
          outDir: 'out',
        },
        files: ['client-program.ts', 'schema.d.ts'],
      },
      null,
      2,
    ),
  )
  const ast = await openapiTS(documentUrl)
  await writeFile(path.join(dir, 'schema.d.ts'), astToString(ast))
  await copyFile(programPath, path.join(dir, 'client-program.ts'))
})
t.teardown(async () => {
  if (dir) await rm(dir, { recursive: true, force: true })
})

t.test('the generated types and the client program compile with tsc, strict, lib checks on', async (t) => {
  const schema = await readFile(path.join(dir, 'schema.d.ts'), 'utf8')
  t.match(schema, /export interface paths \{/, 'openapi-typescript generated `paths`')
  const version = await run(tsc, ['--version'], { cwd: dir })
  t.match(version.output, /^Version \d/, `the project's tsc: ${version.output.trim()}`)
  const compiled = await run(tsc, ['-p', 'tsconfig.json'], { cwd: dir })
  t.equal(compiled.code, 0, 'tsc exits 0', { output: compiled.output })
  if (compiled.code !== 0) t.comment(`tsc output:\n${compiled.output}`)
  t.equal(compiled.output.trim(), '', 'tsc reports nothing (an unused @ts-expect-error would be reported)')
})

t.test('the client program works around nothing', async (t) => {
  const source = await readFile(programPath, 'utf8')
  const workarounds = findWorkarounds(source)
  t.comment(`workarounds: ${workarounds.length}`)
  for (const w of workarounds) t.comment(`  ${w}`)
  t.equal(workarounds.length, 0, 'no casts, non-null assertions, any or suppressed errors')
  t.equal(
    source.match(/@ts-expect-error/g)?.length,
    1,
    'exactly one @ts-expect-error: the number among the batch items',
  )
  t.ok(
    findWorkarounds('const a = b as string; const c = d!.e; let f: any\n// @ts-ignore\n').length === 4,
    'the scan finds workarounds where there are some',
  )
})

t.test('the compiled client program runs against a live server', async (t) => {
  // What the program's PATCHes looked like on the wire.
  const patches: { contentType?: string; ifMatch?: string | string[] }[] = []
  const ctx = await setup(t, {}, (app) => {
    app.addHook('onRequest', async (request) => {
      if (request.method === 'PATCH')
        patches.push({ contentType: request.headers['content-type'], ifMatch: request.headers['if-match'] })
    })
  })
  await seedDatabase(ctx.database.db)
  await ctx.app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = ctx.app.server.address() as AddressInfo
  const all = json(await ctx.app.inject({ url: '/v1/plans?limit=500&sort=code', headers: ctx.admin }))
  const allCodes: string[] = all.data.map((p: { code: string }) => p.code)

  const result = await run(path.join(dir, 'out', 'client-program.js'), [], {
    cwd: dir,
    env: cleanEnv({
      API_BASE_URL: `http://127.0.0.1:${port}`,
      API_KEY: ctx.admin.authorization.replace(/^Bearer /, ''),
    }),
  })
  t.equal(result.code, 0, 'the program exits 0', { output: result.output })
  const steps = new Map<string, Record<string, any>>()
  for (const line of result.output.split('\n')) {
    if (!line.startsWith('{')) continue
    const { step, ...facts } = JSON.parse(line)
    steps.set(step, facts)
  }
  const step = (name: string) => steps.get(name) ?? {}

  t.ok(step('search').count >= 1, 'GET /v1/plans with only q found plans')
  t.match(step('search').code, /COMMIT/, 'and reads data.data[0].code')
  t.ok(
    step('activities').count >= 1,
    `GET /v1/activities with only planId listed ${step('activities').count} activities of ${step('activities').planCode}`,
  )

  const crawl = step('crawl')
  t.same(crawl.codes, allCodes, `the crawl followed nextCursor through all ${allCodes.length} plans`)
  t.equal(crawl.pages, Math.ceil(allCodes.length / 3), `in ${Math.ceil(allCodes.length / 3)} pages of 3`)
  t.ok(crawl.pagesWithNext >= 1, 'more than one page')
  t.equal(crawl.linksOnPagesWithNext, crawl.pagesWithNext, 'every page with a next cursor had a Link rel="next" to it')

  const etag = step('etag')
  t.match(etag.etag, /^(W\/)?"[^"]+"$/, `an ETag was read: ${etag.etag}`)
  const patch = step('patch')
  t.equal(patch.status, 200, 'the merge-patch PATCH with If-Match succeeded')
  t.same(
    patches[0],
    { contentType: 'application/merge-patch+json', ifMatch: etag.etag },
    'sent as application/merge-patch+json with If-Match from the typed header parameter',
  )
  t.equal(patch.version, etag.version + 1, 'and bumped the version')
  t.equal(patch.description, 'Updated by the generated client.')
  t.not(patch.etag, etag.etag, 'with a new ETag')
  t.equal(step('stale').status, 412, 'the stale If-Match is refused')
  t.match(step('stale').type, /precondition/, `with a problem type: ${step('stale').type}`)
  t.equal(step('invalid').status, 400, 'an invalid patch is a 400 problem')
  t.equal(step('invalid').pointer, '/body/name', 'read through error.errors?.[0]?.pointer')

  const batch = step('batch')
  t.same(batch.results, ['created', 'created'], 'the outcome batch created both items')
  t.equal(batch.summary?.created, 2)
  const bad = step('bad-batch')
  // In the default atomic mode an invalid item is a 422 that writes nothing (the operation's description).
  t.equal(bad.status, 422, `the uncompilable item 42, sent anyway, is refused by the server too (${bad.type})`)
  t.match(bad.pointer, /^\/body\/items\/0/, `at ${bad.pointer}`)
  t.ok(steps.has('done'), 'the program ran to its end')
})
