import type { Database } from '../../db/database.ts'
import { occupationGroups, participantStatuses, sexes } from './participants.schemas.ts'
import type { SummaryCellT, SummaryMeanT, TrainingSummaryT } from './summary.schemas.ts'
import { summaryCounts } from './training.queries.ts'

// The summary everyone may read. Small counts are suppressed so nobody can be singled out
// (statistical disclosure control, as census tables do):
//   1. primary: a count from 1 to minCell − 1 is suppressed;
//   2. complementary: the total is public, so a breakdown with exactly one suppressed cell gives
//      it away (total − the visible cells). While the suppressed cells of a breakdown add up to
//      fewer than minCell, the smallest visible non-zero cell is suppressed as well; what the
//      total minus the visible cells reveals is then a group of at least minCell people;
//   3. means are over the whole course only (never per cell, where a mean over suppressed
//      people could be differenced out), and shown only when at least minCell people have the
//      score.
// Breakdowns are never crossed (no country × sex table), so no cell of one can be derived from
// another's. The total and the status breakdown are not suppressed: the course's seats publish
// them anyway, and they name no attribute of a person.

export function suppress(counts: { key: string | null; n: number }[], minCell: number): SummaryCellT[] {
  const hidden = new Set<number>()
  counts.forEach((c, i) => {
    if (c.n > 0 && c.n < minCell) hidden.add(i)
  })
  const hiddenSum = () => [...hidden].reduce((s, i) => s + counts[i]!.n, 0)
  while (hidden.size > 0 && hiddenSum() < minCell) {
    const next = counts
      .map((c, i) => ({ ...c, i }))
      .filter((c) => c.n > 0 && !hidden.has(c.i))
      .sort((a, b) => a.n - b.n || a.i - b.i)[0]
    if (!next) break
    hidden.add(next.i)
  }
  return counts.map((c, i) =>
    hidden.has(i) ? { key: c.key, count: null, suppressed: true } : { key: c.key, count: c.n, suppressed: false },
  )
}

function mean(value: number | null, count: number, minCell: number): SummaryMeanT {
  if (count === 0) return { mean: null, suppressed: false }
  if (count < minCell) return { mean: null, suppressed: true }
  return { mean: Math.round((value ?? 0) * 100) / 100, suppressed: false }
}

export async function courseSummary(db: Database, courseId: string, minCell: number): Promise<TrainingSummaryT> {
  const { rows, scores } = await summaryCounts(db, courseId)
  const of = (dimension: string, keys?: readonly string[]) => {
    const found = rows.filter((r) => r.dimension === dimension)
    const all = keys ? keys.map((k) => ({ key: k, n: found.find((r) => r.key === k)?.n ?? 0 })) : found
    return all.map((r) => ({ key: r.key, n: r.n }))
  }
  const countries = of('country').sort((a, b) => (a.key ?? '~').localeCompare(b.key ?? '~'))
  return {
    courseId,
    minCell,
    total: scores.total,
    byCountry: suppress(countries, minCell),
    bySex: suppress(of('sex', sexes), minCell),
    byOccupationGroup: suppress(of('occupationGroup', occupationGroups), minCell),
    byStatus: of('status', participantStatuses).map((c) => ({ key: c.key, count: c.n, suppressed: false })),
    preScore: mean(scores.preMean, scores.preCount, minCell),
    postScore: mean(scores.postMean, scores.postCount, minCell),
    gain: mean(scores.gainMean, scores.gainCount, minCell),
  }
}
