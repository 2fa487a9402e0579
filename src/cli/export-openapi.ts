import { readFileSync, writeFileSync } from 'node:fs'
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
  const doc = await generateOpenApi()
  if (process.argv.includes('--check')) {
    // CI: the committed contract must be what the routes generate.
    if (readFileSync(target, 'utf8') !== doc) {
      console.error('openapi/openapi.json differs from the routes: run `npm run openapi` and commit it.')
      process.exit(1)
    }
    console.log('openapi/openapi.json is current')
  } else {
    writeFileSync(target, doc)
    console.log(`wrote ${target.pathname}`)
  }
}
