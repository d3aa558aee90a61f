// `cargo xtask bench` runs this: cold loads of one runbook page from two builds (Outpost's
// dist/ and an mdBook of the same runbooks) in Chromium, throttled like a phone on a poor
// network, both served brotli-compressed by the same local server, alternating, in one run.
//
//   node tests/bench/page_load.mjs RUNS TEXT NAME=DIR:PATH [NAME=DIR:PATH …]
//
// TEXT is a heading of the runbook both pages show. Each site is loaded RUNS times by a
// reader, then (where its page has "Start incident") RUNS times by an engineer who starts an
// incident at once. Prints JSON: per site, the median and every run of each measure
// (milliseconds from navigation start, bytes).
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { brotliCompressSync, constants } from 'node:zlib';
import { extname, join, normalize } from 'node:path';
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { launchBrowser } from '../e2e/harness.mjs';

// The throttling of issue measurements: 150 ms round trip, 1.6 Mbit/s down, 4× slower CPU.
const NETWORK = { offline: false, latency: 150, downloadThroughput: (1.6e6 / 8) | 0, uploadThroughput: (750e3 / 8) | 0 };
const CPU_SLOWDOWN = 4;
const VIEWPORT = { width: 412, height: 915 };
const BUSY_RUNS = 3;

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.wasm': 'application/wasm',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.webmanifest': 'application/manifest+json',
  '.md': 'text/markdown; charset=utf-8',
};

/** Every file under `dir`. */
async function filesUnder(dir) {
  const { readdir } = await import('node:fs/promises');
  return (await readdir(dir, { recursive: true, withFileTypes: true }))
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

/**
 * A static server for `dir` that sends brotli (quality 11), compressed before the first
 * load as a host's cache would hold it.
 */
async function serveBrotli(dir) {
  const compressed = new Map();
  for (const file of await filesUnder(dir)) {
    compressed.set(file, brotliCompressSync(await readFile(file), { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
  }
  const server = createServer(async (request, response) => {
    const path = decodeURIComponent(new URL(request.url, 'http://x').pathname);
    let file = normalize(join(dir, path));
    if (!file.startsWith(dir)) return response.writeHead(403).end();
    try {
      if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
    } catch {
      return response.writeHead(404).end();
    }
    if (!compressed.has(file)) return response.writeHead(404).end();
    const body = compressed.get(file);
    response.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'content-encoding': 'br',
      'cache-control': 'no-cache',
    });
    response.end(body);
  });
  await new Promise((ready) => server.listen(0, '127.0.0.1', ready));
  return {
    origin: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((done) => server.close(done)),
  };
}

/**
 * One cold load: a fresh profile, throttled, until the page is complete and quiet. A reader
 * only reads; an engineer (`act`) taps "Start incident", then the first step.
 */
async function load(browser, site, path, text, act) {
  const context = await browser.newContext({ viewport: VIEWPORT, serviceWorkers: 'block' });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', NETWORK);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
  // Bytes on the wire (compressed, with headers) and when each response was complete, on
  // the clock of the page's own request.
  let start = null;
  const finished = [];
  cdp.on('Network.requestWillBeSent', (event) => (start ??= event.timestamp));
  cdp.on('Network.loadingFinished', (event) => finished.push([event.timestamp, event.encodedDataLength]));
  // When the runbook's heading is painted (Element Timing: the heading is marked as the
  // parser inserts it, before its first paint), and when the app, if any, takes over.
  await page.addInitScript(({ heading, act }) => {
    const marks = (window.__marks = {});
    new MutationObserver(() => {
      for (const h of document.querySelectorAll('h1:not([elementtiming])')) {
        if (h.textContent.includes(heading)) h.setAttribute('elementtiming', 'runbook-heading');
      }
      if (marks.ready === undefined && document.documentElement.classList.contains('app-ready')) {
        marks.ready = performance.now();
      }
      // An engineer who taps "Start incident" as soon as it shows, then the first step as
      // soon as it can be checked: "first checkbox works" is when the check is recorded
      // (the page draws the time it was checked, from the saved incident).
      // The parser may put the button in the page before its label: it shows (and can be
      // tapped by a person) once it has its text.
      const start = document.querySelector('button.start');
      if (act && start && !marks.started && start.textContent.trim() !== '') {
        marks.started = true;
        start.click();
      }
      if (act) tapFirstStep();
    }).observe(document, { childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: ['class'] });
    // The step is tapped the moment it shows, and again a second later if the tap did not
    // take (the page was still changing), as a person would; it is checked on the page
    // itself too, not only when the page changes.
    function tapFirstStep() {
      const box = document.querySelector('.step-check input[type=checkbox]');
      const now = performance.now();
      if (box && !box.checked && !(now - (marks.tapped ?? -1e9) < 1000)) {
        marks.tapped = now;
        box.click();
      }
      if (marks.checked === undefined && document.querySelector('.step-check .checked-at')) {
        marks.checked = performance.now();
      }
    }
    if (act) {
      const poll = setInterval(() => (marks.checked === undefined ? tapFirstStep() : clearInterval(poll)), 100);
    }
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        if (entry.identifier === 'runbook-heading' && marks.text === undefined) marks.text = entry.renderTime || entry.loadTime;
      }
    }).observe({ type: 'element', buffered: true });
  }, { heading: text, act });
  await page.goto(site.origin + path, { waitUntil: 'load', timeout: 120_000 });
  const startable = await page.evaluate(() => !!document.querySelector('button.start'));
  if (act) {
    // A load whose check never shows is kept as a run without that time (— in the table),
    // with what the page showed, rather than ending the benchmark.
    await page.waitForFunction(() => window.__marks.checked !== undefined, null, { timeout: 60_000 }).catch(async () => {
      const state = await page.evaluate(() => ({
        address: location.pathname,
        marks: window.__marks,
        classes: document.documentElement.className,
        note: document.querySelector('.early-note')?.textContent ?? null,
        busy: document.querySelector('[aria-busy]')?.outerHTML ?? null,
      }));
      console.error(`the first step was not checked within a minute: ${JSON.stringify(state)}`);
    });
  }
  await page.waitForLoadState('networkidle', { timeout: 120_000 });
  const result = await page.evaluate(() => {
    const paint = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null;
    const navigation = performance.getEntriesByType('navigation')[0];
    return {
      fcp: paint,
      heading: window.__marks.text ?? null,
      ready: window.__marks.ready ?? null,
      checked: window.__marks.checked ?? null,
      loaded: navigation.loadEventEnd,
    };
  });
  await context.close();
  const received = (until) => finished.filter(([at]) => (at - start) * 1000 <= until).reduce((sum, [, bytes]) => sum + bytes, 0);
  return {
    fcp: result.fcp,
    text: result.heading,
    ready: result.ready,
    checked: result.checked,
    loaded: result.loaded,
    startable,
    // What had fully arrived when the text showed: what reading needed, or competed with it.
    bytes_before_text: result.heading === null ? null : received(result.heading),
    bytes: received(Infinity),
  };
}

function median(values) {
  const known = values.filter((v) => v !== null).sort((a, b) => a - b);
  if (!known.length) return null;
  const middle = known.length >> 1;
  return known.length % 2 ? known[middle] : (known[middle - 1] + known[middle]) / 2;
}

const [runsArg, text, ...siteArgs] = process.argv.slice(2);
const runs = Number(runsArg);
if (!runs || !text || siteArgs.length === 0) {
  console.error('usage: page_load.mjs RUNS TEXT NAME=DIR:PATH [NAME=DIR:PATH …]');
  process.exit(2);
}
const sites = [];
for (const arg of siteArgs) {
  const [, name, dir, path] = /^([^=]+)=(.+):(\/[^:]*)$/.exec(arg) ?? [];
  if (!name) throw new Error(`not NAME=DIR:PATH: ${arg}`);
  const server = await serveBrotli(dir);
  sites.push({ name, path, server, runs: [], busy: [], acts: [] });
}
/**
 * `runs` loads of each site (a reader's, or with `act` an engineer's, on the sites whose
 * page has "Start incident"), alternating so a slow moment of the machine falls on each.
 */
async function loadEach(browser, runs, label, into, act = false) {
  for (let run = 0; run < runs; run += 1) {
    for (const site of run % 2 ? [...sites].reverse() : sites) {
      if (act && !site.runs[0]?.startable) continue;
      const result = await load(browser, site.server, site.path, text, act);
      site[into].push(result);
      console.error(`${site.name} ${label} ${run + 1}: ${JSON.stringify(result)}`);
    }
  }
}

const browser = await launchBrowser();
try {
  await loadEach(browser, runs, 'run', 'runs');
  await loadEach(browser, runs, 'incident run', 'acts', true);
  // A phone is rarely idle: the same loads with every core kept busy by another process.
  const busy = Array.from({ length: availableParallelism() }, () =>
    spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }),
  );
  try {
    await loadEach(browser, BUSY_RUNS, 'busy run', 'busy');
  } finally {
    for (const child of busy) child.kill();
  }
} finally {
  await browser.close();
  for (const site of sites) await site.server.close();
}
const report = {};
for (const site of sites) {
  const measures = {};
  const measure = (loads, key) => ({ median: median(loads.map((r) => r[key])), runs: loads.map((r) => r[key]) });
  for (const key of ['fcp', 'text', 'loaded', 'bytes_before_text', 'bytes']) measures[key] = measure(site.runs, key);
  // What an engineer who starts an incident at once waits for and downloads.
  for (const key of ['ready', 'checked']) measures[key] = measure(site.acts, key);
  measures.incident_bytes = measure(site.acts, 'bytes');
  measures.busy_text = { median: median(site.busy.map((r) => r.text)), runs: site.busy.map((r) => r.text) };
  report[site.name] = { path: site.path, ...measures };
}
console.log(JSON.stringify({ runs, busy_runs: BUSY_RUNS, network: NETWORK, cpu_slowdown: CPU_SLOWDOWN, viewport: VIEWPORT, sites: report }, null, 2));
