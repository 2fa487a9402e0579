// Keeps a local copy of the API's data in a JSON file, as a partner's nightly (or hourly) job
// would: the first run crawls the lists; every run after follows the change feed from the cursor
// it saved, fetching what was created or updated and dropping what was deleted. Safe to stop at
// any moment: the file is written (atomically) only with a cursor whose changes it holds.
//
//   API_BASE_URL=https://api.example.org API_KEY=apk_… node --import tsx examples/sync.ts [file]
//
// Options (environment): SYNC_FILE (default ./apa-copy.json), SYNC_FOLLOW=1 to keep polling
// every SYNC_POLL_SECONDS (default 30) instead of stopping once up to date.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { createApiClient } from '../clients/typescript/index.ts'

const baseUrl = process.env.API_BASE_URL
const apiKey = process.env.API_KEY
if (!baseUrl) throw new Error('set API_BASE_URL (and API_KEY)')
const file = process.argv[2] ?? process.env.SYNC_FILE ?? './apa-copy.json'
const client = createApiClient({ baseUrl, apiKey })

/** What the copy holds: every record of these types, by id. */
type Item = { id: string; [field: string]: unknown }
interface Copy {
  cursor: string
  syncedAt: string
  resources: Record<ResourceType, Record<string, Item>>
}
const types = ['organization', 'plan', 'activity', 'meeting', 'outcome'] as const
type ResourceType = (typeof types)[number]

interface Page {
  data: Item[]
  nextCursor: string | null
}
type Answer<T> = { data?: T; error?: { title?: string; detail?: string }; response: Response }

function ok<T>(what: string, answer: Answer<T>): T {
  if (answer.data === undefined) {
    const problem = answer.error ? `${answer.error.title}: ${answer.error.detail ?? ''}` : ''
    throw new Error(`${what} answered ${answer.response.status} ${problem}`)
  }
  return answer.data
}

// One list and one read per resource type, as the typed client spells them.
const lists: Record<ResourceType, (cursor?: string) => Promise<Answer<Page>>> = {
  organization: (cursor) => client.GET('/v1/organizations', { params: { query: { limit: 500, cursor } } }),
  plan: (cursor) => client.GET('/v1/plans', { params: { query: { limit: 500, cursor } } }),
  activity: (cursor) => client.GET('/v1/activities', { params: { query: { limit: 500, cursor } } }),
  meeting: (cursor) => client.GET('/v1/meetings', { params: { query: { limit: 500, cursor } } }),
  outcome: (cursor) => client.GET('/v1/outcomes', { params: { query: { limit: 500, cursor } } }),
}
const reads: Record<ResourceType, (id: string) => Promise<Answer<Item>>> = {
  organization: (id) => client.GET('/v1/organizations/{id}', { params: { path: { id } } }),
  plan: (id) => client.GET('/v1/plans/{id}', { params: { path: { id } } }),
  activity: (id) => client.GET('/v1/activities/{id}', { params: { path: { id } } }),
  meeting: (id) => client.GET('/v1/meetings/{id}', { params: { path: { id } } }),
  outcome: (id) => client.GET('/v1/outcomes/{id}', { params: { path: { id } } }),
}
const isType = (name: string): name is ResourceType => types.some((t) => t === name)

/** Reads the feed from `after` to its end: the changes, and the cursor to resume from. */
async function* feed(after: string | undefined) {
  let cursor = after
  for (;;) {
    const answer = await client.GET('/v1/changes', {
      params: { query: { after: cursor, types: types.join(','), limit: 1000 } },
    })
    if (answer.response.status === 410) throw new CursorExpired()
    const page = ok('GET /v1/changes', answer)
    yield page
    cursor = page.nextCursor
    if (!page.hasMore) return
  }
}
class CursorExpired extends Error {}

/** Every record of every type, by crawling the lists (cursor pagination never skips or repeats). */
async function crawl(): Promise<Copy['resources']> {
  const resources = Object.fromEntries(types.map((t) => [t, {}])) as Copy['resources']
  for (const type of types) {
    let cursor: string | undefined
    do {
      const page = ok(`GET list of ${type}`, await lists[type](cursor))
      for (const item of page.data) resources[type][item.id] = item
      cursor = page.nextCursor ?? undefined
    } while (cursor)
  }
  return resources
}

/** The first run: note where the feed ends now, then crawl; changes made meanwhile come again from the feed. */
async function initial(): Promise<Copy> {
  let cursor = ''
  for await (const page of feed(undefined)) cursor = page.nextCursor
  const resources = await crawl()
  console.log(`crawled ${types.map((t) => `${Object.keys(resources[t]).length} ${t}`).join(', ')}`)
  return { cursor, syncedAt: new Date().toISOString(), resources }
}

/** Applies the feed since the copy's cursor: a created or updated record is fetched, a deleted one dropped. */
async function follow(copy: Copy): Promise<number> {
  let applied = 0
  for await (const page of feed(copy.cursor)) {
    // The latest change per record is enough: the read gives its current state.
    const latest = new Map<string, { type: ResourceType; id: string; operation: string }>()
    for (const change of page.items)
      if (isType(change.resource))
        latest.set(`${change.resource}/${change.id}`, { type: change.resource, id: change.id, operation: change.operation })
    for (const { type, id, operation } of latest.values()) {
      if (operation === 'delete') delete copy.resources[type][id]
      else {
        const answer = await reads[type](id)
        // Gone since (a delete later in the feed will say so too).
        if (answer.response.status === 404) delete copy.resources[type][id]
        else copy.resources[type][id] = ok(`GET ${type} ${id}`, answer)
      }
      applied++
    }
    copy.cursor = page.nextCursor
    copy.syncedAt = new Date().toISOString()
    save(copy) // after each page: a crash resumes from here
  }
  return applied
}

function save(copy: Copy) {
  writeFileSync(`${file}.tmp`, `${JSON.stringify(copy, null, 1)}\n`)
  renameSync(`${file}.tmp`, file)
}

async function run() {
  let copy: Copy
  if (existsSync(file)) copy = JSON.parse(readFileSync(file, 'utf8')) as Copy
  else {
    copy = await initial()
    save(copy)
  }
  try {
    const applied = await follow(copy)
    console.log(`applied ${applied} change(s); cursor saved in ${file}`)
  } catch (err) {
    if (!(err instanceof CursorExpired)) throw err
    console.log('the saved cursor is older than the feed keeps: crawling again')
    save(await initial())
  }
}

await run()
if (process.env.SYNC_FOLLOW === '1') {
  const seconds = Number(process.env.SYNC_POLL_SECONDS ?? '30')
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000))
    await run()
  }
}
