import { Type, type Static } from 'typebox'
import { nullable } from './common.ts'

// A number as a source text gives it: "at least 5 days", "approximately 20–30 persons", "some
// sixteen agencies". Kept as a range with its looseness rather than one invented figure.

export const NumberRange = Type.Object(
  {
    min: nullable(
      Type.Integer({ minimum: 0, maximum: 1_000_000 }),
      'The least; null when the text gives no lower bound.',
    ),
    max: nullable(
      Type.Integer({ minimum: 0, maximum: 1_000_000 }),
      'The most; null when the text gives no upper bound.',
    ),
    approximate: Type.Boolean({ description: 'The text gives the figure loosely ("approximately", "some").' }),
  },
  {
    $id: 'NumberRange',
    additionalProperties: false,
    description: 'A number known as a range: min = max for one figure; either bound null when the text gives none.',
    examples: [{ min: 20, max: 30, approximate: true }],
  },
)
export type NumberRangeT = Static<typeof NumberRange>

/** The pointer of the first range whose min exceeds its max, or null. */
export function invertedRange(ranges: Record<string, NumberRangeT | null | undefined>, prefix = '/body') {
  for (const [field, r] of Object.entries(ranges))
    if (r && r.min !== null && r.max !== null && r.min > r.max) return `${prefix}/${field}/max`
  return null
}

export const rangeSchemas = [NumberRange]
