import { Type, type Static } from 'typebox'
import { CountryCode, ListOf, PageQuery, ResourceMeta } from '../../schemas/common.ts'

export const Country = Type.Object(
  {
    code: CountryCode,
    name: Type.String({ maxLength: 200, examples: ['Cambodia'] }),
    region: Type.Union([Type.String({ maxLength: 200 }), Type.Null()], {
      description: 'UN M49 region.',
      examples: ['Asia'],
    }),
    subregion: Type.Union([Type.String({ maxLength: 200 }), Type.Null()], {
      description: 'UN M49 sub-region.',
      examples: ['South-eastern Asia'],
    }),
    ...ResourceMeta,
  },
  {
    $id: 'Country',
    additionalProperties: false,
    description: 'An ISO 3166-1 country. Read-only reference data.',
    examples: [
      {
        code: 'KH',
        name: 'Cambodia',
        region: 'Asia',
        subregion: 'South-eastern Asia',
        createdAt: '2026-11-22T09:30:00.000Z',
        updatedAt: '2026-11-22T09:30:00.000Z',
        version: 1,
      },
    ],
  },
)

export const CountryList = ListOf(Country, 'CountryList')

export const CountryQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Text in the name, or the code.' })),
    region: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 100,
        description: 'UN M49 region or sub-region, e.g. Asia or South-eastern Asia.',
      }),
    ),
    sort: Type.Enum(['code', '-code', 'name', '-name'], { default: 'code' }),
    ...PageQuery,
  },
  { additionalProperties: false },
)

export const CountryParams = Type.Object({ code: CountryCode }, { additionalProperties: false })

export type CountryT = Static<typeof Country>
export const schemas = [Country, CountryList]
