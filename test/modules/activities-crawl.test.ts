import t from 'tap'
import { json, setup } from '../helpers/app.ts'

// DESIGN §3: a partner crawling /v1/activities?planId=… page by page while activities are
// created and deleted receives every activity that existed throughout exactly once.

t.test('a crawl by planId sees every activity that exists throughout it exactly once', async (t) => {
  const { app, admin } = await setup(t)
  const plan = json(
    await app.inject({
      method: 'POST',
      url: '/v1/plans',
      headers: admin,
      payload: { code: 'COMMIT SPA I', title: 'COMMIT Sub-Regional Plan of Action' },
    }),
  )
  const create = (code: string) =>
    app
      .inject({
        method: 'POST',
        url: '/v1/activities',
        headers: admin,
        payload: { planId: plan.id, code, title: code },
      })
      .then((r) => json(r).id as string)
  const ids: string[] = []
  for (let i = 0; i < 40; i++) ids.push(await create(`Activity ${String(i).padStart(3, '0')}`))
  const deleted = new Set<string>()
  let createdMeanwhile = 0

  for (const sort of ['code', '-code', 'createdAt']) {
    const seen: string[] = []
    let cursor: string | null = null
    let pages = 0
    do {
      const res = await app.inject({
        url: `/v1/activities?planId=${plan.id}&sort=${sort}&limit=7${cursor ? `&cursor=${cursor}` : ''}`,
      })
      t.equal(res.statusCode, 200)
      const page = json(res)
      seen.push(...page.data.map((a: { id: string }) => a.id))
      cursor = page.nextCursor
      pages++
      // Meanwhile: activities are created before and after the crawl's position (they may or may
      // not be returned: both are correct), and deleted — on odd pages one not yet seen.
      await create(`Activity ${sort} ${pages} a`)
      await create(`Activity 000 ${sort} ${pages}`)
      createdMeanwhile += 2
      const victim = ids.find((id) => !deleted.has(id) && (pages % 2 === 0) === seen.includes(id))
      if (victim) {
        t.equal(
          (await app.inject({ method: 'DELETE', url: `/v1/activities/${victim}`, headers: admin })).statusCode,
          204,
        )
        deleted.add(victim)
      }
    } while (cursor)
    t.equal(new Set(seen).size, seen.length, `${sort}: no activity is returned twice`)
    const throughout = ids.filter((id) => !deleted.has(id))
    t.same(
      throughout.filter((id) => !seen.includes(id)),
      [],
      `${sort}: every activity that existed throughout was returned`,
    )
  }
  t.ok(deleted.size > 10 && createdMeanwhile > 20, 'the crawls ran under real churn')
})
