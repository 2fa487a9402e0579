import { parsePeriod } from '../../domain/periods.ts'

// IATI Activity Standard 2.03 (https://iatistandard.org/en/iati-standard/203/activity-standard/):
// a plan and its activities as <iati-activities>. The plan is the parent activity (hierarchy 1)
// and each of its activities a child (hierarchy 2), so plan-level results have a home and every
// activity names its parent and its siblings. Elements are written in the order the XSD's
// sequences require; every text and attribute is escaped here and nowhere else.

/** Identifiers are this prefix and the UUID of the plan, activity or organization (unique across the API). */
export const iatiIdentifierPrefix = 'APA-'

export interface IatiOrganization {
  id: string
  name: string
  kind: string
}

export interface IatiDocument {
  title: string
  url: string
  type: string
  language: string | null
  date: string | null
}

export interface IatiActivityInput {
  id: string
  code: string
  title: string
  description: string | null
  status: string
  countries: string[]
  plannedStart: string | null
  plannedEnd: string | null
  actualStart: string | null
  actualEnd: string | null
  updatedAt: string
  organizations: { organizationId: string; role: string }[]
  documents: IatiDocument[]
  /** Activities that share a project with this one (IATI related-activity type 3, sibling). */
  siblings: string[]
}

export interface IatiValue {
  period: string
  country: string | null
  value: number
}

export interface IatiIndicatorInput {
  id: string
  code: string
  title: string
  unit: string
  direction: string
  activityId: string | null
  projectId: string | null
  resultId: string | null
  baselines: IatiValue[]
  targets: IatiValue[]
  actuals: IatiValue[]
}

export interface IatiPlanInput {
  id: string
  code: string
  title: string
  description: string | null
  status: string | null
  countries: string[]
  startDate: string | null
  endDate: string | null
  updatedAt: string
  initiative: IatiOrganization | null
  documents: IatiDocument[]
}

export interface IatiExport {
  plan: IatiPlanInput
  activities: IatiActivityInput[]
  organizations: Map<string, IatiOrganization>
  indicators: IatiIndicatorInput[]
  /** Expected results (project results) by id: their statements title the IATI results. */
  resultStatements: Map<string, string>
  generatedAt: string
}

// ActivityStatus codelist: 1 Pipeline/identification, 2 Implementation, 3 Finalisation, 4 Closed,
// 5 Cancelled, 6 Suspended.
export const activityStatusCodes: Record<string, string> = {
  planned: '1',
  in_progress: '2',
  completed: '4',
  cancelled: '5',
  on_hold: '6',
}
const planStatusCodes: Record<string, string> = {
  draft: '1',
  adopted: '1',
  active: '2',
  completed: '4',
  superseded: '4',
}

// OrganisationRole codelist: 1 Funding, 2 Accountable, 3 Extending, 4 Implementing. IATI has no
// "participating": a partner taking part does part of the work, so Implementing.
export const organizationRoleCodes: Record<string, string> = {
  funding: '1',
  lead: '2',
  implementing: '4',
  participating: '4',
}

// OrganisationType codelist.
export const organizationTypeCodes: Record<string, string> = {
  government: '10',
  national_task_force: '10',
  un_agency: '40',
  intergovernmental: '40',
  sectoral_body: '40',
  ngo: '22',
  donor: '90',
  training_centre: '80',
  private_sector: '70',
  academic: '80',
}

// DocumentCategory codelist (activity level, A…).
const documentCategoryCodes: Record<string, string> = {
  plan: 'A02',
  framework: 'A02',
  report: 'A07',
  minutes: 'A12',
  agenda: 'A12',
  concept_note: 'A02',
  guidance: 'A12',
  presentation: 'A12',
  other: 'A12',
}

// IndicatorMeasure codelist: 1 Unit, 2 Percentage, 3 Nominal, 5 Qualitative.
const measureCodes: Record<string, string> = { count: '1', percent: '2', boolean: '3', currency: '1', ratio: '1' }

/** XML 1.0 refuses these characters even escaped; they are dropped. */
const notXmlChar =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g

/** Escapes text and attribute values: `<`, `&`, `>` and both quotes, so nothing can close an element or a CDATA. */
export function xmlEscape(value: string | number): string {
  return String(value)
    .replace(notXmlChar, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
}

type Attributes = Record<string, string | number | null | undefined>

/** A small writer: el(name, attributes, children) with children as already-written XML. */
function el(name: string, attributes: Attributes = {}, ...children: (string | string[] | false | null | undefined)[]) {
  const attrs = Object.entries(attributes)
    .filter(([, v]) => v !== null && v !== undefined)
    .map(([k, v]) => ` ${k}="${xmlEscape(v as string | number)}"`)
    .join('')
  const body = children
    .flat()
    .filter((c): c is string => typeof c === 'string' && c !== '')
    .join('')
  return body ? `<${name}${attrs}>${body}</${name}>` : `<${name}${attrs}/>`
}
const narrative = (text: string, lang?: string | null) =>
  el('narrative', { 'xml:lang': lang ?? undefined }, xmlEscape(text))

const identifier = (id: string) => `${iatiIdentifierPrefix}${id}`
const day = (timestamp: string) => timestamp.slice(0, 10)
const dateTime = (timestamp: string) => `${timestamp.slice(0, 19)}Z`

/** Shares of 100 for n countries, two decimals, adding up to exactly 100. */
export function percentages(n: number): number[] {
  if (n <= 1) return n ? [100] : []
  const share = Math.floor(10000 / n) / 100
  const out = Array.from({ length: n }, () => share)
  out[n - 1] = Math.round((100 - share * (n - 1)) * 100) / 100
  return out
}

function recipientCountries(codes: string[]) {
  const unique = [...new Set(codes)]
  if (unique.length === 1) return [el('recipient-country', { code: unique[0] })]
  const shares = percentages(unique.length)
  return unique.map((code, i) => el('recipient-country', { code, percentage: shares[i]!.toFixed(2) }))
}

function reportingOrg(x: IatiExport) {
  const org = x.plan.initiative
  return org
    ? el(
        'reporting-org',
        { ref: identifier(org.id), type: organizationTypeCodes[org.kind] ?? '90' },
        narrative(org.name),
      )
    : el('reporting-org', { ref: identifier(x.plan.id), type: '40' }, narrative(x.plan.title))
}

function documentLink(d: IatiDocument) {
  return el(
    'document-link',
    { url: d.url, format: formatOf(d.url) },
    el('title', {}, narrative(d.title, d.language)),
    el('category', { code: documentCategoryCodes[d.type] ?? 'A12' }),
    d.language ? el('language', { code: d.language.split('-')[0]!.toLowerCase() }) : null,
    d.date ? el('document-date', { 'iso-date': d.date }) : null,
  )
}

/** The IANA media type a link most likely serves, by its extension (IATI's FileFormat codelist). */
function formatOf(url: string): string {
  const path = url.split(/[?#]/)[0]!.toLowerCase()
  if (path.endsWith('.pdf')) return 'application/pdf'
  if (path.endsWith('.doc')) return 'application/msword'
  if (path.endsWith('.docx')) return 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'
  if (path.endsWith('.xls')) return 'application/vnd.ms-excel'
  if (path.endsWith('.xlsx')) return 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
  if (path.endsWith('.ppt') || path.endsWith('.pptx')) return 'application/vnd.ms-powerpoint'
  return 'text/html'
}

function activityDates(dates: [string, string | null][], fallback: string) {
  const given = dates.filter(([, d]) => d !== null) as [string, string][]
  // activity-date is required: with no date at all, the plan's start (or the record's creation) is the planned start.
  const list = given.length ? given : [['1', fallback] as [string, string]]
  return list.map(([type, date]) => el('activity-date', { type, 'iso-date': date }))
}

function indicatorXml(i: IatiIndicatorInput) {
  const ascending = i.direction === 'increase' ? '1' : i.direction === 'decrease' ? '0' : undefined
  const dimension = (country: string | null) => (country ? el('dimension', { name: 'country', value: country }) : null)
  const periods = [...new Set([...i.targets, ...i.actuals].map((v) => v.period))]
    .map((p) => ({ p, range: parsePeriod(p) }))
    .filter((x) => x.range)
    .sort((a, b) => a.range!.start.localeCompare(b.range!.start))
  return el(
    'indicator',
    { measure: measureCodes[i.unit] ?? '1', ascending },
    el('title', {}, narrative(`${i.code}: ${i.title}`)),
    el('reference', { vocabulary: '99', code: i.code }),
    i.baselines.flatMap((b) => {
      const range = parsePeriod(b.period)
      if (!range) return []
      return [
        el(
          'baseline',
          { year: Number(range.start.slice(0, 4)), 'iso-date': range.start, value: b.value },
          dimension(b.country),
        ),
      ]
    }),
    periods.map(({ p, range }) =>
      el(
        'period',
        {},
        el('period-start', { 'iso-date': range!.start }),
        el('period-end', { 'iso-date': range!.end }),
        i.targets.filter((v) => v.period === p).map((v) => el('target', { value: v.value }, dimension(v.country))),
        i.actuals.filter((v) => v.period === p).map((v) => el('actual', { value: v.value }, dimension(v.country))),
      ),
    ),
  )
}

/** IATI results of a set of indicators: one per expected result, one for the indicators that name none. */
function results(indicators: IatiIndicatorInput[], statements: Map<string, string>, ownTitle: string, type: string) {
  const groups = new Map<string, IatiIndicatorInput[]>()
  for (const i of indicators) {
    const key = i.resultId ?? ''
    groups.set(key, [...(groups.get(key) ?? []), i])
  }
  return [...groups.entries()].map(([resultId, list]) =>
    el(
      'result',
      { type: resultId ? '2' : type },
      el('title', {}, narrative(resultId ? (statements.get(resultId) ?? 'Expected result') : ownTitle)),
      list.map(indicatorXml),
    ),
  )
}

function participatingOrgs(list: { organizationId: string; role: string }[], x: IatiExport) {
  const out = list.flatMap((o) => {
    const org = x.organizations.get(o.organizationId)
    if (!org) return []
    return [
      el(
        'participating-org',
        {
          ref: identifier(org.id),
          type: organizationTypeCodes[org.kind] ?? '90',
          role: organizationRoleCodes[o.role] ?? '4',
        },
        narrative(org.name),
      ),
    ]
  })
  if (out.length) return out
  // participating-org is required: with none named, the plan's initiative is accountable.
  const org = x.plan.initiative
  return [
    org
      ? el(
          'participating-org',
          { ref: identifier(org.id), type: organizationTypeCodes[org.kind] ?? '90', role: '2' },
          narrative(org.name),
        )
      : el('participating-org', { role: '2' }, narrative(x.plan.title)),
  ]
}

function planActivity(x: IatiExport) {
  const p = x.plan
  const own = x.indicators.filter((i) => !i.activityId)
  return el(
    'iati-activity',
    { 'last-updated-datetime': dateTime(p.updatedAt), 'xml:lang': 'en', hierarchy: '1' },
    el('iati-identifier', {}, xmlEscape(identifier(p.id))),
    reportingOrg(x),
    el('title', {}, narrative(`${p.code}: ${p.title}`)),
    el('description', { type: '1' }, narrative(p.description || p.title)),
    participatingOrgs([], x),
    el('activity-status', { code: planStatusCodes[p.status ?? ''] ?? '1' }),
    activityDates(
      [
        ['1', p.startDate],
        ['3', p.endDate],
      ],
      day(p.updatedAt),
    ),
    recipientCountries(p.countries),
    p.documents.map(documentLink),
    x.activities.map((a) => el('related-activity', { ref: identifier(a.id), type: '2' })),
    results(own, x.resultStatements, `Indicators of ${p.code}`, '3'),
  )
}

function activity(a: IatiActivityInput, x: IatiExport) {
  const own = x.indicators.filter((i) => i.activityId === a.id)
  return el(
    'iati-activity',
    { 'last-updated-datetime': dateTime(a.updatedAt), 'xml:lang': 'en', hierarchy: '2' },
    el('iati-identifier', {}, xmlEscape(identifier(a.id))),
    reportingOrg(x),
    el('title', {}, narrative(`${a.code}: ${a.title}`)),
    el('description', { type: '1' }, narrative(a.description || `${a.code} of ${x.plan.title}`)),
    participatingOrgs(a.organizations, x),
    el('activity-status', { code: activityStatusCodes[a.status] ?? '1' }),
    activityDates(
      [
        ['1', a.plannedStart],
        ['2', a.actualStart],
        ['3', a.plannedEnd],
        ['4', a.actualEnd],
      ],
      x.plan.startDate ?? day(a.updatedAt),
    ),
    recipientCountries(a.countries.length ? a.countries : x.plan.countries),
    a.documents.map(documentLink),
    el('related-activity', { ref: identifier(x.plan.id), type: '1' }),
    a.siblings.map((id) => el('related-activity', { ref: identifier(id), type: '3' })),
    results(own, x.resultStatements, `Indicators of ${a.code}`, '1'),
  )
}

/** The whole document. */
export function iatiActivitiesXml(x: IatiExport): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${el(
    'iati-activities',
    { version: '2.03', 'generated-datetime': dateTime(x.generatedAt) },
    planActivity(x),
    x.activities.map((a) => activity(a, x)),
  )}\n`
}
