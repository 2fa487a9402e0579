import type { ProblemKind } from './problems.ts'

// What each problem means and how to fix it: the text behind every `type` URI, served at
// /problems/{kind}. Keyed by ProblemKind, so a new kind does not compile without its help.
export const problemHelp: Record<ProblemKind, { means: string; fix: string }> = {
  'validation-error': {
    means:
      'A part of the request does not match the operation’s schema: a missing or unknown field, a wrong type, a value out of range, a NUL character, an unknown query parameter.',
    fix: 'Each entry of `errors` has a JSON Pointer into the request (`/body/startDate`, `/query/limit`, `/params/id`, `/headers/if-match`) and what is wrong there. Correct those fields and send again.',
  },
  'malformed-json': {
    means: 'The body is not JSON, or is empty while Content-Type says JSON.',
    fix: 'Send a valid JSON document, or no Content-Type when there is no body.',
  },
  'invalid-cursor': {
    means:
      'The `cursor` was not issued by this API, was altered, or belongs to another list, other filters or another sort.',
    fix: 'Pass `nextCursor` exactly as received, with the same filters and sort; or start again without a cursor.',
  },
  unauthorized: {
    means: 'There is no API key, or it is malformed, unknown or revoked.',
    fix: 'Send `Authorization: Bearer apk_…` with a valid key. Keys are created by an administrator; the secret is shown once.',
  },
  forbidden: {
    means:
      'The key lacks the operation’s scope, or is limited to countries and the data belongs to another country or to none.',
    fix: 'Use a key with the scope the operation names (`plans:write`, `meetings:write`, …). A country-limited key writes only rows that belong to its countries.',
  },
  'not-found': {
    means: 'No resource has that id (or it was deleted).',
    fix: 'Check the id; the change feed and `updatedSince` tell what was deleted.',
  },
  'route-not-found': {
    means: 'No operation of this API has that path.',
    fix: 'Check the path against the reference at /docs; every path starts with /v1.',
  },
  'method-not-allowed': {
    means: 'The path exists, but not with this method.',
    fix: 'Use one of the methods in the `Allow` header.',
  },
  'not-acceptable': {
    means: 'The Accept header rules out every media type the operation can send.',
    fix: 'Accept application/json; for NDJSON or CSV use the list’s `/export` operation.',
  },
  conflict: {
    means: 'The write would make two resources share a value that must be unique (a code, an externalRef).',
    fix: 'Choose another value, or update the resource that already has it.',
  },
  'still-referenced': {
    means: 'Other resources still refer to the one you are deleting; `references` says which.',
    fix: 'Remove or move those references first, then delete.',
  },
  'idempotency-in-flight': {
    means: 'An earlier request with the same Idempotency-Key has not finished.',
    fix: 'Wait `Retry-After` seconds and retry with the same key and body: you will get its response.',
  },
  'precondition-failed': {
    means:
      'If-Match names a version that is no longer current: someone changed the resource since you read it. Nothing was changed.',
    fix: 'GET it again, reapply your change, and send the new ETag in If-Match.',
  },
  'payload-too-large': {
    means: 'The body is larger than the limit (1 MiB by default).',
    fix: 'Send fewer items per batch, or split the request.',
  },
  'uri-too-long': {
    means: 'A path segment is longer than any identifier of this API.',
    fix: 'Check the path; ids are UUIDs and codes are short.',
  },
  'unsupported-media-type': {
    means: 'The body’s Content-Type is not what the operation takes.',
    fix: 'Send application/json (application/merge-patch+json for PATCH); send no body with DELETE.',
  },
  'rule-violation': {
    means:
      'The request is well-formed but breaks a rule of the domain (an end before a start, a held meeting in the future, a tree that would loop).',
    fix: '`errors` points at the fields involved and says the rule; change them so the rule holds.',
  },
  'invalid-reference': {
    means: 'An id in the request refers to something that does not exist.',
    fix: '`errors` points at each such id; create the referenced resource first or correct the id.',
  },
  'idempotency-key-reuse': {
    means: 'This Idempotency-Key was first used with a different path or body.',
    fix: 'Use a new key for a new request; reuse a key only to retry the very same request.',
  },
  'cursor-expired': {
    means:
      'The change feed keeps changes for a limited time (`CHANGES_RETENTION_DAYS`); the cursor points before the oldest change still kept, so changes may have been pruned in between.',
    fix: 'Copy the data again (the lists, or their exports), then follow the feed from its start (no `after`) or from the `nextCursor` you get then.',
  },
  'rate-limited': {
    means: 'Too many requests from this key (or address) in the current window, or too many failed authentications.',
    fix: 'Wait `Retry-After` seconds; `RateLimit-Remaining` and `RateLimit-Reset` tell how much is left.',
  },
  'headers-too-large': {
    means: 'The request headers exceed 16 KiB.',
    fix: 'Send fewer or shorter headers (a cookie jar sent by mistake is the usual cause).',
  },
  internal: {
    means: 'An unexpected error on our side; nothing about it is shown.',
    fix: 'Retry later; if it persists, report the `instance` (the request id) to the operators.',
  },
  'not-implemented': {
    means:
      'This server cannot provide the operation as it is configured: webhooks need a Postgres database (`DATABASE_URL`) for their queue, and do not run on embedded storage or when `WEBHOOKS_ENABLED=false`.',
    fix: 'Run the service on Postgres with webhooks enabled, or follow the change feed (`GET /v1/changes`) instead.',
  },
  unavailable: {
    means: 'The database is unreachable, the service is overloaded, or this node is shutting down.',
    fix: 'Retry after `Retry-After` seconds; writes with an Idempotency-Key are safe to retry.',
  },
}
