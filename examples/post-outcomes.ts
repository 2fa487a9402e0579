// Posts a meeting's outcomes from a CSV file, as a secretariat's script would after a seminar:
//
//   API_BASE_URL=… API_KEY=apk_… node --import tsx examples/post-outcomes.ts <meetingId> outcomes.csv [--batch]
//
// The CSV has a header row; columns: externalRef (your id of the row: required), kind (decision,
// recommendation, agreement, action_item, finding), text, and optionally dueDate (YYYY-MM-DD) and
// status (action items: open, in_progress, done, dropped). Quotes as in RFC 4180.
//
// One POST per row, each with an Idempotency-Key derived from the meeting and the row: run the
// script again after a failure (a timeout, a crash half-way) and rows already posted are answered
// from the server's record (Idempotent-Replayed) instead of being created twice; 429 and 503 are
// retried after Retry-After by the client. With --batch, all rows go in one
// POST /v1/meetings/{id}/outcomes/batch, which upserts by externalRef (safe to repeat at any time).
import { readFileSync } from 'node:fs'
import { createApiClient, idempotencyKeyFor, type components } from '../clients/typescript/index.ts'

const [meetingId, csvFile] = process.argv.slice(2).filter((a) => !a.startsWith('--'))
const batch = process.argv.includes('--batch')
const baseUrl = process.env.API_BASE_URL
if (!baseUrl || !meetingId || !csvFile) {
  console.error('usage: API_BASE_URL=… API_KEY=… post-outcomes.ts <meetingId> <file.csv> [--batch]')
  process.exit(2)
}
const client = createApiClient({ baseUrl, apiKey: process.env.API_KEY, retries: 5 })

type Kind = components['schemas']['OutcomeCreate']['kind']
const kinds: Kind[] = ['decision', 'recommendation', 'agreement', 'action_item', 'finding']
type Status = NonNullable<components['schemas']['OutcomeCreate']['status']>
const statuses: Status[] = ['open', 'in_progress', 'done', 'dropped']

/** RFC 4180: fields separated by commas, quoted with "" when they hold commas, quotes or line breaks. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let quoted = false
  const source = text.replace(/^\uFEFF/, '')
  for (let i = 0; i < source.length; i++) {
    const c = source[i]
    if (quoted) {
      if (c === '"' && source[i + 1] === '"') {
        field += '"'
        i++
      } else if (c === '"') quoted = false
      else field += c
    } else if (c === '"') quoted = true
    else if (c === ',') {
      row.push(field)
      field = ''
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && source[i + 1] === '\n') i++
      row.push(field)
      if (row.some((f) => f !== '')) rows.push(row)
      row = []
      field = ''
    } else field += c
  }
  row.push(field)
  if (row.some((f) => f !== '')) rows.push(row)
  return rows
}

function outcomesOf(csv: string): (components['schemas']['OutcomeCreate'] & { externalRef: string })[] {
  const [header = [], ...rows] = parseCsv(csv)
  const column = (name: string) => header.indexOf(name)
  for (const required of ['externalRef', 'kind', 'text'])
    if (column(required) < 0) throw new Error(`the CSV has no ${required} column`)
  return rows.map((cells, i) => {
    const cell = (name: string) => (column(name) >= 0 ? (cells[column(name)] ?? '').trim() : '')
    const kind = kinds.find((k) => k === cell('kind'))
    if (!kind) throw new Error(`row ${i + 2}: kind "${cell('kind')}" is not one of ${kinds.join(', ')}`)
    const status = statuses.find((s) => s === cell('status'))
    return {
      externalRef: cell('externalRef'),
      kind,
      text: cell('text'),
      ...(cell('dueDate') ? { dueDate: cell('dueDate') } : {}),
      ...(status ? { status } : {}),
    }
  })
}

const outcomes = outcomesOf(readFileSync(csvFile, 'utf8'))
let failed = 0
if (batch) {
  const { data, error, response } = await client.POST('/v1/meetings/{id}/outcomes/batch', {
    params: { path: { id: meetingId } },
    body: { items: outcomes },
  })
  if (!data) {
    console.error(`batch: ${response.status} ${error?.title ?? ''} ${error?.detail ?? ''}`)
    process.exit(1)
  }
  for (const item of data.items) console.log(`${item.externalRef ?? item.index}: ${item.result}`)
  failed = data.items.filter((i) => i.result === 'rejected').length
} else {
  for (const outcome of outcomes) {
    const { data, error, response } = await client.POST('/v1/meetings/{id}/outcomes', {
      params: { path: { id: meetingId }, header: idempotencyKeyFor(meetingId, JSON.stringify(outcome)) },
      body: outcome,
    })
    if (data) {
      const replayed = response.headers.get('idempotent-replayed') === 'true'
      console.log(`${outcome.externalRef}: ${replayed ? 'already posted' : 'created'} ${data.id}`)
    } else if (response.status === 409 && error?.errors?.some((e) => e.pointer === '/body/externalRef')) {
      // Posted by an earlier run more than 24 hours ago (its Idempotency-Key has expired).
      console.log(`${outcome.externalRef}: already posted`)
    } else {
      failed++
      console.error(`${outcome.externalRef}: ${response.status} ${error?.title ?? ''} ${error?.detail ?? ''}`)
    }
  }
}
console.log(`${outcomes.length - failed} of ${outcomes.length} outcomes posted`)
if (failed) process.exitCode = 1
