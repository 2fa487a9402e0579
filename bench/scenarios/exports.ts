import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { sql } from 'kysely'
import pg from 'pg'
import { openDatabase } from '../../src/db/database.ts'
import { migrateToLatest } from '../../src/db/migrator.ts'
import { createAdminKey } from '../dataset.ts'
import { makeLogDir, memoryOf, resetPeak, spawnService, stop, waitForOk } from '../processes.ts'
import { adminUrl, host, pgPort, pgUser } from '../settings.ts'
import type { BenchModule } from '../types.ts'

// Exports (DESIGN §6: "an export of 1 000 000 rows streamed at over 100 000 rows/s in under
// 200 MB of memory"). In `npm run bench`: the base dataset's organizations (100 000 by default)
// exported as NDJSON, three requests one after another, beside `COPY (the same rows) TO` a file
// in pgbench; the RSS column is the peak of a service started for them.
//
// Run alone for 100 000 and 1 000 000 rows, with rows/s beside psql's `\copy … TO` of the same
// rows and the service's peak RSS (VmHWM) per export:
//
//   node --import tsx bench/scenarios/exports.ts            (its own database, apa_bench_exports)

const exportsModule: BenchModule = {
  name: 'exports',
  async load() {
    // The base dataset's organizations are the rows exported.
  },
  async scenarios({ db }) {
    const count = Number(
      (await sql<{ n: number }>`select count(*)::int as n from organizations`.execute(db)).rows[0]?.n,
    )
    return [
      {
        name: `NDJSON export of ${count.toLocaleString('en')} organizations`,
        path: '/v1/organizations/export?format=ndjson',
        sequential: 3,
        freshService: true,
        sql: `copy (select * from organizations order by name, id) to '/dev/null'`,
        goal: { text: 'over 100 000 rows/s in under 200 MB', maxP50Ms: (count / 100_000) * 1000, maxRssMb: 200 },
        note: 'rows/s = rows ÷ (p50 ms / 1000); pgbench runs COPY of the same rows to /dev/null on the server; RSS is the peak of a service started for the exports',
      },
    ]
  },
}
export default exportsModule

/** Standalone: 100 000 and 1 000 000 rows, each export's rows/s and the server's peak RSS. */
async function measure() {
  const name = 'apa_bench_exports'
  const url = `postgres://${pgUser}@${host}:${pgPort}/${name}`
  const admin = new pg.Client({ connectionString: adminUrl })
  await admin.connect()
  await admin.query(`drop database if exists ${name} with (force)`)
  await admin.query(`create database ${name}`)
  await admin.end()
  const handle = openDatabase({ url, poolMax: 2, statementTimeoutMs: 0 })
  await migrateToLatest(handle.db)
  const token = await createAdminKey(handle.db)
  const logDir = await makeLogDir()
  const service = await spawnService(
    {
      DATABASE_URL: url,
      LOG_LEVEL: 'warn',
      NODE_ENV: 'production',
      RATE_LIMIT_MAX: '1000000000',
      MIGRATE_ON_START: 'false',
      SEED_ON_START: 'never',
      CURSOR_SECRET: randomBytes(32).toString('base64'),
    },
    logDir,
  )
  const results: Record<string, unknown>[] = []
  try {
    await waitForOk(service, '/health/ready', 120_000)
    const pid = service.process.pid!
    let loaded = 0
    for (const rows of [100_000, 1_000_000]) {
      await sql`insert into organizations (name, kind, country_code, website, description)
        select 'Export organization ' || lpad(i::text, 8, '0'), (array['ngo', 'government', 'un_agency', 'donor'])[1 + i % 4],
          (array['KH', 'LA', 'TH', 'VN', 'MM', 'CN'])[1 + i % 6], 'https://www.example-' || i || '.org',
          'Works on prevention and victim support in the region; member of the national referral network since ' || (2004 + i % 20) || '.'
        from generate_series(${loaded + 1}::int, ${rows}::int) i`.execute(handle.db)
      loaded = rows
      await sql`analyze organizations`.execute(handle.db)
      const before = memoryOf(pid)
      resetPeak(pid)
      const started = performance.now()
      const res = await fetch(`http://${host}:${service.port}/v1/organizations/export?format=ndjson`, {
        headers: { authorization: `Bearer ${token}` },
      })
      let bytes = 0
      let lines = 0
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        bytes += chunk.length
        for (const b of chunk) if (b === 10) lines++
      }
      const seconds = (performance.now() - started) / 1000
      const after = memoryOf(pid)
      const copyStarted = performance.now()
      execFileSync(
        'psql',
        [url, '-qAt', '-c', `\\copy (select * from organizations order by name, id) to '/dev/null'`],
        { stdio: 'ignore' },
      )
      const copySeconds = (performance.now() - copyStarted) / 1000
      const copyJsonStarted = performance.now()
      execFileSync(
        'psql',
        [url, '-qAt', '-c', `\\copy (select row_to_json(o) from organizations o order by name, id) to '/dev/null'`],
        { stdio: 'ignore' },
      )
      const copyJsonSeconds = (performance.now() - copyJsonStarted) / 1000
      const result = {
        rows: lines,
        status: res.status,
        megabytes: Math.round(bytes / 1048576),
        seconds: Math.round(seconds * 10) / 10,
        rowsPerSecond: Math.round(lines / seconds),
        copyRowsPerSecond: Math.round(rows / copySeconds),
        copyJsonRowsPerSecond: Math.round(rows / copyJsonSeconds),
        rssBeforeMb: before?.rssMb,
        peakRssMb: after?.peakRssMb,
        rssAfterMb: after?.rssMb,
      }
      results.push(result)
      console.log(JSON.stringify(result))
    }
  } finally {
    await stop(service)
    await handle.close()
  }
  return results
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await measure()
