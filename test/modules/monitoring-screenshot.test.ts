import t from 'tap'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { existsSync, readFileSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { setup } from '../helpers/app.ts'
import { seedDatabase } from '../../src/seed/index.ts'
import { seedSampleMeasurements } from '../../src/seed/indicators.ts'

// `npm run report:screenshot`: the printable report of a running server, rendered by headless
// Chromium into a PNG. Skipped where Chromium is not installed.

const chromium = '/usr/bin/chromium'

t.test(
  'the six-monthly report renders to a PNG in headless Chromium',
  { skip: !existsSync(chromium) && 'no Chromium' },
  async (t) => {
    const ctx = await setup(t)
    await seedDatabase(ctx.database.db)
    await seedSampleMeasurements(ctx.database.db)
    const origin = await ctx.app.listen({ host: '127.0.0.1', port: 0 })
    const key = (await ctx.key(['read'])).authorization.replace('Bearer ', '')
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'report-png-')), 'report.png')
    // Asynchronously: the server answering the script runs in this process.
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        '--import',
        'tsx',
        'scripts/report-screenshot.ts',
        '--url',
        origin,
        '--key',
        key,
        '--period',
        'final',
        '--out',
        out,
      ],
      { encoding: 'utf8', timeout: 180_000 },
    )
    t.equal(stdout.trim(), out, 'the script prints where the PNG is')
    const png = readFileSync(out)
    t.same([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'a PNG')
    t.ok(png.length > 10_000, `not blank (${png.length} bytes)`)
  },
)
