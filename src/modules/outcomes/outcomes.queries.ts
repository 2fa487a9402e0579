import { sql, type Selectable } from 'kysely'
import type { Database } from '../../db/database.ts'
import type { OutcomeTable } from '../../db/types.ts'
import { keyset, type PageRequest, type SortTable } from '../../http/pagination.ts'
import type { OutcomeFilters, OutcomeT } from './outcomes.schemas.ts'
import { inferredIs } from '../../db/provenance.queries.ts'
import { provenanceOf, type ProvenanceValue } from '../../schemas/provenance.ts'

export type OutcomeRow = Selectable<OutcomeTable>

/** Everything a client can write about an outcome, with every default filled in. */
export type OutcomeState = Omit<OutcomeT, 'id' | 'meetingId' | 'createdAt' | 'updatedAt' | 'version' | 'provenance'>

export const outcomeSortTable: SortTable = {
  createdAt: { column: 'outcomes.created_at', value: (r: OutcomeRow) => r.createdAt },
  updatedAt: { column: 'outcomes.updated_at', value: (r: OutcomeRow) => r.updatedAt },
  dueDate: { column: 'outcomes.due_sort', value: (r: OutcomeRow) => r.dueSort },
}

/** The one mapping between the table and the API shape (field by field: exports write exactly these). */
export function toOutcome(row: OutcomeRow): OutcomeT {
  return {
    id: row.id,
    meetingId: row.meetingId,
    externalRef: row.externalRef,
    kind: row.kind as OutcomeT['kind'],
    text: row.text,
    status: row.status as OutcomeT['status'],
    dueDate: row.dueDate,
    responsibleOrganizationIds: row.responsibleOrganizationIds,
    activityId: row.activityId,
    projectId: row.projectId,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    version: row.version,
    provenance: provenanceOf(row.provenance),
  }
}

export function stateOf(o: OutcomeT): OutcomeState {
  const { id: _i, meetingId: _m, createdAt: _c, updatedAt: _u, version: _v, provenance: _p, ...state } = o
  return state
}

export function listOutcomes(db: Database, f: OutcomeFilters, page: PageRequest) {
  let q = db.selectFrom('outcomes').selectAll()
  if (f.meetingId) q = q.where('meetingId', '=', f.meetingId)
  if (f.planId) q = q.where('meetingId', 'in', db.selectFrom('meetings').select('id').where('planId', '=', f.planId))
  if (f.kind) q = q.where('kind', '=', f.kind)
  if (f.status) q = q.where('status', '=', f.status)
  if (f.responsibleOrganizationId) {
    q = q.where(
      'id',
      'in',
      db
        .selectFrom('outcomeResponsibleOrganizations')
        .select('outcomeId')
        .where('organizationId', '=', f.responsibleOrganizationId),
    )
  }
  if (f.activityId) q = q.where('activityId', '=', f.activityId)
  if (f.projectId) q = q.where('projectId', '=', f.projectId)
  if (f.dueBefore) q = q.where(sql<boolean>`outcomes.due_date < ${f.dueBefore}::date`)
  if (f.updatedSince) q = q.where('updatedAt', '>=', f.updatedSince)
  if (f.inferred !== undefined) q = q.where(inferredIs('outcomes', f.inferred))
  return keyset(q, page.sort, page.after, page.limit).execute()
}

export function getOutcome(db: Database, id: string) {
  return db.selectFrom('outcomes').selectAll().where('id', '=', id).executeTakeFirst()
}

export function lockOutcome(db: Database, id: string) {
  return db.selectFrom('outcomes').selectAll().where('id', '=', id).forUpdate().executeTakeFirst()
}

const columns = (s: OutcomeState) => ({ ...s, dueSort: s.dueDate ?? 'infinity' })

export async function insertOutcome(db: Database, meetingId: string, s: OutcomeState, provenance: ProvenanceValue) {
  const row = await db
    .insertInto('outcomes')
    .values({ meetingId, ...columns(s), provenance: JSON.stringify(provenance) })
    .returningAll()
    .executeTakeFirstOrThrow()
  await syncResponsibles(db, [row.id], [])
  return row
}

export async function updateOutcome(db: Database, id: string, s: OutcomeState) {
  const row = await db
    .updateTable('outcomes')
    .set(columns(s))
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow()
  await syncResponsibles(db, [row.id])
  return row
}

export function deleteOutcome(db: Database, id: string) {
  return db.deleteFrom('outcomes').where('id', '=', id).execute()
}

/** Deletes a meeting's outcomes and says which (for the change log). */
export function deleteOutcomesOfMeeting(db: Database, meetingId: string) {
  return db.deleteFrom('outcomes').where('meetingId', '=', meetingId).returning(['id', 'version']).execute()
}

/**
 * Mirrors responsible_organization_ids into the link table that gives them foreign keys (an
 * organization still responsible for an outcome cannot be deleted): two statements for any
 * number of outcomes.
 */
export async function syncResponsibles(db: Database, outcomeIds: string[], existing: string[] = outcomeIds) {
  if (outcomeIds.length === 0) return
  // New outcomes have no links yet: only existing ones need theirs removed first.
  if (existing.length)
    await sql`delete from outcome_responsible_organizations where outcome_id = any(${existing}::uuid[])`.execute(db)
  await sql`
    insert into outcome_responsible_organizations (outcome_id, organization_id)
    select o.id, unnest(o.responsible_organization_ids) from outcomes o where o.id = any(${outcomeIds}::uuid[])`.execute(
    db,
  )
}

export interface UpsertItem extends OutcomeState {
  externalRef: string
  /** Seeding gives name-based ids; the API lets Postgres choose. */
  id?: string
  /** False when the poster left status out: a new action item is then open, an existing one keeps its status. */
  statusGiven: boolean
  /** Stored when the outcome is created; an update changes it only where the caller owns it (see upsertOutcomes). */
  provenance: ProvenanceValue
}

export interface UpsertResult {
  externalRef: string
  id: string
  version: number
  result: 'created' | 'updated' | 'unchanged'
  /** For updated outcomes, the state before (to name the changed fields). */
  before: OutcomeState | null
  after: OutcomeRow | null
}

const compared = ['kind', 'text', 'status', 'due_date', 'activity_id', 'project_id', 'responsible_organization_ids']
const cols = (alias: string, names: string[]) => sql.raw(names.map((c) => `${alias}.${c}`).join(', '))

/**
 * One statement for the whole batch: a multi-row insert … on conflict (meeting_id,
 * external_ref) do update, whose update is skipped when the row is already equal. Returns one
 * result per item: inserted rows have xmax = 0; rows the statement did not return are unchanged.
 * The items' externalRefs must be distinct (a statement cannot touch a row twice).
 *
 * `provenance`: `keep` (the API's batch) stores the items' provenance on the outcomes it creates
 * and never changes an existing one's; `replace` (the seed, which owns the citations of the rows
 * it wrote) updates it like any other column.
 */
export async function upsertOutcomes(
  db: Database,
  meetingId: string,
  items: UpsertItem[],
  provenance: 'keep' | 'replace',
): Promise<UpsertResult[]> {
  if (items.length === 0) return []
  const names = provenance === 'replace' ? [...compared, 'provenance'] : compared
  const input = JSON.stringify(
    items.map((i) => ({
      id: i.id ?? null,
      external_ref: i.externalRef,
      kind: i.kind,
      text: i.text,
      status: i.status,
      status_given: i.statusGiven,
      due_date: i.dueDate,
      activity_id: i.activityId,
      project_id: i.projectId,
      responsible_organization_ids: i.responsibleOrganizationIds,
      provenance: i.provenance,
    })),
  )
  const { rows } = await sql<{
    externalRef: string
    id: string
    version: number
    written: boolean
    inserted: boolean | null
    before: OutcomeRow | null
    after: OutcomeRow | null
  }>`
    with input as (
      select * from jsonb_to_recordset(${input}::jsonb) as x(id uuid, external_ref text, kind text, "text" text, status text,
        status_given boolean, due_date date, activity_id uuid, project_id uuid, responsible_organization_ids uuid[], provenance jsonb)
    ),
    prev as (
      -- The refs as an array, so the (meeting_id, external_ref) index finds them whatever the meeting's size.
      select o.* from outcomes o where o.meeting_id = ${meetingId}::uuid and o.external_ref = any(${items.map((i) => i.externalRef)}::text[])
    ),
    up as (
      insert into outcomes as o (id, meeting_id, external_ref, kind, "text", status, due_date, due_sort, activity_id, project_id, responsible_organization_ids, provenance)
      select coalesce(i.id, gen_random_uuid()), ${meetingId}::uuid, i.external_ref, i.kind, i."text",
        case when i.kind <> 'action_item' then null when i.status_given then i.status else coalesce(p.status, 'open') end,
        i.due_date, coalesce(i.due_date, 'infinity'), i.activity_id, i.project_id, i.responsible_organization_ids, i.provenance
      from input i left join prev p on p.external_ref = i.external_ref
      on conflict (meeting_id, external_ref) do update set
        kind = excluded.kind, "text" = excluded."text", status = excluded.status, due_date = excluded.due_date, due_sort = excluded.due_sort,
        activity_id = excluded.activity_id, project_id = excluded.project_id,
        responsible_organization_ids = excluded.responsible_organization_ids${provenance === 'replace' ? sql`, provenance = excluded.provenance` : sql``}
      where (${cols('o', names)}) is distinct from (${cols('excluded', names)})
      returning o.*, (o.xmax = 0) as inserted
    )
    -- One row per item; whole rows only for updates, whose changed fields the change log names.
    select i.external_ref, coalesce(up.id, p.id) as id, coalesce(up.version, p.version) as version, up.id is not null as written, up.inserted,
      case when not up.inserted then to_jsonb(p) end as before,
      case when not up.inserted then to_jsonb(up) end as after
    from input i left join prev p on p.external_ref = i.external_ref left join up on up.external_ref = i.external_ref`.execute(
    db,
  )
  // An item another transaction inserted after our snapshot was taken (the same batch posted
  // twice at once) conflicts, equals, and is written by neither branch: the statement saw no row
  // for it. A new statement sees the committed row, which is what this item now is.
  const unseen = rows.filter((r) => r.id == null).map((r) => r.externalRef)
  if (unseen.length) {
    const found = new Map(
      (
        await db
          .selectFrom('outcomes')
          .select(['externalRef', 'id', 'version'])
          .where('meetingId', '=', meetingId)
          .where('externalRef', 'in', unseen)
          .execute()
      ).map((o) => [o.externalRef, o]),
    )
    for (const r of rows)
      if (r.id == null)
        Object.assign(r, {
          id: found.get(r.externalRef)?.id ?? null,
          version: found.get(r.externalRef)?.version ?? null,
        })
  }
  const asRow = ({ inserted: _i, ...r }: OutcomeRow & { inserted?: boolean }): OutcomeRow => ({
    ...r,
    createdAt: new Date(r.createdAt).toISOString(),
    updatedAt: new Date(r.updatedAt).toISOString(),
  })
  return rows.map((r) => ({
    externalRef: r.externalRef,
    id: r.id,
    version: r.version,
    result: !r.written ? 'unchanged' : r.inserted ? 'created' : 'updated',
    before: r.before ? stateOf(toOutcome(asRow(r.before))) : null,
    after: r.after ? asRow(r.after) : null,
  }))
}
