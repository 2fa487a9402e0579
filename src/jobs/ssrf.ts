import { lookup as dnsLookup, type LookupAddress } from 'node:dns'
import { BlockList, isIP } from 'node:net'

// Webhook URLs are the server reaching out on a partner's word: without checks a subscription
// could make it call its own admin ports, the cloud metadata service or the office network
// (server-side request forgery). URLs are checked when a subscription is written, and every
// address a delivery connects to is checked again after DNS resolution (the lookup below is
// the one the socket uses, so a name that resolves elsewhere at delivery time is still caught).

const blocked = new BlockList()
for (const [net, prefix] of [
  ['0.0.0.0', 8], // "this network", unspecified
  ['10.0.0.0', 8], // RFC 1918
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, cloud metadata (169.254.169.254)
  ['172.16.0.0', 12], // RFC 1918
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.168.0.0', 16], // RFC 1918
  ['198.18.0.0', 15], // benchmarking
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const)
  blocked.addSubnet(net, prefix, 'ipv4')
for (const [net, prefix] of [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
  ['100::', 64], // discard
] as const)
  blocked.addSubnet(net, prefix, 'ipv6')

/** Why an address may not be called, or null when it may. */
export function refusedAddress(address: string): string | null {
  const family = isIP(address)
  if (family === 0) return `${address} is not an IP address`
  if (family === 6) {
    // IPv4 embedded in IPv6 (::ffff:a.b.c.d, NAT64 64:ff9b::a.b.c.d) is judged as IPv4.
    const embedded = /^(?:::ffff:|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1]
    if (embedded) return refusedAddress(embedded)
    const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address)
    if (hex) {
      const n = (Number.parseInt(hex[1] as string, 16) << 16) | Number.parseInt(hex[2] as string, 16)
      return refusedAddress([24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.'))
    }
  }
  return blocked.check(address, family === 4 ? 'ipv4' : 'ipv6')
    ? `${address} is a loopback, private, link-local, multicast or otherwise internal address`
    : null
}

export class RefusedUrl extends Error {}

/** The URL as a delivery target: http(s), no credentials, and (unless allowed) no internal host. */
export function parseTarget(raw: string): URL {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new RefusedUrl('is not a URL')
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new RefusedUrl('must be an http or https URL')
  if (url.username || url.password) throw new RefusedUrl('must not carry credentials (use the secret)')
  return url
}

/** Host names and literals of the URL's host, resolved as a socket would; throws RefusedUrl. */
export async function assertPublicTarget(raw: string, allowPrivate: boolean): Promise<URL> {
  const url = parseTarget(raw)
  if (allowPrivate) return url
  const host = url.hostname.replace(/^\[|\]$/g, '')
  const addresses = isIP(host) ? [host] : await resolveAll(host)
  for (const address of addresses) {
    const why = refusedAddress(address)
    if (why) throw new RefusedUrl(`resolves to ${why}; webhooks go to public addresses only`)
  }
  return url
}

function resolveAll(host: string): Promise<string[]> {
  return new Promise((resolve, reject) =>
    dnsLookup(host, { all: true }, (err, addresses) =>
      err ? reject(new RefusedUrl(`host ${host} does not resolve`)) : resolve(addresses.map((a) => a.address)),
    ),
  )
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void

/** A dns.lookup for http.request that refuses internal addresses (the check at connect time). */
export function guardedLookup(allowPrivate: boolean) {
  return (hostname: string, options: { all?: boolean }, callback: LookupCallback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, [])
      if (!allowPrivate) {
        for (const a of addresses) {
          const why = refusedAddress(a.address)
          if (why)
            return callback(
              Object.assign(new RefusedUrl(`${hostname} resolves to ${why}`), { code: 'EREFUSED_TARGET' }),
              [],
            )
        }
      }
      if (options.all) return callback(null, addresses)
      const first = addresses[0]
      if (!first) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), [])
      callback(null, first.address, first.family)
    })
  }
}
