import type { FastifyRequest } from 'fastify'
import type { ItemValidator } from '../../http/batch.ts'
import { hasScope } from '../../http/access.ts'
import { changedFields, write } from '../../http/writes.ts'
import { boundedErrors, validationProblem, type FieldError } from '../../http/problems.ts'
import { missingReferences } from '../../db/references.queries.ts'
import { overlaps, parsePeriod, periodError, type Frequency } from '../../domain/periods.ts'
import { apiProvenance } from '../../schemas/provenance.ts'
import type { MeasurementBatchItemT, MeasurementRejectionT } from './monitoring.schemas.ts'
import {
  existingMeasurements,
  indicatorsByIds,
  insertHistory,
  listLocks,
  upsertMeasurements,
  type ExistingMeasurement,
  type HistoryEntry,
  type IndicatorRow,
  type MeasurementRow,
  type MeasurementWrite,
  findMeasurement,
} from './monitoring.queries.ts'

// The rules of a measurement, for the single upsert and the batch alike: every value is judged
// in JS against what one statement each loaded (its indicator, the plan's locks, the stored
// values, the countries and organizations it names), then all valid values are written in one
// statement. Nothing here runs a query per value.

/** Why a value is outside its unit's range, or undefined. */
export function unitError(unit: string, value: number): string | undefined {
  switch (unit) {
    case 'percent':
      return value < 0 || value > 100 ? 'a percent must be between 0 and 100' : undefined
    case 'boolean':
      return value !== 0 && value !== 1 ? 'a boolean value must be 0 (no) or 1 (yes)' : undefined
    case 'count':
      return !Number.isInteger(value) || value < 0 ? 'a count must be a non-negative integer' : undefined
    default:
      return value < 0 ? `a ${unit} value must not be negative` : undefined
  }
}

interface Item {
  index: number
  prefix: string
  write?: MeasurementWrite
  reason?: string | null
  existing?: ExistingMeasurement
  rejection?: MeasurementRejectionT
}

const reject = (item: Item, reason: MeasurementRejectionT['reason'], errors: FieldError[]) => {
  item.rejection ??= { index: item.index, reason, errors: boundedErrors(errors) }
}

const keyOf = (m: { indicatorId: string; period: string; country: string | null; sex: string | null }) =>
  `${m.indicatorId}|${m.period}|${m.country ?? ''}|${m.sex ?? ''}`

const compared = ['value', 'status', 'source', 'comment', 'reportingOrganizationId'] as const

export interface ApplyResult {
  summary: { total: number; created: number; updated: number; unchanged: number; rejected: number }
  rejections: MeasurementRejectionT[]
  /** Per index of a value not rejected: what happened to it. */
  results: Map<number, 'created' | 'updated' | 'unchanged'>
  /** For a one-value call that wrote: the row as the write's transaction sees it. */
  row?: MeasurementRow
}

export class AtomicRejection extends Error {
  constructor(readonly result: ApplyResult) {
    super('rejected')
  }
}

/**
 * Judges and writes values. `validate` checks an item against MeasurementBatchItem (null when the
 * route already did); in atomic mode any rejection throws AtomicRejection and writes nothing.
 */
export async function applyMeasurements(
  request: FastifyRequest,
  raw: unknown[],
  options: {
    mode: 'atomic' | 'partial'
    dryRun: boolean
    validate: ItemValidator | null
    pointer: (i: number) => string
  },
): Promise<ApplyResult> {
  const db = request.server.db
  const admin = hasScope(request.principal ?? null, 'admin')
  const allowed = request.principal?.countries ?? null
  const items: Item[] = raw.map((_, index) => ({ index, prefix: options.pointer(index) }))
  const valid: { item: Item; body: MeasurementBatchItemT }[] = []
  for (const item of items) {
    const body = raw[item.index]
    if (options.validate && !options.validate(body)) {
      reject(
        item,
        'invalid',
        validationProblem(options.validate.errors ?? [], item.prefix.slice(1)).extras.errors as FieldError[],
      )
      continue
    }
    valid.push({ item, body: body as MeasurementBatchItemT })
  }

  const indicators = new Map(
    (await indicatorsByIds(db, [...new Set(valid.map((v) => v.body.indicatorId))])).map((i) => [i.id, i]),
  )
  const missing = await missingReferences(db, {
    countries: valid.flatMap((v) => (v.body.country ? [v.body.country] : [])),
    organizations: valid.flatMap((v) => (v.body.reportingOrganizationId ? [v.body.reportingOrganizationId] : [])),
  })
  const locks = await listLocks(db, [...new Set([...indicators.values()].map((i) => i.planId))])

  const seen = new Map<string, number>()
  for (const { item, body } of valid) {
    const p = item.prefix
    const indicator = indicators.get(body.indicatorId)
    if (!indicator) {
      reject(item, 'not-found', [{ pointer: `${p}/indicatorId`, detail: 'no such indicator' }])
      continue
    }
    const errors = ruleErrors(indicator, body, p)
    if (body.country && missing.countries.has(body.country))
      errors.push({ pointer: `${p}/country`, detail: `${body.country} is not an ISO 3166-1 country code we know` })
    if (body.reportingOrganizationId && missing.organizations.has(body.reportingOrganizationId))
      errors.push({ pointer: `${p}/reportingOrganizationId`, detail: 'no such organization' })
    if (errors.length) {
      reject(item, 'invalid', errors)
      continue
    }
    const country = body.country ?? null
    if (allowed && (!country || !allowed.includes(country))) {
      reject(item, 'forbidden', [
        {
          pointer: `${p}/country`,
          detail: country
            ? `country ${country} is outside this key's countries (${allowed.join(', ')})`
            : 'a regional value (no country) is read-only to a country-limited key',
        },
      ])
      continue
    }
    const period = parsePeriod(body.period)!
    const lock = locks.find(
      (l) => l.planId === indicator.planId && overlaps(period, { start: l.periodStart, end: l.periodEnd }),
    )
    if (lock && !admin) {
      reject(item, 'locked', [
        {
          pointer: `${p}/period`,
          detail: `period ${lock.period} is locked for reporting; only an admin key may write it`,
        },
      ])
      continue
    }
    const w: MeasurementWrite = {
      indicatorId: indicator.id,
      period: body.period,
      periodStart: period.start,
      periodEnd: period.end,
      country,
      sex: body.sex ?? null,
      value: body.value,
      status: body.status ?? 'draft',
      source: body.source ?? null,
      comment: body.comment ?? null,
      reportingOrganizationId: body.reportingOrganizationId ?? null,
    }
    const key = keyOf(w)
    const first = seen.get(key)
    if (first !== undefined) {
      reject(item, 'conflict', [
        { pointer: p, detail: `repeats the indicator, period, country and sex of ${options.pointer(first)}` },
      ])
      continue
    }
    seen.set(key, item.index)
    item.write = w
    item.reason = body.reason ?? null
    if (body.status === undefined) item.write.status = '' // filled from the stored value below
  }

  // The stored values these would replace, in one statement.
  const pending = items.filter((i) => i.write && !i.rejection)
  const stored = new Map(
    (
      await existingMeasurements(
        db,
        [...new Set(pending.map((i) => i.write!.indicatorId))],
        [...new Set(pending.map((i) => i.write!.period))],
      )
    ).map((m) => [keyOf(m), m]),
  )
  const results = new Map<number, 'created' | 'updated' | 'unchanged'>()
  for (const item of pending) {
    const w = item.write!
    const before = stored.get(keyOf(w))
    if (w.status === '') w.status = before?.status ?? 'draft'
    item.existing = before
    if (!before) {
      results.set(item.index, 'created')
      continue
    }
    const same = compared.every((c) => before[c] === w[c])
    if (same) {
      results.set(item.index, 'unchanged')
      continue
    }
    if (before.status === 'verified') {
      if (!admin) {
        reject(item, 'forbidden', [
          { pointer: `${item.prefix}/value`, detail: 'the stored value is verified: only an admin key may change it' },
        ])
        continue
      }
      if (!item.reason) {
        reject(item, 'invalid', [
          {
            pointer: `${item.prefix}/reason`,
            detail: 'is required to change a verified value (it is kept in its history)',
          },
        ])
        continue
      }
    }
    results.set(item.index, 'updated')
  }

  const rejections = items.flatMap((i) => (i.rejection ? [i.rejection] : []))
  const toWrite = items.filter((i) => !i.rejection && results.get(i.index) !== 'unchanged' && i.write)
  const count = (r: string) => [...results.entries()].filter(([i, v]) => v === r && !items[i]!.rejection).length
  const result: ApplyResult = {
    summary: {
      total: raw.length,
      created: count('created'),
      updated: count('updated'),
      unchanged: count('unchanged'),
      rejected: rejections.length,
    },
    rejections,
    results,
  }
  for (const r of rejections) results.delete(r.index)
  if (options.mode === 'atomic' && rejections.length) throw new AtomicRejection(result)
  if (options.dryRun || toWrite.length === 0) return result

  await write(request, async (w) => {
    const written = await upsertMeasurements(
      w.trx,
      toWrite.map((i) => i.write!),
      apiProvenance(request.principal?.keyId ?? null),
    )
    const byKey = new Map(toWrite.map((i) => [keyOf(i.write!), i]))
    const history: HistoryEntry[] = []
    let created = 0
    let updated = 0
    for (const row of written) {
      const item = byKey.get(keyOf(row))!
      if (row.inserted) {
        created++
        results.set(item.index, 'created')
        continue
      }
      updated++
      results.set(item.index, 'updated')
      const before = item.existing
      if (before && before.status !== 'draft')
        history.push({
          measurementId: row.id,
          version: row.version,
          valueBefore: before.value,
          statusBefore: before.status,
          valueAfter: item.write!.value,
          statusAfter: item.write!.status,
          reason: item.reason ?? null,
        })
    }
    // Values another request wrote to the same state meanwhile: unchanged.
    const writtenKeys = new Set(written.map(keyOf))
    for (const item of toWrite) if (!writtenKeys.has(keyOf(item.write!))) results.set(item.index, 'unchanged')
    result.summary.created = created
    result.summary.updated = updated
    result.summary.unchanged = raw.length - rejections.length - created - updated
    await insertHistory(w.trx, request.principal?.keyId ?? null, history)
    // One value (the single upsert): the row as this transaction sees it (an idempotent write commits later).
    if (raw.length === 1 && written.length === 1) {
      const k = toWrite[0]!.write!
      result.row = await findMeasurement(w.trx, k.indicatorId, k.period, k.country, k.sex)
    }
    await w.record(
      written.map((row) => {
        const item = byKey.get(keyOf(row))!
        return {
          resource: 'measurement',
          resourceId: row.id,
          operation: row.inserted ? ('create' as const) : ('update' as const),
          version: row.version,
          fields: row.inserted
            ? ['period', 'country', 'sex', ...compared]
            : changedFields(pick(item.existing!), pick(item.write!)),
        }
      }),
    )
  })
  return result
}

const pick = (m: Pick<MeasurementWrite, (typeof compared)[number]>) =>
  Object.fromEntries(compared.map((c) => [c, m[c]])) as Record<string, unknown>

/** The rules an indicator sets for a value: period, unit range, disaggregations. */
export function ruleErrors(indicator: IndicatorRow, body: MeasurementBatchItemT, p: string): FieldError[] {
  const errors: FieldError[] = []
  const period = periodError(body.period, indicator.frequency as Frequency)
  if (period) errors.push({ pointer: `${p}/period`, detail: period })
  const range = unitError(indicator.unit, body.value)
  if (range) errors.push({ pointer: `${p}/value`, detail: range })
  if (body.country && !indicator.disaggregations.includes('country'))
    errors.push({ pointer: `${p}/country`, detail: 'this indicator takes regional values only (no country)' })
  if (body.sex && !indicator.disaggregations.includes('sex'))
    errors.push({ pointer: `${p}/sex`, detail: 'this indicator is not disaggregated by sex' })
  return errors
}
