// npm start: build dist/ when a source is newer than it (scripts/build.mjs), then run the
// compiled server in this process. Compiled JavaScript starts in a fraction of the time tsx
// needs to load ~150 TypeScript files. `npm run dev` still runs the sources through tsx.
import { build } from './build.mjs'

const production = process.env.NODE_ENV === 'production'
await build({ say: (line) => !production && process.stderr.write(`${line}\n`) })
await import('../dist/server.js')
