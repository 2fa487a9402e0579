import type { Config } from './config.ts'

// The few lines a newcomer reads after `npm start`: where the API is, where its docs are, where
// the data lives, and how to get a key.

export function banner({
  address,
  config,
  kind,
  firstKey,
}: {
  address: string
  config: Config
  kind: 'postgres' | 'pglite'
  firstKey?: string
}) {
  const url = address.replace('://127.0.0.1', '://localhost')
  const data =
    kind === 'pglite'
      ? `embedded Postgres in ${config.DATA_DIR} (one process at a time)`
      : `Postgres at ${new URL(config.DATABASE_URL!).host}`
  const key = firstKey
    ? [
        `  admin key  ${firstKey}`,
        '             shown once: keep it (it can do everything; make narrower keys with it: POST /v1/api-keys)',
      ]
    : kind === 'pglite'
      ? [
          // The CLI needs the folder to itself; the running server makes keys over its API.
          '  keys       POST /v1/api-keys with an admin key, or npm run key:create with the server stopped',
        ]
      : ['  keys       npm run key:create -- --name you --scopes admin, or POST /v1/api-keys with an admin key']
  return [
    '',
    `Action Plan API — ${url}`,
    `  docs       ${url}/docs`,
    `  contract   ${url}/v1/openapi.json`,
    `  data       ${data}`,
    ...key,
    `  try        curl -s '${url}/v1/plans?q=COMMIT'`,
    '',
  ].join('\n')
}
