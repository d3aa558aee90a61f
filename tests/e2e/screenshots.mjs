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
  ['runbook-desktop', '/r/incident-response/', { width: 1280, height: 900 }, 'light'],
  ['runbook-desktop-dark', '/r/incident-response/#4-mitigation', { width: 1280, height: 900 }, 'dark'],
  ['runbook-phone', '/r/incident-response/#1-detection--triage-0-5-minutes', { width: 390, height: 844 }, 'light'],
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
const incident = await openPage(browser, server.origin, { viewport: { width: 1280, height: 900 } });
await gotoApp(incident, '/r/incident-response/?EC2_HOST=10.0.0.5');
await incident.click('button.start');
await incident.waitForSelector('.cockpit');
await incident.selectOption('#severity-picker', 'SEV2');
const boxes = incident.locator('.step-check input');
for (const i of [0, 1, 2, 6]) await boxes.nth(i).check();
await incident.locator('.template input').first().fill('Checkout API returns 502 for all users');
await incident.screenshot({ path: join(out, 'incident-top.png') });
await incident.locator('[id="2-communication-5-10-minutes"]').scrollIntoViewIfNeeded();
await incident.evaluate(() => window.scrollBy(0, -120));
await incident.screenshot({ path: join(out, 'incident-template.png') });
await incident.evaluate(() => window.scrollTo(0, 0));
await incident.screenshot({ path: join(out, 'incident-start.png') });
await incident.setViewportSize({ width: 390, height: 844 });
await incident.waitForTimeout(300);
await incident.screenshot({ path: join(out, 'incident-phone.png') });
if (incident.problems.length) console.log('incident', incident.problems);
await browser.close();
await server.close();
console.log(`screenshots in ${out}`);
