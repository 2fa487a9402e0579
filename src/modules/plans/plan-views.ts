import type { AreaT } from '../areas/areas.schemas.ts'
import type { ActivityT } from '../activities/activities.schemas.ts'
import type { AreaNodeT, PlanMatrixT } from './plan-views.schemas.ts'

// Builds the plan views from flat rows, in memory: the SQL stays a fixed handful of statements
// whatever the size of the plan.

/** Nests the nodes (already in sibling order) and hangs each activity on its node. */
export function buildTree(areas: AreaT[], activities: ActivityT[]) {
  const nodes = new Map<string, AreaNodeT & { children: AreaNodeT[] }>(areas.map((a) => [a.id, { ...a, activities: [], children: [] }]))
  const roots: AreaNodeT[] = []
  for (const a of areas) {
    const node = nodes.get(a.id)!
    const parent = a.parentId ? nodes.get(a.parentId) : undefined
    ;(parent ? parent.children : roots).push(node)
  }
  const unassigned: ActivityT[] = []
  for (const activity of activities) {
    const node = activity.areaId ? nodes.get(activity.areaId) : undefined
    ;(node ? node.activities : unassigned).push(activity)
  }
  return { roots, unassigned }
}

/** The nodes in tree order (depth first, siblings in order), each with its depth. */
export function treeOrder(areas: AreaT[]) {
  const children = new Map<string | null, AreaT[]>()
  for (const a of areas) children.set(a.parentId, [...(children.get(a.parentId) ?? []), a])
  const out: { area: AreaT; depth: number }[] = []
  const visit = (parentId: string | null, depth: number) => {
    for (const area of children.get(parentId) ?? []) {
      out.push({ area, depth })
      visit(area.id, depth + 1)
    }
  }
  visit(null, 0)
  return out
}

export const categoryLabels: Record<string, string> = {
  institutional_development: 'Institutional development',
  research: 'Research',
  training: 'Training / capacity building',
  prevention: 'Prevention',
  coordination: 'Coordination',
  monitoring: 'Monitoring',
}

interface Cell {
  row: string | null
  column: string | null
  count: number
  activityIds: string[]
}

/** Row and column headers with totals (distinct activities), around the cells SQL counted. */
export function buildMatrix(planId: string, columns: PlanMatrixT['columns'], areas: AreaT[], cells: Cell[], labelOf: (key: string) => string): PlanMatrixT {
  const distinct = (pick: (c: Cell) => string | null) => {
    const sets = new Map<string | null, Set<string>>()
    for (const c of cells) {
      const set = sets.get(pick(c)) ?? new Set<string>()
      c.activityIds.forEach((id) => set.add(id))
      sets.set(pick(c), set)
    }
    return sets
  }
  const byRow = distinct((c) => c.row)
  const byColumn = distinct((c) => c.column)
  const rowHeaders: PlanMatrixT['rowHeaders'] = treeOrder(areas).map(({ area, depth }) => ({ id: area.id, parentId: area.parentId, code: area.code, title: area.title, kind: area.kind, depth, total: byRow.get(area.id)?.size ?? 0 }))
  if (byRow.has(null)) rowHeaders.push({ id: null, parentId: null, code: null, title: 'No area', kind: null, depth: 0, total: byRow.get(null)!.size })

  // Categories are a fixed set of columns (as in the ASEAN table); other columns are the ones in use.
  const keys = columns === 'category' ? Object.keys(categoryLabels) : [...byColumn.keys()].filter((k): k is string => k !== null)
  const columnHeaders = keys.map((key) => ({ key: key as string | null, label: labelOf(key), total: byColumn.get(key)?.size ?? 0 }))
  if (columns !== 'category') columnHeaders.sort((a, b) => a.label.localeCompare(b.label))
  if (byColumn.has(null)) columnHeaders.push({ key: null, label: 'None', total: byColumn.get(null)!.size })

  const all = new Set(cells.flatMap((c) => c.activityIds))
  const position = new Map<string | null, number>(rowHeaders.map((r, i) => [r.id, i]))
  const sorted = [...cells].sort((a, b) => position.get(a.row)! - position.get(b.row)! || String(a.column).localeCompare(String(b.column)))
  return { planId, rows: 'area', columns, rowHeaders, columnHeaders, cells: sorted, total: all.size }
}
