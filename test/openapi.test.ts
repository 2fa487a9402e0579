import t from 'tap'
import { readFileSync } from 'node:fs'
import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
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

// The class fix for drifting examples: every example the document shows a client generator or a
// reader must be a value its own schema accepts, with $refs resolved against all components.
t.test('every example in the document validates against its own schema', async (t) => {
  const doc = JSON.parse(committed)
  const ajv = new Ajv2020({ strict: false, allErrors: true })
  addFormats.default(ajv)
  const schemas = doc.components.schemas as Record<string, Record<string, unknown>>
  for (const [name, schema] of Object.entries(schemas)) {
    const { $id: _id, ...rest } = schema
    ajv.addSchema(rest, `#/components/schemas/${name}`)
  }
  let checked = 0
  // Every schema object with `examples`, at any depth (a property's examples too), is checked
  // against itself; `$ref`s resolve to the registered components.
  const walk = (where: string, schema: unknown) => {
    if (!schema || typeof schema !== 'object' || Array.isArray(schema)) return
    const node = schema as Record<string, any>
    if (Array.isArray(node.examples) && node.examples.length) {
      const validate = ajv.compile(node)
      node.examples.forEach((example: unknown, i: number) => {
        checked++
        t.ok(validate(example), `${where} example ${i} validates`, { errors: validate.errors })
      })
    }
    for (const key of ['properties', 'patternProperties', '$defs']) {
      for (const [k, sub] of Object.entries(node[key] ?? {})) walk(`${where}.${k}`, sub)
    }
    for (const key of ['items', 'additionalProperties', 'not', 'if', 'then', 'else', 'contains']) {
      walk(`${where}/${key}`, node[key])
    }
    for (const key of ['anyOf', 'oneOf', 'allOf', 'prefixItems']) {
      ;(node[key] ?? []).forEach((sub: unknown, i: number) => walk(`${where}/${key}/${i}`, sub))
    }
  }
  // A media type's or parameter's own `example`/`examples` against its `schema`.
  const checkMedia = (where: string, media: Record<string, any>) => {
    if (!media.schema) return
    walk(where, media.schema)
    const examples = [
      ...(media.example !== undefined ? [media.example] : []),
      ...Object.values<any>(media.examples ?? {}).map((e) => e.value),
    ]
    if (!examples.length) return
    const validate = ajv.compile(media.schema)
    examples.forEach((example, i) => {
      checked++
      t.ok(validate(example), `${where} example ${i} validates`, { errors: validate.errors })
    })
  }
  for (const [name, schema] of Object.entries(schemas)) walk(name, schema)
  for (const [path, item] of Object.entries<Record<string, any>>(doc.paths)) {
    for (const [method, op] of Object.entries<any>(item)) {
      const name = `${method.toUpperCase()} ${path}`
      for (const p of op.parameters ?? []) checkMedia(`${name} ${p.in} ${p.name}`, p)
      for (const [type, media] of Object.entries<any>(op.requestBody?.content ?? {})) {
        checkMedia(`${name} request ${type}`, media)
      }
      for (const [code, res] of Object.entries<any>(op.responses ?? {})) {
        for (const [type, media] of Object.entries<any>(res.content ?? {})) checkMedia(`${name} ${code} ${type}`, media)
      }
    }
  }
  t.ok(checked > 0, 'the document has examples')
})
