import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { problemKinds, sendProblem, toProblem } from '../http/problems.ts'

// The one error handler: whatever a route throws becomes an RFC 9457 problem (http/problems.ts);
// a 5xx is logged with its cause and shows the client nothing more.
async function problems(app: FastifyInstance) {
  app.setErrorHandler((err, request, reply) => {
    const { kind, detail, extras } = toProblem(err as Error, (request.params as object) ?? {}, request.body)
    const status = problemKinds[kind][0]
    if (status >= 500) request.log.error({ err }, 'request failed')
    else request.log.debug({ problem: kind, detail }, 'request rejected')
    const safeDetail = kind === 'internal' ? undefined : detail
    return sendProblem(reply, kind, safeDetail, extras)
  })
}

export default fp(problems, { name: 'problems' })
