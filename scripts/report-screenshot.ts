import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'

// npm run report:screenshot -- [--url http://127.0.0.1:3000] [--plan <id or code>] [--period 2006S1]
//                              [--out report.png] [--key apk_…]
// Fetches a plan's printable report (Accept: text/html) from a running server and renders it in
// headless Chromium, saving a PNG so anyone can look at it. The key comes from --key or API_KEY
// (none when the server lets anonymous callers read). Prints the PNG's path.

const args = new Map<string, string>()
for (let i = 2; i < process.argv.length; i += 2)
  args.set(process.argv[i]!.replace(/^--/, ''), process.argv[i + 1] ?? '')
const base = (args.get('url') ?? process.env.API_URL ?? 'http://127.0.0.1:3000').replace(/\/$/, '')
const key = args.get('key') ?? process.env.API_KEY
const period = args.get('period') ?? '2006S1'
const chromium = args.get('chromium') ?? process.env.CHROMIUM ?? '/usr/bin/chromium'
const headers: Record<string, string> = key ? { authorization: `Bearer ${key}` } : {}

async function get(pathname: string, accept = 'application/json') {
  const res = await fetch(base + pathname, { headers: { ...headers, accept } })
  if (!res.ok) throw new Error(`GET ${pathname}: ${res.status} ${(await res.text()).slice(0, 300)}`)
  return res
}

async function planId(): Promise<string> {
  const wanted = args.get('plan') ?? 'COMMIT SPA I'
  if (/^[0-9a-f-]{36}$/i.test(wanted)) return wanted
  const list = (await (await get(`/v1/plans?limit=500`)).json()) as { data: { id: string; code: string }[] }
  const plan = list.data.find((p) => p.code === wanted)
  if (!plan) throw new Error(`no plan with code "${wanted}" (give --plan <id or code>)`)
  return plan.id
}

const id = await planId()
const html = await (await get(`/v1/plans/${id}/reports/${period}`, 'text/html')).text()
const dir = mkdtempSync(path.join(tmpdir(), 'report-'))
const page = path.join(dir, 'report.html')
writeFileSync(page, html)
const out = path.resolve(args.get('out') ?? `report-${period}.png`)
if (!existsSync(chromium)) throw new Error(`no Chromium at ${chromium} (give --chromium <path>)`)
execFileSync(
  chromium,
  [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--hide-scrollbars',
    '--window-size=1100,2200',
    `--screenshot=${out}`,
    `file://${page}`,
  ],
  { stdio: 'pipe', timeout: 120_000 },
)
if (!existsSync(out)) throw new Error(`Chromium wrote no screenshot to ${out}`)
console.log(out)
