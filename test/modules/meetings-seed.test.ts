import t from 'tap'
import ical from 'node-ical'
import { json, setup } from '../helpers/app.ts'
import { seedDatabase } from '../../src/seed/index.ts'
import { seedId } from '../../src/schemas/seed-ids.ts'

// The meetings the seed documents name, loaded with the rest of the seed and read through the API.

t.test('seeded meetings and outcomes', async (t) => {
  const ctx = await setup(t)
  const first = await seedDatabase(ctx.database.db)
  t.ok(first.created > 0)
  const second = await seedDatabase(ctx.database.db)
  t.same(
    { created: second.created, updated: second.updated },
    { created: 0, updated: 0 },
    'seeding again changes nothing',
  )

  const get = async (url: string) => {
    const res = await ctx.app.inject({ url })
    t.equal(res.statusCode, 200, url)
    return json(res)
  }
  const som2 = await get(`/v1/meetings/${seedId('meeting', 'commit-som-2')}`)
  t.match(som2, {
    kind: 'senior_officials',
    sequence: 'SOM 2',
    status: 'held',
    startDate: '2004-10-28',
    endDate: '2004-10-28',
    timeZone: 'Asia/Yangon',
    venue: { city: 'Yangon', country: 'MM' },
    planId: seedId('plan', 'commit-spa-1'),
  })
  t.equal(som2.activityIds.length, 18, 'SOM 2 agreed the framework of all 18 activities')
  t.equal(som2.activityIds[17], seedId('activity', 'commit-spa-1/Activity 18'))
  t.same(som2.organizerIds, [seedId('organization', 'uniap')])

  const outcomes = (await get(`/v1/meetings/${som2.id}/outcomes`)).data
  const adoption = outcomes.find((o: { externalRef: string }) => o.externalRef === 'som2-framework')
  t.match(
    adoption,
    { id: seedId('outcome', 'commit-som-2/som2-framework'), kind: 'decision', status: null },
    'the framework’s adoption is its outcome',
  )
  const tor = outcomes.find((o: { externalRef: string }) => o.externalRef === 'som2-a18-tor')
  t.match(tor, {
    kind: 'action_item',
    status: 'open',
    activityId: seedId('activity', 'commit-spa-1/Activity 18'),
    projectId: seedId('project', 'commit-spa-1/PP 12'),
  })
  t.equal(tor.responsibleOrganizationIds.length, 7, 'the six COMMIT Task Forces and UNIAP')

  const mou = await get(`/v1/meetings/${seedId('meeting', 'commit-mou-2004')}`)
  // No document says what sort of meeting the signing was: its kind is not known (null).
  t.match(mou, { kind: null, status: 'held', startDate: '2004-10-29', planId: null, venue: null })
  t.match((await get(`/v1/meetings/${mou.id}/outcomes`)).data, [{ externalRef: 'commit-mou', kind: 'agreement' }])

  const roundtables = (await get('/v1/meetings?kind=roundtable&status=held&limit=100')).data
  t.same(
    roundtables
      .map((m: { sequence: string }) => m.sequence)
      .filter(Boolean)
      .sort(),
    [1, 2, 3, 4, 5, 6, 7].map((n) => `Roundtable ${n}`),
    'the seven roundtables of January–February 2005',
  )
  const som3 = await get(`/v1/meetings/${seedId('meeting', 'commit-som-3')}`)
  t.equal(som3.agenda.length, 3)
  t.same(som3.documents, [], 'a document without a URL is left out (see data/README.seed-notes.md)')

  const commit = seedId('plan', 'commit-spa-1')
  const planned = (await get(`/v1/meetings?status=planned&planId=${commit}&limit=100`)).data
  // 46 once, before the seven bilateral pairs PPC 2 lists became options beside its one pilot.
  t.equal(planned.length, 40)
  t.ok(
    planned.every(
      (m: { activityIds: string[]; projectIds: string[] }) => m.activityIds.length > 0 && m.projectIds.length === 1,
    ),
    'each planned meeting serves its PPC and activities',
  )
  const ppc4 = seedId('project', 'commit-spa-1/PPC 4')
  t.equal((await get(`/v1/meetings?projectId=${ppc4}&limit=100`)).data.length, 7, 'PPC 4 plans seven meetings')
  const activity2 = seedId('activity', 'commit-spa-1/Activity 2')
  t.ok(
    (await get(`/v1/meetings?activityId=${activity2}&limit=100`)).data.some(
      (m: { id: string }) => m.id === seedId('meeting', 'commit-ppc4-labour-migration-seminar'),
    ),
  )
  t.equal(
    (
      await get(
        `/v1/outcomes?kind=action_item&status=open&responsibleOrganizationId=${seedId('organization', 'commit-tf-la')}`,
      )
    ).data.length,
    3,
  )

  const feed = await ctx.app.inject({ url: '/v1/meetings.ics?from=2004-01-01&to=2004-12-31' })
  const events = Object.values(ical.sync.parseICS(feed.body)).filter((c) => c?.type === 'VEVENT') as ical.VEvent[]
  t.same(events.map((e) => e.summary).sort(), ['SOM 2: Senior Officials Meeting II', mou.title].sort())
})
