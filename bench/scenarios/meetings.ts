import { sql } from 'kysely'
import { idKey, resolveSort, type PageRequest } from '../../src/http/pagination.ts'
import { listMeetings, meetingSortTable, type MeetingRow } from '../../src/modules/meetings/meetings.queries.ts'
import {
  listOutcomes,
  outcomeSortTable,
  upsertOutcomes,
  type OutcomeRow,
  type UpsertItem,
} from '../../src/modules/outcomes/outcomes.queries.ts'
import type { OutcomeFilters } from '../../src/modules/outcomes/outcomes.schemas.ts'
import { captureSql, toScript, traceQuery } from '../sql.ts'
import { benchDatabaseUrl } from '../settings.ts'
import type { BenchModule, Scenario } from '../types.ts'
import { apiProvenance } from '../../src/schemas/provenance.ts'

// Meetings and outcomes: 20 000 meetings with 10 outcomes each (200 000, 4 in 10 of them action
// items), the secretariat's follow-up lists of open action items, the meetings list, and what a
// script posts after a meeting: a batch of 1 000 new outcomes, measured in milliseconds per
// batch beside the same INSERT … ON CONFLICT run by pgbench. The SQL beside each scenario comes
// from the service's own query functions (bench/sql.ts).

const limit = 50
const size = { meetings: 20_000, outcomesPerMeeting: 10, responsibles: 1000, batch: 1000, batches: 40 }

// Ids derived from a key, shaped as version-4 UUIDs (as bench/dataset.ts does for organizations).
const uuidOf = (key: ReturnType<typeof sql>) =>
  sql`overlay(overlay(md5(${key}) placing '4' from 13) placing '8' from 17)::uuid`
const planId = uuidOf(sql`'bench-meetings-plan'`)
const batchMeetingId = uuidOf(sql`'bench-batch-meeting'`)
const meetingId = (n: ReturnType<typeof sql>) => uuidOf(sql`'bench-meeting-' || ${n}`)
/** The base dataset's organization n (bench/dataset.ts: md5('bench-organization-' || n)). */
const organization = (n: ReturnType<typeof sql>) => uuidOf(sql`'bench-organization-' || ${n}`)

interface Page {
  data: { id: string }[]
  nextCursor: string | null
}

const page = (sort: string, table: typeof outcomeSortTable, key: string): PageRequest => ({
  sort: resolveSort(sort, table, idKey(key)),
  after: undefined,
  limit,
  binding: '',
})

async function checkedSql<R extends { id: string }>(
  name: string,
  apiPage: Page,
  run: Parameters<typeof traceQuery<R[]>>[1],
) {
  const { result, sql: text } = await traceQuery(benchDatabaseUrl, run)
  if (
    result
      .slice(0, limit)
      .map((r) => r.id)
      .join() !== apiPage.data.map((r) => r.id).join()
  )
    throw new Error(`${name}: the captured SQL returns other rows than the API did`)
  if (apiPage.data.length === 0)
    throw new Error(`${name}: the page is empty, the bench data does not match the filters`)
  return text
}

let batchNumber = 0
/** 1 000 new outcomes (externalRefs never posted before), as a script posts them after a meeting. */
function batchItems(orgs: string[], run: string | number) {
  return Array.from({ length: size.batch }, (_, i) => ({
    externalRef: `bench-${run}-${i}`,
    kind: i % 4 === 0 ? 'recommendation' : 'action_item',
    text: `Outcome ${i} of the bench meeting: follow up on the regional seminar's recommendation on victim identification and report to the next SOM.`,
    ...(i % 4 === 0
      ? {}
      : {
          dueDate: `2026-0${1 + (i % 9)}-15`,
          responsibleOrganizationIds: [orgs[i % orgs.length]!, orgs[(i + 1) % orgs.length]!],
        }),
  }))
}

const meetings: BenchModule = {
  name: 'meetings',
  async load(db) {
    await sql`insert into plans (id, code, title, status, countries) values (${planId}, 'BENCH-MEETINGS', 'A plan of 20 000 meetings', 'active', '{KH,CN,LA,MM,TH,VN}')`.execute(
      db,
    )
    await sql`insert into meetings (id, plan_id, kind, title, sequence, status, start_date, end_date, start_sort, time_zone, venue_city, venue_country, countries, organizer_ids)
      select ${meetingId(sql`i`)}, ${planId},
        (array['senior_officials', 'regional_seminar', 'subregional_seminar', 'workshop', 'roundtable', 'bilateral', 'technical_working_group', 'consultation'])[1 + i % 8],
        'Regional seminar on cooperation against trafficking in persons, number ' || i, 'Seminar ' || i,
        case when i % 10 = 0 then 'planned' else 'held' end,
        date '2005-01-01' + (i % 7000), date '2005-01-01' + (i % 7000) + i % 3, date '2005-01-01' + (i % 7000),
        'Asia/Bangkok', 'Bangkok', 'TH', (array['{KH}', '{LA}', '{KH,TH}', '{MM,VN}', '{CN}', '{KH,LA,TH}'])[1 + i % 6]::text[],
        array[${organization(sql`(1 + i % ${size.responsibles}::int)`)}]
      from generate_series(1, ${size.meetings}::int) i`.execute(db)
    await sql`insert into meeting_organizers (meeting_id, organization_id) select id, organizer_ids[1] from meetings where plan_id = ${planId}`.execute(
      db,
    )
    // Outcome i: 1 in 5 a decision, 2 in 5 action items (half of them open), two responsible
    // organizations among the first 1 000, taking turns in blocks of 20 outcomes.
    await sql`insert into outcomes (meeting_id, external_ref, kind, text, status, due_date, due_sort, responsible_organization_ids)
      select ${meetingId(sql`(1 + i / ${size.outcomesPerMeeting}::int)`)}, 'bench-' || i, k.kind,
        'Outcome ' || i || ': Task Forces to share victim identification guidelines before the next Senior Officials Meeting.',
        case when k.kind = 'action_item' then (array['open', 'in_progress', 'open', 'done'])[1 + i % 4] end,
        case when k.kind = 'action_item' then date '2005-01-01' + (i % 7000) end,
        case when k.kind = 'action_item' then date '2005-01-01' + (i % 7000) else 'infinity' end,
        case when k.kind in ('action_item', 'recommendation') then array[${organization(sql`(1 + (i / 20) % ${size.responsibles}::int)`)}, ${organization(sql`(1 + (i / 20 + 500) % ${size.responsibles}::int)`)}] else '{}' end
      from generate_series(0, ${size.meetings * size.outcomesPerMeeting - 1}::int) i
      cross join lateral (select (array['decision', 'action_item', 'recommendation', 'action_item', 'finding'])[1 + i % 5] as kind) k`.execute(
      db,
    )
    await sql`insert into outcome_responsible_organizations (outcome_id, organization_id)
      select id, unnest(responsible_organization_ids) from outcomes where meeting_id in (select id from meetings where plan_id = ${planId})`.execute(
      db,
    )
    await sql`insert into meetings (id, plan_id, kind, title, status, start_date, start_sort, countries)
      values (${batchMeetingId}, ${planId}, 'senior_officials', 'The meeting the bench posts batches to', 'held', '2025-10-28', '2025-10-28', '{KH,CN,LA,MM,TH,VN}')`.execute(
      db,
    )
  },

  async scenarios({ db, api }) {
    // The batches name organizations the lists below do not filter on, so they leave those alone.
    const ids = await sql<{ batch: string; org1: string; org2: string; org3: string; chased: string }>`
      select ${batchMeetingId} as batch, ${organization(sql`2001`)} as org1, ${organization(sql`2002`)} as org2, ${organization(sql`2003`)} as org3, ${organization(sql`1`)} as chased`.execute(
      db,
    )
    const { batch, org1, org2, org3, chased } = ids.rows[0]!
    const orgs = [org1, org2, org3]

    const openPath = '/v1/outcomes?kind=action_item&status=open'
    const openFilters: OutcomeFilters = { kind: 'action_item', status: 'open' }
    const mineQuery = `responsibleOrganizationId=${chased}&dueBefore=2020-01-01`
    const mineFilters: OutcomeFilters = { ...openFilters, responsibleOrganizationId: chased, dueBefore: '2020-01-01' }
    const open = (await api(`${openPath}&limit=${limit}`)) as Page
    const mine = (await api(`${openPath}&${mineQuery}&limit=${limit}`)) as Page
    const meetingsPage = (await api(`/v1/meetings?country=KH&limit=${limit}`)) as Page

    // pgbench runs the same statement the API sends, its externalRefs made new on every run by a
    // fresh UUID (the API's body function does the same with a counter), so both create 1 000.
    const template = batchItems(orgs, '@RUN@').map(
      (item): UpsertItem => ({
        externalRef: item.externalRef,
        kind: item.kind as UpsertItem['kind'],
        text: item.text,
        status: null,
        statusGiven: false,
        dueDate: item.dueDate ?? null,
        responsibleOrganizationIds: item.responsibleOrganizationIds ?? [],
        activityId: null,
        projectId: null,
        provenance: apiProvenance(null),
      }),
    )
    const upsert = toScript(await captureSql((d) => upsertOutcomes(d, batch, template, 'keep')))
    const json = /('(?:[^']|'')*')::jsonb/.exec(upsert)
    if (!json) throw new Error('the upsert statement no longer takes its items as one jsonb literal')
    const batchSql = `begin;\n${upsert.replace(json[0], `replace(${json[1]}, '@RUN@', gen_random_uuid()::text)::jsonb`)}\ncommit;`

    // The batch comes last: the outcomes it adds would otherwise be part of the lists measured after it.
    const scenarios: Scenario[] = [
      {
        name: 'open action items',
        path: `${openPath}&limit=${limit}`,
        sql: await checkedSql<OutcomeRow>('open action items', open, (d) =>
          listOutcomes(d, openFilters, page('dueDate', outcomeSortTable, 'outcomes')),
        ),
        goal: { text: 'lists ≥ 2× the generated peer (Platformatic DB ~1 400/s)', minReqPerSec: 2800 },
        note: `${(size.meetings * size.outcomesPerMeeting).toLocaleString('en')} outcomes, 1 in 5 an open action item; by due date`,
      },
      {
        name: 'open action items of one organization, due before',
        path: `${openPath}&${mineQuery}&limit=${limit}`,
        sql: await checkedSql<OutcomeRow>('open action items of one organization', mine, (d) =>
          listOutcomes(d, mineFilters, page('dueDate', outcomeSortTable, 'outcomes')),
        ),
        goal: { text: 'lists ≥ 2× the generated peer (Platformatic DB ~1 400/s)', minReqPerSec: 2800 },
        note: 'how a secretariat chases follow-up: ?kind=action_item&status=open&responsibleOrganizationId=…&dueBefore=…',
      },
      {
        name: 'meetings by country',
        path: `/v1/meetings?country=KH&limit=${limit}`,
        sql: await checkedSql<MeetingRow>('meetings by country', meetingsPage, (d) =>
          listMeetings(d, { country: 'KH' }, page('startDate', meetingSortTable, 'meetings')),
        ),
        goal: { text: 'lists ≥ 2× the generated peer (Platformatic DB ~1 400/s)', minReqPerSec: 2800 },
      },
      {
        name: 'outcome batch of 1 000',
        method: 'POST',
        path: `/v1/meetings/${batch}/outcomes/batch`,
        body: () => ({ items: batchItems(orgs, `${process.pid}-${++batchNumber}-${Date.now()}`) }),
        sequential: size.batches,
        sql: batchSql,
        goal: { text: 'a batch of 1 000 in well under 200 ms', maxP50Ms: 200 },
        note: 'pgbench runs the upsert alone; the API also checks every item and its references, links the responsible organizations and appends 1 000 change rows, in one transaction',
      },
    ]
    return scenarios
  },
}

export default meetings
