// Deep links, the way alerts and chat messages deliver them, open the right page on the
// hosts the site is deployed to: Cloudflare Pages (its own routing, under `wrangler pages
// dev`), Netlify and GitHub Pages (their serving rules, harness.mjs), and a plain static
// server that redirects a directory to its trailing slash. GitHub Pages reads neither
// `_headers` nor `_redirects`: incidents and share links open from its 404.html.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, openPage, serveDist, serveLikeGitHubPages, serveLikeNetlify, servePagesDev } from './harness.mjs';

const RUNBOOK_TITLE = 'Incident Response Runbook';
const TITLE = new RegExp(`^${RUNBOOK_TITLE}`);

// [name, serve, what the browser logs on a first visit to an address the app draws]
const HOSTS = [
  ['Cloudflare Pages (wrangler pages dev)', servePagesDev, []],
  ['a plain static server', serveDist, []],
  ['Netlify', serveLikeNetlify, []],
  // GitHub Pages has no rewrites: the page the app draws from comes with status 404, which
  // Chromium logs (people see the incident; only the console knows).
  ['GitHub Pages', serveLikeGitHubPages, ['console error: Failed to load resource: the server responded with a status of 404 (Not Found)']],
];

for (const [hostName, serve, drawnFrom404] of HOSTS) {
  describe(`deep links on ${hostName}`, () => {
    let server;
    let browser;
    before(async () => {
      server = await serve();
      browser = await launchBrowser();
    });
    after(async () => {
      await browser?.close();
      await server?.close();
    });

    /** Opens `path` as a link from outside would, and waits for the app to draw it. */
    async function open(path) {
      const page = await openPage(browser, server.origin);
      await page.goto(server.origin + path);
      await page.waitForSelector('.site-header');
      return page;
    }

    async function assertRunbookShown(page) {
      await page.waitForSelector('article.doc h1');
      assert.match(await page.locator('article.doc h1').innerText(), TITLE);
      assert.equal(await page.locator('.not-found').count(), 0);
    }

    for (const path of ['/r/incident-response', '/r/incident-response/']) {
      test(`${path} opens the runbook`, async () => {
        const page = await open(path);
        await assertRunbookShown(page);
        assert.deepEqual(page.problems, []);
      });
    }

    for (const path of ['/r/incident-response#escalation-matrix', '/r/incident-response/#escalation-matrix']) {
      test(`${path} opens the runbook scrolled to the heading`, async () => {
        const page = await open(path);
        await assertRunbookShown(page);
        assert.match(page.url(), /#escalation-matrix$/, 'the fragment survives the host');
        await page.waitForFunction(() => {
          const box = document.querySelector('#escalation-matrix').getBoundingClientRect();
          return box.top >= 0 && box.top < window.innerHeight;
        });
        assert.deepEqual(page.problems, []);
      });
    }

    test('a host value in the query survives the redirect to the trailing slash', async () => {
      const page = await open('/r/incident-response?EC2_HOST=10.0.0.5');
      await assertRunbookShown(page);
      assert.equal(await page.getByLabel('EC2_HOST', { exact: true }).inputValue(), '10.0.0.5');
      assert.deepEqual(page.problems, []);
    });

    test('links inside the site point at the address the host serves directly', async () => {
      const page = await open('/');
      const href = await page.locator('.runbook-card h2 a', { hasText: RUNBOOK_TITLE }).getAttribute('href');
      assert.equal(href, '/r/incident-response/');
      const response = await page.request.get(server.origin + href, { maxRedirects: 0 });
      assert.equal(response.status(), 200, 'no redirect on the way to a runbook');
    });

    test('an incident address opens the incident, with or without a trailing slash', async () => {
      const page = await open('/r/incident-response/');
      await page.getByRole('button', { name: 'Start incident' }).click();
      await page.waitForURL(/\/i\/[a-z0-9]+$/);
      await page.waitForSelector('.cockpit');
      const incident = new URL(page.url()).pathname;
      for (const path of [incident, `${incident}/`]) {
        await page.goto(server.origin + path);
        await page.waitForSelector('.cockpit');
        assert.match(await page.locator('article.doc h1').innerText(), TITLE);
      }
      assert.deepEqual(page.problems, []);
    });

    test('a share link opens the shared incident', async () => {
      const sender = await open('/r/incident-response/');
      await sender.getByRole('button', { name: 'Start incident' }).click();
      await sender.waitForSelector('.cockpit');
      const saved = await sender.evaluate(() => {
        for (let i = 0; i < localStorage.length; i++) {
          const key = localStorage.key(i);
          if (key.startsWith('outpost.incident.')) return key;
        }
        return null;
      });
      assert.ok(saved, "the incident is saved before it is shared");
      const context = sender.context();
      await context.grantPermissions(['clipboard-read', 'clipboard-write']);
      await sender.getByRole('button', { name: 'Copy share link' }).click();
      await sender.getByRole('button', { name: 'Copied' }).first().waitFor();
      const link = await sender.evaluate(() => navigator.clipboard.readText());
      assert.match(link, /\/s#s2/);
      const receiver = await openPage(browser, server.origin);
      await receiver.goto(link);
      await receiver.waitForURL(/\/i\/[a-z0-9]+$/);
      await receiver.waitForSelector('.cockpit');
      assert.deepEqual(receiver.problems, drawnFrom404);
    });
  });
}
