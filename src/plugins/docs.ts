import fp from 'fastify-plugin'
import { createRequire } from 'node:module'
import { readFile } from 'node:fs/promises'
import { promisify } from 'node:util'
import { gzip as gzipCallback, constants as zlib } from 'node:zlib'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'

// The reference page at /docs: Redoc's standalone bundle (npm `redoc` 2.x) rendering the
// document at /v1/openapi.json. Everything the page loads comes from this server, so it works
// offline, on a LAN host over plain http and behind a strict Content-Security-Policy:
//
//   GET /docs                        the page (no inline script)
//   GET /docs/init.js                Redoc.init with the options below
//   GET /docs/redoc.standalone.js    the bundle from node_modules, gzipped once, cached for a year
//                                    (the page asks for ?v=<redoc version>, so an upgrade busts it)

const gzip = promisify(gzipCallback)
const require = createRequire(import.meta.url)

/** The project's mark: a rising path to a milestone. Usable as the document's `x-logo`. */
export const logoSvg =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" role="img" aria-label="Action Plan API">' +
  '<rect width="64" height="64" rx="14" fill="#0f4c81"/>' +
  '<path d="M14 46 L27 33 L36 40 L49 22" fill="none" stroke="#fff" stroke-width="5" stroke-linecap="round" stroke-linejoin="round"/>' +
  '<circle cx="49" cy="20" r="6" fill="#f2b134"/></svg>'

/**
 * `info['x-logo']` for the OpenAPI document, for renderers of the contract elsewhere (Redocly's
 * build-docs, portals). This page shows the mark in its own header and hides Redoc's copy.
 */
export const xLogo = {
  url: `data:image/svg+xml;base64,${Buffer.from(logoSvg).toString('base64')}`,
  altText: 'Action Plan API',
  backgroundColor: '#fafbfc',
}

/**
 * What the page may do, found from Chromium's console rather than guessed:
 * - scripts only from this server ('self'); the search index runs in a Web Worker that Redoc
 *   builds from a Blob, so workers may come from blob: (and only workers: script-src has no blob:);
 * - Redoc styles itself with styled-components, which injects <style> elements: style-src needs
 *   'unsafe-inline' (no nonce can be handed to it);
 * - the document is fetched from this server; images are this server's or data: (the x-logo).
 * No upgrade-insecure-requests: on plain http from a LAN host or a container it would send every
 * subresource to https and leave the page blank.
 */
export const docsCsp = [
  "default-src 'none'",
  "script-src 'self'",
  'worker-src blob:',
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ')

export interface DocsOptions {
  /** Where the page is served (default /docs). */
  routePrefix?: string
  /** The OpenAPI document the page renders (default /v1/openapi.json). */
  specUrl?: string
  /** The page's title and header (default "Action Plan API"). */
  title?: string
  /** Overrides of the Redoc options below (shallow). */
  redoc?: Record<string, unknown>
}

/**
 * Redoc's options. Tags start collapsed in the menu, responses and nested schemas collapsed in
 * the page, samples open two levels deep, so a large document reads from the top down. Redoc 2
 * has no `lazyRendering` (it ignores it); `nativeScrollbars` is the option its authors give for
 * large documents.
 */
export const redocOptions = {
  expandResponses: '',
  jsonSampleExpandLevel: 2,
  onlyRequiredInSamples: false,
  hideDownloadButton: false,
  downloadFileName: 'openapi.json',
  pathInMiddlePanel: true,
  sortTagsAlphabetically: false,
  sortPropsAlphabetically: false,
  requiredPropsFirst: true,
  schemaExpansionLevel: 0,
  expandSingleSchemaField: true,
  hideHostname: true,
  nativeScrollbars: true,
  menuToggle: true,
  showExtensions: false,
  scrollYOffset: '#docs-header',
  theme: {
    spacing: { sectionVertical: 24 },
    colors: { primary: { main: '#0f4c81' } },
    typography: {
      fontSize: '15px',
      lineHeight: '1.6',
      fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif',
      headings: {
        fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif',
        fontWeight: '600',
      },
      code: {
        fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace',
        fontSize: '13px',
      },
      links: { color: '#0f4c81' },
    },
    sidebar: { width: '280px', backgroundColor: '#fafbfc' },
    rightPanel: { backgroundColor: '#20303f', width: '40%' },
  },
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

function page(o: { title: string; prefix: string; specUrl: string; redocVersion: string }) {
  const title = escapeHtml(o.title)
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} — reference</title>
<link rel="icon" href="${xLogo.url}">
<style>
  html, body { margin: 0; padding: 0; }
  body { font-family: ${redocOptions.theme.typography.fontFamily}; color: #1d2733; }
  #docs-header { position: sticky; top: 0; z-index: 10; height: 52px; box-sizing: border-box; display: flex; align-items: center; gap: 12px; padding: 0 20px; background: #0f4c81; color: #fff; box-shadow: 0 1px 3px rgba(0,0,0,.2); }
  #docs-header svg { width: 30px; height: 30px; flex: none; border-radius: 7px; box-shadow: 0 0 0 1px rgba(255,255,255,.35); }
  #docs-header .name { font-size: 18px; font-weight: 600; letter-spacing: .01em; }
  #docs-header .what { font-size: 14px; opacity: .8; }
  #docs-header nav { margin-left: auto; display: flex; gap: 18px; font-size: 14px; }
  #docs-header a { color: #fff; text-decoration: none; opacity: .9; }
  #docs-header a:hover { text-decoration: underline; opacity: 1; }
  #docs-loading { padding: 48px 24px; font-size: 15px; color: #52606d; }
  noscript p { padding: 24px; }
  /* The header carries the mark: Redoc's copy of the document's x-logo atop the menu would repeat it. */
  .menu-content > div:first-child:has(img) { display: none; }
  /* Redoc's own credit at the foot of the side menu (see unbrand below). */
  div:has(> a[href="https://redocly.com/redoc/"]) { display: none; }
</style>
</head>
<body>
<header id="docs-header">
  ${logoSvg}
  <span class="name">${title}</span>
  <span class="what">reference</span>
  <nav><a href="${escapeHtml(o.specUrl)}">OpenAPI document</a></nav>
</header>
<main id="redoc"><p id="docs-loading">Loading the reference…</p></main>
<noscript><p>This page needs JavaScript. The contract itself is at <a href="${escapeHtml(o.specUrl)}">${escapeHtml(o.specUrl)}</a>.</p></noscript>
<script src="${o.prefix}/redoc.standalone.js?v=${encodeURIComponent(o.redocVersion)}" defer></script>
<script src="${o.prefix}/init.js" defer></script>
</body>
</html>
`
}

function initScript(specUrl: string, options: Record<string, unknown>) {
  // No inline script on the page: this file is 'self' like the bundle.
  return `"use strict";
Redoc.init(${JSON.stringify(specUrl)}, ${JSON.stringify(options)}, document.getElementById("redoc"), function (error) {
  if (error) {
    var p = document.createElement("p");
    p.id = "docs-loading";
    p.textContent = "The reference could not be rendered: " + (error.message || error);
    document.getElementById("redoc").replaceChildren(p);
  }
});
`
}

// The side menu ends with "API docs by Redocly" and an <img> from cdn.redoc.ly that Redoc 2
// renders unconditionally (no option turns it off). Loading it would break "everything from this
// server" and be a CSP violation; the page hides the link (see the style above), and the bundle
// as served points the image at an empty inline SVG, so nothing is fetched. The source map is
// not served, so its comment goes too (browser dev tools would ask for it and get a 404).
const redoclyLogo = 'https://cdn.redoc.ly/redoc/logo-mini.svg'
const emptySvg = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg'/%3E"
export const unbrand = (source: string) =>
  source.replaceAll(redoclyLogo, emptySvg).replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n')

function resolveRedoc() {
  const bundle = require.resolve('redoc/bundles/redoc.standalone.js')
  const { version } = require('redoc/package.json') as { version: string }
  return { bundle, version }
}

async function docs(app: FastifyInstance, opts: DocsOptions) {
  const prefix = (opts.routePrefix ?? '/docs').replace(/\/+$/, '')
  const specUrl = opts.specUrl ?? '/v1/openapi.json'
  const title = opts.title ?? 'Action Plan API'
  // Resolved at start-up, so a missing package fails the boot rather than the first visitor.
  const redoc = resolveRedoc()
  const html = page({ title, prefix, specUrl, redocVersion: redoc.version })
  const init = initScript(specUrl, { ...redocOptions, ...opts.redoc })

  // Read and gzipped once, on first use (about 1.1 MB, 0.3 MB gzipped): start-up stays fast.
  let bundle: Promise<{ raw: Buffer; gzipped: Buffer }> | undefined
  const loadBundle = () =>
    (bundle ??= readFile(redoc.bundle, 'utf8')
      .then(async (source) => {
        const raw = Buffer.from(unbrand(source))
        return { raw, gzipped: await gzip(raw, { level: zlib.Z_BEST_COMPRESSION }) }
      })
      .catch((err) => {
        bundle = undefined
        throw err
      }))

  const secure = (reply: FastifyReply) =>
    reply
      .header('content-security-policy', docsCsp)
      // helmet's COOP is ignored on an untrustworthy (plain http, LAN) origin and Chromium logs
      // that as a console error; Origin-Agent-Cluster draws a warning there. The page opens no
      // windows and has no cross-origin neighbours, so neither protects anything here.
      .removeHeader('cross-origin-opener-policy')
      .removeHeader('origin-agent-cluster')

  const route = { schema: { hide: true }, config: { scope: 'public' as const } }

  app.get(prefix, route, async (_request, reply) => {
    return secure(reply).header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(html)
  })

  app.get(`${prefix}/init.js`, route, async (_request, reply) => {
    return secure(reply).header('cache-control', 'no-cache').type('text/javascript; charset=utf-8').send(init)
  })

  app.get(`${prefix}/redoc.standalone.js`, route, async (request: FastifyRequest, reply) => {
    const { raw, gzipped } = await loadBundle()
    secure(reply)
      .header('cache-control', 'public, max-age=31536000, immutable')
      .header('vary', [reply.getHeader('vary'), 'accept-encoding'].filter(Boolean).join(', '))
      .type('text/javascript; charset=utf-8')
    if (/\bgzip\b/.test(String(request.headers['accept-encoding'] ?? '')))
      return reply.header('content-encoding', 'gzip').send(gzipped)
    return reply.send(raw)
  })
}

export default fp(docs, { name: 'docs' })
