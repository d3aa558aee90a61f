import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startHealthServer } from '../../worker/demo/health.mjs';
import { startWorker, until } from '../worker/harness.mjs';
import { ROOT, launchBrowser, openPage, serveDist } from './harness.mjs';
const demoConfig = await readFile(join(ROOT, 'worker/demo/outpost.demo.toml'), 'utf8');
const config = demoConfig.replace('[probe]\n', '[probe]\ninterval_seconds = 6\nrecheck_seconds = 1\nconfirm_seconds = 40\nrecover_seconds = 6\n');
const health = await startHealthServer(8765);
const worker = await startWorker(config, { PROBE_TOKEN: 'demo-token' }, { port: 8787 });
await worker.cron();
const site = await serveDist(join(ROOT, 'target/dist-demo'));
const browser = await launchBrowser();
try {
  await until(async () => (await worker.status()).endpoints[0].regions.length === 3, 'round', 30_000);
  await fetch('http://127.0.0.1:8765/demo/down', { method: 'POST' });
  await until(async () => (await worker.status()).endpoints[0].checking?.regions.length === 3, 'checking', 30_000);
  for (const [name, origin, path, width] of [['site-phone', site.origin, '/', 390], ['status-phone', worker.origin, '/', 390], ['status-desktop', worker.origin, '/', 1000], ['runbook-phone', site.origin, '/r/incident-response/', 390]]) {
    const page = await openPage(browser, origin, { viewport: { width, height: 844 }, timezoneId: 'UTC' });
    await page.goto(`${origin}${path}`);
    if (origin === site.origin) { await page.waitForSelector('html.app-ready'); await page.locator('.probe-endpoint').first().waitFor(); await page.waitForTimeout(500); }
    await page.screenshot({ path: `/tmp/shots/${name}.png` });
    await page.context().close();
  }
  const status = await worker.status();
  console.log(JSON.stringify(status.endpoints[0].checking));
} finally {
  await browser.close(); await site.close(); await worker.stop(); await health.close();
}
