// A client program as an API user would write it: openapi-fetch over the types openapi-typescript
// generates from openapi/openapi.json, with no casts, no `any`, no non-null assertions and no
// hand-written API types. test/contract/client.test.ts copies it next to the generated schema.d.ts,
// compiles it with the project's tsc (strict, skipLibCheck off) and runs it against a live server.
// It is not part of the project's own compilation (tsconfig.json excludes it): ./schema.js exists
// only in that generated directory.
//
// It prints one JSON line per step ({"step": …}); the test reads them. Environment:
// API_BASE_URL (http://127.0.0.1:PORT) and API_KEY (an admin key's token).
import createClient from 'openapi-fetch'
import type { components, paths } from './schema.js'

// ---- type-level checks: compile-time only ---------------------------------------------------
type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false
/** Mutual assignability: for wrapped types (openapi-fetch's Readable<…>) that are the same shape. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false
/** The header names a response declares, without the `[name: string]: unknown` catch-all. */
type DeclaredKeys<T> = keyof { [K in keyof T as string extends K ? never : K]: T[K] }
function expectType<_T extends true>(): void {}

// 3. Typed response headers: the single-resource GET declares ETag, the list declares Link.
type OrganizationHeaders = paths['/v1/organizations/{id}']['get']['responses'][200]['headers']
expectType<Equals<OrganizationHeaders['ETag'], string>>()
expectType<'ETag' extends DeclaredKeys<OrganizationHeaders> ? true : false>()
type PlanListHeaders = paths['/v1/plans']['get']['responses'][200]['headers']
expectType<'Link' extends DeclaredKeys<PlanListHeaders> ? true : false>()
expectType<Equals<NonNullable<PlanListHeaders['Link']>, string>>() // absent on the last page: optional would be right too
// 2. The cursor is a string or null (null on the last page).
expectType<Equals<components['schemas']['PlanList']['nextCursor'], string | null>>()
// 4. If-Match is a header parameter of the PATCH.
type PatchHeaderParameters = NonNullable<paths['/v1/organizations/{id}']['patch']['parameters']['header']>
expectType<Equals<PatchHeaderParameters['if-match'], string | undefined>>()
// 4. The merge-patch body is the same schema as the application/json one.
type PatchBodies = paths['/v1/organizations/{id}']['patch']['requestBody']['content']
expectType<Equals<PatchBodies['application/merge-patch+json'], components['schemas']['OrganizationPatch']>>()

// ---- the program -------------------------------------------------------------------------------
const baseUrl = process.env.API_BASE_URL
const apiKey = process.env.API_KEY
if (!baseUrl || !apiKey) throw new Error('set API_BASE_URL and API_KEY')

const client = createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${apiKey}` } })
const report = (step: string, facts: Record<string, unknown>) => console.log(JSON.stringify({ step, ...facts }))

// 1 + 7. A list with no optional parameters (limit and sort have defaults); `data` is the page
// envelope, not a union with an export format.
{
  const { data, error } = await client.GET('/v1/plans', { params: { query: { q: 'COMMIT' } } })
  expectType<Same<typeof data, components['schemas']['PlanList'] | undefined>>()
  if (error) throw new Error(`GET /v1/plans: ${error.type}`)
  const first = data.data[0]
  report('search', { count: data.data.length, code: first ? first.code : null })

  const plan = data.data.find((p) => p.code.startsWith('COMMIT'))
  if (plan) {
    const activities = await client.GET('/v1/activities', { params: { query: { planId: plan.id } } })
    if (activities.error) throw new Error(`GET /v1/activities: ${activities.error.type}`)
    report('activities', {
      planCode: plan.code,
      count: activities.data.data.length,
      nextCursor: activities.data.nextCursor,
    })
  }
}

// 2. Crawl every plan by following nextCursor; the Link header names the same next page.
// (One function per page request: a `do … while (cursor !== null)` that feeds `data.nextCursor`
// back into the same call's query would make TypeScript infer `data` from itself, TS7022.)
{
  const listPage = (cursor?: string) =>
    client.GET('/v1/plans', { params: { query: { limit: 3, sort: 'code', cursor } } })
  const codes: string[] = []
  let pages = 0
  let pagesWithNext = 0
  let linksOnPagesWithNext = 0
  let page = await listPage()
  for (;;) {
    const { data, error, response } = page
    if (error) throw new Error(`GET /v1/plans (page ${pages + 1}): ${error.type}`)
    pages++
    for (const plan of data.data) codes.push(plan.code)
    const link = response.headers.get('Link')
    if (data.nextCursor === null) {
      if (link !== null) throw new Error('a Link header on the last page')
      break
    }
    pagesWithNext++
    if (link?.includes('rel="next"') && link.includes(encodeURIComponent(data.nextCursor))) linksOnPagesWithNext++
    page = await listPage(data.nextCursor)
  }
  report('crawl', { pages, codes, pagesWithNext, linksOnPagesWithNext })
}

// 3 + 4 + 6. Read an organization's ETag, PATCH it with If-Match as a merge patch, then see a
// stale If-Match and an invalid body come back as problems.
{
  const list = await client.GET('/v1/organizations', { params: { query: { limit: 1 } } })
  if (list.error) throw new Error(`GET /v1/organizations: ${list.error.type}`)
  const organization = list.data.data[0]
  if (!organization) throw new Error('no organization to patch')

  const read = await client.GET('/v1/organizations/{id}', { params: { path: { id: organization.id } } })
  if (read.error) throw new Error(`GET /v1/organizations/{id}: ${read.error.type}`)
  const etag = read.response.headers.get('ETag')
  if (etag === null) throw new Error('no ETag on GET /v1/organizations/{id}')
  report('etag', { etag, version: read.data.version })

  const patched = await client.PATCH('/v1/organizations/{id}', {
    params: { path: { id: organization.id }, header: { 'if-match': etag } },
    headers: { 'Content-Type': 'application/merge-patch+json' },
    body: { description: 'Updated by the generated client.' },
  })
  if (patched.error) throw new Error(`PATCH /v1/organizations/{id}: ${patched.error.type}`)
  report('patch', {
    status: patched.response.status,
    version: patched.data.version,
    description: patched.data.description,
    etag: patched.response.headers.get('ETag'),
  })

  const stale = await client.PATCH('/v1/organizations/{id}', {
    params: { path: { id: organization.id }, header: { 'if-match': etag } },
    headers: { 'Content-Type': 'application/merge-patch+json' },
    body: { description: 'Written over a stale ETag.' },
  })
  report('stale', { status: stale.response.status, type: stale.error ? stale.error.type : null })

  const invalid = await client.PATCH('/v1/organizations/{id}', {
    params: { path: { id: organization.id } },
    headers: { 'Content-Type': 'application/merge-patch+json' },
    body: { name: '' },
  })
  report('invalid', {
    status: invalid.response.status,
    type: invalid.error ? invalid.error.type : null,
    pointer: invalid.error ? (invalid.error.errors?.[0]?.pointer ?? null) : null,
  })
}

// 5. An outcome batch: the items are exactly OutcomeBatchItem, so 42 does not compile.
{
  const meetings = await client.GET('/v1/meetings', { params: { query: { limit: 1 } } })
  if (meetings.error) throw new Error(`GET /v1/meetings: ${meetings.error.type}`)
  const meeting = meetings.data.data[0]
  if (!meeting) throw new Error('no meeting for the batch')

  const batch = await client.POST('/v1/meetings/{id}/outcomes/batch', {
    params: { path: { id: meeting.id } },
    body: {
      items: [
        { externalRef: 'generated-client-1', kind: 'decision', text: 'Recorded by the generated client.' },
        {
          externalRef: 'generated-client-2',
          kind: 'action_item',
          text: 'Follow up from the generated client.',
          status: 'open',
          dueDate: '2030-01-31',
        },
      ],
    },
  })
  if (batch.error) throw new Error(`POST /v1/meetings/{id}/outcomes/batch: ${batch.error.type}`)
  report('batch', {
    mode: batch.data.mode,
    summary: batch.data.summary,
    results: batch.data.items.map((item) => item.result),
  })

  const bad = await client.POST('/v1/meetings/{id}/outcomes/batch', {
    params: { path: { id: meeting.id } },
    body: {
      // @ts-expect-error an outcome batch item is an object, never a number
      items: [42],
    },
  })
  report('bad-batch', {
    status: bad.response.status,
    type: bad.error ? bad.error.type : null,
    pointer: bad.error ? (bad.error.errors?.[0]?.pointer ?? null) : null,
  })
}

report('done', {})
