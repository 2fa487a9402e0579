import type { FastifyReply, FastifyRequest } from 'fastify'
import { ApiError } from './problems.ts'

// Conditional requests (RFC 9110 §13). A resource's ETag is its version, so checking If-Match is
// a `where version = $n` on the write itself: a stale client changes nothing, with no race.

export const etagOf = (version: number) => `"${version}"`

// One entity tag and its separator; a quoted tag may itself hold commas ("a,b" is one tag).
const tagPattern = /^\s*(W\/)?"([^"]*)"\s*(?:,|$)/

function parseList(header: string): { weak: boolean; value: string }[] | '*' {
  if (header.trim() === '*') return '*'
  const tags: { weak: boolean; value: string }[] = []
  for (let rest = header; rest.trim() !== ''; ) {
    const m = tagPattern.exec(rest)
    if (!m)
      throw new ApiError('validation-error', 'Entity tags must be quoted, as sent in ETag.', {
        errors: [{ pointer: '/headers/if-match', detail: 'must be a list of quoted entity tags or *' }],
      })
    tags.push({ weak: !!m[1], value: m[2]! })
    rest = rest.slice(m[0].length)
  }
  return tags
}

/** The version If-Match demands, '*' for any, or undefined when the header is absent. */
export function expectedVersion(request: FastifyRequest): number | '*' | undefined {
  const header = request.headers['if-match']
  if (!header) return undefined
  const tags = parseList(header)
  if (tags === '*') return '*'
  // If-Match uses strong comparison: a weak tag never matches, so expect an impossible version.
  const strong = tags.find((t) => !t.weak && /^\d+$/.test(t.value))
  return strong ? Number(strong.value) : -1
}

export const preconditionFailed = (current: number) =>
  new ApiError(
    'precondition-failed',
    `The resource is at version ${current}; read it again and retry with If-Match: "${current}".`,
    { headers: { etag: etagOf(current) } },
  )

/**
 * The tag of a view built from many rows (a plan's structure, a calendar feed): a digest of what
 * it was built from. Weak, because it names the data, not the bytes (the feed holds the host it
 * was asked on).
 */
export const viewTagOf = (digest: string) => `W/"${digest}"`

/** Sets ETag; answers 304 (and returns true) when If-None-Match already has this version. */
export function notModified(request: FastifyRequest, reply: FastifyReply, version: number): boolean {
  return notModifiedTag(request, reply, etagOf(version))
}

/** Sets ETag to `tag` (as etagOf or viewTagOf write it); 304 (and true) when If-None-Match holds it. */
export function notModifiedTag(request: FastifyRequest, reply: FastifyReply, tag: string): boolean {
  reply.header('etag', tag)
  const header = request.headers['if-none-match']
  if (!header) return false
  let tags: ReturnType<typeof parseList>
  try {
    tags = parseList(header)
  } catch {
    return false // a malformed If-None-Match is ignored: the full response is always correct
  }
  // If-None-Match uses weak comparison: W/"x" and "x" match.
  const opaque = tag.replace(/^W\//, '').slice(1, -1)
  if (tags === '*' || tags.some((t) => t.value === opaque)) {
    reply.code(304)
    return true
  }
  return false
}

/** A whole single-resource GET: 404 when absent, 304 when the caller's ETag is current. */
export function sendResource<R extends { version: number }, T>(
  request: FastifyRequest,
  reply: FastifyReply,
  row: R | undefined,
  missing: () => Error,
  map: (row: R) => T,
) {
  if (!row) throw missing()
  if (notModified(request, reply, row.version)) return reply.send()
  return map(row)
}

/** 201 Created: where the new resource lives and its ETag. */
export function created(reply: FastifyReply, location: string, version: number) {
  return reply.code(201).header('location', location).header('etag', etagOf(version))
}
