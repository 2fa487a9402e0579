import t from 'tap'
import { readFileSync } from 'node:fs'
import { generateOpenApi } from '../src/cli/export-openapi.ts'
import { json, setup } from './helpers/app.ts'

const committed = readFileSync(new URL('../openapi/openapi.json', import.meta.url), 'utf8')

t.test('the committed contract is the generated one', async (t) => {
  const generated = await generateOpenApi()
  t.ok(generated === committed, 'openapi/openapi.json is stale: run `npm run openapi` and commit the result')
})

t.test('every operation is documented for client generators', async (t) => {
  const doc = JSON.parse(committed)
  t.equal(doc.openapi, '3.1.0')
  t.ok(doc.components.securitySchemes.bearerAuth)
  const schemas = doc.components.schemas as Record<string, { examples?: unknown[] }>
  const component = (ref?: string) => (ref ? schemas[ref.replace('#/components/schemas/', '')] : undefined)
  const ids = new Set<string>()
  for (const [path, item] of Object.entries<Record<string, any>>(doc.paths)) {
    for (const [method, op] of Object.entries<any>(item)) {
      const name = `${method.toUpperCase()} ${path}`
      t.ok(op.operationId, `${name} has an operationId`)
      t.notOk(ids.has(op.operationId), `${name}: operationId is unique`)
      ids.add(op.operationId)
      t.ok(op.tags?.length, `${name} has a tag`)
      t.ok(op.summary, `${name} has a summary`)
      if (!path.startsWith('/v1')) continue
      const codes = Object.keys(op.responses)
      t.ok(
        codes.some((c) => c.startsWith('4')),
        `${name} documents its 4xx problems`,
      )
      t.ok(codes.includes('500') && codes.includes('429'), `${name} documents 429 and 500`)
      for (const c of codes.filter((c) => c.startsWith('4') || c.startsWith('5'))) {
        t.ok(op.responses[c].content?.['application/problem+json'], `${name} ${c} is a problem`)
      }
      const body =
        op.requestBody?.content?.['application/json'] ?? op.requestBody?.content?.['application/merge-patch+json']
      if (body?.schema?.$ref) t.ok(component(body.schema.$ref)?.examples?.length, `${name} has a request example`)
      const ok = codes.find((c) => c.startsWith('2'))
      const res = ok ? op.responses[ok].content?.['application/json']?.schema : undefined
      if (res?.$ref) t.ok(component(res.$ref)?.examples?.length, `${name} has a response example`)
    }
  }
})

t.test('the contract and the docs are served', async (t) => {
  const { app } = await setup(t)
  const served = await app.inject({ url: '/v1/openapi.json' })
  t.equal(served.statusCode, 200)
  t.same(json(served), JSON.parse(committed))
  const docs = await app.inject({ url: '/docs/' })
  t.equal(docs.statusCode, 200)
  t.match(docs.headers['content-type'], /text\/html/)
})
