import { createHmac } from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'

// A webhook receiver on 127.0.0.1 for the tests: records every request (headers, raw body, when)
// and answers with the status `answer` gives for it.

export interface Received {
  deliveryId: string
  event: string
  signature: string
  body: string
  at: number
}

export async function receiver(answer: (r: Received, n: number) => number = () => 204) {
  const received: Received[] = []
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const r: Received = {
        deliveryId: String(req.headers['x-delivery-id']),
        event: String(req.headers['x-event-type']),
        signature: String(req.headers['x-signature-256']),
        body: Buffer.concat(chunks).toString('utf8'),
        at: Date.now(),
      }
      received.push(r)
      res.statusCode = answer(r, received.length)
      res.end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    setAnswer(next: typeof answer) {
      answer = next
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

export const sign = (secret: string, body: string) =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`

export async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 30_000) {
  const end = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}
