import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startWorker } from '../worker/harness.mjs';
import { ROOT, gotoApp, launchBrowser, openPage, serveDist } from './harness.mjs';
const config = await readFile(join(ROOT, 'worker/demo/outpost.demo.toml'), 'utf8');
const worker = await startWorker(config, { PROBE_TOKEN: 'demo-token' }, { port: 8787 });
const site = await serveDist(join(ROOT, 'target/dist-demo'));
const browser = await launchBrowser();
try {
  const phone = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
  const ana = await openPage(browser, site.origin, phone);
  await gotoApp(ana, '/r/incident-response/');
  await ana.getByRole('button', { name: 'Start incident' }).click();
  await ana.waitForURL(/\/i\/[a-z0-9]+$/);
  await ana.getByRole('button', { name: 'More' }).click();
  await ana.getByRole('button', { name: 'Go live' }).click();
  await ana.getByLabel('Your name, shown to the others in the room').fill('Zoë Halvorsen-Abernathy (on call)');
  await ana.getByRole('button', { name: 'Go live' }).click();
  await ana.locator('.live-status').filter({ hasText: 'live · 1 here' }).waitFor();
  const link = ana.url();
  const ben = await openPage(browser, site.origin, phone);
  await ben.goto(link);
  await ben.getByLabel('Your name, shown to the others in the room').fill('مريم');
  await ben.getByRole('button', { name: 'Join' }).click();
  await ben.locator('.live-status').filter({ hasText: 'live · 2 here' }).waitFor();
  await ana.getByLabel('Done: Quick health check all services', { exact: true }).check();
  await ben.getByLabel('Done: Number of users affected', { exact: true }).check();
  await ana.waitForTimeout(1500);
  await ana.getByRole('button', { name: 'Less' }).click();
  await ana.screenshot({ path: '/tmp/shot-live-phone.png' });
  await ana.getByLabel('Done: Number of users affected', { exact: true }).scrollIntoViewIfNeeded();
  await ana.screenshot({ path: '/tmp/shot-live-steps.png' });
  // A crafted link: the consent.
  const id = new URL(ana.url()).pathname.split('/').at(-1);
  const token = await ana.evaluate(() => localStorage.getItem(Object.keys(localStorage).find((k) => k.startsWith('outpost.incident.'))));
  const crafted = await fetch('http://127.0.0.1:8787/api/rooms', { method: 'POST', body: token }).then((r) => r.json());
  await ana.goto('about:blank');
  await ana.goto(`${site.origin}/i/${id}#${crafted.fragment}`);
  await ana.getByRole('group', { name: 'Join the live room' }).waitFor();
  await ana.screenshot({ path: '/tmp/shot-consent.png' });
  const overflow = await ana.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  console.log('horizontal overflow', overflow, ana.problems, ben.problems);
} finally {
  await browser.close(); await site.close(); await worker.stop();
}
