import { readFileSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import path from 'node:path'
import { freePort, spawnProcess, stop, waitForOk, type Child } from './processes.ts'
import { host } from './settings.ts'

// The generated peer: Platformatic DB (the devDependency @platformatic/db, pinned to 2.61.0, the
// last line that runs on Node 20) serving the bench database as it comes, measured beside the
// service in the same run (run.ts, "rounds").
//
// It is started the way its docs start it — `plt-db start -c platformatic.db.json`, in its own
// process on this Node — with a configuration written to a temporary directory (no .env, no
// schema lock, no types are read or written there):
//
// - db.connectionString: apa_bench, as the postgres user the service uses too;
// - db.include: organizations, and countries (organizations.country_code refers to it: 2.61's
//   OpenAPI plugin fails to start when a foreign key points at a table it does not map);
// - openapi on, GraphQL off, events off, no authorization, no migrations, schemalock off;
// - db.poolSize 10, the service's DB_POOL_MAX default; logger level warn, as the service's;
// - NODE_ENV=production, as the service's.
//
// It must not change the database: it runs no migrations (none are configured), and its
// connections are read-only — PGOPTIONS='-c default_transaction_read_only=on' (node-postgres,
// under @databases/pg, reads PGOPTIONS; an `options` parameter in the URL is dropped by
// @databases/pg), so even a write request would fail with "read-only transaction".

const require = createRequire(import.meta.url)

export const peerPackage = '@platformatic/db'

export interface PeerInfo {
  package: string
  version: string
  /** The plt-db executable (a Node script) of the installed package. */
  bin: string
}

export function peerInfo(): PeerInfo {
  const file = require.resolve(`${peerPackage}/package.json`)
  const pkg = JSON.parse(readFileSync(file, 'utf8')) as { version: string; bin: Record<string, string> }
  return { package: peerPackage, version: pkg.version, bin: path.join(path.dirname(file), pkg.bin['plt-db']!) }
}

export function peerConfig(databaseUrl: string, port: number) {
  return {
    server: { hostname: host, port, logger: { level: 'warn' } },
    db: {
      connectionString: databaseUrl,
      include: { organizations: true, countries: true },
      graphql: false,
      openapi: true,
      events: false,
      schemalock: false,
      poolSize: 10,
    },
  }
}

export const peerEnv = { NODE_ENV: 'production', PGOPTIONS: '-c default_transaction_read_only=on' }

/** Starts the peer on a free port and waits until it lists organizations. */
export async function startPeer(
  databaseUrl: string,
  logDir: string,
): Promise<{ child: Child; info: PeerInfo; config: ReturnType<typeof peerConfig>; readyMs: number }> {
  const info = peerInfo()
  const port = await freePort()
  const dir = path.join(logDir, 'peer')
  await mkdir(dir, { recursive: true })
  const config = peerConfig(databaseUrl, port)
  const file = path.join(dir, 'platformatic.db.json')
  await writeFile(file, `${JSON.stringify(config, null, 2)}\n`)
  const child = await spawnProcess('peer', [info.bin, 'start', '-c', file], peerEnv, logDir, { cwd: dir, port })
  try {
    const readyMs = await waitForOk(child, '/organizations?limit=1', 120_000)
    return { child, info, config, readyMs }
  } catch (err) {
    await stop(child)
    throw err
  }
}
