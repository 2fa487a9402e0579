import { createHmac } from 'node:crypto'
import http from 'node:http'
import https from 'node:https'
import { guardedLookup, parseTarget, refusedAddress, RefusedUrl } from './ssrf.ts'

// One HTTP attempt of a webhook delivery: POST the stored body, signed as GitHub signs
// (X-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>), to an address checked after DNS
// resolution, following no redirect, within a time limit. The response body is read and dropped.

export const signature = (secret: string, body: string) =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`

export interface Attempt {
  ok: boolean
  /** The target may never be called (SSRF): do not retry. */
  refused: boolean
  status: number | null
  error: string | null
}

export function attemptDelivery(
  target: { url: string; secret: string; deliveryId: string; eventType: string; body: string },
  options: { allowPrivate: boolean; timeoutMs: number },
): Promise<Attempt> {
  let url: URL
  try {
    url = parseTarget(target.url)
  } catch (err) {
    return Promise.resolve({ ok: false, refused: true, status: null, error: `The URL ${(err as Error).message}.` })
  }
  const host = url.hostname.replace(/^\[|\]$/g, '')
  const literal = refusedAddress(host)
  if (!options.allowPrivate && literal && !/not an IP address/.test(literal))
    return Promise.resolve({ ok: false, refused: true, status: null, error: `Refused: ${literal}.` })
  const client = url.protocol === 'https:' ? https : http
  return new Promise((resolve) => {
    const req = client.request(
      url,
      {
        method: 'POST',
        lookup: guardedLookup(options.allowPrivate) as never,
        timeout: options.timeoutMs,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(target.body),
          'user-agent': 'action-plan-api-webhooks/1',
          'x-delivery-id': target.deliveryId,
          'x-event-type': target.eventType,
          'x-signature-256': signature(target.secret, target.body),
        },
      },
      (res) => {
        const status = res.statusCode ?? 0
        res.resume()
        res.on('end', () => {
          const ok = status >= 200 && status < 300
          resolve({
            ok,
            refused: false,
            status,
            error: ok
              ? null
              : status >= 300 && status < 400
                ? `The receiver answered ${status} (a redirect, which is not followed).`
                : `The receiver answered ${status}.`,
          })
        })
        res.on('error', (err) => resolve({ ok: false, refused: false, status, error: err.message }))
      },
    )
    req.on('timeout', () => req.destroy(new Error(`No response within ${options.timeoutMs} ms.`)))
    req.on('error', (err) =>
      resolve({
        ok: false,
        refused: err instanceof RefusedUrl,
        status: null,
        error: err instanceof RefusedUrl ? `Refused: ${err.message}.` : err.message,
      }),
    )
    req.end(target.body)
  })
}
