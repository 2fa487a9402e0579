import { createHash } from 'node:crypto'

// Seeded rows get name-based UUIDs (RFC 9562 version 5) derived from their key in data/, so
// running the seed again finds the same rows instead of creating new ones.
const NAMESPACE = Buffer.from('6f1d8f7e4b2a4c39a1e05d3b9c7a2e10', 'hex')

export function seedId(kind: string, key: string): string {
  const hash = createHash('sha1').update(NAMESPACE).update(`${kind}:${key}`).digest()
  hash[6] = (hash[6]! & 0x0f) | 0x50
  hash[8] = (hash[8]! & 0x3f) | 0x80
  const h = hash.subarray(0, 16).toString('hex')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}
