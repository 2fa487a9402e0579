import { readFileSync } from 'node:fs'
import { Type } from 'typebox'
import t from 'tap'
import {
  breakingKinds,
  checkRepository,
  diffContracts,
  recordedBreaks,
  unrecorded,
  type BreakingKind,
} from '../../scripts/contract-diff.ts'
import { deprecationHeaders } from '../../src/plugins/deprecation.ts'
import { json, setup } from '../helpers/app.ts'

// The generated contract may add to the released v1 document (openapi/v1.json) but not break
// it, unless CHANGELOG.md records the break as intended. The differ is tested on small handmade
// documents, one per kind of break; then the repository's own documents are checked.

type Json = Record<string, any>

/** A released document: one list operation with a parameter, a body, a component with an enum. */
function released(): Json {
  return {
    openapi: '3.1.0',
    paths: {
      '/v1/things': {
        get: {
          parameters: [
            { in: 'query', name: 'limit', schema: { type: 'integer', minimum: 1, maximum: 500 } },
            { in: 'query', name: 'status', schema: { $ref: '#/components/schemas/Status' } },
          ],
          responses: {
            200: {
              description: 'ok',
              headers: { Link: { schema: { type: 'string' } } },
              content: { 'application/json': { schema: { $ref: '#/components/schemas/ThingList' } } },
            },
          },
        },
        post: {
          requestBody: {
            content: { 'application/json': { schema: { $ref: '#/components/schemas/ThingCreate' } } },
          },
          responses: {
            201: {
              description: 'created',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } },
            },
          },
        },
      },
      '/v1/things/{id}': {
        delete: {
          parameters: [{ in: 'path', name: 'id', required: true, schema: { type: 'string' } }],
          responses: { 204: { description: 'gone' } },
        },
      },
    },
    components: {
      schemas: {
        Status: { type: 'string', enum: ['open', 'closed'] },
        Thing: {
          type: 'object',
          required: ['id', 'name', 'status'],
          properties: {
            id: { type: 'string' },
            name: { type: 'string' },
            status: { $ref: '#/components/schemas/Status' },
            count: { type: 'integer' },
          },
        },
        ThingList: {
          type: 'object',
          properties: { data: { type: 'array', items: { $ref: '#/components/schemas/Thing' } } },
        },
        ThingCreate: {
          type: 'object',
          required: ['name'],
          properties: { name: { type: 'string', maxLength: 100 }, note: { type: 'string' } },
        },
      },
    },
  }
}

const kindsOf = (changes: { kind: BreakingKind }[]) => [...new Set(changes.map((c) => c.kind))].sort()

t.test('the differ: each kind of break, alone', async (t) => {
  const cases: [BreakingKind, string, (d: Json) => void][] = [
    ['operation-removed', 'operation-removed DELETE /v1/things/{id}', (d) => delete d.paths['/v1/things/{id}'].delete],
    [
      'parameter-removed',
      'parameter-removed GET /v1/things query.limit',
      (d) => d.paths['/v1/things'].get.parameters.shift(),
    ],
    [
      'parameter-required',
      'parameter-required GET /v1/things query.planId',
      (d) =>
        d.paths['/v1/things'].get.parameters.push({
          in: 'query',
          name: 'planId',
          required: true,
          schema: { type: 'string' },
        }),
    ],
    [
      'response-property-removed',
      'response-property-removed Thing.count',
      (d) => delete d.components.schemas.Thing.properties.count,
    ],
    ['enum-value-removed', 'enum-value-removed Status=closed', (d) => (d.components.schemas.Status.enum = ['open'])],
    [
      'request-property-required',
      'request-property-required ThingCreate.note',
      (d) => d.components.schemas.ThingCreate.required.push('note'),
    ],
    [
      'request-property-removed',
      'request-property-removed ThingCreate.note',
      (d) => delete d.components.schemas.ThingCreate.properties.note,
    ],
    [
      'type-changed',
      'type-changed Thing.count',
      (d) => (d.components.schemas.Thing.properties.count = { type: 'string' }),
    ],
    [
      'type-changed',
      'type-changed ThingCreate.name',
      (d) => (d.components.schemas.ThingCreate.properties.name = { type: 'integer' }),
    ],
    [
      'constraint-narrowed',
      'constraint-narrowed ThingCreate.name maxLength',
      (d) => (d.components.schemas.ThingCreate.properties.name.maxLength = 50),
    ],
    [
      'constraint-narrowed',
      'constraint-narrowed GET /v1/things query.limit maximum',
      (d) => (d.paths['/v1/things'].get.parameters[0].schema.maximum = 100),
    ],
    [
      'response-property-optional',
      'response-property-optional Thing.name',
      (d) => (d.components.schemas.Thing.required = ['id', 'status']),
    ],
    [
      'response-header-removed',
      'response-header-removed GET /v1/things 200 Link',
      (d) => delete d.paths['/v1/things'].get.responses[200].headers,
    ],
    [
      'response-media-type-removed',
      'response-media-type-removed POST /v1/things 201 application/json',
      (d) => (d.paths['/v1/things'].post.responses[201].content = { 'text/csv': { schema: { type: 'string' } } }),
    ],
    [
      'request-media-type-removed',
      'request-media-type-removed POST /v1/things application/json',
      (d) => (d.paths['/v1/things'].post.requestBody.content = { 'text/csv': { schema: { type: 'string' } } }),
    ],
    [
      'request-body-required',
      'request-body-required POST /v1/things',
      (d) => (d.paths['/v1/things'].post.requestBody.required = true),
    ],
  ]
  const tested = new Set<BreakingKind>()
  for (const [kind, key, change] of cases) {
    const next = released()
    change(next)
    const found = diffContracts(released(), next)
    t.same(kindsOf(found), [kind], `${key}: only ${kind} (${found.map((c) => c.key).join('; ')})`)
    t.ok(
      found.some((c) => c.key === key),
      `${key} is the key`,
    )
    tested.add(kind)
  }
  t.same([...tested].sort(), [...breakingKinds].sort(), 'every kind of break has a case')
})

t.test('the differ: additions and widenings are not breaks', async (t) => {
  const next = released()
  next.paths['/v1/others'] = { get: { responses: { 200: { description: 'ok' } } } }
  next.paths['/v1/things'].get.parameters.push({ in: 'query', name: 'q', schema: { type: 'string' } })
  next.paths['/v1/things'].get.parameters[0].schema.maximum = 1000 // a wider input
  next.components.schemas.Thing.properties.createdAt = { type: 'string' } // a new response property
  next.components.schemas.ThingCreate.properties.extra = { type: 'string' } // a new optional input
  next.components.schemas.ThingCreate.properties.name.maxLength = 200
  next.components.schemas.ThingCreate.properties.note = { type: ['string', 'null'] } // accepts more
  next.paths['/v1/things'].post.responses[422] = { description: 'rule' }
  next.components.schemas.Status.enum = ['open', 'closed', 'archived'] // a new input value
  t.same(diffContracts(released(), next), [])
  t.same(diffContracts(released(), released()), [], 'the same document')
})

t.test('CHANGELOG.md records intended breaks by key', async (t) => {
  const next = released()
  delete next.paths['/v1/things/{id}'].delete
  next.components.schemas.Status.enum = ['open']
  delete next.components.schemas.Thing.properties.count
  const changes = diffContracts(released(), next)
  t.equal(changes.length, 3)
  t.equal(unrecorded(changes, '').length, 3, 'nothing recorded: all three fail')
  const changelog = [
    '## Unreleased',
    '- breaking: `operation-removed DELETE /v1/things/{id}` — things are archived, not deleted',
    '- breaking: `enum-value-removed Status=*` — closed is archived',
    '- added: `GET /v1/others`',
    '- `response-property-removed Thing.count` (not a breaking: line, so not a record)',
  ].join('\n')
  t.same(recordedBreaks(changelog), ['operation-removed DELETE /v1/things/{id}', 'enum-value-removed Status=*'])
  t.same(
    unrecorded(changes, changelog).map((c) => c.key),
    ['response-property-removed Thing.count'],
    'only the unrecorded one remains',
  )
  t.same(unrecorded(changes, `${changelog}\n- breaking: \`response-property-removed Thing.count\` — unused`), [])
})

t.test('the generated contract does not break the released v1 (openapi/v1.json)', async (t) => {
  const { changes, unrecorded: missing } = checkRepository()
  t.same(
    missing.map((c) => `${c.key} (${c.detail})`),
    [],
    'every breaking change is recorded in CHANGELOG.md (node --import tsx scripts/contract-diff.ts lists them)',
  )
  const changelog = readFileSync(new URL('../../CHANGELOG.md', import.meta.url), 'utf8')
  t.match(changelog, /## Unreleased/)
  t.ok(changes.length >= 0)
})

t.test('a deprecated operation: Deprecation and Sunset headers, deprecated in the document', async (t) => {
  const deprecated = { since: '2026-12-01', sunset: '2027-06-30', link: 'https://example.org/migrate' }
  const ctx = await setup(t, {}, (app) => {
    app.get(
      '/v1/test-deprecated',
      {
        schema: {
          operationId: 'getTestDeprecated',
          tags: ['Health'],
          summary: 'A test-only deprecated operation',
          response: { 200: Type.Object({ ok: Type.Boolean() }, { additionalProperties: false }) },
        },
        config: { scope: 'public', deprecated },
      },
      async () => ({ ok: true }),
    )
  })
  const res = await ctx.app.inject({ url: '/v1/test-deprecated' })
  t.equal(res.statusCode, 200)
  t.same(json(res), { ok: true })
  t.equal(res.headers.deprecation, `@${Date.UTC(2026, 11, 1) / 1000}`, 'RFC 9745: @ and Unix seconds')
  t.equal(res.headers.sunset, 'Wed, 30 Jun 2027 23:59:59 GMT', 'RFC 8594: an HTTP-date')
  t.match(res.headers.link, /<https:\/\/example\.org\/migrate>; rel="deprecation"/)
  t.same(deprecationHeaders(deprecated).deprecation, '@1796083200')

  const live = await ctx.app.inject({ url: '/health/live' })
  t.notOk(live.headers.deprecation, 'other operations send no Deprecation')

  const doc = json(await ctx.app.inject({ url: '/v1/openapi.json' }))
  const op = doc.paths['/v1/test-deprecated'].get
  t.equal(op.deprecated, true)
  t.match(op.description, /Deprecated/)
  t.ok(op.responses['200'].headers.Deprecation, 'Deprecation is declared on the response')
  t.ok(op.responses['200'].headers.Sunset, 'Sunset is declared on the response')
  const released = JSON.parse(readFileSync(new URL('../../openapi/openapi.json', import.meta.url), 'utf8'))
  const deprecatedNow = Object.entries<Json>(released.paths).flatMap(([path, item]) =>
    Object.entries<Json>(item)
      .filter(([, o]) => o.deprecated)
      .map(([m]) => `${m} ${path}`),
  )
  t.same(deprecatedNow, [], 'no operation of the API is deprecated today (this route exists only in this test)')
})
