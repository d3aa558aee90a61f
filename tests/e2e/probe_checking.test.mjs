// While the probe confirms a failure, the site says so: the demo as `cargo xtask dev` runs it
// (real alarms, regions taking turns), on a 390 px phone, with a confirm window longer than
// the site's calm reading so the page sees it. Every change of the endpoint's row is recorded
// in the page; at no moment may it read "up" beside every region failing.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startHealthServer } from '../../worker/demo/health.mjs';
import { startWorker, until } from '../worker/harness.mjs';
import { ROOT, launchBrowser, openPage, serveDist } from './harness.mjs';

const DEMO_DIST = process.env.OUTPOST_DEMO_DIST ?? join(ROOT, 'target/dist-demo');
const WORKER_PORT = 8787;
const HEALTH_PORT = 8765;

const demo = {};

before(async () => {
  const demoConfig = await readFile(join(ROOT, 'worker/demo/outpost.demo.toml'), 'utf8');
  // Rounds every 6 s; down once failures have held 25 s (longer than the site's 15 s calm read
  // and the worker's 5 s of caching).
  const config = demoConfig.replace('[probe]\n', '[probe]\ninterval_seconds = 6\nrecheck_seconds = 1\nconfirm_seconds = 25\nrecover_seconds = 6\n');
  demo.health = await startHealthServer(HEALTH_PORT);
  demo.worker = await startWorker(config, { PROBE_TOKEN: 'demo-token' }, { port: WORKER_PORT });
  await demo.worker.cron();
  demo.site = await serveDist(DEMO_DIST);
  demo.browser = await launchBrowser();
});

after(async () => {
  await demo.browser?.close();
  await demo.site?.close();
  await demo.worker?.stop();
  await demo.health?.close();
});

describe('while the probe confirms a failure', () => {
  test('the phone never shows "up" beside every region failing, and says "checking" until it is declared', async () => {
    await until(async () => (await demo.worker.status()).endpoints[0].regions.length === 3, 'a round from every region', 30_000);
    const page = await openPage(demo.browser, demo.site.origin, { viewport: { width: 390, height: 844 }, timezoneId: 'UTC' });
    await page.goto(`${demo.site.origin}/`);
    await page.waitForSelector('html.app-ready');
    await page.locator('.probe-endpoint .probe-state', { hasText: 'up' }).waitFor();
    // Every change of the row, as the reader would have seen it.
    await page.evaluate(() => {
      window.rows = [];
      const record = () => {
        const row = document.querySelector('.probe-endpoint');
        if (!row) return;
        const text = (selector) => row.querySelector(selector)?.textContent.trim() ?? '';
        window.rows.push({ at: Date.now(), state: text('.probe-state'), regions: text('.probe-regions'), class: row.className });
      };
      record();
      new MutationObserver(record).observe(document.querySelector('.probe'), { subtree: true, childList: true, characterData: true });
    });
    await fetch(`http://127.0.0.1:${HEALTH_PORT}/demo/down`, { method: 'POST' });
    await page.locator('.probe-endpoint .probe-state', { hasText: 'down' }).waitFor({ timeout: 90_000 });
    const rows = await page.evaluate(() => window.rows);
    const contradictions = rows.filter((r) => r.state === 'up' && /failing/.test(r.regions));
    assert.deepEqual(contradictions, [], 'never up beside failing');
    const checking = rows.find((r) => r.state === 'checking');
    assert.ok(checking, `the page saw the confirmation: ${JSON.stringify(rows)}`);
    assert.match(checking.regions, /^Checking: failing in [a-z, ]+ since \d\d:\d\d:\d\d$/);
    assert.match(checking.class, /\bchecking\b/);
    assert.ok(!/\bup\b/.test(checking.class), 'not coloured as up');
    // The status page says the same while it lasted: the worker's own words.
    const status = await demo.worker.status();
    assert.equal(status.endpoints[0].state, 'down');
    assert.equal(status.endpoints[0].checking, null, 'declared: no longer checking');
    assert.deepEqual(page.problems, []);
    await page.context().close();
    await fetch(`http://127.0.0.1:${HEALTH_PORT}/demo/up`, { method: 'POST' });
  });
});
