// Shared set-up for the browser tests: a static server for dist/ and a real Chromium.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';
import { startWrangler } from '../wrangler.mjs';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.md': 'text/markdown; charset=utf-8',
};
TYPES[''] = 'text/plain';

export const ROOT = resolve(import.meta.dirname, '../..');
// The site of Outpost's example (examples/), which `cargo xtask test` builds for these tests.
export const DIST = resolve(process.env.OUTPOST_DIST ?? join(ROOT, 'target/dist-example'));

/**
 * Reads dist/_headers (Cloudflare Pages format) into [pattern, headers] rules, so the test
 * server sends what the real host will send, the Content Security Policy above all.
 */
async function headerRules(dist) {
  let text = '';
  try {
    text = await readFile(join(dist, '_headers'), 'utf8');
  } catch {
    return [];
  }
  const rules = [];
  for (const line of text.split('\n')) {
    if (!line.trim() || line.trim().startsWith('#')) continue;
    if (!/^\s/.test(line)) {
      const glob = line.trim().replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
      rules.push([new RegExp(`^${glob}$`), {}]);
    } else if (rules.length) {
      const [name, ...value] = line.trim().split(':');
      rules.at(-1)[1][name.trim()] = value.join(':').trim();
    }
  }
  return rules;
}

const exists = (path) => stat(path).then(() => true, () => false);

/**
 * The rewrites (status 200) of dist/_redirects (Cloudflare Pages format) as
 * [matches(path), file]: `/x/*` matches below /x/, anything else exactly; a target without
 * an extension names its `.html` file, as on Pages.
 */
async function rewriteRules(dist) {
  let text = '';
  try {
    text = await readFile(join(dist, '_redirects'), 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter(([source, , code]) => source && !source.startsWith('#') && code === '200')
    .map(([source, target]) => [
      source.endsWith('*') ? (path) => path.startsWith(source.slice(0, -1)) : (path) => path === source,
      join(dist, extname(target) ? target : `${target}.html`),
    ]);
}

/**
 * Serves dist/ on 127.0.0.1 like a plain static host (nginx, `python -m http.server`): a
 * directory asked for without its trailing slash is redirected to it, as every such host
 * does, addresses with no file get 404.html, and the rewrites of `_redirects` apply.
 */
export function serveDist(dist = DIST) {
  return serveAs(dist, { headers: true, rewrites: 'always' });
}

/**
 * Serves dist/ as Netlify does: `_headers` applied; a file that exists is served before any
 * `_redirects` rule (Netlify's shadowing, for rules without `!`); `/about` is served from
 * `about.html` (pretty URLs), also as a rewrite's target; 404.html with status 404 last.
 */
export function serveLikeNetlify(dist = DIST) {
  return serveAs(dist, { headers: true, rewrites: 'unshadowed', htmlExtension: true });
}

/**
 * Serves dist/ as GitHub Pages does: no `_headers`, no `_redirects` (it reads neither);
 * `/about` from `about.html`, a directory redirected to its trailing slash, and 404.html
 * with status 404 for every address without a file, which is all the app has to draw
 * incidents and share links from.
 */
export function serveLikeGitHubPages(dist = DIST) {
  return serveAs(dist, { headers: false, rewrites: 'never', htmlExtension: true });
}

async function serveAs(dist, host) {
  const rules = host.headers ? await headerRules(dist) : [];
  const rewrites = host.rewrites === 'never' ? [] : await rewriteRules(dist);
  const headersFor = (path) => Object.assign({}, ...rules.filter(([pattern]) => pattern.test(path)).map(([, h]) => h));
  /** The file for `path`, a redirect to its trailing slash, or nothing. */
  async function resolveFile(path, file) {
    try {
      if ((await stat(file)).isDirectory()) {
        return path.endsWith('/') ? { file: join(file, 'index.html') } : { slash: true };
      }
      return { file };
    } catch {
      if (host.htmlExtension && !extname(path) && (await exists(`${file}.html`))) return { file: `${file}.html` };
      return {};
    }
  }
  const server = createServer(async (request, response) => {
    const url = new URL(request.url, 'http://x');
    const path = decodeURIComponent(url.pathname);
    const file = normalize(join(dist, path));
    if (!file.startsWith(dist)) {
      response.writeHead(403).end();
      return;
    }
    let target = null;
    let status = 200;
    const rewrite = rewrites.find(([matches]) => matches(path));
    const found = host.rewrites === 'always' && rewrite ? {} : await resolveFile(path, file);
    if (found.slash) {
      response.writeHead(301, { location: `${url.pathname}/${url.search}` }).end();
      return;
    }
    if (found.file) target = found.file;
    else if (rewrite) target = rewrite[1];
    // Like Cloudflare Pages: a site with a 404.html gets it, with status 404, for every
    // address that has no file; a site without one is treated as a single-page app.
    else if (extname(path)) target = null;
    else if (await exists(join(dist, '404.html'))) [target, status] = [join(dist, '404.html'), 404];
    else target = join(dist, 'index.html');
    try {
      const body = await readFile(target);
      response.writeHead(status, { ...headersFor(path), 'content-type': TYPES[extname(target)] ?? 'application/octet-stream' });
      response.end(body);
    } catch {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  });
  await new Promise((ready) => server.listen(0, '127.0.0.1', ready));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return { origin, close: () => new Promise((done) => server.close(done)) };
}

/**
 * Serves dist/ with `wrangler pages dev`: Cloudflare Pages' own routing (`/dir` redirected
 * to `/dir/`, `dir/index.html` served there, `index.html` for unknown paths) and `_headers`.
 */
export async function servePagesDev(dist = DIST) {
  // The newest compatibility date the bundled workerd supports; Pages routing ignores it.
  const pages = await startWrangler(['pages', 'dev', dist, '--compatibility-date', '2026-05-01']);
  return { origin: pages.origin, log: pages.log, close: pages.stop };
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A page that records console errors and uncaught exceptions. */
export async function openPage(browser, origin, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  const page = await context.newPage();
  page.problems = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') page.problems.push(`console ${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => page.problems.push(`uncaught: ${error.message}`));
  page.on('requestfailed', (request) => page.problems.push(`request failed: ${request.url()}`));
  page.origin = origin;
  return page;
}

/**
 * Waits until the app has taken over the page (the WASM has loaded and run): pages are
 * pre-rendered, so their content is there before the app is. A runbook page loads the app
 * when it is first needed: it is asked for here, as a first use would.
 */
export async function gotoApp(page, path) {
  await page.goto(page.origin + path);
  await loadApp(page);
}

/** Asks a runbook page for the app (`early.js`: `outpost-load-app`), and waits for it. */
export async function loadApp(page) {
  await page.evaluate(() => document.dispatchEvent(new Event('outpost-load-app')));
  await page.waitForSelector('html.app-ready');
}

/** The exact text of the n-th fenced code block in a markdown file. */
export async function codeBlockFromSource(relativePath, index) {
  const source = await readFile(join(ROOT, relativePath), 'utf8');
  const blocks = [];
  let current = null;
  for (const line of source.split('\n')) {
    const fence = line.trim().startsWith('```');
    if (current === null && fence) current = [];
    else if (current !== null && fence) {
      blocks.push(current.join('\n'));
      current = null;
    } else if (current !== null) current.push(line);
  }
  return blocks[index];
}

/** Starts the static server and Chromium for a test file; both stop when it ends. */
export function useSiteInBrowser() {
  const shared = {};
  before(async () => {
    shared.server = await serveDist();
    shared.browser = await launchBrowser();
  });
  after(async () => {
    await shared.browser?.close();
    await shared.server?.close();
  });
  return shared;
}
