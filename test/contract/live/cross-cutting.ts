import type { Test } from 'tap'
import type { Config } from '../../../src/config.ts'
import { batchBodyLimit } from '../../../src/modules/monitoring/measurements.routes.ts'
import { declares, Live, type Ledger, type Request, type Sample, type Server, type World } from '../scenarios.ts'

// The refusals every operation shares, provoked on every operation that declares them by
// replaying the request that succeeded in its scenario (the "sample") with one thing changed:
//
//   401  no key, on a server where anonymous reading is off
//   403  a key without the scope: read-only on writes, write-only on reads
//   413  the same JSON padded past the body limit (a DELETE: `{}` padded)
//   414  a path segment longer than any id, over a real connection (what a client sees)
//   415  the same body sent as text/plain (a DELETE: `{}`)
//   429  a key that has used up its budget (a server with RATE_LIMIT_MAX=3)
//
// Each is answered before the handler runs, so the replays change nothing. And every read is
// replayed once more over a real connection: streamed exports and chunked bodies as they arrive.

export interface PassContext {
  ledger: Ledger
  world: World
  server: Server
  servers: { make(overrides: Partial<Config>): Promise<Server> }
}

/** The sample as a plain request: no Idempotency-Key (nothing is stored), no note of its own. */
function replay({ request }: Sample): Request {
  const { 'idempotency-key': _key, ...headers } = request.headers ?? {}
  return {
    params: request.params,
    query: request.query,
    headers,
    body: request.body,
    raw: request.raw,
    contentType: request.contentType,
  }
}

export async function crossCuttingPasses(t: Test, ctx: PassContext) {
  const samples = [...ctx.ledger.samples.values()]
  const hasBody = (s: Sample) => s.request.body !== undefined || s.request.raw !== undefined
  const isWrite = (s: Sample) => !s.operation.startsWith('GET ')

  /** Replays every sample whose operation declares `status` (and to which `applies`) through `each`. */
  async function pass(
    status: number,
    name: string,
    server: Server,
    each: (live: Live, s: Sample) => Promise<unknown>,
    options: { applies?: (s: Sample) => boolean; before?: (live: Live) => Promise<void> } = {},
  ) {
    await t.test(`${status}: ${name}`, async (t) => {
      const live = new Live(t, server, ctx.world, ctx.ledger)
      await options.before?.(live)
      const targets = samples.filter((s) => declares(s.operation, status) && (options.applies?.(s) ?? true))
      for (const s of targets) await each(live, s)
      t.comment(`${targets.length} operations`)
    })
  }

  const closed = await ctx.servers.make({ ANONYMOUS_READ: false })
  await pass(401, 'no key, on a server where anonymous reading is off', closed, (live, s) =>
    live.call(s.operation, 401, { ...replay(s), as: 'anonymous', expectHeaders: ['www-authenticate'], note: 'no key' }),
  )

  await pass(403, 'a key without the scope', ctx.server, (live, s) =>
    live.call(s.operation, 403, {
      ...replay(s),
      as: isWrite(s) ? 'reader' : 'scopeless',
      note: isWrite(s) ? 'a read-only key' : 'a key that may only write indicators',
    }),
  )

  // The body limit and one byte more: still valid JSON (trailing whitespace). A DELETE takes no
  // body, but a client may send one all the same and gets the same answers.
  // A route may set a limit of its own (the measurement batch takes more): its own, one byte over.
  const defaultLimit = ctx.server.app.initialConfig.bodyLimit ?? 1_048_576
  const routeLimits: Record<string, number> = { 'POST /v1/measurements/batch': batchBodyLimit }
  await pass(413, 'a body over the size limit', ctx.server, (live, s) => {
    const limit = routeLimits[s.operation] ?? defaultLimit
    const text = hasBody(s) ? (s.request.raw ?? JSON.stringify(s.request.body)) : '{}'
    return live.call(s.operation, 413, {
      ...replay(s),
      body: undefined,
      raw: text + ' '.repeat(limit + 1 - Buffer.byteLength(text)),
      offContract: !hasBody(s),
      note: `${limit + 1} bytes`,
    })
  })

  // One character more than the router takes in a path segment, sent over a socket: app.inject
  // skips Node's HTTP parser and its 16 KiB limit on the request head, which a client meets.
  const { routerOptions, maxParamLength } = ctx.server.app.initialConfig as {
    routerOptions?: { maxParamLength?: number }
    maxParamLength?: number
  }
  const overlong = 'a'.repeat((routerOptions?.maxParamLength ?? maxParamLength ?? 100) + 1)
  await pass(
    414,
    'a path segment longer than any id',
    ctx.server,
    (live, s) => {
      const params = { ...s.request.params }
      const last = Object.keys(params).at(-1)!
      params[last] = overlong
      return live.call(s.operation, 414, {
        ...replay(s),
        params,
        offContract: true,
        wire: true,
        note: `{${last}} of ${overlong.length} characters`,
      })
    },
    { applies: (s) => Object.keys(s.request.params ?? {}).length > 0 },
  )

  await pass(415, 'a body that is not JSON', ctx.server, (live, s) =>
    live.call(s.operation, 415, {
      ...replay(s),
      ...(hasBody(s) ? {} : { raw: '{}' }),
      contentType: 'text/plain',
      offContract: true,
      note: 'sent as text/plain',
    }),
  )

  await pass(
    200,
    'every read again, over a real connection',
    ctx.server,
    // As the same caller: some reads need a key (personal data, admin-only operations).
    (live, s) => live.call(s.operation, 200, { ...replay(s), as: s.request.as, wire: true }),
    { applies: (s) => !isWrite(s) },
  )

  const limited = await ctx.servers.make({ RATE_LIMIT_MAX: 3 })
  await pass(
    429,
    'a key that has used up its budget',
    limited,
    (live, s) =>
      live.call(s.operation, 429, {
        ...replay(s),
        as: 'admin',
        expectHeaders: ['retry-after', 'ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset'],
        note: 'over budget',
      }),
    {
      async before(live) {
        for (let i = 1; i <= 3; i++)
          await live.call('GET /v1/countries', 200, {
            as: 'admin',
            expectHeaders: ['ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset'],
            note: `request ${i} of 3 in the window`,
          })
      },
    },
  )
}
