import t from 'tap'
import { json, setup } from '../helpers/app.ts'
import { seedDatabase } from '../../src/seed/index.ts'
import { seedSampleMeasurements } from '../../src/seed/indicators.ts'
import { seedId } from '../../src/schemas/seed-ids.ts'

// The COMMIT indicators the seed derives from the plan's expected results: linked to their
// project and result, with targets and the lines they come from, and no invented values.

t.test('seeded indicators: linked, cited, targets over 2005S1–2007S2, no values', async (t) => {
  const ctx = await setup(t)
  await seedDatabase(ctx.database.db)
  const commit = seedId('plan', 'commit-spa-1')
  const list = json(await ctx.app.inject({ url: `/v1/indicators?planId=${commit}&limit=100`, headers: ctx.admin }))
  t.same(
    list.data.map((i: { code: string }) => i.code),
    ['PP 12.a', 'PP 12.b', 'PPC 1.a', 'PPC 1.b', 'PPC 2.a', 'PPC 3.a', 'PPC 6.a'],
  )
  const npa = list.data.find((i: { code: string }) => i.code === 'PPC 3.a')
  t.equal(npa.projectId, seedId('project', 'commit-spa-1/PPC 3'))
  t.equal(npa.resultId, seedId('result', 'commit-spa-1/PPC 3/1'))
  t.equal(npa.activityId, seedId('activity', 'commit-spa-1/Activity 4'))
  t.equal(npa.provenance.origin, 'source')
  t.match(npa.provenance.sources[0], { document: 'commit-spa', locator: 'line 158' })
  t.equal(npa.provenance.inferred[0].field, 'targets')

  const trained = list.data.find((i: { code: string }) => i.code === 'PPC 1.b')
  const targets = json(await ctx.app.inject({ url: `/v1/indicators/${trained.id}/targets`, headers: ctx.admin }))
  t.same(
    targets.data.map((x: { period: string }) => x.period),
    ['2005S1', '2005S2', '2006S1', '2006S2', '2007S1', '2007S2'],
  )
  const total = targets.data.reduce((n: number, x: { target: number }) => n + x.target, 0)
  t.ok(total >= 120 && total <= 180, `persons trained over the plan: ${total}, within 120–180`)
  t.equal(targets.data[0].provenance.inferred[0].field, 'target')

  const values = await ctx.database.db.selectFrom('measurements').select('id').execute()
  t.equal(values.length, 0, 'the seed invents no values')

  const again = await seedDatabase(ctx.database.db)
  t.equal(again.created + again.updated, 0, 'a second run writes nothing')

  // Sample values only when asked, labelled, never over a real value.
  await ctx.app.inject({
    method: 'POST',
    url: `/v1/indicators/${npa.id}/measurements`,
    headers: ctx.admin,
    payload: { period: '2005S1', country: 'KH', value: 1, status: 'verified' },
  })
  const written = await seedSampleMeasurements(ctx.database.db)
  t.ok(written > 0)
  const samples = await ctx.database.db.selectFrom('measurements').selectAll().where('source', '=', 'sample').execute()
  t.equal(samples.length, written)
  t.ok(samples.every((m) => m.status === 'draft' && m.comment === 'sample value, not data'))
  const real = await ctx.database.db
    .selectFrom('measurements')
    .selectAll()
    .where('indicatorId', '=', npa.id)
    .where('period', '=', '2005S1')
    .where('country', '=', 'KH')
    .executeTakeFirstOrThrow()
  t.match(real, { status: 'verified', value: 1, source: null }, 'a real value is left alone')
  t.equal(await seedSampleMeasurements(ctx.database.db), 0, 'a second run adds none')
})
