import type { Fixtures, Kind, Probe, Probes } from './targets.ts'

// Monitoring: an indicator belongs to its plan's countries; a value or target to its country (a
// regional one, to no country: read-only to a country-limited key); locks and report snapshots
// to the plan's countries. Rows: under the plan of each kind, values of no country (none), of KH
// (beyond) and of TH (own).

let n = 0
const uniq = () => `${process.pid}-m${++n}`
const country: Record<Kind, string | null> = { none: null, beyond: 'KH', own: 'TH' }

// Per fixtures (each test database has its own), per kind: the seeded plans keep their ids from
// one database to the next, so a cache keyed by plan id would hand out another database's row.
const indicators = new WeakMap<Fixtures, Map<Kind, Promise<string>>>()
/** An indicator of the plan of this kind (made once per fixtures, with the admin key). */
function indicator(f: Fixtures, k: Kind): Promise<string> {
  let byKind = indicators.get(f)
  if (!byKind) indicators.set(f, (byKind = new Map()))
  let id = byKind.get(k)
  if (!id)
    byKind.set(
      k,
      (id = f.create('/v1/indicators', { planId: f.plan[k], code: `Probe ${uniq()}`, title: 'Probe', unit: 'count' })),
    )
  return id
}
const freshIndicator = (f: Fixtures, k: Kind) =>
  f.create('/v1/indicators', { planId: f.plan[k], code: `Probe ${uniq()}`, title: 'Probe', unit: 'count' })

const value = (k: Kind, period = '2006S1') => ({ period, ...(country[k] ? { country: country[k] } : {}), value: 1 })

export const monitoringProbes: Probes = {
  'POST /v1/indicators': (f, k): Probe => ({
    method: 'POST',
    url: '/v1/indicators',
    payload: { planId: f.plan[k], code: `Probe ${uniq()}`, title: 'Probe', unit: 'count' },
  }),
  'PATCH /v1/indicators/{id}': async (f, k): Promise<Probe> => {
    const url = `/v1/indicators/${await indicator(f, k)}`
    return { method: 'PATCH', url, payload: { definition: 'probe' }, reread: url }
  },
  'DELETE /v1/indicators/{id}': async (f, k): Promise<Probe> => {
    const url = `/v1/indicators/${await freshIndicator(f, k)}`
    return { method: 'DELETE', url, reread: url }
  },
  'POST /v1/indicators/{id}/targets': async (f, k): Promise<Probe> => {
    const id = await indicator(f, k)
    return {
      method: 'POST',
      url: `/v1/indicators/${id}/targets`,
      payload: { period: '2007S2', target: 1, ...(country[k] ? { country: country[k] } : {}) },
      reread: `/v1/indicators/${id}`,
    }
  },
  'DELETE /v1/indicators/{id}/targets/{targetId}': async (f, k): Promise<Probe> => {
    const id = await indicator(f, k)
    const target = await f.create(`/v1/indicators/${id}/targets`, {
      period: `200${(n % 7) + 1}S1`,
      target: 1,
      ...(country[k] ? { country: country[k] } : {}),
    })
    n++
    return { method: 'DELETE', url: `/v1/indicators/${id}/targets/${target}` }
  },
  'POST /v1/indicators/{id}/measurements': async (f, k): Promise<Probe> => {
    const id = await indicator(f, k)
    return {
      method: 'POST',
      url: `/v1/indicators/${id}/measurements`,
      payload: value(k),
      reread: `/v1/indicators/${id}`,
    }
  },
  'DELETE /v1/measurements/{id}': async (f, k): Promise<Probe> => {
    const id = await indicator(f, k)
    const m = await f.create(`/v1/indicators/${id}/measurements`, value(k, `200${(n++ % 7) + 1}S2`))
    const url = `/v1/measurements/${m}`
    return { method: 'DELETE', url, reread: url }
  },
  'POST /v1/measurements/batch': async (f, k): Promise<Probe> => {
    const indicatorId = await indicator(f, k)
    return {
      method: 'POST',
      url: '/v1/measurements/batch',
      payload: { items: [{ indicatorId, ...value(k, '2006S2') }] },
      reread: `/v1/indicators/${indicatorId}`,
    }
  },
  'POST /v1/plans/{id}/reports/{period}': (f, k): Probe => ({
    method: 'POST',
    url: `/v1/plans/${f.plan[k]}/reports/2006S1`,
    payload: { note: 'probe' },
    reread: `/v1/plans/${f.plan[k]}`,
  }),
  'POST /v1/plans/{id}/period-locks': (f, k): Probe => ({
    method: 'POST',
    url: `/v1/plans/${f.plan[k]}/period-locks`,
    payload: { period: `19${String(n++ % 100).padStart(2, '0')}` },
    reread: `/v1/plans/${f.plan[k]}`,
    requires: 'admin',
  }),
  'DELETE /v1/plans/{id}/period-locks/{lockId}': async (f, k): Promise<Probe> => {
    const lock = await f.create(`/v1/plans/${f.plan[k]}/period-locks`, {
      period: `18${String(n++ % 100).padStart(2, '0')}`,
    })
    return { method: 'DELETE', url: `/v1/plans/${f.plan[k]}/period-locks/${lock}`, requires: 'admin' }
  },
}
