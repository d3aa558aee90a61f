// How long after the probe declares an outage the open site shows it: the demo as
// `cargo xtask dev` runs it (real alarms, regions taking turns), the demo's site open on the
// home page in Chromium, the demo health server broken at a random moment. The worker's
// `/api/status` is polled every 100 ms to see when the declaration was made; the page records
// when its row first says "down". Repeated RUNS times; prints JSON for `cargo xtask bench`.
//
//   node tests/bench/declaration.mjs RUNS DEMO_DIST
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startHealthServer } from '../../worker/demo/health.mjs';
import { startWorker, until } from '../worker/harness.mjs';
import { ROOT, launchBrowser, openPage, serveDist } from '../e2e/harness.mjs';

const [runs = '3', dist = join(ROOT, 'target/dist-demo')] = process.argv.slice(2);
// Outages one after another would be flapping: the bench breaks the demo again and again.
const WINDOWS = { interval_seconds: 20, recheck_seconds: 5, confirm_seconds: 20, recover_seconds: 10, flap_changes: 100 };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const demoConfig = await readFile(join(ROOT, 'worker/demo/outpost.demo.toml'), 'utf8');
const windows = Object.entries(WINDOWS).map(([k, v]) => `${k} = ${v}`).join('\n');
const health = await startHealthServer(8765);
const worker = await startWorker(demoConfig.replace('[probe]\n', `[probe]\n${windows}\n`), { PROBE_TOKEN: 'demo-token' }, { port: 8787 });
const site = await serveDist(dist);
const browser = await launchBrowser();
const results = [];
try {
  await worker.cron();
  for (let run = 0; run < Number(runs); run += 1) {
    let last;
    await until(async () => (last = (await worker.status()).endpoints[0]).state === 'up', () => JSON.stringify(last), 120_000);
    const page = await openPage(browser, site.origin, { viewport: { width: 390, height: 844 } });
    await page.goto(`${site.origin}/`);
    await page.waitForSelector('html.app-ready');
    await page.locator('.probe-endpoint .probe-state', { hasText: 'up' }).waitFor();
    await page.evaluate(() => {
      window.downAt = null;
      new MutationObserver(() => {
        if (!window.downAt && document.querySelector('.probe-endpoint .probe-state')?.textContent.trim() === 'down') {
          window.downAt = Date.now();
        }
      }).observe(document.querySelector('.probe'), { subtree: true, childList: true, characterData: true });
    });
    // A random moment in the rounds and in the page's reading.
    await sleep(Math.random() * 20_000);
    const brokenAt = Date.now();
    await fetch('http://127.0.0.1:8765/demo/down', { method: 'POST' });
    let declaredAt = null;
    while (!declaredAt) {
      const status = await worker.status();
      if (status.endpoints[0].state === 'down') declaredAt = Date.now();
      else await sleep(100);
    }
    await page.waitForFunction(() => window.downAt, null, { timeout: 60_000 });
    const shownAt = await page.evaluate(() => window.downAt);
    results.push({ declared_after_ms: declaredAt - brokenAt, shown_after_declared_ms: shownAt - declaredAt });
    await page.context().close();
    await fetch('http://127.0.0.1:8765/demo/up', { method: 'POST' });
  }
} finally {
  await browser.close();
  await site.close();
  await worker.stop();
  await health.close();
}
console.log(JSON.stringify({ windows: WINDOWS, runs: results }));
