import type { Test } from 'tap'
import { buildApp, type App } from '../../src/app.ts'
import { loadConfig, type Config } from '../../src/config.ts'
import { insertApiKey, type Scope } from '../../src/modules/api-keys/api-keys.queries.ts'
import { createTestDatabase, type TestDatabase } from './database.ts'

export interface TestContext {
  app: App
  database: TestDatabase
  /** Creates an API key and returns its Authorization header. */
  key(scopes: Scope[], options?: { countries?: string[]; organizationId?: string }): Promise<{ authorization: string }>
  admin: { authorization: string }
}

/** A fresh database and an app on it, torn down when the test ends. */
export async function setup(
  t: Test,
  overrides: Partial<Config> = {},
  before?: (app: App) => void | Promise<void>,
): Promise<TestContext> {
  const database = await createTestDatabase()
  const config = loadConfig({}, { LOG_LEVEL: 'silent', MAX_EVENT_LOOP_DELAY_MS: 0, ...overrides })
  const app = await buildApp({ config, database, logger: false })
  if (before) await before(app)
  await app.ready()
  t.teardown(async () => {
    await app.close()
    await database.drop()
  })
  const key = async (scopes: Scope[], options: { countries?: string[]; organizationId?: string } = {}) => {
    const k = await insertApiKey(database.db, {
      name: 'test',
      scopes,
      countries: options.countries ?? null,
      organizationId: options.organizationId ?? null,
    })
    return { authorization: `Bearer ${k.token}` }
  }
  return { app, database, key, admin: await key(['admin']) }
}

/** JSON body of an inject response. */
export const json = (res: { body: string }) => JSON.parse(res.body)
