import t, { type Test } from 'tap'
import { json, setup, type TestContext } from './helpers/app.ts'
import { createMeeting, planningFixture } from './modules/meetings.fixtures.ts'

// CSV exports are read in spreadsheets: beside each reference a route names (config.exportNames)
// comes a column with the referenced record's code, title or name, looked up once per kind for
// each batch of rows. NDJSON keeps the representation as it is.

/** RFC 4180 rows (quoted cells, doubled quotes, CRLF), the BOM dropped. */
function parseCsv(text: string): Record<string, string>[] {
  const rows: string[][] = []
  let row: string[] = []
  let cell = ''
  let quoted = false
  const body = text.replace(/^\uFEFF/, '')
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!
    if (quoted) {
      if (c === '"' && body[i + 1] === '"') {
        cell += '"'
        i++
      } else if (c === '"') quoted = false
      else cell += c
    } else if (c === '"') quoted = true
    else if (c === ',') {
      row.push(cell)
      cell = ''
    } else if (c === '\r' && body[i + 1] === '\n') {
      row.push(cell)
      rows.push(row)
      row = []
      cell = ''
      i++
    } else cell += c
  }
  const [header = [], ...data] = rows
  return data.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ''])))
}

async function csv(ctx: TestContext, url: string) {
  const res = await ctx.app.inject({ url: `${url}/export?format=csv`, headers: ctx.admin })
  if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`)
  const header = res.body
    .replace(/^\uFEFF/, '')
    .split('\r\n')[0]!
    .split(',')
  return { header, rows: parseCsv(res.body) }
}

/** Each name column comes right after its reference column. */
function assertBeside(t: Test, header: string[], pairs: [string, string][]) {
  for (const [id, name] of pairs) t.equal(header[header.indexOf(id) + 1], name, `${name} right after ${id}`)
}

t.test('CSV exports carry a readable name beside each reference; NDJSON does not', async (t) => {
  const ctx = await setup(t)
  const { app, admin, database } = ctx
  const p = await planningFixture(ctx)
  const [a1, a2, a18] = p.activityIds as [string, string, string]
  const [ppc4, pp12] = p.projectIds as [string, string]
  const area = await database.db
    .insertInto('areas')
    .values({ planId: p.planId, code: 'Area 4', title: 'Legal frameworks, law enforcement and justice' })
    .returning('id')
    .executeTakeFirstOrThrow()
  await database.db.updateTable('activities').set({ areaId: area.id }).where('id', '=', a1).execute()

  // Activities: planCode after planId, areaCode after areaId; no area, no name.
  const activities = await csv(ctx, '/v1/activities')
  assertBeside(t, activities.header, [
    ['planId', 'planCode'],
    ['areaId', 'areaCode'],
  ])
  const byCode = new Map(activities.rows.map((r) => [r.code, r]))
  t.match(byCode.get('Activity 1'), { planId: p.planId, planCode: 'COMMIT SPA I', areaId: area.id, areaCode: 'Area 4' })
  t.match(byCode.get('Activity 2'), { id: a2, planCode: 'COMMIT SPA I', areaId: '', areaCode: '' })

  // Meetings: lists of references give lists of names, joined with "; " in the same order.
  const som = await createMeeting(ctx, {
    title: 'Second Senior Officials Meeting',
    planId: p.planId,
    organizerIds: [p.orgs.tfLa, p.orgs.uniap],
    activityIds: [a18, a1],
    projectIds: [pp12],
  })
  await createMeeting(ctx, { title: 'A meeting of no plan' })
  const meetings = await csv(ctx, '/v1/meetings')
  assertBeside(t, meetings.header, [
    ['planId', 'planCode'],
    ['organizerIds', 'organizerNames'],
    ['activityIds', 'activityCodes'],
    ['projectIds', 'projectCodes'],
  ])
  const byTitle = new Map(meetings.rows.map((r) => [r.title, r]))
  t.match(byTitle.get('Second Senior Officials Meeting'), {
    organizerIds: `${p.orgs.tfLa}; ${p.orgs.uniap}`,
    organizerNames: 'COMMIT Task Force Lao PDR; United Nations Inter-Agency Project on Human Trafficking',
    activityIds: `${a18}; ${a1}`,
    activityCodes: 'Activity 18; Activity 1',
    projectCodes: 'PP 12',
    planCode: 'COMMIT SPA I',
  })
  t.match(byTitle.get('A meeting of no plan'), { planId: '', planCode: '', organizerNames: '', activityCodes: '' })

  // Outcomes, under their meeting and across meetings.
  const post = (payload: Record<string, unknown>) =>
    app.inject({ method: 'POST', url: `/v1/meetings/${som.id}/outcomes`, headers: admin, payload })
  const withAll = await post({
    kind: 'action_item',
    text: 'Terms of reference for Senior Officials Meetings',
    responsibleOrganizationIds: [p.orgs.uniap, p.orgs.tfTh],
    activityId: a18,
    projectId: ppc4,
  })
  t.equal(withAll.statusCode, 201, withAll.body)
  t.equal((await post({ kind: 'decision', text: 'A decision of nobody in particular' })).statusCode, 201)
  for (const url of [`/v1/meetings/${som.id}/outcomes`, '/v1/outcomes']) {
    const outcomes = await csv(ctx, url)
    assertBeside(t, outcomes.header, [
      ['meetingId', 'meetingTitle'],
      ['responsibleOrganizationIds', 'responsibleOrganizationNames'],
      ['activityId', 'activityCode'],
      ['projectId', 'projectCode'],
    ])
    const byText = new Map(outcomes.rows.map((r) => [r.text, r]))
    t.match(byText.get('Terms of reference for Senior Officials Meetings'), {
      meetingTitle: 'Second Senior Officials Meeting',
      responsibleOrganizationNames:
        'United Nations Inter-Agency Project on Human Trafficking; COMMIT Task Force Thailand',
      activityCode: 'Activity 18',
      projectCode: 'PPC 4',
    })
    t.match(byText.get('A decision of nobody in particular'), {
      meetingTitle: 'Second Senior Officials Meeting',
      responsibleOrganizationIds: '',
      responsibleOrganizationNames: '',
      activityId: '',
      activityCode: '',
      projectCode: '',
    })
  }

  // NDJSON keeps its shape.
  const ndjson = await app.inject({ url: '/v1/meetings/export?format=ndjson', headers: admin })
  const first = JSON.parse(ndjson.body.split('\n')[0]!)
  t.ok('organizerIds' in first, 'the reference is there')
  t.notOk('organizerNames' in first || 'planCode' in first, 'no name fields in NDJSON')

  // The export operation says which columns it adds.
  const document = json(await app.inject({ url: '/v1/openapi.json' }))
  const description = document.paths['/v1/meetings/export'].get.description as string
  t.match(description, /`organizerNames` after `organizerIds`/)
  t.match(description, /`planCode` after `planId`/)
})

t.test('the names of a whole batch are looked up in one query per kind, not per row', async (t) => {
  const ctx = await setup(t)
  const p = await planningFixture(ctx)
  for (let i = 0; i < 8; i++)
    await createMeeting(ctx, {
      title: `Meeting ${i}`,
      planId: p.planId,
      organizerIds: [p.orgs.tfLa],
      activityIds: [p.activityIds[i % 3]],
    })
  const { result, statements } = await ctx.database.recordStatements(() =>
    ctx.app.inject({ url: '/v1/meetings/export?format=csv', headers: ctx.admin }),
  )
  t.equal(parseCsv(result.body).length, 8)
  const lookups = statements.filter((s) => /\bas label from\b/.test(s))
  // plan, organization, activity: one each for the one batch (no meeting names a project: no query).
  t.equal(lookups.length, 3, lookups.join('\n'))
})
