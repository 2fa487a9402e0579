import { writeFileSync } from 'node:fs'
import { buildApp } from '../app.ts'
import { loadConfig } from '../config.ts'
import { openDatabase } from '../db/database.ts'

// Writes the contract generated from the route schemas to openapi/openapi.json. The app is
// built on an in-memory database it never queries.
export async function generateOpenApi(): Promise<string> {
  const database = openDatabase({ dataDir: 'memory://' })
  const app = await buildApp({ config: loadConfig({}), database, ownsDatabase: true, logger: false })
  await app.ready()
  const doc = `${JSON.stringify(app.swagger(), null, 2)}\n`
  await app.close()
  return doc
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const target = new URL('../../openapi/openapi.json', import.meta.url)
  writeFileSync(target, await generateOpenApi())
  console.log(`wrote ${target.pathname}`)
}
