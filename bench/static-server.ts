import Fastify from 'fastify'
import pg from 'pg'
import { readFileSync } from 'node:fs'
import { sharedSchemas } from '../src/schemas/common.ts'
import { schemas as organizationSchemas } from '../src/modules/organizations/organizations.schemas.ts'
import { getOrganization } from '../src/modules/organizations/organizations.queries.ts'
import { captureSql } from './sql.ts'
import { apiProvenance, provenanceOf, provenanceSchemas } from '../src/schemas/provenance.ts'

// The framework ceiling: bare Fastify answering a fixed 50-organization page, serialized per
// request through the same response schema the API uses — no database, auth, limits, helmet,
// CORS or cursors. What the API reaches below this is what those (and Postgres) cost.
//
//   PORT=3001 BENCH_STATIC_BODY=page.json node --import tsx bench/static-server.ts
//
// BENCH_STATIC_BODY is a list response captured from the API (run.ts passes page 1); without it
// a synthetic page of the same shape is served.
//
// With BENCH_BARE_DATABASE_URL and BENCH_BARE_SQL it also serves GET /bare/organizations: the
// list SQL through a plain pg pool, rows mapped and serialized with JSON.stringify — the "bare
// Fastify + pg route" DESIGN.md §6 quotes (~1 400/s on the reference machines), measured here
// to calibrate this machine against those figures. With BENCH_BARE_DATABASE_URL alone it serves
// GET /bare/organizations/:id: the service's get statement through the same pool, the row mapped
// the same way — the bare reference beside the service and the peer (run.ts, "rounds").

const port = Number(process.env.PORT ?? 3001)
const file = process.env.BENCH_STATIC_BODY
const page = file ? (JSON.parse(readFileSync(file, 'utf8')) as unknown) : synthetic()

const app = Fastify({ logger: false })
for (const schema of [...sharedSchemas, ...provenanceSchemas, ...organizationSchemas]) app.addSchema(schema)
app.get('/health', async () => ({ status: 'ok' }))
app.get('/v1/organizations', { schema: { response: { 200: { $ref: 'OrganizationList' } } } }, async () => page)

const bareUrl = process.env.BENCH_BARE_DATABASE_URL
const bareSql = process.env.BENCH_BARE_SQL
if (bareUrl) {
  const pool = new pg.Pool({ connectionString: bareUrl, max: 10 })
  app.addHook('onClose', () => pool.end())
  const toJson = (r: Record<string, any>) => ({
    id: r.id,
    name: r.name,
    acronym: r.acronym,
    kind: r.kind,
    country: r.country_code,
    parentId: r.parent_id,
    website: r.website,
    description: r.description,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    version: r.version,
    provenance: provenanceOf(r.provenance),
  })
  if (bareSql) {
    app.get('/bare/organizations', async () => {
      const { rows } = await pool.query(bareSql)
      const data = rows.slice(0, 50).map(toJson)
      return {
        data,
        nextCursor:
          rows.length > 50
            ? Buffer.from(JSON.stringify([data.at(-1)!.name, data.at(-1)!.id])).toString('base64url')
            : null,
      }
    })
  }
  // The service's own get statement (with its $1), sent with the id as a parameter, as the
  // service and the peer send theirs.
  const [get] = await captureSql((d) => getOrganization(d, '00000000-0000-4000-8000-000000000000'))
  app.get<{ Params: { id: string } }>('/bare/organizations/:id', async (req, reply) => {
    const { rows } = await pool.query(get!.sql, [req.params.id])
    if (!rows[0]) return reply.code(404).send({ status: 404 })
    return toJson(rows[0])
  })
}

process.once('SIGTERM', () => void app.close().then(() => process.exit(0)))
await app.listen({ host: '127.0.0.1', port })

function synthetic() {
  const data = Array.from({ length: 50 }, (_, i) => ({
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    name: `Bright Futures Foundation ${i}`,
    acronym: 'BFF',
    kind: 'ngo',
    country: 'KH',
    parentId: null,
    website: 'https://www.bright-futures-foundation.org',
    description:
      'Works on safe migration in Cambodia with government, civil society and international partners; member of the national referral network since 2012.',
    createdAt: '2020-01-01T00:00:00.000Z',
    updatedAt: '2024-06-01T12:00:00.000Z',
    version: 3,
    provenance: apiProvenance(null),
  }))
  return { data, nextCursor: 'eyJwIjpbIkJyaWdodCJdLCJiIjoiYWJjIn0.c2lnbmF0dXJl' }
}
