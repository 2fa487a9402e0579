import type { ContractDocument, Operation } from '../contract/document.ts'
import type { Table, ValueGenerator } from './values.ts'

/**
 * One generated request, before it is put on the wire. Values are text as a client would send
 * them; `{{cursor}}` and `{{foreign-cursor}}` are filled in at send time from earlier responses.
 */
export interface FuzzInput {
  /** What the request tries: `valid`, or the mutation applied and where (`body.nul /title`). */
  label: string
  /** Path parameter values, unencoded (unless rawPath). */
  path: Record<string, string>
  /** The path values are already percent-encoded as they should be sent (`%00`, `..`). */
  rawPath?: boolean
  /** Query pairs in order; a name may repeat. */
  query: [string, string][]
  /** Headers other than Authorization and Content-Type. */
  headers: Record<string, string>
  /** Who calls: the admin key, a read-only key, nobody, or this literal Authorization value. */
  auth: 'admin' | 'read' | 'none' | { header: string }
  /** A JSON value to serialize, or the exact text to send. */
  body?: { json: unknown } | { text: string }
  /** The Content-Type to send with a body; '' sends none. Defaults to the operation's first. */
  contentType?: string
}

/** What generators and mutations need to know about the operation at hand. */
export interface OperationContext {
  contract: ContractDocument
  operation: Operation
  values: ValueGenerator
  /** The table the operation is about (`areas` for /v1/plans/{planId}/areas/{areaId}). */
  resource?: Table
  /** Real path parameter sets from the database (consistent parents and children). */
  realPaths: Record<string, string>[]
}
