import { readFileSync } from 'node:fs'

// The four source documents as the seed cites them, and a search that finds a transcribed text
// in them. The audit found every text word for word; what differs is layout: markdown emphasis,
// bullets, line breaks inside a cell, hyphen-space breaks closed up, footnote markers. So both
// sides are compared with only letters and digits kept, and a match is mapped back to the
// lines it spans (numbered as `grep -n` numbers them).

export const documentKeys = ['commit-framework', 'commit-spa', 'asean-matrix', 'toolkit-regional-plans'] as const
export type DocumentKey = (typeof documentKeys)[number]

const sources = JSON.parse(readFileSync(new URL('../../data/sources.json', import.meta.url), 'utf8')) as Record<
  string,
  { file: string }
>
const seedsDir = process.env.SEEDS_DIR ?? '/work/shared/seeds/'

export interface Doc {
  key: DocumentKey
  lines: string[]
  /** The document with only letters and digits, lower case. */
  compact: string
  /** For each character of compact, the 1-based line it comes from. */
  lineOf: number[]
}

const compactChar = (c: string) => /[\p{L}\p{N}]/u.test(c)

/** Letters and digits only, lower case; the Cyrillic В of the matrix's OCR reads as B. */
export function compact(text: string): string {
  let out = ''
  for (const c of text.replace(/В/g, 'B')) if (compactChar(c)) out += c.toLowerCase()
  return out
}

const cache = new Map<DocumentKey, Doc>()
export function doc(key: DocumentKey): Doc {
  let d = cache.get(key)
  if (d) return d
  const text = readFileSync(`${seedsDir}${sources[key]!.file}`, 'utf8')
  const lines = text.split('\n')
  let c = ''
  const lineOf: number[] = []
  lines.forEach((line, i) => {
    const part = compact(line)
    c += part
    for (let k = 0; k < part.length; k++) lineOf.push(i + 1)
  })
  d = { key, lines, compact: c, lineOf }
  cache.set(key, d)
  return d
}

export interface Span {
  document: DocumentKey
  from: number
  to: number
}

/** Every place the text occurs, optionally only within lines [from, to]. */
export function findAll(key: DocumentKey, text: string, within?: { from: number; to: number }): Span[] {
  const d = doc(key)
  const needle = compact(text)
  if (!needle) return []
  const out: Span[] = []
  for (let i = d.compact.indexOf(needle); i >= 0; i = d.compact.indexOf(needle, i + 1)) {
    const span = { document: key, from: d.lineOf[i]!, to: d.lineOf[i + needle.length - 1]! }
    if (within && (span.from < within.from || span.to > within.to)) continue
    out.push(span)
  }
  return out
}

/**
 * Where a text broken up by the flattened table stands: a cell's lines alternate with other
 * cells' text, so the text is found as consecutive pieces (each the longest prefix of what is left
 * that occurs after the previous piece, at least 8 letters, the first at least 16, unless it ends the text) no more than
 * `gap` characters apart. Gives the first and last line, or nothing when the pieces run out.
 */
export function findPieces(key: DocumentKey, text: string, gap = 400): Span[] {
  const d = doc(key)
  const rest = compact(text)
  if (!rest) return []
  const out: Span[] = []
  for (
    let start = d.compact.indexOf(rest.slice(0, 8));
    start >= 0;
    start = d.compact.indexOf(rest.slice(0, 8), start + 1)
  ) {
    let left = rest
    let at = start
    let first = -1
    let last = -1
    while (left) {
      const window = d.compact.slice(at, at + gap + left.length)
      let n = Math.min(left.length, window.length)
      let i = -1
      for (; n >= 1; n--) {
        i = first < 0 ? (window.startsWith(left.slice(0, n)) ? 0 : -1) : window.indexOf(left.slice(0, n))
        if (i >= 0 && (n >= (first < 0 ? 16 : 8) || n === left.length)) break
      }
      if (n < 1 || i < 0) break
      if (first < 0) first = at + i
      last = at + i + n - 1
      at = at + i + n
      left = left.slice(n)
    }
    if (!left) out.push({ document: key, from: d.lineOf[first]!, to: d.lineOf[last]! })
  }
  return out
}

export const locator = (s: { from: number; to: number }) =>
  s.from === s.to ? `line ${s.from}` : `lines ${s.from}–${s.to}`

/** The first line at or after `from` that contains the text (as compact text), or undefined. */
export function lineWith(key: DocumentKey, text: string, from = 1): number | undefined {
  const d = doc(key)
  const needle = compact(text)
  for (let i = from - 1; i < d.lines.length; i++) if (compact(d.lines[i]!).includes(needle)) return i + 1
  return undefined
}
