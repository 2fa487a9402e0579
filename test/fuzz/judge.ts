import { mediaTypeOf, type ContractDocument, type Operation, type Violation } from '../contract/document.ts'
import type { FuzzInput } from './model.ts'
import type { WireRequest } from './requests.ts'

// The pass criteria for one response, whatever was sent:
//   - never a 5xx;
//   - the status, media type and body are the document's (and headers, with checkHeaders);
//   - every error is application/problem+json.
// And two disagreements between the document and the service, reported as warnings (failures
// with --strict): a request the document allows refused as invalid, and one it forbids accepted.

export interface Response {
  statusCode: number
  headers: Record<string, string | string[] | number | undefined>
  body: string
}

export interface Verdict {
  kind: string // e.g. `server-error 500`, `undeclared-status 406`, `body-schema`
  detail: string
}

export interface JudgeOptions {
  checkHeaders?: boolean
}

export function judge(contract: ContractDocument, op: Operation, res: Response, options: JudgeOptions): Verdict[] {
  const verdicts: Verdict[] = []
  if (res.statusCode >= 500) verdicts.push({ kind: `server-error ${res.statusCode}`, detail: excerpt(res.body) })
  for (const v of contract.validateResponse(
    op.method,
    op.path,
    { status: res.statusCode, headers: res.headers, body: res.body },
    { checkHeaders: options.checkHeaders },
  )) {
    verdicts.push({ kind: kindOf(v, res.statusCode), detail: v.message })
  }
  const mediaType = mediaTypeOf(String(res.headers['content-type'] ?? ''))
  if (res.statusCode >= 400 && mediaType !== 'application/problem+json')
    verdicts.push({
      kind: 'not-problem-json',
      detail: `${res.statusCode} answered as ${mediaType ?? 'no content type'}`,
    })
  return verdicts
}

/** Where the document and the service disagree about whether this request is valid. */
export function disagreements(
  contract: ContractDocument,
  op: Operation,
  input: FuzzInput,
  wire: WireRequest,
  res: Response,
): Verdict[] {
  const problemType = problemTypeOf(res)
  const refusedAsInvalid =
    res.statusCode === 400 &&
    (problemType === '/problems/validation-error' || problemType === '/problems/malformed-json')
  const accepted = res.statusCode >= 200 && res.statusCode < 300
  if (!refusedAsInvalid && !accepted) return []
  if (refusedAsInvalid && /\\u0000|\u0000|%00/i.test(`${wire.url}${wire.payload ?? ''}`)) return [] // Postgres cannot store NUL: refusing it is right, and no schema says so
  const violations = contract.validateRequest(op.method, op.path, {
    path: decodedPath(input),
    query: queryOf(wire.url),
    headers: wire.headers,
    body: wire.payload,
  })
  if (refusedAsInvalid && violations.length === 0)
    return [
      {
        kind: 'stricter-than-document',
        detail: `400 for a request the document allows: ${excerpt(problemDetail(res), 200)}`,
      },
    ]
  // A body sent where none is expected may be ignored (RFC 9110 §9.3.1): accepting it is no disagreement.
  const forbidden = violations.filter((v) => op.requestBody || v.kind !== 'request-content-type')
  if (accepted && forbidden.length > 0)
    return [
      {
        kind: `looser-than-document ${forbidden[0]!.kind}`,
        detail: `${res.statusCode} for a request the document forbids: ${forbidden.map((v) => v.message).join('; ')}`,
      },
    ]
  return []
}

function kindOf(v: Violation, status: number): string {
  if (v.kind === 'undeclared-status') return `undeclared-status ${status}`
  if (v.kind === 'undeclared-header' || v.kind === 'missing-header' || v.kind === 'header-schema')
    return `${v.kind} ${/header (\S+)/.exec(v.message)?.[1] ?? ''}`.trim()
  return v.kind
}

function problemTypeOf(res: Response): string | undefined {
  try {
    return (JSON.parse(res.body) as { type?: string }).type
  } catch {
    return undefined
  }
}

function problemDetail(res: Response): string {
  try {
    return (JSON.parse(res.body) as { detail?: string }).detail ?? res.body
  } catch {
    return res.body
  }
}

function decodedPath(input: FuzzInput): Record<string, string> {
  if (!input.rawPath) return input.path
  const safe = (v: string) => {
    try {
      return decodeURIComponent(v)
    } catch {
      return v
    }
  }
  return Object.fromEntries(Object.entries(input.path).map(([k, v]) => [k, safe(v)]))
}

const queryOf = (url: string): [string, string][] => [...new URLSearchParams(url.split('?')[1] ?? '')]

export const excerpt = (text: string, n = 160) => {
  const one = text.replace(/\s+/g, ' ')
  return one.length > n ? `${one.slice(0, n)}…` : one
}
