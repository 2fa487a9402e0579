import { randomBytes } from 'node:crypto'
import pg from 'pg'

// The run's own Postgres database, and the faults done to it. Everything here goes through an
// admin connection to the `postgres` database, which the faults never touch: it must keep
// working while the service's database refuses connections, so it can end the outage and, at
// the end, check the data and drop the database.

const serverUrl = process.env.FAULTS_PG_URL ?? 'postgres://postgres@127.0.0.1:5432'

export interface FaultDatabase {
  name: string
  url: string
  /** Ends every session on the service's database (its pool's connections, idle or busy). */
  terminateBackends(): Promise<number>
  /** Makes Postgres refuse new connections to the database and ends the existing ones. */
  refuseConnections(): Promise<number>
  acceptConnections(): Promise<void>
  /** A query on the service's database through a short-lived connection of our own. */
  query<R extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<R[]>
  drop(): Promise<void>
}

export async function createFaultDatabase(): Promise<FaultDatabase> {
  const name = `apa_faults_${randomBytes(4).toString('hex')}`
  const url = `${serverUrl}/${name}`
  const admin = new pg.Client({ connectionString: `${serverUrl}/postgres`, connectionTimeoutMillis: 5000 })
  await admin.connect()
  // The admin connection is ours alone; an error on it (Postgres restarted under us) is reported
  // by the next query, not allowed to kill the run.
  admin.on('error', () => {})
  await admin.query(`create database ${name}`)

  const terminate = async () => {
    const { rowCount } = await admin.query(
      'select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
      [name],
    )
    return rowCount ?? 0
  }
  let dropped = false
  return {
    name,
    url,
    terminateBackends: terminate,
    async refuseConnections() {
      await admin.query(`alter database ${name} allow_connections false`)
      return terminate()
    },
    async acceptConnections() {
      await admin.query(`alter database ${name} allow_connections true`)
    },
    async query<R extends pg.QueryResultRow>(text: string, values?: unknown[]) {
      const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 })
      await client.connect()
      try {
        return (await client.query<R>(text, values)).rows
      } finally {
        await client.end()
      }
    },
    async drop() {
      if (dropped) return
      dropped = true
      // WITH (FORCE) ends whatever sessions are left (a server we failed to stop) and works even
      // if the run stopped in the middle of an outage.
      await admin.query(`drop database if exists ${name} with (force)`)
      await admin.end()
    },
  }
}
