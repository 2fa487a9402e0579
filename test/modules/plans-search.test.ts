import t from 'tap'
import { json, setup } from '../helpers/app.ts'

// Finding a plan by its code, and searching plans with the best matches first.

t.test('plans by code, and q ranked by how well it matches', async (t) => {
  const { app, admin } = await setup(t)
  const create = (code: string, title: string) =>
    app.inject({ method: 'POST', url: '/v1/plans', headers: admin, payload: { code, title } }).then((r) => json(r))
  const commit = await create('COMMIT SPA I', 'COMMIT Sub-Regional Plan of Action')
  await create('APA', 'ASEAN Plan of Action Against Trafficking in Persons, Especially Women and Children')
  await create(
    'ASEAN-DECL-ACTIONS',
    'Actions of the Association of Southeast Asian Nations to implement the ASEAN Declaration',
  )
  await create('BALI-AP', 'Bali Process action plan, with the participation of ASEAN members')
  await create('EU-ASEAN', 'Plan for EU–ASEAN cooperation')
  await create('MISC-1', 'Mentions preaseanist writing')
  await create('AAA-1', 'Cooperation with ASEAN')
  await create('SPA 10', 'Plan ten')
  await create('SPA 2', 'Plan two')

  t.test('GET /v1/plans/by-code/{code}', async (t) => {
    const res = await app.inject({ url: '/v1/plans/by-code/COMMIT%20SPA%20I' })
    t.equal(res.statusCode, 200)
    t.equal(json(res).id, commit.id)
    t.equal(res.headers.etag, `"${commit.version}"`)
    t.equal(
      (
        await app.inject({
          url: '/v1/plans/by-code/COMMIT%20SPA%20I',
          headers: { 'if-none-match': res.headers.etag as string },
        })
      ).statusCode,
      304,
    )
    const missing = await app.inject({ url: '/v1/plans/by-code/COMMIT%20SPA%20IX' })
    t.equal(missing.statusCode, 404)
    t.match(json(missing), { type: '/problems/not-found', detail: 'No plan with code COMMIT SPA IX.' })
    t.equal((await app.inject({ url: '/v1/plans/by-code/commit%20spa%20i' })).statusCode, 404, 'codes are exact')
    t.equal((await app.inject({ url: `/v1/plans/${commit.id}` })).statusCode, 200, 'by-code does not shadow /{id}')
  })

  t.test('?code= is an exact filter', async (t) => {
    t.same(
      json(await app.inject({ url: '/v1/plans?code=COMMIT%20SPA%20I' })).data.map((p: { id: string }) => p.id),
      [commit.id],
    )
    t.same(json(await app.inject({ url: '/v1/plans?code=COMMIT' })).data, [])
  })

  const codes = async (query: string) => {
    const res = await app.inject({ url: `/v1/plans?${query}` })
    t.equal(res.statusCode, 200, query)
    return json(res).data.map((p: { code: string }) => p.code)
  }

  t.test('q puts what a newcomer means first', async (t) => {
    t.same(
      await codes('q=ASEAN'),
      ['APA', 'ASEAN-DECL-ACTIONS', 'AAA-1', 'BALI-AP', 'EU-ASEAN', 'MISC-1'],
      'code or title starting with the term, then a word starting with it, then anywhere; ties by code',
    )
    t.same(await codes('q=apa'), ['APA'], 'the plan whose code is the term, in any case')
    t.same(
      await codes('q=spa'),
      ['SPA 2', 'SPA 10', 'COMMIT SPA I'],
      'starting with it before a word inside; ties in natural order',
    )
    t.same(
      await codes('q=ASEAN&sort=code'),
      ['AAA-1', 'APA', 'ASEAN-DECL-ACTIONS', 'BALI-AP', 'EU-ASEAN', 'MISC-1'],
      'an explicit sort is kept',
    )
    t.same(await codes('q=A%25'), [], 'LIKE wildcards in q are literal')
    t.same(await codes('q=EU%E2%80%93ASEAN'), ['EU-ASEAN'], 'punctuation in q is literal')
  })

  t.test('relevance pages with cursors like any sort', async (t) => {
    const seen: string[] = []
    let cursor: string | null = null
    do {
      const page: { data: { code: string }[]; nextCursor: string | null } = json(
        await app.inject({ url: `/v1/plans?q=ASEAN&limit=2${cursor ? `&cursor=${cursor}` : ''}` }),
      )
      seen.push(...page.data.map((p) => p.code))
      cursor = page.nextCursor
    } while (cursor)
    t.same(seen, ['APA', 'ASEAN-DECL-ACTIONS', 'AAA-1', 'BALI-AP', 'EU-ASEAN', 'MISC-1'])
    const noQ = await app.inject({ url: '/v1/plans?sort=relevance' })
    t.equal(noQ.statusCode, 400)
    t.match(json(noQ).errors, [{ pointer: '/query/sort', detail: /needs q/ }])
    t.same(await codes('limit=3'), ['AAA-1', 'APA', 'ASEAN-DECL-ACTIONS'], 'without q the default is still code')
    t.same(await codes('q=Plan&sort=-code&limit=2'), ['SPA 10', 'SPA 2'], '-code is natural, descending')
  })
})
