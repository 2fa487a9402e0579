import type { FastifyPluginAsync, FastifyReply } from 'fastify'
import { problemKinds, sendProblem, type ProblemKind } from '../../http/problems.ts'
import { problemHelp } from '../../http/problem-help.ts'
import { negotiate } from '../../http/export.ts'

// Every problem's `type` resolves (RFC 9457 §3.1.1): /problems/{kind} says what the problem
// means and how to fix it — a short page for people, JSON for programs (Accept: application/json).

const escapeHtml = (s: string) =>
  s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!)
const code = (s: string) => escapeHtml(s).replace(/`([^`]+)`/g, '<code>$1</code>')

function describe(kind: ProblemKind) {
  const [status, title] = problemKinds[kind]
  return { type: `/problems/${kind}`, status, title, ...problemHelp[kind] }
}

const page = (title: string, body: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} — Action Plan API</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#1b1f24}code{background:#f2f4f7;padding:0 .25em;border-radius:3px}
h1{font-size:1.5rem}dt{font-weight:600;margin-top:1rem}a{color:#0b5cad}.status{color:#57606a}</style></head>
<body>${body}<p><a href="/problems">All problem types</a> · <a href="/docs">API reference</a></p></body></html>`

function send(reply: FastifyReply, json: unknown, html: string) {
  const type = negotiate(reply.request, ['text/html', 'application/json'])
  if (type === 'application/json') return reply.type('application/json; charset=utf-8').send(json)
  return reply
    .type('text/html; charset=utf-8')
    .header(
      'content-security-policy',
      "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'",
    )
    .send(html)
}

const problems: FastifyPluginAsync = async (app) => {
  const kinds = Object.keys(problemKinds) as ProblemKind[]
  const common = { schema: { hide: true }, config: { scope: 'public' as const } }

  app.get('/problems', common, async (_request, reply) => {
    const rows = kinds.map(
      (k) =>
        `<li><a href="/problems/${k}"><code>/problems/${k}</code></a> <span class="status">${problemKinds[k][0]}</span> — ${escapeHtml(problemKinds[k][1])}</li>`,
    )
    return send(
      reply,
      kinds.map(describe),
      page(
        'Problem types',
        `<h1>Problem types</h1><p>Every error of the API is an RFC 9457 problem whose <code>type</code> is one of these.</p><ul>${rows.join('')}</ul>`,
      ),
    )
  })

  app.get<{ Params: { kind: string } }>('/problems/:kind', common, async (request, reply) => {
    const kind = request.params.kind as ProblemKind
    if (!Object.hasOwn(problemKinds, kind))
      return sendProblem(reply, 'not-found', `No problem type ${request.params.kind}; see /problems.`)
    const d = describe(kind)
    return send(
      reply,
      d,
      page(
        d.title,
        `<h1>${escapeHtml(d.title)}</h1><p class="status"><code>${d.type}</code> · HTTP ${d.status}</p><dl><dt>What it means</dt><dd>${code(d.means)}</dd><dt>How to fix it</dt><dd>${code(d.fix)}</dd></dl>`,
      ),
    )
  })
}

export default problems
