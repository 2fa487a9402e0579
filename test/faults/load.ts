import { randomUUID } from 'node:crypto'

// A bounded mixed load over real HTTP (fetch keeps its sockets alive), with a client-side
// ledger of every write the service acknowledged. Each worker runs the same fixed cycle of
// operations (offset by its number), so two runs send the same mix.

/** How a request ended: answered with a status, or no answer (timed out, connection failed). */
export type Status = number | 'timeout' | 'network'
/** ok: 2xx. unavailable: the 503 problem a client can act on. failure: anything else. */
export type Verdict = 'ok' | 'unavailable' | 'failure'

export interface Sample {
  op: string
  start: number // ms since the load started
  ms: number
  status: Status
  verdict: Verdict
  detail?: string // why a failure is one
}

export interface AckedWrite {
  id: string
  name: string
  replayed: boolean
  attempts: number
}

export interface AckedOutcome {
  id: string
  externalRef: string
}

export interface LoadOptions {
  baseUrl: string
  token: string
  runId: string
  workers: number
  durationMs: number
  meetingId: string
  organizationIds: string[]
  requestTimeoutMs: number
}

const cycle = [
  'listOrganizations',
  'createOrganization',
  'getOrganization',
  'listActivities',
  'createOrganization',
  'listOrganizations',
  'getOrganization',
  'outcomeBatch',
  'createOrganization',
  'export',
] as const
const thinkMs = 10 // between operations: the machine has 2 cores, shared with Postgres and the service
const writeAttempts = 20 // a write is sent (same key, same body) at most this often...
const writeGraceMs = 10_000 // ...and for at most this long after the load's end

interface PendingWrite {
  op: string
  name: string
  path: string
  body: string
  key: string
  attempts: number
  due: number // when to send it again (ms since the epoch)
  acked: (text: string, replayed: boolean, attempts: number) => void
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

export class Load {
  readonly samples: Sample[] = []
  readonly writes: AckedWrite[] = []
  readonly outcomes: AckedOutcome[] = []
  /** Writes never acknowledged within the retry bound (not a loss: nobody was told they happened). */
  readonly abandoned: string[] = []
  /** Acknowledgements that contradict the request (another name, a rejected item). */
  readonly anomalies: string[] = []
  startedAt = 0
  private stopped = false

  constructor(private readonly o: LoadOptions) {}

  /** Ends the load early (the server died): workers finish the request in hand and return. */
  stop() {
    this.stopped = true
  }

  async run() {
    this.startedAt = Date.now()
    const end = this.startedAt + this.o.durationMs
    await Promise.all(Array.from({ length: this.o.workers }, (_, w) => this.worker(w, end)))
  }

  /**
   * One worker: the cycle of operations until the end, then its unacknowledged writes until
   * they are acknowledged or reach the bound. A write waiting out its Retry-After is put aside,
   * not waited for, so the worker's reads keep probing the service through an outage.
   */
  private async worker(w: number, end: number) {
    const waiting: PendingWrite[] = []
    for (let seq = 0; !this.stopped && Date.now() < end; seq++) {
      const due = waiting.findIndex((x) => x.due <= Date.now())
      if (due >= 0) await this.attempt(waiting.splice(due, 1)[0]!, waiting, end)
      else await this.operation(cycle[(seq + w) % cycle.length]!, w, seq, waiting, end)
      await sleep(thinkMs)
    }
    while (waiting.length && !this.stopped) {
      waiting.sort((a, b) => a.due - b.due)
      await sleep(Math.max(0, waiting[0]!.due - Date.now()))
      await this.attempt(waiting.shift()!, waiting, end)
    }
    this.abandoned.push(...waiting.map((x) => x.name)) // the server died with these unanswered
  }

  private operation(
    op: (typeof cycle)[number],
    w: number,
    seq: number,
    waiting: PendingWrite[],
    end: number,
  ): Promise<unknown> {
    const name = `faults-${this.o.runId}-w${w}-${seq}`
    switch (op) {
      case 'listOrganizations':
        return this.request(op, 'GET', '/v1/organizations?limit=50')
      case 'listActivities':
        return this.request(op, 'GET', '/v1/activities?limit=20')
      case 'getOrganization':
        return this.request(
          op,
          'GET',
          `/v1/organizations/${this.o.organizationIds[(seq * 7 + w) % this.o.organizationIds.length]}`,
        )
      case 'export':
        return this.request(op, 'GET', '/v1/organizations/export')
      case 'createOrganization':
        return this.attempt(
          this.write(op, name, '/v1/organizations', { name, kind: 'ngo' }, (text, replayed, attempts) =>
            this.organizationAcked(name, text, replayed, attempts),
          ),
          waiting,
          end,
        )
      case 'outcomeBatch': {
        const items = [0, 1, 2].map((i) => ({
          externalRef: `${name}-${i}`,
          kind: 'action_item',
          text: `Fault-injection run item ${i}`,
        }))
        return this.attempt(
          this.write(op, name, `/v1/meetings/${this.o.meetingId}/outcomes/batch`, { items }, (text) =>
            this.batchAcked(name, text),
          ),
          waiting,
          end,
        )
      }
    }
  }

  /** A POST with its own Idempotency-Key; every attempt sends the same key and the same body. */
  private write(
    op: string,
    name: string,
    path: string,
    payload: unknown,
    acked: (text: string, replayed: boolean, attempts: number) => void,
  ): PendingWrite {
    return { op, name, path, body: JSON.stringify(payload), key: randomUUID(), attempts: 0, due: 0, acked }
  }

  /**
   * Sends a write once. After a 503, a 409 (the first attempt still counts as running), a
   * timeout or a lost connection it goes back to `waiting` to be sent again after Retry-After
   * (at most 2 s: the run is short) — what a careful client does — up to the bound.
   */
  private async attempt(x: PendingWrite, waiting: PendingWrite[], end: number) {
    x.attempts++
    const r = await this.request(x.op, 'POST', x.path, { body: x.body, key: x.key })
    if (r.verdict === 'ok') return x.acked(r.text, r.replayed, x.attempts)
    const retryable = r.status === 503 || r.status === 409 || r.status === 'timeout' || r.status === 'network'
    if (retryable && x.attempts < writeAttempts && Date.now() < end + writeGraceMs) {
      x.due = Date.now() + Math.min(2000, r.retryAfterS !== undefined ? r.retryAfterS * 1000 : 250)
      waiting.push(x)
    } else {
      this.abandoned.push(x.name)
    }
  }

  private organizationAcked(name: string, text: string, replayed: boolean, attempts: number) {
    const body = parseJson<{ id: string; name: string }>(text)
    if (body?.name !== name)
      return void this.anomalies.push(`acknowledged ${name} but the response names ${body?.name}`)
    this.writes.push({ id: body.id, name, replayed, attempts })
  }

  private batchAcked(name: string, text: string) {
    const body = parseJson<{ items: { externalRef: string; result: string; id: string | null }[] }>(text)
    for (const item of body?.items ?? [{ externalRef: name, result: 'not JSON', id: null }]) {
      if (item.result === 'rejected' || !item.id)
        this.anomalies.push(`batch ${name}: item ${item.externalRef} ${item.result}`)
      else this.outcomes.push({ id: item.id, externalRef: item.externalRef })
    }
  }

  /** One request, recorded as a sample; never throws. */
  private async request(
    op: string,
    method: string,
    path: string,
    opts: { body?: string; key?: string; accept?: string } = {},
  ) {
    const headers: Record<string, string> = { authorization: `Bearer ${this.o.token}` }
    if (opts.body) headers['content-type'] = 'application/json'
    if (opts.key) headers['idempotency-key'] = opts.key
    if (opts.accept) headers.accept = opts.accept
    const t = Date.now()
    const sample: Sample = { op, start: t - this.startedAt, ms: 0, status: 'network', verdict: 'failure' }
    let text = ''
    let replayed = false
    let retryAfterS: number | undefined
    try {
      // The timeout covers the body too: an export that stalls half way is a hang.
      const res = await fetch(this.o.baseUrl + path, {
        method,
        headers,
        body: opts.body,
        signal: AbortSignal.timeout(this.o.requestTimeoutMs),
      })
      text = await res.text()
      sample.status = res.status
      replayed = res.headers.get('idempotent-replayed') === 'true'
      const retryAfter = res.headers.get('retry-after')
      if (retryAfter !== null && /^\d+$/.test(retryAfter)) retryAfterS = Number(retryAfter)
      const problem = (res.headers.get('content-type') ?? '').startsWith('application/problem+json')
      if (res.ok) {
        const broken = opts.accept ? brokenNdjson(text) : undefined
        if (broken) sample.detail = broken
        else sample.verdict = 'ok'
      } else if (res.status === 503 && problem && retryAfter !== null) {
        sample.verdict = 'unavailable'
      } else {
        sample.detail =
          `${res.status} ${problemType(text) ?? ''}${res.status === 503 ? ` (problem+json: ${problem}, Retry-After: ${retryAfter ?? 'none'})` : ''}`.trim()
      }
    } catch (err) {
      const e = err as Error & { cause?: { code?: string; message?: string } }
      sample.status = e.name === 'TimeoutError' ? 'timeout' : 'network'
      sample.detail =
        sample.status === 'timeout'
          ? `no answer within ${this.o.requestTimeoutMs} ms`
          : `${e.cause?.code ?? e.cause?.message ?? e.message}`
    }
    sample.ms = Date.now() - t
    this.samples.push(sample)
    return { ...sample, text, replayed, retryAfterS }
  }
}

/** An export must end with a whole line and every line must be JSON; else it was cut short. */
function brokenNdjson(text: string): string | undefined {
  if (text && !text.endsWith('\n')) return 'export ended in the middle of a line'
  const lines = text.split('\n').filter(Boolean)
  for (const line of lines) {
    try {
      JSON.parse(line)
    } catch {
      return 'export has a line that is not JSON'
    }
  }
  return lines.length === 0 ? 'export is empty' : undefined
}

function parseJson<T>(text: string): T | undefined {
  try {
    return JSON.parse(text) as T
  } catch {
    return undefined
  }
}

const problemType = (text: string) => parseJson<{ type?: string }>(text)?.type
