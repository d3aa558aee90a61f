// The site after one visit works with no network, picks up new deploys safely, and runs
// under its strict Content Security Policy without a single violation.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DIST, gotoApp, openPage, serveDist, useSiteInBrowser } from './harness.mjs';

const site = useSiteInBrowser();

const stepBox = (page, label) => page.getByLabel(`Done: ${label}`, { exact: true });

/** Waits until the service worker controls the page, so the next loads come from it. */
async function controlled(page) {
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
}

describe('offline', () => {
  test('after one visit the whole site opens and works with the network off', async () => {
    const page = await openPage(site.browser, site.server.origin);
    await gotoApp(page, '/');
    await controlled(page);
    await page.context().setOffline(true);
    await page.reload();
    await page.waitForSelector('.runbook-card');
    await page.goto(`${site.server.origin}/r/incident-response#escalation-matrix`);
    await page.waitForSelector('#escalation-matrix');
    assert.equal(await page.locator('article .code').count(), 12);
    await page.getByRole('button', { name: 'Start incident' }).click();
    await page.waitForSelector('.cockpit');
    await stepBox(page, 'Notify stakeholders').check();
    await page.reload();
    await page.waitForSelector('.cockpit');
    assert.ok(await stepBox(page, 'Notify stakeholders').isChecked());
    const markdown = await page.evaluate(() => fetch('/runbooks/incident-response.md').then((r) => r.text()));
    assert.match(markdown, /^---\ntitle: Incident Response Runbook/);
    assert.deepEqual(page.problems, []);
  });

  test('a new deploy offers a reload, and the incident in progress survives it', async () => {
    const root = await mkdtemp(join(tmpdir(), 'outpost-deploy-'));
    await cp(DIST, root, { recursive: true });
    const server = await serveDist(root);
    try {
      const page = await openPage(site.browser, server.origin);
      await gotoApp(page, '/r/incident-response');
      await controlled(page);
      await page.getByRole('button', { name: 'Start incident' }).click();
      await page.waitForSelector('.cockpit');
      await stepBox(page, 'Revenue impact').check();
      assert.equal(await page.locator('.update-ready').count(), 0, 'no banner before a deploy');

      // Deploy: a new service worker version (as a new build produces).
      const worker = await readFile(join(root, 'sw.js'), 'utf8');
      await writeFile(join(root, 'sw.js'), worker.replace(/const VERSION = '[0-9a-f]+'/, "const VERSION = 'next-deploy'"));
      await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r.update()));
      const banner = page.locator('.update-ready');
      await banner.waitFor();
      assert.match(await banner.innerText(), /A new version of Outpost is available/);
      await Promise.all([page.waitForEvent('load'), banner.getByRole('button', { name: 'Reload' }).click()]);
      await page.waitForSelector('.cockpit');
      assert.ok(await stepBox(page, 'Revenue impact').isChecked(), 'the incident is still there');
      const caches = await page.evaluate(() => caches.keys());
      assert.deepEqual(caches, ['outpost-next-deploy'], 'the old version is cleaned up');
      assert.deepEqual(page.problems, []);
    } finally {
      await server.close();
      await rm(root, { recursive: true, force: true });
    }
  });
});

describe('content security policy', () => {
  test('every page runs under the strict policy with no violation', async () => {
    const page = await openPage(site.browser, site.server.origin, { permissions: ['clipboard-read', 'clipboard-write'] });
    await page.addInitScript(() => {
      window.__violations = [];
      document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    const response = await page.goto(`${site.server.origin}/`);
    const policy = response.headers()['content-security-policy'];
    assert.match(policy, /script-src 'self' 'wasm-unsafe-eval';/);
    assert.doesNotMatch(policy, /unsafe-inline/);
    await page.waitForSelector('.runbook-card');
    await page.keyboard.press('/');
    await page.keyboard.type('rollback');
    await page.locator('.search-hit').first().click();
    await page.waitForSelector('article.doc');
    await page.getByRole('button', { name: 'Start incident' }).click();
    await page.waitForSelector('.cockpit');
    await page.selectOption('#severity-picker', 'SEV3');
    await page.locator('.command button.copy-group').first().click();
    await page.getByRole('button', { name: 'Copy share link' }).click();
    const link = await page.evaluate(() => navigator.clipboard.readText());
    await page.goto(link);
    await page.waitForSelector('.cockpit');
    assert.deepEqual(await page.evaluate(() => window.__violations), []);
    assert.deepEqual(page.problems, []);
  });
});
