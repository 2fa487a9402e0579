const likeEscaped = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`)

/** An ILIKE pattern matching `text` anywhere, with LIKE's wildcards in it taken literally. */
export function likePattern(text: string): string {
  return `%${likeEscaped(text)}%`
}

/** An ILIKE pattern matching values that start with `text`, taken literally. */
export function prefixPattern(text: string): string {
  return `${likeEscaped(text)}%`
}

/** A Postgres regular expression (`~*`) matching `text` at the start of a word, taken literally. */
export function wordStartPattern(text: string): string {
  // In Postgres' regular expressions a backslash before a character that is not a letter or
  // digit makes it literal; \m is the start of a word.
  return `\\m${text.replace(/[^\p{L}\p{N}\s]/gu, (c) => `\\${c}`)}`
}
