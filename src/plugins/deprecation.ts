import fp from 'fastify-plugin'
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify'

// Deprecated operations (issue 13, contract stability). A route says
//   config: { deprecated: { since: '2026-12-01', sunset: '2027-06-30', link: 'https://…' } }
// and then: the operation is `deprecated: true` in the document; every response it declares
// carries `Deprecation` (RFC 9745: a structured-field date, `@<unix seconds>`), `Sunset`
// (RFC 8594: an HTTP-date, the end of the sunset day) and, with a link, `Link` to what replaces
// it (rel="deprecation", and rel="sunset" for the removal notice). The headers are declared on
// those responses, so a generated client sees them; after the sunset the operation may be
// removed, recorded in CHANGELOG.md as an intended break.

export interface Deprecation {
  /** The day it was deprecated (YYYY-MM-DD). */
  since: string
  /** The day after which it may be removed (YYYY-MM-DD). */
  sunset: string
  /** A page saying what to use instead. */
  link?: string
}

declare module 'fastify' {
  interface FastifyContextConfig {
    deprecated?: Deprecation
  }
}

const day = /^\d{4}-\d{2}-\d{2}$/

/** The header values of a deprecation. */
export function deprecationHeaders(d: Deprecation): Record<string, string> {
  const since = Date.parse(`${d.since}T00:00:00Z`)
  const sunset = Date.parse(`${d.sunset}T23:59:59Z`)
  const out: Record<string, string> = {
    deprecation: `@${Math.floor(since / 1000)}`,
    sunset: new Date(sunset).toUTCString(),
  }
  if (d.link) out.link = `<${d.link}>; rel="deprecation"; type="text/html", <${d.link}>; rel="sunset"; type="text/html"`
  return out
}

const documented = {
  Deprecation: {
    type: 'string',
    pattern: '^@-?[0-9]+$',
    description:
      'RFC 9745: this operation is deprecated, since the given moment (`@` and Unix seconds). It still works until `Sunset`.',
  },
  Sunset: {
    type: 'string',
    maxLength: 40,
    description: 'RFC 8594: after this moment (an HTTP-date) the operation may be removed.',
  },
}

function declare(route: RouteOptions) {
  const d = route.config?.deprecated
  if (!d) return
  if (!day.test(d.since) || !day.test(d.sunset) || d.sunset < d.since)
    throw new Error(`route ${route.method} ${route.url}: config.deprecated needs since ≤ sunset, both YYYY-MM-DD`)
  const schema = (route.schema ??= {}) as Record<string, any>
  schema.deprecated = true
  const note = `**Deprecated** since ${d.since}; it may be removed after ${d.sunset}${d.link ? ` (see ${d.link})` : ''}.`
  schema.description = schema.description ? `${note} ${schema.description}` : note
  const headers = {
    ...documented,
    ...(d.link
      ? {
          Link: { type: 'string', maxLength: 4000, description: 'What replaces it (rel="deprecation", rel="sunset").' },
        }
      : {}),
  }
  const responses = (schema.response ??= {}) as Record<string, Record<string, unknown>>
  for (const [code, response] of Object.entries(responses))
    responses[code] = { ...response, headers: { ...((response.headers as object) ?? {}), ...headers } }
  // The headers are this route's own hook: no other request pays for them.
  route.onSend = [...[route.onSend ?? []].flat(), sendDeprecation]
}

/** Sends the deprecation headers, only on the responses the document declares them on (the route's own). */
async function sendDeprecation(request: FastifyRequest, reply: FastifyReply, payload: unknown) {
  const d = request.routeOptions.config?.deprecated
  if (!d) return payload
  const declared = Object.keys((request.routeOptions.schema?.response as object | undefined) ?? {})
  if (!declared.includes(String(reply.statusCode)) && !declared.includes(`${String(reply.statusCode)[0]}XX`))
    return payload
  for (const [name, value] of Object.entries(deprecationHeaders(d))) {
    const existing = reply.getHeader(name)
    reply.header(name, name === 'link' && existing ? `${String(existing)}, ${value}` : value)
  }
  return payload
}

async function deprecation(app: FastifyInstance) {
  app.addHook('onRoute', declare)
}

export default fp(deprecation, { name: 'deprecation' })
