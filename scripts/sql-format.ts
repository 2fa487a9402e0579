import { format } from 'sql-formatter'

// Pretty-prints a compiled statement for sql/*.sql. sql-formatter is pinned to an exact version in
// package.json: another version may lay statements out differently, which would show up as a
// diff of every snapshot (regenerate with `npm run sql` when upgrading it on purpose).

export function formatSql(text: string): string {
  try {
    return format(text, { language: 'postgresql', keywordCase: 'preserve', tabWidth: 2, expressionWidth: 100 })
  } catch (err) {
    // A statement the formatter cannot parse is still snapshotted, as Kysely compiled it.
    return `-- (not pretty-printed: ${(err as Error).message.split('\n')[0]})\n${text}`
  }
}
