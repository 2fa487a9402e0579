import type { Fixtures, Kind, Probe, Probes } from './targets.ts'

// The training module's write operations, for a key limited to TH. A course belongs to its venue
// and participating countries (none / TH and KH / TH); a participant belongs to its own country
// (none / KH / TH), whatever the course: a Thai focal point enrols Thai participants into a
// sub-regional course, and no one else's.

let n = 0
const uniq = () => `${process.pid}-${++n}`
const courseCountries: Record<Kind, string[]> = { none: [], beyond: ['TH', 'KH'], own: ['TH'] }
const participantCountry: Record<Kind, string | null> = { none: null, beyond: 'KH', own: 'TH' }

export const trainingBodies = {
  course: (k: Kind) => ({ title: `Probe course ${uniq()}`, topic: 'other', countries: courseCountries[k] }),
  participant: (k: Kind) => ({ name: `Probe participant ${uniq()}`, country: participantCountry[k] }),
}

// Rows made once per fixtures (the probes are called many times), with the admin key.
const made = new WeakMap<Fixtures, Map<string, Promise<string>>>()
function once(f: Fixtures, key: string, make: () => Promise<string>) {
  let rows = made.get(f)
  if (!rows) made.set(f, (rows = new Map()))
  if (!rows.has(key)) rows.set(key, make())
  return rows.get(key)!
}

const course = (f: Fixtures, k: Kind) =>
  once(f, `course-${k}`, () => f.create('/v1/training-courses', trainingBodies.course(k)))
/** A large TH course the participants of every kind are enrolled into. */
const host = (f: Fixtures) =>
  once(f, 'host', () =>
    f.create('/v1/training-courses', { ...trainingBodies.course('own'), maxParticipants: 10000, minParticipants: 0 }),
  )
const participant = async (f: Fixtures, k: Kind) =>
  once(f, `participant-${k}`, async () =>
    f.create(`/v1/training-courses/${await host(f)}/participants`, trainingBodies.participant(k)),
  )
const freshParticipant = async (f: Fixtures, k: Kind) =>
  f.create(`/v1/training-courses/${await host(f)}/participants`, trainingBodies.participant(k))

const patch = (url: string, payload: object): Probe => ({ method: 'PATCH', url, payload, reread: url })
const del = (url: string): Probe => ({ method: 'DELETE', url, reread: url })

export const trainingProbes: Probes = {
  'POST /v1/training-courses': (_f, k) => ({
    method: 'POST',
    url: '/v1/training-courses',
    payload: trainingBodies.course(k),
  }),
  'PATCH /v1/training-courses/{id}': async (f, k) =>
    patch(`/v1/training-courses/${await course(f, k)}`, { description: `probe ${uniq()}` }),
  'DELETE /v1/training-courses/{id}': async (f, k) =>
    del(`/v1/training-courses/${await f.create('/v1/training-courses', trainingBodies.course(k))}`),
  'POST /v1/training-courses/{id}/participants': async (f, k) => ({
    method: 'POST',
    url: `/v1/training-courses/${await host(f)}/participants`,
    payload: trainingBodies.participant(k),
    reread: `/v1/training-courses/${await host(f)}`,
  }),
  'PATCH /v1/training-courses/{id}/participants/{participantId}': async (f, k) =>
    patch(`/v1/training-courses/${await host(f)}/participants/${await participant(f, k)}`, {
      daysAttended: ++n % 300,
    }),
  'DELETE /v1/training-courses/{id}/participants/{participantId}': async (f, k) =>
    del(`/v1/training-courses/${await host(f)}/participants/${await freshParticipant(f, k)}`),
  'POST /v1/training-courses/{id}/participants/batch': async (f, k) => ({
    method: 'POST',
    url: `/v1/training-courses/${await host(f)}/participants/batch`,
    payload: { items: [{ externalRef: `probe-${uniq()}`, ...trainingBodies.participant(k) }] },
    reread: `/v1/training-courses/${await host(f)}`,
  }),
}
