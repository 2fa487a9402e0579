import t, { type Test } from 'tap'
import { sql } from 'kysely'
import { json, setup, type TestContext } from './helpers/app.ts'
import { seedDatabase } from '../src/seed/index.ts'
import { loadProvenanceFiles } from '../src/seed/provenance-data.ts'
import { seedId } from '../src/schemas/seed-ids.ts'
import { insertApiKey } from '../src/modules/api-keys/api-keys.queries.ts'
import { crawl, documents, everyRecord, type Provenance, type Rec, rowCounts, tables } from './provenance.fixtures.ts'

// Provenance (issue 14): every seeded record cites its source, a record created through the API
// names its key, and the `inferred` filter partitions every list. The seed's side (reseeding,
// user edits, migration 0008, the files' checks) is in provenance-seed.test.ts.

async function everySeededRecordCites(t: Test, ctx: TestContext) {
  const all = await everyRecord(ctx)

  const counts = await rowCounts(ctx)
  for (const table of tables)
    t.equal(all[table]!.length, counts[table], `the walk reached every row of ${table} (${counts[table]})`)

  const lacking: string[] = []
  let total = 0
  for (const [resource, records] of Object.entries(all))
    for (const r of records) {
      total++
      const p = r.provenance
      const good =
        p.origin === 'source' &&
        p.createdBy === null &&
        p.sources.length > 0 &&
        p.sources.every(
          (s) =>
            documents[s.document] !== undefined &&
            s.locator.trim().length > 0 &&
            s.title === documents[s.document]!.title &&
            s.file === documents[s.document]!.file,
        )
      if (!good) lacking.push(`${resource} ${r.id} ${String(r.code ?? r.title ?? r.name ?? r.statement ?? '')}`)
    }
  t.ok(total > 400, `${total} seeded records walked`)
  t.equal(
    lacking.length,
    0,
    `${lacking.length} of ${total} seeded records cite no source${lacking.length ? ` (first: ${lacking.slice(0, 5).join('; ')})` : ''}`,
  )

  // And every entry of data/provenance/ belongs to a seeded record: a key with a slip in it is
  // no citation of anything.
  const seen = new Set(Object.values(all).flatMap((records) => records.map((r) => r.id)))
  const entries = loadProvenanceFiles(new URL('../data/provenance/', import.meta.url))
  const orphans = [...entries.keys()].filter((key) => {
    const colon = key.indexOf(':')
    return !seen.has(seedId(key.slice(0, colon), key.slice(colon + 1)))
  })
  t.same(orphans, [], 'no entry of data/provenance/ names a record the seed does not have')
}

async function createdThroughTheApi(t: Test, ctx: TestContext) {
  const key = await insertApiKey(ctx.database.db, {
    name: 'writer',
    scopes: ['admin'],
    countries: null,
    organizationId: null,
  })
  const headers = { authorization: `Bearer ${key.token}` }
  const mine: Provenance = { origin: 'api', sources: [], inferred: [], doubtful: [], createdBy: { keyId: key.id } }
  const post = async (url: string, payload: object) => {
    const res = await ctx.app.inject({ method: 'POST', url, headers, payload })
    t.equal(res.statusCode, 201, `POST ${url}: ${res.body.slice(0, 200)}`)
    return json(res) as Rec
  }

  const org = await post('/v1/organizations', { name: 'Provenance NGO', kind: 'ngo' })
  const plan = await post('/v1/plans', { code: 'PROV 1', title: 'Provenance plan' })
  const area = await post(`/v1/plans/${plan.id}/areas`, { code: 'Area 1', title: 'An area' })
  const activity = await post('/v1/activities', { planId: plan.id, code: 'Activity 1', title: 'An activity' })
  const project = await post('/v1/projects', { planId: plan.id, code: 'PPC 1', title: 'A project' })
  const result = await post(`/v1/projects/${project.id}/results`, { statement: 'A result' })
  const task = await post(`/v1/projects/${project.id}/tasks`, { phase: 'core', title: 'A task' })
  const meeting = await post('/v1/meetings', { kind: 'workshop', title: 'A workshop' })
  const outcome = await post(`/v1/meetings/${meeting.id}/outcomes`, { kind: 'decision', text: 'Agreed' })
  const batch = await ctx.app.inject({
    method: 'POST',
    url: `/v1/meetings/${meeting.id}/outcomes/batch`,
    headers,
    payload: { items: [{ externalRef: 'b1', kind: 'finding', text: 'Found' }] },
  })
  t.equal(batch.statusCode, 200)
  const batched = json(
    await ctx.app.inject({ url: `/v1/outcomes/${json(batch).items[0].id}`, headers: ctx.admin }),
  ) as Rec

  const created: [string, Rec][] = [
    [`/v1/organizations/${org.id}`, org],
    [`/v1/plans/${plan.id}`, plan],
    [`/v1/plans/${plan.id}/areas/${area.id}`, area],
    [`/v1/activities/${activity.id}`, activity],
    [`/v1/projects/${project.id}`, project],
    [`/v1/projects/${project.id}/results/${result.id}`, result],
    [`/v1/projects/${project.id}/tasks/${task.id}`, task],
    [`/v1/meetings/${meeting.id}`, meeting],
    [`/v1/outcomes/${outcome.id}`, outcome],
    [`/v1/outcomes/${batched.id}`, batched],
  ]
  for (const [url, rec] of created) {
    t.same(rec.provenance, mine, `${url}: origin api, created by the key used`)
    const read = json(await ctx.app.inject({ url, headers: ctx.admin })) as Rec
    t.same(read.provenance, mine, `${url}: and so it reads back`)

    const patch = await ctx.app.inject({
      method: 'PATCH',
      url,
      headers: { ...ctx.admin, 'content-type': 'application/merge-patch+json' },
      payload: { provenance: { ...mine, origin: 'source' } },
    })
    t.equal(patch.statusCode, 400, `PATCH ${url} with provenance: 400`)
    t.ok(
      (json(patch).errors as { pointer: string }[]).some((e) => e.pointer === '/body/provenance'),
      `PATCH ${url}: names /body/provenance`,
    )
  }

  // A write by another key changes the record, not who created it.
  const other = await insertApiKey(ctx.database.db, {
    name: 'other',
    scopes: ['admin'],
    countries: null,
    organizationId: null,
  })
  const res = await ctx.app.inject({
    method: 'PATCH',
    url: `/v1/activities/${activity.id}`,
    headers: { authorization: `Bearer ${other.token}`, 'content-type': 'application/merge-patch+json' },
    payload: { title: 'Renamed' },
  })
  t.equal(res.statusCode, 200)
  t.same(json(res).provenance, mine, 'a PATCH by another key leaves the provenance as it was')

  // A batch that updates a seeded outcome leaves its citations alone.
  const som2 = seedId('meeting', 'commit-som-2')
  const seededOutcomes = await crawl(ctx, `/v1/meetings/${som2}/outcomes`)
  const seeded = seededOutcomes.find((o) => o.externalRef)
  if (seeded) {
    const rebatch = await ctx.app.inject({
      method: 'POST',
      url: `/v1/meetings/${som2}/outcomes/batch`,
      headers,
      payload: {
        items: [{ externalRef: seeded.externalRef, kind: seeded.kind, text: `${String(seeded.text)} (amended)` }],
      },
    })
    t.equal(json(rebatch).items[0].result, 'updated')
    const after = json(await ctx.app.inject({ url: `/v1/outcomes/${seeded.id}`, headers: ctx.admin })) as Rec
    t.same(after.provenance, seeded.provenance, 'a batch update keeps the seeded outcome’s provenance')
  } else t.fail('the seed has outcomes of SOM 2 with an externalRef')

  // Exports stream the representation whole: provenance included.
  const exported = await ctx.app.inject({ url: `/v1/activities/export?planId=${plan.id}`, headers: ctx.admin })
  t.equal(exported.statusCode, 200)
  const line = JSON.parse(exported.body.trim().split('\n')[0]!)
  t.same(line.provenance, mine, 'the NDJSON export carries provenance')
}

async function inferredPartitions(t: Test, ctx: TestContext) {
  // One record surely inferred, whatever data/provenance/ holds today.
  const uniap = seedId('organization', 'uniap')
  await sql`update organizations set provenance = jsonb_set(provenance, '{inferred}', '[{"field": "kind", "reason": "Test."}]')
    where id = ${uniap}`.execute(ctx.database.db)

  const plan = seedId('plan', 'commit-spa-1')
  const project = seedId('project', 'commit-spa-1/PPC 2')
  const meeting = seedId('meeting', 'commit-som-2')
  const lists = [
    '/v1/organizations',
    '/v1/plans',
    `/v1/plans/${plan}/areas`,
    '/v1/activities',
    '/v1/projects',
    `/v1/projects/${project}/results`,
    `/v1/projects/${project}/tasks`,
    '/v1/meetings',
    `/v1/meetings/${meeting}/outcomes`,
    '/v1/outcomes',
    '/v1/training-courses',
    '/v1/indicators',
  ]
  let inferredSeen = 0
  for (const url of lists) {
    const all = await crawl(ctx, url)
    const yes = await crawl(ctx, `${url}?inferred=true`)
    const no = await crawl(ctx, `${url}?inferred=false`)
    t.ok(
      yes.every((r) => r.provenance.inferred.length > 0),
      `${url}?inferred=true: each has an inferred field (${yes.length})`,
    )
    t.ok(
      no.every((r) => r.provenance.inferred.length === 0),
      `${url}?inferred=false: none has one (${no.length})`,
    )
    t.same(
      [...yes, ...no].map((r) => r.id).sort(),
      all.map((r) => r.id).sort(),
      `${url}: the two together are the whole list, each record once`,
    )
    inferredSeen += yes.length
  }
  t.ok(inferredSeen > 0, `the filter found inferred records (${inferredSeen})`)
  t.ok(
    (await crawl(ctx, '/v1/organizations?inferred=true')).some((o) => o.id === uniap),
    'the organization marked inferred is listed by ?inferred=true',
  )
  const exported = await ctx.app.inject({ url: '/v1/organizations/export?inferred=true', headers: ctx.admin })
  t.ok(
    exported.body
      .trim()
      .split('\n')
      .every((l) => JSON.parse(l).provenance.inferred.length > 0),
    'the export takes the filter too',
  )
}

// Each seeded database costs a seed: the checks that read share one (the API's writes last,
// after the walk that expects only seeded records), and the reseed checks share another.
t.test('on one seeded database', async (t) => {
  const ctx = await setup(t)
  await seedDatabase(ctx.database.db)
  await t.test('every seeded record, walked through the API, cites a source document and a place in it', (t) =>
    everySeededRecordCites(t, ctx),
  )
  await t.test('?inferred=true and ?inferred=false partition every list', (t) => inferredPartitions(t, ctx))
  await t.test('records created through the API carry the key that created them; provenance is not writable', (t) =>
    createdThroughTheApi(t, ctx),
  )
})
