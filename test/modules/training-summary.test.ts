import t from 'tap'
import { json, setup, type TestContext } from '../helpers/app.ts'
import { createCourse } from './training.fixtures.ts'

// The summary everyone may read: counts by country, sex, occupation group and status, means of
// the scores; small counts suppressed, and a second cell where the total would give one away.

type Cell = { key: string | null; count: number | null; suppressed: boolean }

async function courseWith(ctx: TestContext, people: Record<string, unknown>[]) {
  const course = await createCourse(ctx, { maxParticipants: 100 })
  const res = await ctx.app.inject({
    method: 'POST',
    url: `/v1/training-courses/${course.id}/participants/batch`,
    headers: ctx.admin,
    payload: { items: people.map((p, i) => ({ externalRef: `p${i}`, name: `Person ${i}`, ...p })) },
  })
  if (res.statusCode !== 200) throw new Error(res.body)
  return course.id as string
}

const repeat = (n: number, p: Record<string, unknown>) => Array.from({ length: n }, () => ({ ...p }))
const summaryOf = async (ctx: TestContext, id: string) => {
  const res = await ctx.app.inject({ url: `/v1/training-courses/${id}/summary` })
  if (res.statusCode !== 200) throw new Error(res.body)
  return json(res)
}
const byKey = (cells: Cell[]) => Object.fromEntries(cells.map((c) => [c.key, c.suppressed ? 'suppressed' : c.count]))
/** What the total minus the visible cells reveals. */
const residual = (total: number, cells: Cell[]) => total - cells.reduce((n, c) => n + (c.count ?? 0), 0)

// One app for the default threshold (a setup costs seconds on a busy machine).
const ctx = await setup(t)

t.test('counts under 3 are suppressed; a second cell when one would be given away', async (t) => {
  const id = await courseWith(ctx, [
    ...repeat(5, { country: 'LA', sex: 'female', occupationGroup: 'police' }),
    ...repeat(4, { country: 'TH', sex: 'male', occupationGroup: 'police' }),
    ...repeat(2, { country: 'VN', sex: 'male', occupationGroup: 'judge' }),
  ])
  const s = await summaryOf(ctx, id)
  t.equal(s.minCell, 3)
  t.equal(s.total, 11)
  // VN (2) alone would be 11 − 5 − 4: TH, the smallest visible, is suppressed with it.
  t.same(byKey(s.byCountry), { LA: 5, TH: 'suppressed', VN: 'suppressed' })
  t.ok(residual(s.total, s.byCountry) >= 3, 'the total minus the visible cells is a group of at least 3')
  t.same(byKey(s.bySex), { female: 5, male: 6, unspecified: 0 }, 'nothing to suppress; zeros are shown')
  t.same(byKey(s.byOccupationGroup), {
    police: 'suppressed',
    prosecutor: 0,
    judge: 'suppressed',
    immigration: 0,
    labour_inspector: 0,
    social_worker: 0,
    other: 0,
  })
  t.ok(residual(s.total, s.byOccupationGroup) >= 3)
  t.same(
    s.byCountry.filter((c: Cell) => c.suppressed),
    [
      { key: 'TH', count: null, suppressed: true },
      { key: 'VN', count: null, suppressed: true },
    ],
    'a suppressed cell is null with suppressed: true',
  )
  t.match(byKey(s.byStatus), { confirmed: 11 }, 'statuses are not suppressed (the seats publish them)')

  // Two small cells that add up to 3 already: no second suppression needed.
  const id2 = await courseWith(ctx, [
    ...repeat(5, { country: 'LA' }),
    ...repeat(4, { country: 'TH' }),
    ...repeat(2, { country: 'VN' }),
    ...repeat(1, { country: 'KH' }),
  ])
  t.same(byKey((await summaryOf(ctx, id2)).byCountry), { KH: 'suppressed', LA: 5, TH: 4, VN: 'suppressed' })
})

t.test('means: over the course only, suppressed when fewer than 3 have the score', async (t) => {
  const id = await courseWith(ctx, [
    { country: 'LA', preScore: 40, postScore: 70 },
    { country: 'LA', preScore: 50, postScore: 80 },
    { country: 'LA', preScore: 60 },
    { country: 'LA' },
  ])
  const s = await summaryOf(ctx, id)
  t.same(s.preScore, { mean: 50, suppressed: false })
  t.same(s.postScore, { mean: null, suppressed: true }, 'two post scores: suppressed')
  t.same(s.gain, { mean: null, suppressed: true })
  const none = await summaryOf(ctx, await courseWith(ctx, [{ country: 'LA' }]))
  t.same(none.preScore, { mean: null, suppressed: false }, 'nobody scored: nothing to hide')
  t.same(byKey(none.byCountry), { LA: 'suppressed' })
})

t.test('the threshold is configurable (SUMMARY_MIN_CELL) and the summary is for every reader', async (t) => {
  const ctx = await setup(t, { SUMMARY_MIN_CELL: 5 })
  const id = await courseWith(ctx, [
    ...repeat(6, { country: 'LA', preScore: 50, postScore: 60 }),
    ...repeat(4, { country: 'TH', preScore: 30, postScore: 60 }),
    ...repeat(3, { country: 'VN' }),
  ])
  const s = await summaryOf(ctx, id)
  t.equal(s.minCell, 5)
  t.same(byKey(s.byCountry), { LA: 6, TH: 'suppressed', VN: 'suppressed' })
  t.same(s.gain, { mean: 18, suppressed: false })
  const missing = await ctx.app.inject({ url: '/v1/training-courses/00000000-0000-4000-8000-00000000dead/summary' })
  t.equal(missing.statusCode, 404)
})
