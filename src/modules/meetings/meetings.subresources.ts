import { Type } from 'typebox'
import { ifMatchSchema, ref, Problem } from '../../schemas/common.ts'

// What the agenda and attendance routes share: they are parts of a meeting written on their
// own, so they take If-Match against the meeting's version (the single-resource routes get this
// from openapi.ts; these paths end in a name, not an id, so they declare it themselves).

export const ifMatchHeaders = Type.Object({
  'if-match': Type.Optional(
    Type.String({
      ...ifMatchSchema,
      description: 'The meeting’s ETag you read; the write happens only if it is still current.',
    }),
  ),
})

export const preconditionResponse = {
  description: 'If-Match names a version of the meeting that is no longer current; nothing was changed.',
  content: { 'application/problem+json': { schema: ref(Problem) } },
}
