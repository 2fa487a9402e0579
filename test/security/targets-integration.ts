import type { Fixtures, Kind, Probe, Probes } from './targets.ts'

// Partner integration's write operations, for a key limited to TH.
// API keys belong to their countries: a key of no country limit (any country) / TH and KH / TH.
// A country-limited admin creates, rotates and revokes only keys within its own countries.
// Webhook subscriptions belong to no country (they see every change): read-only to every
// country-limited key, so the `own` probe is refused too (`countryless`). Every operation here
// needs `admin` (`requires`).

let n = 0
const uniq = () => `${process.pid}-${++n}`
const keyCountries: Record<Kind, string[] | null> = { none: null, beyond: ['TH', 'KH'], own: ['TH'] }
const keyBody = (k: Kind) => ({ name: `Probe key ${uniq()}`, scopes: ['read'], countries: keyCountries[k] })
const subscriptionBody = () => ({ url: 'http://203.0.113.10/probe', eventTypes: ['activity'], active: false })

const key = (f: Fixtures, k: Kind) => f.create('/v1/api-keys', keyBody(k))
const made = new WeakMap<Fixtures, Promise<string>>()
const subscription = (f: Fixtures) => {
  let id = made.get(f)
  if (!id) made.set(f, (id = f.create('/v1/webhook-subscriptions', subscriptionBody())))
  return id
}

export const integrationProbes: Probes = {
  'POST /v1/api-keys': (_f, k): Probe => ({
    method: 'POST',
    url: '/v1/api-keys',
    payload: keyBody(k),
    requires: 'admin',
  }),
  'POST /v1/api-keys/{id}/rotate': async (f, k): Promise<Probe> => {
    const id = await key(f, k)
    return {
      method: 'POST',
      url: `/v1/api-keys/${id}/rotate`,
      payload: { overlapSeconds: 0 },
      reread: `/v1/api-keys/${id}`,
      requires: 'admin',
    }
  },
  'DELETE /v1/api-keys/{id}': async (f, k): Promise<Probe> => {
    const id = await key(f, k)
    return { method: 'DELETE', url: `/v1/api-keys/${id}`, reread: `/v1/api-keys/${id}`, requires: 'admin' }
  },
  'POST /v1/webhook-subscriptions': (): Probe => ({
    method: 'POST',
    url: '/v1/webhook-subscriptions',
    payload: subscriptionBody(),
    requires: 'admin',
    countryless: true,
  }),
  'PATCH /v1/webhook-subscriptions/{id}': async (f): Promise<Probe> => {
    const id = await subscription(f)
    return {
      method: 'PATCH',
      url: `/v1/webhook-subscriptions/${id}`,
      payload: { description: 'probe' },
      reread: `/v1/webhook-subscriptions/${id}`,
      requires: 'admin',
      countryless: true,
    }
  },
  'DELETE /v1/webhook-subscriptions/{id}': async (f): Promise<Probe> => {
    const id = await f.create('/v1/webhook-subscriptions', subscriptionBody())
    return {
      method: 'DELETE',
      url: `/v1/webhook-subscriptions/${id}`,
      reread: `/v1/webhook-subscriptions/${id}`,
      requires: 'admin',
      countryless: true,
    }
  },
  'POST /v1/webhook-subscriptions/{id}/deliveries/{deliveryId}/redeliver': async (f): Promise<Probe> => {
    const id = await subscription(f)
    return {
      method: 'POST',
      url: `/v1/webhook-subscriptions/${id}/deliveries/00000000-0000-4000-8000-000000000000/redeliver`,
      reread: `/v1/webhook-subscriptions/${id}`,
      requires: 'admin',
      countryless: true,
    }
  },
}
