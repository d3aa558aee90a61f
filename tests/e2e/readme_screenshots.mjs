// The README's pictures, from the demo as `cargo xtask dev` runs it: the team's runbook, an
// incident started from the probe's outage on a phone, and the status page in that outage.
// Run by `cargo xtask screenshots`, which builds the demo's site first; writes docs/images/.
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startHealthServer } from '../../worker/demo/health.mjs';
import { startWorker } from '../worker/harness.mjs';
import { ROOT, launchBrowser, openPage, serveDist } from './harness.mjs';

const OUT = join(ROOT, 'docs/images');
const DEMO_DIST = process.env.OUTPOST_DEMO_DIST ?? join(ROOT, 'target/dist-demo');
const HEALTH_PORT = 8765;

await mkdir(OUT, { recursive: true });
const demoConfig = await readFile(join(ROOT, 'worker/demo/outpost.demo.toml'), 'utf8');
const config = demoConfig.replace('[probe]\n', '[probe]\nconfirm_seconds = 0\nrecover_seconds = 1\n');
const health = await startHealthServer(HEALTH_PORT).catch((error) => {
  throw new Error(`port ${HEALTH_PORT} is taken (is \`cargo xtask dev\` running?): ${error.message}`);
});
const worker = await startWorker(config, { PROBE_TOKEN: 'demo-token' }, { port: 8787 });
const site = await serveDist(DEMO_DIST);
const browser = await launchBrowser();
const problems = [];

try {
  // A calm history first, then the outage the pictures show.
  for (let round = 0; round < 3; round += 1) await worker.tick();
  await fetch(`http://127.0.0.1:${HEALTH_PORT}/demo/down`, { method: 'POST' });
  for (let round = 0; round < 6 && (await worker.status()).endpoints[0].state !== 'down'; round += 1) await worker.tick();

  const runbook = await openPage(browser, site.origin, { viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
  await runbook.goto(`${site.origin}/r/incident-response/`);
  await runbook.waitForSelector('html.app-ready');
  await runbook.screenshot({ path: join(OUT, 'runbook.png') });
  problems.push(...runbook.problems);

  const status = await openPage(browser, worker.origin, { viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
  await status.goto(`${worker.origin}/`);
  await status.screenshot({ path: join(OUT, 'status-page.png') });

  const phone = await openPage(browser, site.origin, { viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 });
  await phone.goto(`${site.origin}/`);
  await phone.waitForSelector('html.app-ready');
  await phone.locator('a.probe-action').first().click();
  await phone.getByRole('button', { name: 'Start incident from this outage' }).click();
  await phone.waitForSelector('.cockpit');
  const boxes = phone.locator('.step-check input');
  for (const i of [0, 1, 2]) await boxes.nth(i).check();
  // The steps under way, below the incident's bar.
  await phone.evaluate(() => {
    const heading = document.querySelector('[id="1-detection--triage-0-5-minutes"]');
    window.scrollTo(0, heading.getBoundingClientRect().top + window.scrollY - 110);
  });
  await phone.waitForTimeout(300);
  await phone.screenshot({ path: join(OUT, 'cockpit-phone.png') });
  problems.push(...phone.problems);
} finally {
  await browser.close();
  await site.close();
  await worker.stop();
  await health.close();
}
if (problems.length) {
  console.error(`the pages logged problems:\n${problems.join('\n')}`);
  process.exit(1);
}
console.log(`pictures written to ${OUT}`);
