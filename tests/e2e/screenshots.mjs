// Screenshots of the built site for looking at the design: `node tests/e2e/screenshots.mjs`.
// Writes PNGs to tests/e2e/artifacts/ (not tracked).
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { gotoApp, launchBrowser, openPage, serveDist } from './harness.mjs';

const out = join(import.meta.dirname, 'artifacts');
await mkdir(out, { recursive: true });
const server = await serveDist();
const browser = await launchBrowser();
const shots = [
  ['home-desktop', '/', { width: 1280, height: 800 }, 'light'],
  ['runbook-desktop', '/r/incident-response', { width: 1280, height: 900 }, 'light'],
  ['runbook-desktop-dark', '/r/incident-response#4-mitigation', { width: 1280, height: 900 }, 'dark'],
  ['runbook-phone', '/r/incident-response#1-detection--triage-0-5-minutes', { width: 390, height: 844 }, 'light'],
  ['home-phone-dark', '/', { width: 390, height: 844 }, 'dark'],
];
for (const [name, path, viewport, colorScheme] of shots) {
  const page = await openPage(browser, server.origin, { viewport, colorScheme, deviceScaleFactor: 1 });
  await gotoApp(page, path);
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(out, `${name}.png`) });
  if (page.problems.length) console.log(name, page.problems);
}
const page = await openPage(browser, server.origin, { viewport: { width: 1280, height: 800 } });
await gotoApp(page, '/r/incident-response');
await page.keyboard.press('/');
await page.keyboard.type('circuit breakers');
await page.waitForSelector('.search-hit');
await page.screenshot({ path: join(out, 'search.png') });
await browser.close();
await server.close();
console.log(`screenshots in ${out}`);
