import t, { type Test } from 'tap'
import { json, setup, type TestContext } from '../helpers/app.ts'
import { createMeeting, planningFixture, type Planning } from './meetings.fixtures.ts'

// The script a secretariat runs after a meeting, on a connection that drops.

function outcomes(n: number, p: Planning, overrides: (i: number) => object = () => ({})) {
  return Array.from({ length: n }, (_, i) => ({
    externalRef: `som2-${String(i + 1).padStart(4, '0')}`,
    kind: i % 4 === 0 ? 'decision' : 'action_item',
    text: `Outcome ${i + 1} of the Senior Officials Meeting`,
    ...(i % 4 === 0
      ? {}
      : {
          responsibleOrganizationIds: [p.orgs.uniap, i % 2 ? p.orgs.tfLa : p.orgs.tfTh],
          dueDate: '2005-06-30',
          activityId: p.activityIds[i % 3],
        }),
    ...overrides(i),
  }))
}

async function context(t: Test) {
  const ctx = await setup(t)
  const p = await planningFixture(ctx)
  const m = await createMeeting(ctx, {
    kind: 'senior_officials',
    title: 'SOM 2',
    status: 'held',
    startDate: '2004-10-28',
    countries: ['LA', 'TH'],
  })
  const post = (items: unknown[], query = '', headers: Record<string, string> = {}) =>
    ctx.app.inject({
      method: 'POST',
      url: `/v1/meetings/${m.id}/outcomes/batch${query}`,
      headers: { ...ctx.admin, ...headers },
      payload: { items },
    })
  const stored = async () =>
    await ctx.database.db.selectFrom('outcomes').selectAll().where('meetingId', '=', m.id).execute()
  return { ctx, p, m, post, stored }
}

const changeCount = async (ctx: TestContext) =>
  Number(
    (
      await ctx.database.db
        .selectFrom('changes')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('resource', '=', 'outcome')
        .executeTakeFirstOrThrow()
    ).n,
  )

t.test('the same batch of 200 posted twice: 200 outcomes, none twice', async (t) => {
  const { ctx, p, post, stored } = await context(t)
  const items = outcomes(200, p)

  const first = await post(items, '', { 'idempotency-key': 'som2-outcomes-1' })
  t.equal(first.statusCode, 200)
  t.same(json(first).summary, { total: 200, created: 200, updated: 0, unchanged: 0, rejected: 0 })
  t.equal(await changeCount(ctx), 200, 'one change per created outcome')
  // The connection dropped before the script saw that answer: it posts again.

  const replay = await post(items, '', { 'idempotency-key': 'som2-outcomes-1' })
  t.equal(replay.statusCode, 200)
  t.equal(replay.headers['idempotent-replayed'], 'true', 'with the same Idempotency-Key the first answer comes back …')
  t.same(json(replay), json(first), '… as it was, telling the script what its lost request did')

  const retry = await post(items)
  t.equal(retry.statusCode, 200)
  t.same(
    json(retry).summary,
    { total: 200, created: 0, updated: 0, unchanged: 200, rejected: 0 },
    'without the key (or with a new one): 200 unchanged',
  )
  t.ok(
    json(retry).items.every(
      (r: { result: string; version: number }, i: number) =>
        r.result === 'unchanged' && r.version === 1 && json(first).items[i].id === (r as unknown as { id: string }).id,
    ),
    'each item names the outcome it matched',
  )
  t.same(json(await post(items, '', { 'idempotency-key': 'som2-outcomes-2' })).summary.unchanged, 200)

  const rows = await stored()
  t.equal(rows.length, 200, '200 outcomes exist')
  t.equal(new Set(rows.map((r) => r.externalRef)).size, 200, 'none twice')
  t.ok(
    rows.every((r) => r.version === 1),
    'and none was rewritten',
  )
  t.equal(await changeCount(ctx), 200, 'the retries added nothing to the change log')
  const links = await ctx.database.db
    .selectFrom('outcomeResponsibleOrganizations')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow()
  t.equal(Number(links.n), 150 * 2, 'responsible organizations are linked once each')
})

t.test('one invalid item in an atomic batch writes nothing and names the item', async (t) => {
  const { p, post, stored } = await context(t)
  const items: unknown[] = outcomes(50, p)
  const item = (i: number) => items[i] as Record<string, unknown>
  items[17] = { ...item(17), kind: 'resolution' }
  const res = await post(items)
  t.equal(res.statusCode, 422)
  const problem = json(res)
  t.equal(problem.type, '/problems/rule-violation')
  t.match(problem.detail, /item 17/)
  t.same(problem.errors, [
    {
      pointer: '/body/items/17/kind',
      detail: 'must be one of: decision, recommendation, agreement, action_item, finding',
    },
  ])
  t.match(problem.items, [
    { index: 17, externalRef: 'som2-0018', result: 'rejected', errors: [{ pointer: '/body/items/17/kind' }] },
  ])
  t.equal(problem.items.length, 1)
  t.equal((await stored()).length, 0, 'nothing was written')

  // Every invalid item is listed, whatever is wrong with it.
  const nobody = '00000000-0000-4000-8000-000000000000'
  items[17] = { ...item(17), kind: 'decision', dueDate: null, responsibleOrganizationIds: [] }
  items[3] = { ...item(3), text: '' }
  items[8] = { ...item(8), status: 'open' } // a decision: no status
  items[9] = { ...item(9), activityId: nobody, responsibleOrganizationIds: [p.orgs.uniap, nobody] }
  items[10] = { ...item(10), externalRef: item(2).externalRef }
  items[11] = 'not an outcome'
  items[12] = { ...item(12), colour: 'red' }
  const many = json(await post(items))
  t.same(
    many.items.map((i: { index: number }) => i.index),
    [3, 8, 9, 10, 11, 12],
  )
  t.same(
    many.errors.map((e: { pointer: string }) => e.pointer),
    [
      '/body/items/3/text',
      '/body/items/8/status',
      '/body/items/9/activityId',
      '/body/items/9/responsibleOrganizationIds/1',
      '/body/items/10/externalRef',
      '/body/items/11',
      '/body/items/12/colour',
    ],
  )
  t.equal((await stored()).length, 0)
})

t.test('partial mode, dry runs, updates and limits', async (t) => {
  const { ctx, p, m, post, stored } = await context(t)
  const items: Record<string, unknown>[] = outcomes(10, p)
  items[4] = { ...items[4], kind: 'nope' }

  const dry = await post(items, '?mode=partial&dryRun=true')
  t.equal(dry.statusCode, 200)
  t.match(json(dry), { mode: 'partial', dryRun: true, summary: { total: 10, created: 9, rejected: 1 } })
  t.equal(json(dry).items[0].id, null, 'a would-be outcome has no id yet')
  t.equal((await stored()).length, 0, 'a dry run writes nothing')
  t.equal((await post(items, '?dryRun=true')).statusCode, 422, 'an atomic dry run answers as the real run would')

  const partial = json(await post(items, '?mode=partial'))
  t.same(partial.summary, { total: 10, created: 9, updated: 0, unchanged: 0, rejected: 1 })
  t.match(partial.items[4], { index: 4, result: 'rejected', id: null, errors: [{ pointer: '/body/items/4/kind' }] })
  t.equal((await stored()).length, 9)

  // Someone marks an action item done; the script later re-posts with one text corrected.
  const done = partial.items[1].id
  await ctx.app.inject({
    method: 'PATCH',
    url: `/v1/outcomes/${done}`,
    headers: ctx.admin,
    payload: { status: 'done' },
  })
  items[4] = { ...items[4], kind: 'finding' }
  items[2] = { ...items[2], text: 'Corrected text' }
  const preview = json(await post(items, '?dryRun=true'))
  t.same(
    preview.summary,
    { total: 10, created: 1, updated: 1, unchanged: 8, rejected: 0 },
    'a dry run tells updated from unchanged',
  )
  const second = json(await post(items))
  t.same(second.summary, { total: 10, created: 1, updated: 1, unchanged: 8, rejected: 0 })
  t.match(second.items[2], { result: 'updated', version: 2 })
  t.match(second.items[1], { result: 'unchanged', id: done, version: 2 })
  t.equal(
    json(await ctx.app.inject({ url: `/v1/outcomes/${done}` })).status,
    'done',
    'a status left out is kept, not reset to open',
  )
  const changes = await ctx.database.db
    .selectFrom('changes')
    .selectAll()
    .where('resourceId', '=', second.items[2].id)
    .orderBy('id')
    .execute()
  t.same(
    changes.map((c) => [c.operation, c.fields]),
    [
      [
        'create',
        ['externalRef', 'kind', 'text', 'status', 'dueDate', 'responsibleOrganizationIds', 'activityId', 'projectId'],
      ],
      ['update', ['text']],
    ],
  )
  const reopened = json(await post([{ ...items[1], status: 'open' }]))
  t.match(reopened.items[0], { result: 'updated', version: 3 }, 'a status that is sent is applied')
  const shrunk = json(await post([{ ...items[1], status: 'open', responsibleOrganizationIds: [] }]))
  t.match(shrunk.items[0], { result: 'updated' }, 'fields left out are cleared: an item is the whole outcome')
  t.same(json(await ctx.app.inject({ url: `/v1/outcomes/${done}` })).responsibleOrganizationIds, [])

  const tooMany = await post(outcomes(1001, p))
  t.equal(tooMany.statusCode, 400)
  t.match(json(tooMany).errors, [{ pointer: '/body/items', detail: /1000/ }])
  t.equal((await post([])).statusCode, 400)
  t.equal(
    (
      await ctx.app.inject({
        method: 'POST',
        url: `/v1/meetings/${m.id}/outcomes/batch`,
        headers: ctx.admin,
        payload: { items: [], extra: 1 },
      })
    ).statusCode,
    400,
  )
  t.equal(
    (
      await ctx.app.inject({
        method: 'POST',
        url: '/v1/meetings/00000000-0000-4000-8000-000000000000/outcomes/batch',
        headers: ctx.admin,
        payload: { items: outcomes(1, p) },
      })
    ).statusCode,
    404,
  )
  const reader = await ctx.key(['read'])
  t.equal((await post(outcomes(1, p), '', reader)).statusCode, 403)
  const lao = await ctx.key(['meetings:write'], { countries: ['LA'] })
  t.equal(
    (await post(outcomes(1, p), '', lao)).statusCode,
    403,
    'a Lao key may not post outcomes of a Lao-Thai meeting',
  )
})

t.test('a batch of 1 000', async (t) => {
  const { p, post, stored } = await context(t)
  const items = outcomes(1000, p, (i) => ({ text: `Outcome ${i + 1}: ${'x'.repeat(200)}` }))
  await post(outcomes(1, p, () => ({ externalRef: 'warm-up' })))
  const started = performance.now()
  const res = await post(items)
  const ms = performance.now() - started
  t.equal(res.statusCode, 200)
  t.equal(json(res).summary.created, 1000)
  t.equal((await stored()).length, 1001)
  t.comment(`1 000 outcomes in ${ms.toFixed(0)} ms (npm run bench measures it properly)`)
  const again = performance.now()
  t.equal(json(await post(items)).summary.unchanged, 1000)
  t.comment(`the same 1 000 again in ${(performance.now() - again).toFixed(0)} ms`)
})
