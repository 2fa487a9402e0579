import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import t from 'tap'
import { json, setup } from '../helpers/app.ts'
import { percentages, xmlEscape } from '../../src/modules/iati/iati.xml.ts'

// The IATI export of a plan, validated against the IATI Activity Standard 2.03 XSD with xmllint
// (CI installs libxml2-utils), and read back to check that what the plan holds is where IATI
// puts it — including a title made to break XML.

// The schemas are kept in the repository (test/fixtures/iati-2.03), so a clean clone validates.
const xsdDir = process.env.IATI_XSD_DIR ?? path.resolve(import.meta.dirname, '../fixtures/iati-2.03')
const xsd = path.join(xsdDir, 'iati-activities-schema.xsd')
const hasXmllint = (() => {
  try {
    execFileSync('xmllint', ['--version'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
})()

function validate(xml: string): { ok: boolean; output: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'iati-'))
  const file = path.join(dir, 'iati.xml')
  writeFileSync(file, xml)
  try {
    const output = execFileSync('xmllint', ['--noout', '--schema', xsd, file], { encoding: 'utf8', stdio: 'pipe' })
    return { ok: true, output }
  } catch (err) {
    const e = err as { stderr?: string; stdout?: string }
    return { ok: false, output: `${e.stderr ?? ''}${e.stdout ?? ''}` }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** Evaluates an XPath over the document with xmllint, as a string. */
function xpath(xml: string, expression: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'iati-'))
  const file = path.join(dir, 'iati.xml')
  writeFileSync(file, xml)
  try {
    return execFileSync('xmllint', ['--xpath', expression, file], { encoding: 'utf8', stdio: 'pipe' }).replace(
      /\n$/,
      '',
    )
  } catch (err) {
    const e = err as { stderr?: string }
    if (/XPath set is empty/.test(e.stderr ?? '')) return ''
    throw err
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

t.test('escaping and percentages', async (t) => {
  t.equal(xmlEscape(`<a href="x">&]]>'`), '&lt;a href=&quot;x&quot;&gt;&amp;]]&gt;&apos;')
  t.equal(xmlEscape('bell\u0007 and NUL-free'), 'bell and NUL-free', 'characters XML cannot hold are dropped')
  t.same(percentages(1), [100])
  t.same(percentages(3), [33.33, 33.33, 33.34])
  for (const n of [2, 3, 6, 7, 10]) {
    const sum = percentages(n).reduce((a, b) => a + b, 0)
    t.equal(Math.round(sum * 100), 10000, `${n} shares add up to 100`)
  }
})

t.test(
  'GET /v1/plans/{id}/iati-activities.xml',
  {
    skip: !hasXmllint
      ? 'xmllint is not installed (Debian: libxml2-utils)'
      : !existsSync(xsd)
        ? `no XSD at ${xsd}`
        : false,
  },
  async (t) => {
    const ctx = await setup(t)
    const post = async (url: string, payload: object) => {
      const res = await ctx.app.inject({ method: 'POST', url, headers: ctx.admin, payload })
      t.equal(res.statusCode, 201, `POST ${url}: ${res.body.slice(0, 300)}`)
      return json(res)
    }
    const nasty = 'Workshop <b>on</b> victims & "brokers" ]]> <!-- end --> </title>'
    const initiative = await post('/v1/organizations', { name: 'UNIAP & partners', kind: 'un_agency' })
    const ngo = await post('/v1/organizations', { name: 'An NGO', kind: 'ngo', country: 'KH' })
    const donor = await post('/v1/organizations', { name: 'A donor', kind: 'donor' })
    const plan = await post('/v1/plans', {
      code: 'IATI SPA',
      title: 'A plan for IATI',
      initiativeId: initiative.id,
      countries: ['KH', 'LA', 'TH'],
      startDate: '2005-01-01',
      endDate: '2007-12-31',
      documents: [{ title: 'The plan', url: 'https://example.org/plan.pdf', type: 'plan', language: 'en' }],
    })
    const a1 = await post('/v1/activities', {
      planId: plan.id,
      code: 'Activity 1',
      title: nasty,
      status: 'in_progress',
      countries: ['KH', 'LA'],
      plannedStart: '2005-03-01',
      plannedEnd: '2005-06-30',
      actualStart: '2005-03-15',
      organizations: [
        { organizationId: ngo.id, role: 'lead' },
        { organizationId: donor.id, role: 'funding' },
      ],
    })
    const a2 = await post('/v1/activities', {
      planId: plan.id,
      code: 'Activity 2',
      title: 'Research',
      status: 'completed',
    })
    const a3 = await post('/v1/activities', {
      planId: plan.id,
      code: 'Activity 3',
      title: 'Dropped',
      status: 'cancelled',
    })
    const project = await post('/v1/projects', {
      planId: plan.id,
      code: 'PPC 1',
      title: 'Training',
      activityIds: [a1.id, a2.id],
    })
    const result = await post(`/v1/projects/${project.id}/results`, { statement: 'Police units trained & "ready"' })
    const indicator = await post('/v1/indicators', {
      planId: plan.id,
      code: 'PPC 1.1',
      title: 'Officers trained',
      unit: 'count',
      projectId: project.id,
      resultId: result.id,
    })
    const own = await post('/v1/indicators', {
      planId: plan.id,
      code: 'A1.1',
      title: 'Workshops held',
      unit: 'count',
      activityId: a1.id,
    })
    for (const [id, body] of [
      [indicator.id, { period: '2005S2', country: 'KH', baseline: 0 }],
      [indicator.id, { period: '2006S1', country: 'KH', target: 40 }],
      [own.id, { period: '2006S1', target: 2 }],
    ] as const) {
      const res = await ctx.app.inject({
        method: 'POST',
        url: `/v1/indicators/${id}/targets`,
        headers: ctx.admin,
        payload: body,
      })
      t.ok(res.statusCode < 300, `target: ${res.body.slice(0, 200)}`)
    }
    await post(`/v1/indicators/${indicator.id}/measurements`, {
      period: '2006S1',
      country: 'KH',
      value: 35,
      status: 'submitted',
    })

    const res = await ctx.app.inject({ url: `/v1/plans/${plan.id}/iati-activities.xml`, headers: ctx.admin })
    t.equal(res.statusCode, 200)
    t.match(res.headers['content-type'], /^application\/xml/)
    const xml = res.body
    const valid = validate(xml)
    t.ok(valid.ok, `valid against the IATI 2.03 XSD${valid.ok ? '' : `:\n${valid.output}`}`)

    t.equal(xpath(xml, 'string(/iati-activities/@version)'), '2.03')
    t.match(xpath(xml, 'string(/iati-activities/@generated-datetime)'), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
    t.equal(xpath(xml, 'count(/iati-activities/iati-activity)'), '4', 'the plan and its three activities')
    const act = (id: string) => `/iati-activities/iati-activity[iati-identifier='APA-${id}']`
    t.equal(xpath(xml, `string(${act(a1.id)}/title/narrative)`), `Activity 1: ${nasty}`, 'the title survives as text')
    t.notOk(xml.includes('<b>') || xml.includes(']]>') || xml.includes('<!--'), 'nothing of it is markup')
    t.equal(xpath(xml, `string(${act(a1.id)}/reporting-org/@ref)`), `APA-${initiative.id}`)
    t.equal(xpath(xml, `string(${act(a1.id)}/reporting-org/narrative)`), 'UNIAP & partners')
    t.equal(xpath(xml, `string(${act(a1.id)}/activity-status/@code)`), '2')
    t.equal(xpath(xml, `string(${act(a2.id)}/activity-status/@code)`), '4')
    t.equal(xpath(xml, `string(${act(a3.id)}/activity-status/@code)`), '5')
    t.equal(xpath(xml, `string(${act(a1.id)}/participating-org[@ref='APA-${ngo.id}']/@role)`), '2', 'lead: accountable')
    t.equal(xpath(xml, `string(${act(a1.id)}/participating-org[@ref='APA-${donor.id}']/@role)`), '1', 'funding')
    t.equal(xpath(xml, `string(${act(a1.id)}/activity-date[@type='1']/@iso-date)`), '2005-03-01')
    t.equal(xpath(xml, `string(${act(a1.id)}/activity-date[@type='2']/@iso-date)`), '2005-03-15')
    t.equal(xpath(xml, `string(${act(a1.id)}/activity-date[@type='3']/@iso-date)`), '2005-06-30')
    t.equal(xpath(xml, `count(${act(a1.id)}/activity-date[@type='4'])`), '0', 'no actual end yet')
    t.equal(xpath(xml, `string(${act(a2.id)}/activity-date[@type='1']/@iso-date)`), '2005-01-01', 'the plan’s start')
    t.equal(xpath(xml, `string(${act(a1.id)}/recipient-country[@code='KH']/@percentage)`), '50.00')
    t.equal(xpath(xml, `count(${act(a2.id)}/recipient-country)`), '3', 'no countries of its own: the plan’s')
    t.equal(xpath(xml, `string(${act(a1.id)}/related-activity[@type='1']/@ref)`), `APA-${plan.id}`, 'parent')
    t.equal(xpath(xml, `string(${act(a1.id)}/related-activity[@type='3']/@ref)`), `APA-${a2.id}`, 'sibling by project')
    t.equal(xpath(xml, `count(${act(a3.id)}/related-activity[@type='3'])`), '0')
    t.equal(xpath(xml, `string(${act(plan.id)}/document-link/@url)`), 'https://example.org/plan.pdf')
    t.equal(xpath(xml, `string(${act(plan.id)}/document-link/@format)`), 'application/pdf')
    t.equal(xpath(xml, `count(${act(plan.id)}/related-activity[@type='2'])`), '3', 'the plan names its children')

    // Results: the project-level indicator under its expected result on the plan; the activity's own under it.
    const planResult = `${act(plan.id)}/result[title/narrative='Police units trained & "ready"']`
    t.equal(xpath(xml, `string(${planResult}/indicator/reference/@code)`), 'PPC 1.1')
    t.equal(xpath(xml, `string(${planResult}/indicator/baseline/@value)`), '0')
    t.equal(xpath(xml, `string(${planResult}/indicator/baseline/@year)`), '2005')
    t.equal(xpath(xml, `string(${planResult}/indicator/period/period-start/@iso-date)`), '2006-01-01')
    t.equal(xpath(xml, `string(${planResult}/indicator/period/period-end/@iso-date)`), '2006-06-30')
    t.equal(xpath(xml, `string(${planResult}/indicator/period/target/@value)`), '40')
    t.equal(xpath(xml, `string(${planResult}/indicator/period/actual/@value)`), '35')
    t.equal(xpath(xml, `string(${planResult}/indicator/period/actual/dimension/@value)`), 'KH')
    t.equal(xpath(xml, `string(${act(a1.id)}/result/indicator/reference/@code)`), 'A1.1')

    const missing = await ctx.app.inject({
      url: '/v1/plans/3f1c6a52-8d7e-4c1b-9a8e-2f0c1d5b7a90/iati-activities.xml',
      headers: ctx.admin,
    })
    t.equal(missing.statusCode, 404)
    t.match(missing.headers['content-type'], /application\/problem\+json/)
  },
)
