import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import type { Database, DatabaseHandle } from '../db/database.ts'

declare module 'fastify' {
  interface FastifyInstance {
    db: Database
    dbKind: DatabaseHandle['kind']
  }
}

// The app is handed an open database; whoever opened it (server.ts or a test) closes it after
// the app has drained, unless ownership is passed with closeOnShutdown.
async function db(app: FastifyInstance, opts: { handle: DatabaseHandle; closeOnShutdown: boolean }) {
  app.decorate('db', opts.handle.db)
  app.decorate('dbKind', opts.handle.kind)
  if (opts.closeOnShutdown) app.addHook('onClose', () => opts.handle.close())
}

export default fp(db, { name: 'db' })
