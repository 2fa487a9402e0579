import { Type, type Static } from 'typebox'
import { Uuid } from '../../schemas/common.ts'

const Cell = Type.Object(
  {
    key: Type.Union([Type.String({ maxLength: 50 }), Type.Null()], {
      description: 'The country code, sex, occupation group or status (null: country not recorded).',
    }),
    count: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()], { description: 'null when suppressed.' }),
    suppressed: Type.Boolean(),
  },
  { $id: 'TrainingSummaryCell', additionalProperties: false },
)

const Mean = Type.Object(
  {
    mean: Type.Union([Type.Number(), Type.Null()], {
      description: 'Rounded to two decimals; null when suppressed or when nobody has the score.',
    }),
    suppressed: Type.Boolean({ description: 'True when fewer than `minCell` participants have the score.' }),
  },
  { $id: 'TrainingSummaryMean', additionalProperties: false },
)

const cells = (what: string, maxItems: number) =>
  Type.Array(Type.Unsafe<Static<typeof Cell>>({ $ref: 'TrainingSummaryCell' }), { description: what, maxItems })
const mean = (what: string) => Type.Unsafe<Static<typeof Mean>>({ $ref: 'TrainingSummaryMean', description: what })

export const TrainingSummary = Type.Object(
  {
    courseId: Uuid,
    minCell: Type.Integer({
      minimum: 1,
      description: 'The threshold: a count from 1 to minCell − 1 is suppressed (SUMMARY_MIN_CELL).',
    }),
    total: Type.Integer({
      minimum: 0,
      description: 'Participants of the course, withdrawn ones included (not suppressed: the seats publish it).',
    }),
    byCountry: cells('Counts by country, with suppression.', 300),
    bySex: cells('Counts by sex (female, male, unspecified), with suppression.', 3),
    byOccupationGroup: cells('Counts by occupation group, with suppression.', 7),
    byStatus: cells(
      'Counts by status. Not suppressed: a status names no attribute of a person, and the seats of the course publish the same counts.',
      6,
    ),
    preScore: mean('Mean pre-test score of those who have one.'),
    postScore: mean('Mean post-test score of those who have one.'),
    gain: mean('Mean of (post − pre) over those who have both.'),
  },
  {
    $id: 'TrainingSummary',
    additionalProperties: false,
    description:
      'Aggregates of a course’s participants for everyone, with small counts suppressed so nobody can be singled out. ' +
      'Rule, per breakdown (country, sex, occupation group): a count from 1 to minCell − 1 is suppressed (count null, suppressed true); ' +
      'then, while the suppressed counts of that breakdown add up to fewer than minCell (one suppressed cell alone would be total minus the visible ones), ' +
      'the smallest visible non-zero count is suppressed too. So total minus the visible cells reveals only a group of at least minCell people. ' +
      'Zero counts are shown. Means are over the whole course only (never per cell) and shown only when at least minCell participants have the score.',
    examples: [
      {
        courseId: '5d2f8e61-3b7a-5c49-8e1d-2a6b9c0f4e73',
        minCell: 3,
        total: 26,
        byCountry: [
          { key: 'KH', count: 5, suppressed: false },
          { key: 'CN', count: 6, suppressed: false },
          { key: 'LA', count: null, suppressed: true },
          { key: 'MM', count: 5, suppressed: false },
          { key: 'TH', count: 5, suppressed: false },
          { key: 'VN', count: null, suppressed: true },
        ],
        bySex: [
          { key: 'female', count: 11, suppressed: false },
          { key: 'male', count: 15, suppressed: false },
          { key: 'unspecified', count: 0, suppressed: false },
        ],
        byOccupationGroup: [
          { key: 'police', count: 12, suppressed: false },
          { key: 'prosecutor', count: 4, suppressed: false },
          { key: 'judge', count: null, suppressed: true },
          { key: 'immigration', count: 6, suppressed: false },
          { key: 'labour_inspector', count: 0, suppressed: false },
          { key: 'social_worker', count: null, suppressed: true },
          { key: 'other', count: 0, suppressed: false },
        ],
        byStatus: [
          { key: 'nominated', count: 0, suppressed: false },
          { key: 'confirmed', count: 24, suppressed: false },
          { key: 'waitlisted', count: 1, suppressed: false },
          { key: 'withdrawn', count: 1, suppressed: false },
          { key: 'attended', count: 0, suppressed: false },
          { key: 'completed', count: 0, suppressed: false },
        ],
        preScore: { mean: 54.2, suppressed: false },
        postScore: { mean: 71.8, suppressed: false },
        gain: { mean: 17.6, suppressed: false },
      },
    ],
  },
)

export type TrainingSummaryT = Static<typeof TrainingSummary>
export type SummaryCellT = Static<typeof Cell>
export type SummaryMeanT = Static<typeof Mean>

export const summarySchemas = [Cell, Mean, TrainingSummary]
