import type { AreaT } from '../areas/areas.schemas.ts'
import type { ActivityT } from '../activities/activities.schemas.ts'
import type { AreaNodeT, PlanMatrixT } from './plan-views.schemas.ts'

// Builds the plan views from flat rows, in memory: the SQL stays a fixed handful of statements
// whatever the size of the plan.

/** Nests the nodes (already in sibling order) and hangs each activity on its node. */
export function buildTree(areas: AreaT[], activities: ActivityT[]) {
  const nodes = new Map<string, AreaNodeT & { children: AreaNodeT[] }>(
    areas.map((a) => [a.id, { ...a, activities: [], children: [] }]),
  )
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

const union = (into: Set<string>, ids: Iterable<string>) => {
  for (const id of ids) into.add(id)
  return into
}

/**
 * Row and column headers around the cells SQL counted, with totals of distinct activities. A
 * row's `total` (and a cell's) rolls up the nodes below it: sets of ids are merged from the
 * leaves up, so an activity is counted once however it is reached.
 */
export function buildMatrix(
  planId: string,
  columns: PlanMatrixT['columns'],
  areas: AreaT[],
  cells: Cell[],
  labelOf: (key: string) => string,
): PlanMatrixT {
  const own = new Map<string | null, Set<string>>() // row → its own activities
  const ownCells = new Map<string | null, Map<string | null, Cell>>() // row → column → cell
  const byColumn = new Map<string | null, Set<string>>()
  for (const c of cells) {
    own.set(c.row, union(own.get(c.row) ?? new Set(), c.activityIds))
    byColumn.set(c.column, union(byColumn.get(c.column) ?? new Set(), c.activityIds))
    ownCells.set(c.row, (ownCells.get(c.row) ?? new Map()).set(c.column, c))
  }

  // Children come after their parent in tree order, so walking it backwards merges every
  // node's subtree into it before the node itself is merged into its parent.
  const order = treeOrder(areas)
  const rolled = new Map<string, Set<string>>()
  const rolledCells = new Map<string, Map<string | null, Set<string>>>()
  for (let i = order.length - 1; i >= 0; i--) {
    const { area } = order[i]!
    const total = union(rolled.get(area.id) ?? new Set(), own.get(area.id) ?? [])
    const byCol = rolledCells.get(area.id) ?? new Map<string | null, Set<string>>()
    for (const [column, cell] of ownCells.get(area.id) ?? [])
      byCol.set(column, union(byCol.get(column) ?? new Set(), cell.activityIds))
    rolled.set(area.id, total)
    rolledCells.set(area.id, byCol)
    if (area.parentId) {
      rolled.set(area.parentId, union(rolled.get(area.parentId) ?? new Set(), total))
      const parent = rolledCells.get(area.parentId) ?? new Map<string | null, Set<string>>()
      for (const [column, ids] of byCol) parent.set(column, union(parent.get(column) ?? new Set(), ids))
      rolledCells.set(area.parentId, parent)
    }
  }

  const rowHeaders: PlanMatrixT['rowHeaders'] = order.map(({ area, depth }) => ({
    id: area.id,
    parentId: area.parentId,
    code: area.code,
    title: area.title,
    kind: area.kind,
    depth,
    total: rolled.get(area.id)?.size ?? 0,
    own: own.get(area.id)?.size ?? 0,
  }))
  if (own.has(null))
    rowHeaders.push({
      id: null,
      parentId: null,
      code: null,
      title: 'No area',
      kind: null,
      depth: 0,
      total: own.get(null)!.size,
      own: own.get(null)!.size,
    })

  // Categories are a fixed set of columns (as in the ASEAN table); other columns are the ones in use.
  const keys =
    columns === 'category' ? Object.keys(categoryLabels) : [...byColumn.keys()].filter((k): k is string => k !== null)
  const columnHeaders = keys.map((key) => ({
    key: key as string | null,
    label: labelOf(key),
    total: byColumn.get(key)?.size ?? 0,
  }))
  if (columns !== 'category') columnHeaders.sort((a, b) => a.label.localeCompare(b.label))
  if (byColumn.has(null)) columnHeaders.push({ key: null, label: 'None', total: byColumn.get(null)!.size })

  const out: PlanMatrixT['cells'] = []
  for (const { id: row } of rowHeaders) {
    const totals =
      row === null
        ? new Map([...(ownCells.get(null) ?? [])].map(([column, cell]) => [column, new Set(cell.activityIds)]))
        : (rolledCells.get(row) ?? new Map<string | null, Set<string>>())
    const columnsOfRow = [...totals.keys()].sort((a, b) => String(a).localeCompare(String(b)))
    for (const column of columnsOfRow) {
      const cell = ownCells.get(row)?.get(column)
      out.push({
        row,
        column,
        count: cell?.count ?? 0,
        own: cell?.count ?? 0,
        total: totals.get(column)!.size,
        activityIds: cell?.activityIds ?? [],
      })
    }
  }
  const all = new Set(cells.flatMap((c) => c.activityIds))
  return { planId, rows: 'area', columns, rowHeaders, columnHeaders, cells: out, total: all.size }
}
