import { PGlite } from '@electric-sql/pglite'
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm'
import { writeFileSync } from 'node:fs'
let t = performance.now()
const db = new PGlite({ dataDir: '/tmp/st1', extensions: { pg_trgm } })
await db.query('select 1'); console.log('open', Math.round(performance.now() - t))
t = performance.now()
const blob = await db.dumpDataDir('gzip')
const buf = Buffer.from(await blob.arrayBuffer()); writeFileSync('/tmp/pglite.tgz', buf); console.log('dump', buf.length, Math.round(performance.now() - t))
await db.close()
t = performance.now()
const db2 = new PGlite({ dataDir: 'memory://', loadDataDir: new Blob([buf]), extensions: { pg_trgm } })
await db2.query('select count(*) from activities').then((r) => console.log(r.rows)); console.log('load', Math.round(performance.now() - t))
t = performance.now()
const db3 = new PGlite({ dataDir: '/tmp/st3', extensions: { pg_trgm } })
await db3.query('select 1'); console.log('initdb', Math.round(performance.now() - t))
