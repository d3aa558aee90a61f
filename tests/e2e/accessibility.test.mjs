// Accessibility, checked by axe-core on the pages people use during an incident: no serious
// or critical violation on the home page, a runbook, an incident, and a share-link page.
// Headings are named by their text alone.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ROOT, gotoApp, openPage, useSiteInBrowser } from './harness.mjs';

const site = useSiteInBrowser();
const AXE = join(ROOT, 'node_modules/axe-core/axe.min.js');
const fixtures = JSON.parse(await readFile(process.env.OUTPOST_SHARE_FIXTURES ?? 'target/share-fixtures.json', 'utf8'));

/** axe's serious and critical violations on the page as it is now. */
async function violations(page) {
  await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('; ')}`);
}

/** axe is injected as a script, which the site's CSP rightly forbids: this context allows it. */
async function page() {
  return openPage(site.browser, site.server.origin, { bypassCSP: true });
}

describe('accessibility (axe-core)', () => {
  test('the home page', async () => {
    const p = await page();
    await gotoApp(p, '/');
    await p.waitForSelector('.runbook-card');
    assert.deepEqual(await violations(p), []);
  });

  test('a runbook, whose headings are named by their text', async () => {
    const p = await page();
    await gotoApp(p, '/r/incident-response/');
    await p.waitForSelector('article.doc h1');
    assert.deepEqual(await violations(p), []);
    const name = await p.getByRole('heading', { name: 'Escalation Matrix', exact: true }).count();
    assert.equal(name, 1, 'the heading is named "Escalation Matrix", not "… Link to this section"');
  });

  test('an incident', async () => {
    const p = await page();
    await gotoApp(p, '/r/incident-response/');
    await p.getByRole('button', { name: 'Start incident' }).click();
    await p.waitForSelector('.cockpit');
    await p.selectOption('#severity-picker', 'SEV2');
    assert.deepEqual(await violations(p), []);
  });

  test('a share link that cannot be opened, and one that opens', async () => {
    const p = await page();
    await p.goto(`${site.server.origin}/s#s1AB`);
    await p.waitForSelector('.problem');
    assert.deepEqual(await violations(p), []);
    await p.goto(`${site.server.origin}/s#${fixtures.good}`);
    await p.waitForSelector('.cockpit');
    assert.deepEqual(await violations(p), []);
  });
});
