import fp from 'fastify-plugin'
import FindMyWay from 'find-my-way'
import { randomUUID } from 'node:crypto'
import type { Socket } from 'node:net'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { problemKinds, sendProblem, toProblem, type ProblemKind } from '../http/problems.ts'

// Errors that happen around a route rather than inside one — a method the path does not have,
// a malformed or overlong URL, headers too large, a request arriving while the server drains —
// answered as problems with an x-request-id like every other error, not Fastify's or Node's
// own plain JSON.

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const

/** Fastify's `frameworkErrors` option: bad URL encodings and overlong path segments. */
export function frameworkErrors(err: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  reply.header('x-request-id', request.id)
  const { kind, detail, extras } = toProblem(err)
  return sendProblem(reply, kind, detail, extras)
}

/** Fastify's `clientErrorHandler`: what Node's HTTP parser refuses before any request exists. */
export function clientErrorHandler(err: NodeJS.ErrnoException, socket: Socket) {
  if (err.code === 'ECONNRESET' || socket.destroyed) return
  const [kind, detail]: [ProblemKind, string] =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? ['headers-too-large', 'The request headers exceed 16 KiB.']
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? ['unavailable', 'The request was not received in time.']
        : ['validation-error', 'The request is not valid HTTP.']
  const [status, title] = problemKinds[kind]
  const id = randomUUID()
  const body = JSON.stringify({ type: `/problems/${kind}`, title, status, detail, instance: `/requests/${id}` })
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${title}\r\nContent-Type: application/problem+json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `x-request-id: ${id}\r\nConnection: close\r\n\r\n${body}`,
    )
  }
  socket.destroy(err)
}

async function httpErrors(app: FastifyInstance, opts: { retryAfterSeconds: number }) {
  // The paths each method serves, so that an unknown method on a known path is 405 with Allow.
  const router = FindMyWay({ ignoreTrailingSlash: true, maxParamLength: 8000 })
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat())
      if ((METHODS as readonly string[]).includes(method)) router.on(method as 'GET', route.url, () => {})
  })
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0]!
    const allowed = METHODS.filter((m) => router.find(m, path))
    if (allowed.length > 0) {
      reply.header('allow', allowed.join(', '))
      return sendProblem(reply, 'method-not-allowed', `${path} supports ${allowed.join(', ')}, not ${request.method}.`)
    }
    return sendProblem(reply, 'route-not-found', `${request.method} ${path} is not a route of this API.`)
  })

  // Draining: requests that still arrive get a problem telling them to come back (a load
  // balancer sends the retry to another node), and the connection is closed.
  let closing = false
  app.addHook('preClose', async () => {
    closing = true
  })
  app.addHook('onRequest', async (_request, reply) => {
    if (!closing) return
    reply.header('connection', 'close')
    return sendProblem(reply, 'unavailable', 'The server is shutting down; retry on another node or in a moment.', {
      headers: { 'retry-after': String(opts.retryAfterSeconds) },
    })
  })
}

export default fp(httpErrors, { name: 'http-errors', dependencies: ['problems'] })
