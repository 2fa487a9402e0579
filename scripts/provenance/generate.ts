import { writeFileSync } from 'node:fs'
import { compact, type DocumentKey, doc, findAll, findPieces, locator, type Span } from './locate.ts'
import { type Json, readData, recordName, type SeedRecord, seededRecords } from './records.ts'

// Writes data/provenance/<file>.json: for every seeded record, where its text is in the source
// documents and which of its fields are judgements rather than readings. Run it after changing
// data/: `node --import tsx scripts/provenance/generate.ts` (add `--check` to fail instead of
// writing when a file would change). Places are found by searching the record's own text in the
// documents (word for word, layout aside); a text found more than once is narrowed by the block
// of the document the record belongs to, and what stays ambiguous is printed to be checked by hand.
// The judgements are the ones data/README.md and data/README.seed-notes.md describe, written here
// per record; test/provenance-notes.test.ts checks that the notes and the records agree.

interface FieldNote {
  field: string
  reason: string
}
interface Entry {
  sources: { document: DocumentKey; locator: string }[]
  inferred?: FieldNote[]
  doubtful?: FieldNote[]
}

const problems: string[] = []
const ambiguities: string[] = []

// ---------------------------------------------------------------- places

const FRAMEWORK: DocumentKey = 'commit-framework'
const SPA: DocumentKey = 'commit-spa'
const MATRIX: DocumentKey = 'asean-matrix'
const TOOLKIT: DocumentKey = 'toolkit-regional-plans'

const span = (document: DocumentKey, from: number, to = from): Span => ({ document, from, to })

/**
 * The one place of `text` in the document: within `prefer` if it occurs there, else anywhere.
 * More than one candidate left: the first is taken and the case is printed for a hand check.
 */
function place(
  record: string,
  document: DocumentKey,
  text: string,
  prefer?: { from: number; to: number },
  earliest = false,
) {
  const all = candidates(document, text, earliest)
  let found = prefer ? all.filter((s) => s.from >= prefer.from && s.from <= prefer.to) : all
  if (!found.length) found = all
  if (!found.length) {
    problems.push(`${record}: "${text.slice(0, 70)}" not found in ${document}`)
    return undefined
  }
  if (found.length > 1)
    ambiguities.push(`${record}: ${found.length} places in ${document} (${found.map(locator).join('; ')})`)
  return found[0]
}

/**
 * The places of a text, whole or in pieces, in document order. Pieces are looked for in the
 * matrix always (a cell is broken over lines by other cells, and a provision's text may also
 * stand whole inside a later cell), elsewhere only when the text is not found whole.
 */
function candidates(d: DocumentKey, text: string, earliest = false): Span[] {
  const seen = new Set<string>()
  const whole = findAll(d, text)
  const pieces = d === MATRIX || !whole.length ? findPieces(d, text) : []
  // A whole match comes first; pieces only add places that no whole match overlaps.
  const extra = pieces.filter((p) => !whole.some((w) => p.to >= w.from && p.from <= w.to))
  const all = [...whole, ...extra].filter((s) => !seen.has(locator(s)) && !!seen.add(locator(s)))
  return earliest ? all.sort((a, b) => a.from - b.from || a.to - b.to) : all
}

/** Each project's block in 001: from its heading to the line before the next one. */
const projectBlocks = (() => {
  const lines = doc(SPA).lines
  const heads: { code: string; line: number }[] = []
  lines.forEach((l, i) => {
    const m = /^(PPC \d+|PP 12) [-–]/.exec(l)
    if (m) heads.push({ code: m[1]!, line: i + 1 })
  })
  const blocks = new Map<string, { from: number; to: number }>()
  heads.forEach((h, i) => {
    let to = (heads[i + 1]?.line ?? lines.length + 1) - 1
    while (to > h.line && (!lines[to - 1]!.trim() || lines[to - 1]!.startsWith('COORDINATED MEKONG'))) to--
    blocks.set(h.code, { from: h.line, to })
  })
  return blocks
})()

/** The line of "Activity N:" in 001 (the plan's wording of a framework activity). */
function spaActivityLine(code: string): number | undefined {
  const i = doc(SPA).lines.findIndex((l) => l.startsWith(`${code}:`))
  return i >= 0 ? i + 1 : undefined
}

/** The catalogue's sections in 004, by plan key. */
const catalogueBlocks: Record<string, { from: number; to: number }> = {
  'ari-2000': { from: 15, to: 22 },
  'commit-spa-1': { from: 24, to: 48 },
  'osce-thb-action-plan': { from: 50, to: 61 },
  'pidc-charter-2005': { from: 63, to: 77 },
  'puebla-rcm-plan-of-action': { from: 79, to: 95 },
  'stability-pact-atap-2001': { from: 97, to: 107 },
  'bsec-crime-action-plan-2007': { from: 109, to: 119 },
  'ecowas-initial-plan-2002': { from: 121, to: 145 },
  'asean-catalogue': { from: 147, to: 163 },
}

// ---------------------------------------------------------------- judgements shared by many records

const own = 'the project’s own code; the documents give none'
const noProgress = (value: string, source = 'the plan proposes') =>
  `the documents say nothing of progress; "${value}" only says ${source} it, not that anything was done or not done`
const SIX = ['KH', 'CN', 'LA', 'MM', 'TH', 'VN']
const sameSet = (a: string[] = [], b: string[]) => a.length === b.length && b.every((x) => a.includes(x))

/** A status the documents do not report, worded for the value it has. */
function statusNote(value: string | null | undefined, what: string, source?: string): FieldNote | undefined {
  if (!value) return undefined
  if (value === 'unknown')
    return { field: 'status', reason: `the documents do not say whether the ${what} was carried out` }
  if (value === 'planned') return { field: 'status', reason: noProgress(value, source) }
  return undefined
}

// ---------------------------------------------------------------- the records

const entries = new Map<string, { file: string; entry: Entry }>()

function put(
  r: SeedRecord,
  spans: (Span | undefined)[],
  inferred: (FieldNote | undefined)[] = [],
  doubtful: FieldNote[] = [],
) {
  const seen = new Set<string>()
  const sources = spans
    .filter((s): s is Span => !!s)
    .map((s) => ({ document: s.document, locator: locator(s) }))
    .filter((s) => {
      const k = `${s.document} ${s.locator}`
      if (seen.has(k)) return false
      seen.add(k)
      return true
    })
  if (!sources.length) problems.push(`${recordName(r)}: no source found`)
  const entry: Entry = { sources }
  // One note per field: a note written for this record replaces the general one before it.
  const byField = new Map<string, FieldNote>()
  for (const n of inferred) if (n) byField.set(n.field, n)
  const inf = [...byField.values()]
  if (inf.length) entry.inferred = inf
  if (doubtful.length) entry.doubtful = doubtful
  entries.set(recordName(r), { file: r.file, entry })
}

// Organizations ---------------------------------------------------------------------------

/** Where an organization the text names by a phrase other than its name or acronym is named. */
const organizationPlaces: Record<string, [DocumentKey, string][]> = {
  'commit-tf-kh': [[FRAMEWORK, 'Maintain existing COMMIT Task Forces in each country']],
  'commit-tf-cn': [[FRAMEWORK, 'Maintain existing COMMIT Task Forces in each country']],
  'commit-tf-la': [[FRAMEWORK, 'Maintain existing COMMIT Task Forces in each country']],
  'commit-tf-mm': [[FRAMEWORK, 'Maintain existing COMMIT Task Forces in each country']],
  'commit-tf-th': [[FRAMEWORK, 'Maintain existing COMMIT Task Forces in each country']],
  'commit-tf-vn': [[FRAMEWORK, 'Maintain existing COMMIT Task Forces in each country']],
  'ph-bi': [[MATRIX, 'DFA-FSI, PNP, DOJ, BI CHED']],
  'ph-ched': [[MATRIX, 'DFA-FSI, PNP, DOJ, BI CHED']],
  'ph-dfa-fsi': [[MATRIX, 'DFA-FSI, PNP, DOJ, BI CHED']],
  'ph-doj': [[MATRIX, 'DFA-FSI, PNP, DOJ, BI CHED']],
  'ph-pnp': [[MATRIX, 'DFA-FSI, PNP, DOJ, BI CHED']],
  'somtc-wg-tip': [[MATRIX, 'SOMTC Working Group on TIP']],
  'ecowas-authority': [[TOOLKIT, 'Authority of Heads of State and Government of ECOWAS']],
  'osce-pc': [[TOOLKIT, 'OSCE Permanent Council decision No. 557/Rev.1']],
  'seci-center': [
    [TOOLKIT, 'South-East European Cooperative Initiative Regional Center for Combating Trans-Border Crime'],
  ],
  spicpc: [[TOOLKIT, 'the South Pacific Islands Chiefs of Police Conference']],
  spoc: [[TOOLKIT, 'Stability Pact Initiative']],
  'stability-pact-gtf': [[TOOLKIT, 'Stability Pact Gender Task Force']],
  slom: [[MATRIX, 'ACMW is assigned to be a responsible Subsidiary Body of SLOM']],
  acmw: [[MATRIX, 'ACMW is assigned to be a responsible Subsidiary Body of SLOM']],
  almm: [[MATRIX, "ASEAN Labour Ministers' Work Programme 2016-2020"]],
  somhd: [[MATRIX, 'SOM HD']],
}

/** Every line naming the word (a whole word, as written), in document order. */
function wordPlaces(word: string): Span[] {
  const re = new RegExp(`(^|[^A-Za-z])${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^A-Za-z])`)
  const out: Span[] = []
  for (const key of ['commit-framework', 'commit-spa', 'asean-matrix', 'toolkit-regional-plans'] as DocumentKey[])
    doc(key).lines.forEach((l, i) => {
      if (re.test(l)) out.push(span(key, i + 1))
    })
  return out
}
const namePlaces = (name: string): Span[] =>
  (['commit-framework', 'commit-spa', 'asean-matrix', 'toolkit-regional-plans'] as DocumentKey[]).flatMap((k) =>
    findAll(k, name),
  )

function organization(r: SeedRecord) {
  const o = r.data
  const byName = namePlaces(o.name)
  const byAcronym = o.acronym ? wordPlaces(o.acronym) : []
  const manual = (organizationPlaces[o.key] ?? []).map(([d, text]) => place(recordName(r), d, text))
  // No document names an ASEAN Ministerial Meeting; the nearest is 003's heading on ASEAN's
  // sectoral bodies and organs in general, cited with the name marked doubtful (see below).
  const general = o.key === 'amm' ? [span(MATRIX, 1)] : []
  const spans = [...manual, byName[0], byAcronym[0], ...general]
  const inferred: FieldNote[] = [
    {
      field: 'kind',
      reason: 'the documents do not classify organizations; the kind is this project’s',
    },
  ]
  if (!byName.length && !o.key.startsWith('commit-tf-') && o.key !== 'amm')
    inferred.push({
      field: 'name',
      reason: o.acronym
        ? `the documents give only "${o.acronym}" or another short form; the usual full name was used`
        : 'the documents name it only in passing; the name is this project’s wording',
    })
  if (o.key.startsWith('commit-tf-'))
    inferred.push({
      field: 'name',
      reason:
        'the documents speak of the COMMIT Task Forces of the six countries; the name joins them with 001’s spelling of the country',
    })
  if (o.acronym && !byAcronym.length && o.key !== 'amm')
    inferred.push({ field: 'acronym', reason: `"${o.acronym}" is the usual acronym; the documents do not use it` })
  if (o.key === 'somhd')
    inferred.push({
      field: 'acronym',
      reason: '003 writes "SOM HD" and "OM-HD" (its first letter lost in extraction); SOMHD is the usual form',
    })
  if (o.key === 'apsc')
    inferred.push({
      field: 'name',
      reason:
        '003 says only "materials provided by APSC"; taken as the ASEAN Political-Security Community, which the context (education materials) leaves uncertain',
    })
  if (o.key === 'slom-acmw')
    inferred.push({
      field: 'name',
      reason: `the matrix’s row label is "SLOM (ACMW)", which it does not expand; ${
        o.name.includes('Committee') ? 'both acronyms are' : 'SLOM is'
      } expanded as usually named`,
    })
  if (o.key === 'almm')
    inferred.push({
      field: 'name',
      reason: '003 names only the "ASEAN Labour Ministers’ Work Programme 2016-2020"; "Meeting" is not in the text',
    })
  if (['hsu', 'nossa', 'somtc-wg-tip', 'acmw'].includes(o.key))
    inferred.push({
      field: 'parentId',
      reason:
        o.key === 'acmw'
          ? '003 says ACMW is "a responsible Subsidiary Body of SLOM"; placed under slom-acmw'
          : 'the documents do not say where it sits; placed under ' +
            (o.key === 'somtc-wg-tip' ? 'SOMTC, whose working group it is' : 'ASEAN'),
    })
  if (o.key.startsWith('ph-')) {
    inferred.push({
      field: 'country',
      reason:
        '003 lists it without a country; the rows around it speak of the Philippines ("SOMHD Philippines", "One Philippine NGO")',
    })
  }
  const doubtful: FieldNote[] = []
  if (o.key === 'amm')
    doubtful.push({
      field: 'name',
      reason:
        'no document names an ASEAN Ministerial Meeting: the source cited is 003’s heading on ASEAN’s sectoral bodies and organs in general; the entry exists so that references to the key resolve',
    })
  put(r, spans, inferred, doubtful)
}

// Plans -----------------------------------------------------------------------------------

function plan(r: SeedRecord) {
  const p = r.data
  const name = recordName(r)
  const spans: (Span | undefined)[] = []
  const inferred: (FieldNote | undefined)[] = []
  const doubtful: FieldNote[] = []
  const docs: Json[] = p.documents ?? []
  // A language the link's own file name gives ("…_en.pdf") is read, not assumed.
  if (docs.some((d) => d.language && !new RegExp(`_${d.language}\\.[a-z]+$`).test(d.url ?? '')))
    inferred.push({
      field: 'documents[].language',
      reason: 'the documents do not give a link’s language; "en" is assumed from the English page names',
    })
  if (p.key === 'commit-spa-1') {
    spans.push(span(SPA, 7), span(SPA, 11), span(SPA, 13), span(SPA, 15), span(FRAMEWORK, 6, 7), span(SPA, 74))
    spans.push(place(name, TOOLKIT, 'The COMMIT Subregional Plan of Action can be found at'), span(TOOLKIT, 48))
    // 004 on COMMIT: the plan adopted, the SOM convening annually, UNIAP the secretariat.
    spans.push(place(name, TOOLKIT, 'have adopted a comprehensive and strategic Subregional Plan of Action'))
    inferred.push(
      { field: 'code', reason: own },
      { field: 'title', reason: '001’s heading reads "Final COMMIT Sub-Regional Plan of Action"; "Final" is dropped' },
      {
        field: 'description',
        reason: 'a summary of 001’s introduction (lines 11–15), not a verbatim copy',
      },
      {
        field: 'documents[].type',
        reason: '004’s link is a COMMIT background page that contains the plan, not the plan file itself',
      },
    )
    if (p.startDate === '2005-01-01')
      inferred.push({ field: 'startDate', reason: '001 gives "2005 - 2007"; the first day of 2005 is assumed' })
    if (p.endDate === '2007-12-31')
      inferred.push({ field: 'endDate', reason: '001 gives "2005 - 2007"; the last day of 2007 is assumed' })
    if (p.status === 'completed')
      inferred.push({
        field: 'status',
        reason:
          'inferred from the period having ended; no document says the plan was completed, and 001 line 15 says not all activities may be completed in the period',
      })
    else if (p.status !== 'adopted') inferred.push(statusNote(p.status, 'plan'))
    if (p.adoption?.date === '2004-10-28')
      inferred.push({
        field: 'adoption',
        reason:
          'SOM 2, 28 October 2004, Yangon is when the framework (000 lines 6–7) was agreed; the plan itself was drafted November 2004 – February 2005 (001 line 13) and its own adoption is not in the documents',
      })
  } else if (p.key === 'asean-apa') {
    spans.push(span(MATRIX, 1), place(name, MATRIX, 'As of 31 May 2016'), span(MATRIX, 4))
    if (p.status === 'active')
      inferred.push({
        field: 'status',
        reason:
          '003 gives no period, adoption or progress; "active" is assumed from a working matrix dated 31 May 2016',
      })
    else inferred.push(statusNote(p.status, 'plan'))
    inferred.push({
      field: 'countries',
      reason: 'the ASEAN ten; 003 speaks of ASEAN Member States but does not list them',
    })
    if (p.description && !doc(MATRIX).compact.includes(compact(p.description)))
      inferred.push({
        field: 'description',
        reason: '003’s title with the date of the matrix added; not a sentence of 003',
      })
  } else {
    const block = catalogueBlocks[p.key]
    if (!block) problems.push(`${name}: no section of 004 known for this plan`)
    else spans.push(span(TOOLKIT, block.from, block.to))
    const text = block
      ? doc(TOOLKIT)
          .lines.slice(block.from - 1, block.to)
          .join('\n')
      : ''
    const inText = (s: string) => compact(text).includes(compact(s))
    if (!inText(p.code)) inferred.push({ field: 'code', reason: own })
    if (!inText(p.title)) inferred.push({ field: 'title', reason: 'composed from 004’s heading and text' })
    if (p.description && !inText(p.description))
      inferred.push({ field: 'description', reason: 'sentences copied from 004, some of them left out' })
    if (p.status === 'adopted' && !inText('adopted'))
      inferred.push({
        field: 'status',
        reason:
          '004 does not say the plan was adopted; "adopted" is assumed because 004 presents it as a plan in force',
      })
    else inferred.push(statusNote(p.status, 'plan'))
    if (p.key === 'puebla-rcm-plan-of-action')
      inferred.push({
        field: 'countries',
        reason:
          '004 says "all the Central American countries"; taken as Belize, Costa Rica, El Salvador, Guatemala, Honduras, Nicaragua and Panama',
      })
    if (p.key === 'asean-catalogue')
      inferred.push({
        field: 'countries',
        reason: 'the ASEAN ten; 004 says "each ASEAN member country" but does not list them',
      })
    if (p.startDate && /-01-01$/.test(p.startDate) && p.key === 'ecowas-initial-plan-2002')
      inferred.push({ field: 'startDate', reason: '004 gives "(2002-2003)"; the first day of 2002 is assumed' })
    if (p.endDate && /-12-31$/.test(p.endDate) && p.key === 'ecowas-initial-plan-2002')
      inferred.push({ field: 'endDate', reason: '004 gives "(2002-2003)"; the last day of 2003 is assumed' })
    if (p.startDate === '2007-05-01')
      inferred.push({ field: 'startDate', reason: '004 gives "May 2007"; the first day of the month is assumed' })
    if (p.endDate === '2009-04-30')
      inferred.push({ field: 'endDate', reason: '004 gives "April 2009"; the last day of the month is assumed' })
    if (p.key === 'ari-2000' && p.adoption)
      inferred.push({
        field: 'adoption',
        reason: '004 says the plan was "developed" at the Manila conference of 2000, not that it was adopted there',
      })
    if (p.key === 'osce-thb-action-plan' && p.adoption)
      inferred.push({
        field: 'adoption.meeting',
        reason: 'a Permanent Council decision, not a meeting; 004 gives no place or date',
      })
    if (p.key === 'puebla-rcm-plan-of-action' && p.adoption?.place)
      inferred.push({
        field: 'adoption.place',
        reason: '004 says "held in Guatemala", which may mean the country or the city',
      })
    if (docs.some((d) => d.type === 'other'))
      inferred.push({
        field: 'documents[].type',
        reason: 'links that are not the plan itself (a website, a manual, the source publication) are typed "other"',
      })
  }
  if (p.region) {
    const sourceText = spans
      .filter((s): s is Span => !!s)
      .map((s) =>
        doc(s.document)
          .lines.slice(s.from - 1, s.to)
          .join(' '),
      )
      .join(' ')
    if (!compact(sourceText).includes(compact(p.region)))
      inferred.push({
        field: 'region',
        reason: 'the documents do not name the region in these words; this project names the area the plan covers',
      })
  }
  put(r, spans, inferred, doubtful)
}

// Areas -----------------------------------------------------------------------------------

/** The APA matrix's provisions: codes whose letter the source does not give. */
const unlettered = new Set(['A.3', 'A.4', 'A.5', 'B.3', 'B.4', 'B.5', 'B.6', 'B.7', 'C.6'])

function area(r: SeedRecord) {
  const a = r.data
  const name = recordName(r)
  const inferred: FieldNote[] = []
  const doubtful: FieldNote[] = []
  let spans: (Span | undefined)[] = []
  if (r.plan === 'commit-spa-1') {
    const head =
      a.kind === 'section'
        ? `${a.code}. ${a.title}`
        : a.kind === 'area'
          ? `${a.code}: ${a.title}`
          : `${a.code} ${a.title}`
    spans = [place(name, FRAMEWORK, head)]
  } else if (r.plan === 'asean-apa') {
    if (a.kind === 'section') spans = [place(name, MATRIX, `${a.code}. ${a.title}`)]
    else if (a.kind === 'pillar') spans = [place(name, MATRIX, `${a.code}. ${a.title}`)]
    else {
      // A provision's text stands first in its row; a later cell may repeat it (A.4 in A.5's cell).
      spans = [place(name, MATRIX, a.title, undefined, true)]
      if (unlettered.has(a.code))
        inferred.push({
          field: 'code',
          reason:
            'the matrix gives this provision no letter; coded by its position within the pillar (a digit always means "no letter in the source")',
        })
      if (a.code === 'C.B' || a.code === 'D.B')
        inferred.push({ field: 'code', reason: 'the source’s letter is a Cyrillic "В" (an OCR artefact), read as B' })
      if (a.code === 'A.B')
        doubtful.push({
          field: 'title',
          reason:
            'the source’s text ends mid-sentence ("…with civil society, non-governmental"); the rest is not in the document and is not supplied',
        })
      if (a.code === 'A.L')
        inferred.push({
          field: 'title',
          reason:
            '"that leads to trafficking," stands twice, at the end of line 70 and the start of line 71 (a line-duplication artefact); kept once',
        })
    }
  } else {
    const block = catalogueBlocks[r.plan!]
    spans = [place(name, TOOLKIT, a.title, block)]
    if (!spans[0]) {
      // Titles 004 gives in running prose ("prevention, protection, …") were capitalised: find the words.
      const words = a.title.split(/\s+/)
      spans = [place(name, TOOLKIT, words.slice(0, Math.min(words.length, 3)).join(' '), block)]
      problems.pop()
    }
    inferred.push({ field: 'code', reason: 'the project’s own numbering; 004 lists the items without numbers' })
    if (a.kind === 'objective')
      inferred.push({
        field: 'kind',
        reason: '004 lists these as objectives or aims, not strategic areas; recorded as objectives',
      })
  }
  put(r, spans, inferred, doubtful)
}

// Activities ------------------------------------------------------------------------------

/** Pages of the flattened matrix (§1.1 of data/README.seed-notes.md) and how surely their columns are known. */
const matrixPages: { from: number; to: number; confidence: string; how: string }[] = [
  { from: 6, to: 8, confidence: 'high', how: 'every column is present on this page' },
  { from: 10, to: 12, confidence: 'high', how: 'the provision column is empty on this page and dropped' },
  { from: 16, to: 20, confidence: 'high', how: 'every column is present on this page' },
  { from: 22, to: 24, confidence: 'medium', how: 'the two surviving category columns are identified by their content' },
  { from: 28, to: 29, confidence: 'medium-high', how: 'the SOMTC row reads as institutional / training / prevention' },
  { from: 33, to: 60, confidence: 'medium-high', how: 'the prevention column is the one missing' },
  { from: 62, to: 64, confidence: 'low', how: 'the third column may be training or prevention; prevention was chosen' },
  { from: 68, to: 73, confidence: 'high', how: 'every column is present on this page' },
  { from: 74, to: 80, confidence: 'high', how: 'every column is present on this page' },
  { from: 82, to: 84, confidence: 'medium-high', how: 'the research column is the one missing' },
  {
    from: 86,
    to: 89,
    confidence: 'low',
    how: 'the third column was taken as prevention, which two of the three possible layouts give',
  },
  { from: 91, to: 97, confidence: 'medium-high', how: 'the research column is the one missing' },
  { from: 99, to: 102, confidence: 'medium', how: 'the institutional-development column is the one missing' },
  { from: 104, to: 106, confidence: 'high', how: 'the institutional-development column is the one missing' },
  {
    from: 108,
    to: 131,
    confidence: 'low',
    how: 'only one category column survives and it cannot be identified; institutional development was chosen',
  },
]

/** Entries whose category the notes call uncertain, with the reason. */
const categoryDoubts: Record<string, string> = {
  'A.3-DGICM-1': 'placed in prevention by the column rule; it could be institutional development',
  'A.3-SLOM-ACMW-1':
    'research by the column rule, but by its meaning (a workshop) it is training; the weakest placement in the matrix',
  'A.3-SLOM-ACMW-2':
    'research by the column rule, but by its meaning (a workshop) it is training; the weakest placement in the matrix',
  'A.4-AICHR-1': 'placed in institutional development by the column rule on a page where one column is missing',
  'A.5-ACWC-1': 'placed by guess: the page’s third column may be training or prevention, and prevention was chosen',
  'B.6-ACWC-1': 'placed by guess: the page’s third column was taken as prevention; it could be training',
  'C.H-SOMTC-1':
    'training by the column rule, but the same text stands in the prevention column under B.B (B.B-SOMTC-2); rule and meaning disagree',
  'B.B-SOMTC-2':
    'prevention by the column rule; the same text stands in the training column under C.H (C.H-SOMTC-1), so one of the two placements is wrong',
  'C.6-SOMTC-1':
    'training by the column rule, but the same text stands in the prevention column under A.A (A.A-SOMTC-10); rule and meaning disagree',
  'D.B-SOMTC-1': 'placed by guess: only one category column survives on this page and it cannot be identified',
  'D.C-SOM-ED-1': 'placed by guess: only one category column survives on this page and it cannot be identified',
  'D.C-SOM-ED-2': 'placed by guess: only one category column survives on this page and it cannot be identified',
  'D.C-SOM-ED-3': 'placed by guess: only one category column survives on this page and it cannot be identified',
}

/** Entries split out of a cell without bullets, or out of one bullet at "; ". */
const splitEntries: Record<string, string> = {
  'A.A-SOM-ED-1':
    'the cell has no bullets; split where a new entry evidently starts ("… in schools." | "Set Monitoring …")',
  'A.A-SOM-ED-2':
    'the cell has no bullets; split where a new entry evidently starts ("… in schools." | "Set Monitoring …")',
  'A.B-SOMTC-1': 'the cell has no bullets; split into three entries where each evidently starts',
  'A.B-SOMTC-2': 'the cell has no bullets; split into three entries where each evidently starts',
  'A.B-SOMTC-3': 'the cell has no bullets; split into three entries where each evidently starts',
  'A.A-SOMTC-1': 'the source runs two entries together as "BI CHED to support"; BI is read as the end of this one',
  'A.A-SOMTC-2': 'the source runs two entries together as "BI CHED to support"; CHED is read as the start of this one',
  'A.5-SOMTC-3': 'one bullet split at "; " where a new capitalised clause starts',
  'A.5-SOMTC-4':
    'one bullet split at "; " where a new capitalised clause starts; the clause repeats provision A.4’s text',
  'C.K-SOMTC-1': 'one bullet split at "; " where a new capitalised clause starts',
  'C.K-SOMTC-2':
    'one bullet split at "; " where a new capitalised clause starts; the clause repeats provision A.4’s text',
  'A.5-SOMTC-5': 'one bullet split at "; " where a new capitalised clause starts',
  'A.5-SOMTC-6': 'one bullet split at "; " where a new capitalised clause starts',
  'A.5-SLOM-ACMW-1':
    'the cell holds only a note; the activity is its actionable sentence, and the whole note is the description',
  'A.L-SLOM-ACMW-1':
    'the cell holds only a note; the activity is its actionable sentence, and the whole note is the description',
}

/** Entries kept as activities although they read like remarks. */
const remarkEntries: Record<string, string> = {
  'A.A-SOMTC-3':
    'kept as an activity because it is a bullet of its own, but it reads like a remark made at the meeting',
  'A.A-SOMTC-8': 'kept as an activity because it is a bullet of its own, but it states a need rather than an activity',
  'B.B-ACWC-1': 'kept as an activity because it is a bullet of its own, but it says only that ACWC may have a project',
}

/** Entries of one country although the activity lists none. */
const nationalEntries: Record<string, string> = {
  'A.A-SOMTC-1': 'Philippine agencies',
  'A.A-SOMTC-2': 'a Philippine commission',
  'A.A-SOMTC-8': '"One Philippine NGO"',
  'A.A-SOMHD-1': '"SOMHD Philippines"',
  'A.A-SOM-ED-4': 'a Cambodian town (Prah Sihanouk Ville)',
  'A.A-SOM-ED-5': 'a Cambodian town (Siem Reap)',
  'A.B-SLOM-ACMW-1': 'a workshop in Manila, Philippines',
}

/** ASEAN entries whose text says where they stand, and how that was read. */
const statedStatus: Record<string, FieldNote> = {
  'A.3-DGICM-1': {
    field: 'status',
    reason: 'the entry says the facility "was closed in 2013"; read as completed',
  },
  'B.3-SOMHD-1': {
    field: 'status',
    reason: 'the entry calls itself a "Current/Existing activity in ASEAN Health Cooperation"; read as in progress',
  },
}

/** Extra organizations of ASEAN entries and the words that name them. */
const organizationRoles: Record<string, string> = {
  'A.L-ACWC-1':
    'the row is ACWC’s, but the text names an AICHR workshop; ACWC is kept as lead (the row) and AICHR is implementing',
}

/** COMMIT activities whose category the notes say could be read otherwise. */
const commitCategoryAlternatives: Record<string, string> = {
  'Activity 5': '; a regional training mechanism could also be institutional development',
  'Activity 16': '; it sits in section 4 "Preventive Measures", so it could also be prevention',
  'Activity 17': '; tourism-sector cooperation could also be prevention',
}

function activity(r: SeedRecord, asean: Json) {
  const a = r.data
  const name = recordName(r)
  const inferred: (FieldNote | undefined)[] = []
  const doubtful: FieldNote[] = []
  const spans: (Span | undefined)[] = []
  if (r.plan === 'commit-spa-1') {
    const n = a.code.replace('Activity ', '')
    spans.push(place(name, FRAMEWORK, `${n}. ${a.title}`))
    const line = spaActivityLine(a.code)
    if (line) spans.push(span(SPA, line, a.code === 'Activity 18' ? 610 : line))
    else problems.push(`${name}: no "${a.code}:" line in 001`)
    if (a.category)
      inferred.push({
        field: 'category',
        reason: `chosen from the title; the framework gives no category${commitCategoryAlternatives[a.code] ?? ''}`,
      })
    if (sameSet(a.countries, SIX))
      inferred.push({
        field: 'countries',
        reason: 'the framework names no countries per activity; each is taken to concern all six COMMIT countries',
      })
    if (a.code === 'Activity 18' && a.organizations?.length)
      inferred.push({
        field: 'organizations',
        reason:
          'the text names the Task Forces and UNIAP ("work with UNIAP") but no lead; all are given the role implementing',
      })
    inferred.push(statusNote(a.status, 'activity'))
  } else if (r.plan === 'asean-apa') {
    const provision = where(MATRIX, areaTitle(asean, a.area))
    const next = nextProvisionLine(asean, a.area)
    const prefer = provision ? { from: provision.from - 1, to: next } : undefined
    const found = a.code === 'A.B-SOM-ED-6' ? span(MATRIX, 18) : place(name, MATRIX, a.title, prefer)
    spans.push(found)
    if (a.description && !a.description.endsWith(':') && !a.description.startsWith('Monitoring'))
      spans.push(place(name, MATRIX, a.description, prefer))
    inferred.push({ field: 'code', reason: own })
    if (a.category) {
      const page = found && matrixPages.find((p) => found.from >= p.from && found.from <= p.to)
      inferred.push({
        field: 'category',
        reason:
          categoryDoubts[a.code] ??
          (page
            ? page.how === 'every column is present on this page'
              ? 'placed by the cell’s column in the flattened table; every column is present on this page'
              : `placed by the column rule (the extractor drops columns empty on a whole page): ${page.how} (confidence ${page.confidence})`
            : 'placed by the column rule (the extractor drops columns empty on a whole page)'),
      })
    }
    inferred.push(statusNote(a.status, 'activity', 'the matrix lists') ?? statedStatus[a.code])
    if (splitEntries[a.code]) inferred.push({ field: 'title', reason: splitEntries[a.code]! })
    if (a.description === 'Campaign on:')
      inferred.push({
        field: 'description',
        reason: 'the lead-in "Campaign on:" of a run of items, each item an activity of its own',
      })
    if (a.description === 'Monitoring , Evaluation and Reports')
      inferred.push({ field: 'description', reason: 'the heading of the cell, not made an activity of its own' })
    if (a.code.startsWith('A.3-SLOM-ACMW-'))
      inferred.push({ field: 'description', reason: 'the note that precedes the two "•" workshops in the cell' })
    if (remarkEntries[a.code]) doubtful.push({ field: 'title', reason: remarkEntries[a.code]! })
    if (nationalEntries[a.code] && !a.countries?.length)
      inferred.push({
        field: 'countries',
        reason: `left empty although the entry concerns one country (${nationalEntries[a.code]}); the matrix has no country column`,
      })
    if ((a.organizations ?? []).some((o: Json) => o.role === 'participating'))
      inferred.push({
        field: 'organizations',
        reason: 'the lead is the row’s body; the others are named in the entry’s text and given the role participating',
      })
    if (organizationRoles[a.code]) inferred.push({ field: 'organizations', reason: organizationRoles[a.code]! })
    if (a.code === 'C.B-SOMTC-1' || a.code === 'C.H-SOMTC-1')
      inferred.push({
        field: 'areaId',
        reason:
          'lines 95–101 hold one merged cell of provisions B, C, E and H; attached by line position, though it may be meant for the whole group',
      })
  }
  put(r, spans, inferred, doubtful)
}

/** The first place of a text, whole or in pieces. */
const where = (d: DocumentKey, text: string) => candidates(d, text, true)[0]

function areaTitle(plan: Json, code: string): string {
  let title = ''
  const walk = (nodes: Json[]) => {
    for (const n of nodes) {
      if (n.code === code) title = n.title
      walk(n.children ?? [])
    }
  }
  walk(plan.areas)
  return title
}

/** The first line of the provision after `code` in the matrix (or the end of the document). */
function nextProvisionLine(plan: Json, code: string): number {
  const provisions: Json[] = []
  const walk = (nodes: Json[]) => {
    for (const n of nodes) {
      if (n.kind === 'provision') provisions.push(n)
      walk(n.children ?? [])
    }
  }
  walk(plan.areas)
  const i = provisions.findIndex((p) => p.code === code)
  const next = provisions[i + 1]
  const at = next ? where(MATRIX, next.title) : undefined
  return at ? at.from : doc(MATRIX).lines.length
}

// Projects, results, tasks -----------------------------------------------------------------

const doubtfulLinks: Record<string, string> = {
  'PPC 8':
    'kept as written, but 001 line 417 says "linkages to activities in PPC 12" of a survey on child sex tourism; PP 12 is management, so PPC 11 (tourism) was probably meant',
  'PPC 7':
    'kept as written, but the link to PPC 10 (line 389) looks like a slip: line 366 speaks of "preparations made for Activity 10", which is PPC 4’s (criminal justice and NGO cooperation), not PPC 10 (brokering)',
}

function project(r: SeedRecord) {
  const pr = r.data
  const block = projectBlocks.get(pr.code)
  const inferred: (FieldNote | undefined)[] = []
  const doubtful: FieldNote[] = []
  const spans: (Span | undefined)[] = [block && span(SPA, block.from, block.to)]
  if (!block) problems.push(`${recordName(r)}: no block in 001`)
  const n = Number(pr.code.replace(/\D/g, ''))
  // 001 heads PPC 9–11 only "Activity 15/16/17"; their titles are 004's names for the items
  // (lines 30–41), which follow the PPCs' order.
  const item = findAll(TOOLKIT, pr.title, { from: 29 + n, to: 29 + n })[0]
  if (item) {
    spans.push(item)
    inferred.push({
      field: 'title',
      reason: `001 heads it only "${pr.activities?.[0] ?? ''}"; the title is 004’s name for item ${n} of the plan (lines 30–41), matched by position`,
    })
  }
  if (pr.name) {
    spans.push(place(recordName(r), TOOLKIT, pr.name, { from: 29 + n, to: 29 + n }))
    inferred.push({
      field: 'name',
      reason: `004 (lines 30–41) lists twelve descriptive names of the plan’s items in the PPCs’ order; this is its item ${n}, matched by position`,
    })
  }
  if (sameSet(pr.countries, SIX))
    inferred.push({
      field: 'countries',
      reason:
        'the line "Cambodia, China, Lao PDR, Myanmar, Thailand, Vietnam" is a page footer on some pages only; every project is taken to concern all six',
    })
  const slip = doubtfulLinks[pr.code]
  if (slip && pr.linkedProjects?.length) doubtful.push({ field: 'linkedProjectIds', reason: slip })
  put(r, spans, inferred, doubtful)
}

function result(r: SeedRecord) {
  const block = projectBlocks.get(r.parent.code)
  put(r, [place(recordName(r), SPA, r.data.statement, block)])
}

/** Tasks the notes discuss, by the start of their title. */
const taskJudgements: { starts: string; list: 'inferred' | 'doubtful'; reason: string }[] = [
  {
    starts: 'Support for training and information campaigns against human trafficking in the tourism',
    list: 'inferred',
    reason:
      'the source flattens a nested list (probably two headings, "Local initiatives …" and "Sub-regional level programs:", with items under each); all of it is folded under this task',
  },
  {
    starts: 'There are clear linkages to Activities under PPC',
    list: 'doubtful',
    reason: 'a statement rather than a task, kept as a task because it is a bullet of its own',
  },
  {
    starts: 'Options include:',
    list: 'doubtful',
    reason: 'a statement rather than a task, kept as a task because it is a bullet of its own',
  },
]

function task(r: SeedRecord) {
  const t = r.data
  const block = projectBlocks.get(r.parent.code)
  const inferred: (FieldNote | undefined)[] = [statusNote(t.status, 'task')]
  const doubtful: FieldNote[] = []
  for (const j of taskJudgements)
    if (t.title.startsWith(j.starts))
      (j.list === 'inferred' ? inferred : doubtful).push({ field: 'title', reason: j.reason })
  put(r, [place(recordName(r), SPA, t.title, block)], inferred, doubtful)
}

// Meetings and outcomes --------------------------------------------------------------------

/** Where each meeting is named: a phrase of the documents (checked to be there), by meeting key. */
const meetingPlaces: Record<string, [DocumentKey, string][]> = {
  'commit-som-2': [
    [FRAMEWORK, 'AS AGREED AT SENIOR OFFICIALS MEETING II YANGON, 28 OCTOBER 2004'],
    // Where the assumed organizer comes from: UNIAP the secretariat, PP 12's support of the SOM.
    [TOOLKIT, 'UNIAP is the secretariat for COMMIT'],
    [SPA, 'support for organization of annual S'],
  ],
  'commit-mou-2004': [[SPA, 'On October 29, 2004, the six Governments of the Greater Mekong Sub-region agreed']],
  'commit-som-3': [
    [FRAMEWORK, 'for finalisation at SOM 3'],
    [SPA, 'for finalization at SOM 3'],
    [
      SPA,
      'Terms of reference for Senior Officials Meeting Schedule for implementation of the Plan of Action Activities for monitoring',
    ],
    [TOOLKIT, 'A guidance document issued by the secretariat during the third Senior Officials Meeting'],
  ],
  'commit-roundtable-2005-debriefing': [[SPA, 'culminated in a final debriefing meeting']],
  'commit-ppc1-training-assessment-meeting': [
    [SPA, 'A sub-regional meeting should be organized between the Governments and representatives'],
  ],
  'commit-ppc2-hsu-roundtable': [
    [SPA, 'Organize annual (3) roundtable meetings for the respective Heads of Specialist Units'],
  ],
  'commit-ppc2-victim-identification-workshop': [
    [SPA, 'Following completion of preparatory work, conduct a regional workshop focusing on national and regional'],
  ],
  'commit-ppc2-victim-identification-followup-workshop': [[SPA, 'follow-up workshop']],
  'commit-ppc2-training-workshop': [
    [SPA, 'a second regional workshop meeting should be conducted on training assessment'],
  ],
  'commit-ppc2-information-sharing-seminar': [
    [SPA, 'Conduct one regional seminar to finalize agreement on standardized'],
  ],
  'commit-ppc2-bilateral-training': [
    [SPA, 'a series of bilateral training programs could be initiated between COMMIT countries'],
    [SPA, 'A pilot bilateral training program should be initiated between two COMMIT countries'],
    [SPA, 'Options include: (1) Lao-Thai'],
  ],
  'commit-ppc4-labour-migration-seminar': [
    [SPA, 'A two-day, regional seminar should be held to explore fully the linkages'],
  ],
  'commit-ppc4-labour-migration-bilateral': [[SPA, 'follow-up bilateral meetings']],
  'commit-ppc4-internal-agreements-seminar': [
    [SPA, 'A two-day sub-regional seminar will be organized to present the experience'],
  ],
  'commit-ppc4-bilateral-mou-seminar': [
    [SPA, 'A two-day regional seminar should be organized to examine the practical implementation'],
  ],
  'commit-ppc4-government-ngo-seminar': [
    [SPA, 'A two-day, regional seminar should be conducted on the cooperation between governments'],
  ],
  'commit-ppc4-criminal-justice-seminar': [
    [SPA, 'a two-day regional seminar will be organized to examine closely the issue'],
  ],
  'commit-ppc5-evidence-seminar': [[SPA, '1. A sub-regional seminar held to exchange information on evidence']],
  'commit-ppc5-money-laundering-seminar': [
    [SPA, '2. A sub regional seminar on use of legal mandates on money-laundering'],
  ],
  'commit-ppc5-civil-law-seminar': [[SPA, '3. A sub regional seminar held on development and use of civil law']],
  'commit-ppc5-common-guidelines-seminar': [
    [SPA, '4. A sub-regional seminar held to produce a draft set of common guidelines'],
  ],
  'commit-ppc6-repatriation-seminar': [[SPA, 'A sub-regional seminar held to assess gaps, examine current practices']],
  'commit-ppc6-repatriation-followon-seminar': [
    [SPA, 'a follow-on seminar could be held to complete the recommendations'],
  ],
  'commit-ppc7-reintegration-twg': [
    [SPA, 'A technical working group of government representatives, experts and international agencies should meet'],
  ],
  'commit-ppc7-post-harm-seminar': [[SPA, 'A regional seminar held on improving post-harm support and services']],
  'commit-ppc8-mutual-legal-assistance-seminar': [[SPA, 'A regional seminar held with key judicial personnel']],
  'commit-ppc8-extradition-seminar': [
    [SPA, 'A regional seminar will be held with key judicial and other relevant personnel'],
  ],
  'commit-ppc8-extraterritorial-laws-seminar': [
    [SPA, 'a regional seminar on expanding the effective use of extraterritorial laws'],
  ],
  'commit-ppc8-mla-agreements-followon-seminar': [
    [SPA, 'A follow-on regional seminar should be scheduled on amending mutual legal assistance agreements'],
  ],
  'commit-ppc9-twg': [[SPA, 'A technical working group should be convened to work with the Governments']],
  'commit-ppc9-economic-support-seminar': [
    [SPA, 'A regional seminar will be held, in collaboration with international organizations and donors'],
  ],
  'commit-ppc10-national-technical-meeting': [[SPA, 'convene national technical meetings to examine and strengthen']],
  'commit-ppc10-brokering-workshop': [[SPA, 'Conduct a sub-regional workshop based on findings of reviews']],
  'commit-ppc10-ministries-of-labour-seminar': [
    [SPA, 'The Ministries of Labour and other relevant line Ministries from each of the COMMIT nations should meet'],
    [SPA, 'A regional seminar on Ministry of Labour efforts against human trafficking should be held.'],
  ],
  'commit-ppc11-tourism-seminar': [[SPA, 'A three-day regional seminar conducted to devise a COMMIT approach']],
  'commit-ppc11-tourism-followon-workshops': [[SPA, 'Development of follow-on workshops preventing trafficking']],
  'ari-conference-manila-2000': [
    [
      TOOLKIT,
      'At the Asian Regional Initiative against Trafficking in Women and Children conference held in Manila in 2000',
    ],
  ],
  'ecowas-summit-dakar-2001': [
    [
      TOOLKIT,
      'At the twenty-fifth Ordinary Session of Authority of Heads of State and Government of ECOWAS, held in Dakar',
    ],
  ],
  'rcm-meeting-guatemala-2002': [
    [
      TOOLKIT,
      'In 2002, an action plan was adopted at a meeting of the Regional Conference on Migration held in Guatemala',
    ],
  ],
  'pidc-annual-meeting-samoa-2007': [
    [TOOLKIT, 'The eleventh annual meeting of the Conference, which was held in Samoa in August 2007'],
  ],
  'asean-hsu-annual-meeting': [[MATRIX, 'reported annual HSU Meeting and in SOMTC Working Group on TIP']],
  'asean-somtc-wg-tip': [[MATRIX, 'reported annual HSU Meeting and in SOMTC Working Group on TIP']],
  'aichr-workshop-communication-strategies-2016': [
    [
      MATRIX,
      'AICHR Workshop on Effective Communication Strategies to Combat Trafficking in Persons (Priority Programme of the AICHR 2016)',
    ],
  ],
  'aichr-workshop-root-causes': [[MATRIX, 'Workshop on Addressing Root causes of TIP']],
  'aichr-regional-workshop-preventive-measures': [
    [MATRIX, 'AICHR Regional Workshop on the Preventive Measures to Combat Trafficking in Persons (TBC)'],
  ],
  'aichr-consultation-hrba-2016': [
    [
      MATRIX,
      'Annual Consultation on Human Rights-based Approach in the Implementation of ACTIP and APA (Priority Programme of the AICHR 2016)',
    ],
  ],
  'asean-workshop-border-controls-manila-2016': [
    [
      MATRIX,
      'ASEAN Workshop on Improving Border Controls and Strengthening the Capacity of Law Enforcement Authorities',
    ],
  ],
}

/** The places of a meeting: by its key, or by the key without a trailing -<n> / -<country> / -<pair>. */
function meetingSpans(r: SeedRecord): (Span | undefined)[] {
  const key: string = r.data.key
  const intro = [span(SPA, 13)]
  if (key.startsWith('commit-roundtable-2005-') && key !== 'commit-roundtable-2005-debriefing')
    return [place(recordName(r), SPA, 'seven roundtable discussions covering the areas in the SPA framework')]
  if (key.startsWith('commit-national-consultation-'))
    return [place(recordName(r), SPA, 'National consultations were then held with COMMIT Task Forces')]
  let phrases = meetingPlaces[key]
  for (let k = key; !phrases && k.includes('-'); ) {
    k = k.slice(0, k.lastIndexOf('-'))
    phrases = meetingPlaces[k]
  }
  if (!phrases) {
    problems.push(`${recordName(r)}: no place known for this meeting; add one to meetingPlaces`)
    return intro.slice(0, 0)
  }
  return phrases.map(([d, text]) => place(recordName(r), d, text))
}

/** Meetings whose activity links are a choice among the activities of a PPC that covers several. */
const multiActivityProjects = new Set(['PPC 1', 'PPC 2', 'PPC 4'])

function meeting(r: SeedRecord) {
  const m = r.data
  const key: string = m.key
  const inferred: (FieldNote | undefined)[] = []
  const doubtful: FieldNote[] = []
  if (m.timeZone)
    inferred.push({
      field: 'timeZone',
      reason: 'the documents give no time zone; the zone of the venue’s country (its capital) is assumed',
    })
  if (m.status === 'planned')
    inferred.push({
      field: 'status',
      reason: `the ${r.plan === 'asean-apa' ? 'matrix lists' : 'plan proposes'} it; the documents say nothing of whether it took place`,
    })
  if (m.organizers?.includes('uniap'))
    inferred.push({
      field: 'organizerIds',
      reason:
        'no document names an organizer; UNIAP is the COMMIT Secretariat (004) and PP 12 gives it the support of the SOM’s organization',
    })
  if (key === 'commit-som-2') {
    if (m.activities?.length === 18)
      inferred.push({ field: 'activityIds', reason: 'all 18, because the meeting agreed the framework of all 18' })
    if (m.plan)
      inferred.push({
        field: 'planId',
        reason: 'the framework agreed here is the basis of the plan; 000 does not say it adopted the plan',
      })
  }
  if (key === 'commit-mou-2004' && m.kind === 'ministerial')
    inferred.push({
      field: 'kind',
      reason:
        '001 says the six Governments agreed the MOU on 29 October 2004; that it was a ministerial signing is this project’s reading',
    })
  if (key === 'commit-som-3') {
    if (m.status === 'held')
      inferred.push({
        field: 'status',
        reason:
          '000 and 001 only plan it, but 004 says a guidance document was issued during it, so it took place; no document gives its date or place',
      })
    if (m.projects?.includes('PP 12'))
      inferred.push({ field: 'projectIds', reason: 'PP 12 restates Activity 18’s outputs "for finalization at SOM 3"' })
  }
  if (/^commit-roundtable-2005-\d$/.test(key)) {
    inferred.push(
      {
        field: 'sequence',
        reason: 'the project’s own label; 001 gives only the count ("seven roundtable discussions")',
      },
      {
        field: 'startDate',
        reason:
          '001 gives "January and February 2005"; which month each roundtable was in is not known, so each spans both',
      },
      {
        field: 'endDate',
        reason:
          '001 gives "January and February 2005"; which month each roundtable was in is not known, so each spans both',
      },
    )
  }
  if (key.startsWith('commit-national-consultation-'))
    inferred.push({
      field: 'countries',
      reason:
        '001 says consultations were held "in all the six Mekong countries"; one meeting per country is this project’s reading',
    })
  if (key.startsWith('commit-ppc') && sameSet(m.countries, SIX))
    inferred.push({
      field: 'countries',
      reason: 'the plan’s six countries; the text names none for this meeting',
    })
  if (
    key.startsWith('commit-ppc') &&
    m.projects?.some((p: string) => multiActivityProjects.has(p)) &&
    m.activities?.length
  )
    inferred.push({
      field: 'activityIds',
      reason: `${m.projects.join(', ')} covers several activities; the link is chosen by the meeting’s subject (information exchange → 7, victim identification → 11, law-enforcement training → 6, bilateral agreements → 2, criminal justice–NGO cooperation → 10)`,
    })
  if (key.startsWith('commit-ppc2-hsu-roundtable-'))
    inferred.push({
      field: 'title',
      reason: '"annual (3) roundtable meetings" is entered as three meetings, one a year',
    })
  if (key.startsWith('commit-ppc4-labour-migration-bilateral-'))
    inferred.push({
      field: 'countries',
      reason: 'the text plans two follow-up bilateral meetings without naming the countries',
    })
  if (key.startsWith('commit-ppc10-national-technical-meeting-'))
    inferred.push({
      field: 'kind',
      reason:
        '"national technical meetings … as precursor meetings" of the Ministries of Labour, one per country; recorded as technical working groups',
    })
  if (key === 'commit-ppc1-training-assessment-meeting')
    inferred.push({
      field: 'kind',
      reason:
        'taken to be the same event as the "regional seminar to review … these assessments" of PPC 1’s expected results',
    })
  if (key === 'commit-ppc10-ministries-of-labour-seminar')
    inferred.push({
      field: 'agenda',
      reason:
        'three mentions in PPC 10 (a meeting of the Ministries of Labour, a regional seminar, "the regional seminar of Ministries of Labour") are taken as one meeting, its aims recorded as its agenda',
    })
  if (key === 'commit-ppc11-tourism-followon-workshops')
    inferred.push({ field: 'title', reason: '"follow-on workshops" with no number is entered as one planned entry' })
  if (key === 'commit-ppc9-economic-support-seminar' && m.agenda?.length)
    inferred.push({
      field: 'agenda',
      reason: 'the three items the technical working group is to agree "for a regional seminar"',
    })
  if (key === 'ecowas-summit-dakar-2001' && m.kind === 'summit')
    inferred.push({
      field: 'kind',
      reason: 'an "Ordinary Session of Authority of Heads of State and Government"; recorded as a summit',
    })
  if ((key === 'rcm-meeting-guatemala-2002' || key === 'pidc-annual-meeting-samoa-2007') && m.kind === 'conference')
    inferred.push({ field: 'kind', reason: '004 calls it a meeting of the Conference; recorded as a conference' })
  if (key === 'asean-somtc-wg-tip' && m.kind === 'technical_working_group')
    inferred.push({
      field: 'kind',
      reason: 'a standing working group the matrix names; recorded as a technical working group',
    })
  if (/-2016$/.test(key) && m.datePrecision === 'year')
    inferred.push({
      field: 'startDate',
      reason:
        '"Priority Programme of the AICHR 2016" is taken to mean it takes place in 2016; the matrix gives no date',
    })
  if (key === 'aichr-workshop-root-causes' && m.organizers?.includes('aichr'))
    inferred.push({
      field: 'organizerIds',
      reason: 'the entry stands in the AICHR row of the matrix; its text names no organizer',
    })
  const spans = meetingSpans(r)
  // Descriptions that quote 004 on COMMIT's SOM ("convenes annually") cite it.
  if (/Tool 2\.9/.test(m.description ?? ''))
    spans.push(
      place(recordName(r), TOOLKIT, 'COMMIT is governed by a Senior Officials Meeting which convenes annually'),
    )
  put(r, spans, inferred, doubtful)
}

const outcomePlaces: Record<string, [DocumentKey, string][]> = {
  'commit-som-2/som2-framework': [
    [
      FRAMEWORK,
      'SUB-REGIONAL ACTION PLAN: AREAS FOR COOPERATION AND ACTIVITIES AS AGREED AT SENIOR OFFICIALS MEETING II YANGON, 28 OCTOBER 2004',
    ],
  ],
  'commit-som-2/som2-a18-tor': [[FRAMEWORK, 'Terms of reference for Senior Officials Meetings']],
  'commit-som-2/som2-a18-schedule': [[FRAMEWORK, 'Schedule for implementation of the Plan of Action']],
  'commit-som-2/som2-a18-monitoring': [
    [FRAMEWORK, 'Activities for monitoring and evaluating implementation of this Plan'],
  ],
  'commit-mou-2004/commit-mou': [[SPA, 'agreed on a historic COMMIT Memorandum of Understanding']],
  'ecowas-summit-dakar-2001/ecowas-declaration-2001': [
    [TOOLKIT, 'signed the Declaration on the Fight against Trafficking in Persons and adopted the ECOWAS Initial Plan'],
  ],
}

function outcome(r: SeedRecord) {
  const o = r.data
  const name = recordName(r)
  const phrases = outcomePlaces[r.key]
  if (!phrases) problems.push(`${name}: no place known for this outcome; add one to outcomePlaces`)
  const spans = (phrases ?? []).map(([d, t]) => place(name, d, t))
  if (r.key.startsWith('commit-som-2/som2-a18-')) spans.push(span(FRAMEWORK, 80))
  const inferred: FieldNote[] = []
  if (o.kind === 'action_item' && (o.status ?? 'open') === 'open')
    inferred.push({
      field: 'status',
      reason:
        'the framework leaves it "for finalisation at SOM 3"; no document says it was finalised, though 004 implies SOM 3 took place',
    })
  if (o.responsibleOrganizations?.length)
    inferred.push({
      field: 'responsibleOrganizationIds',
      reason: 'Activity 18 names the Task Forces and UNIAP together, without a lead',
    })
  if (o.project)
    inferred.push({
      field: 'projectId',
      reason: 'PP 12 is the project that restates Activity 18; the link is this project’s',
    })
  put(r, spans, inferred)
}

// ---------------------------------------------------------------- run

const records = seededRecords()
const asean = readData('plans/asean-apa.json')
for (const r of records) {
  if (r.kind === 'organization') organization(r)
  else if (r.kind === 'plan') plan(r)
  else if (r.kind === 'area') area(r)
  else if (r.kind === 'activity') activity(r, asean)
  else if (r.kind === 'project') project(r)
  else if (r.kind === 'result') result(r)
  else if (r.kind === 'task') task(r)
  else if (r.kind === 'meeting') meeting(r)
  else if (r.kind === 'outcome') outcome(r)
}

const files = new Map<string, Record<string, Entry>>()
for (const [name, { file, entry }] of entries) {
  if (!files.has(file)) files.set(file, {})
  files.get(file)![name] = entry
}
const check = process.argv.includes('--check')
let stale = 0
for (const [file, content] of files) {
  const path = new URL(`../../data/provenance/${file}.json`, import.meta.url)
  const text = `${JSON.stringify(content, null, 2)}\n`
  if (check) {
    let old = ''
    try {
      old = (await import('node:fs')).readFileSync(path, 'utf8')
    } catch {}
    if (old !== text) {
      stale++
      console.error(`data/provenance/${file}.json is not what the generator writes`)
    }
  } else writeFileSync(path, text)
}
if (process.env.VERBOSE) for (const a of ambiguities) console.error(`ambiguous: ${a}`)
for (const p of problems) console.error(`problem: ${p}`)
console.log(
  `${entries.size} records (${[...files].map(([f, c]) => `${f} ${Object.keys(c).length}`).join(', ')}); ${ambiguities.length} texts found in more than one place (VERBOSE=1 lists them); ${problems.length} problems`,
)
if (problems.length || stale) process.exitCode = 1
