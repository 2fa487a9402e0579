import { execFile } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { readFile } from 'node:fs/promises'
import { generateClientTypes } from '../../scripts/client.ts'

// The example programs and the client folder a partner copies compile with the project's tsc in
// strict mode against the generated clients/typescript/schema.d.ts (run `npm run client` after a
// contract change): a field renamed in the API fails here before it fails a partner.

const root = fileURLToPath(new URL('../../', import.meta.url))
const tsc = path.join(root, 'node_modules', 'typescript', 'lib', 'tsc.js')

function run(args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      args,
      { cwd: root, timeout: 100_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, output: `${stdout}${stderr}` }),
    )
  })
}

t.test('the examples compile with tsc, strict, against the generated client', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'apa-examples-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  const config = path.join(dir, 'tsconfig.json')
  await writeFile(
    config,
    JSON.stringify({
      compilerOptions: {
        strict: true,
        target: 'es2023',
        lib: ['es2023', 'dom'],
        module: 'nodenext',
        moduleResolution: 'nodenext',
        allowImportingTsExtensions: true,
        noEmit: true,
        skipLibCheck: true,
        types: ['node'],
        typeRoots: [path.join(root, 'node_modules/@types')],
      },
      files: [
        path.join(root, 'examples/sync.ts'),
        path.join(root, 'examples/post-outcomes.ts'),
        path.join(root, 'clients/typescript/index.ts'),
      ],
    }),
  )
  const compiled = await run([tsc, '-p', config])
  t.equal(compiled.code, 0, `tsc: ${compiled.output.slice(0, 3000)}`)
})

t.test('clients/typescript/schema.d.ts is generated from the committed contract', async (t) => {
  const committed = await readFile(path.join(root, 'clients/typescript/schema.d.ts'), 'utf8')
  t.ok(committed === (await generateClientTypes()), 'clients/typescript/schema.d.ts is stale: run `npm run client`')
})
