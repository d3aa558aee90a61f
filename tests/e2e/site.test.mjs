// The runbook site in a real Chromium, against the built dist/.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { codeBlockFromSource, gotoApp, openPage, useSiteInBrowser } from './harness.mjs';

const site = useSiteInBrowser();

const RUNBOOK = '/r/incident-response/';

describe('home', () => {
  test('lists the runbook with its description and scenarios', async () => {
    const page = await openPage(site.browser, site.server.origin);
    await gotoApp(page, '/');
    const card = page.locator('.runbook-card', { hasText: 'Incident Response Runbook' });
    await card.waitFor();
    assert.equal(await card.locator('h2 a').getAttribute('href'), RUNBOOK);
    assert.match(await card.locator('.description').innerText(), /Standard procedures for handling incidents/);
    const scenarios = await card.locator('.scenario').allInnerTexts();
    assert.deepEqual(scenarios.map((s) => s.replace(/\s+/g, ' ').trim()), [
      'SEV1 Complete Service Outage',
      'SEV2 All Debates Failing',
      'SEV1 Database Unavailable',
      'SEV2 Authentication Broken',
      'SEV3 High Latency',
    ]);
    await card.locator('.scenario', { hasText: 'High Latency' }).click();
    await page.waitForURL(`**${RUNBOOK}#high-latency-sev3`);
    await assertInViewport(page, '#high-latency-sev3');
    assert.deepEqual(page.problems, []);
  });

  test('without [site] probe_api, nothing of the probe shows and nothing is fetched from one', async () => {
    const page = await openPage(site.browser, site.server.origin);
    const requests = [];
    page.on('request', (request) => requests.push(request.url()));
    await gotoApp(page, '/');
    await gotoApp(page, RUNBOOK);
    assert.equal(await page.locator('.probe, .probe-live, .outage-panel').count(), 0);
    assert.deepEqual(requests.filter((url) => url.includes('/api/')), []);
    assert.equal(await page.evaluate(() => document.querySelector('meta[name="outpost-probe-api"]')), null);
  });
});

describe('runbook page', () => {
  test('shows all four severity rows, every code block and the table of contents', async () => {
    const page = await openPage(site.browser, site.server.origin);
    await gotoApp(page, RUNBOOK);
    await page.waitForSelector('article.doc h1');
    assert.equal(await page.title(), 'Incident Response Runbook · Outpost');
    const severityRows = await page.locator('.heading-row:has(#severity-levels) ~ .table-wrap').first().locator('tbody tr').allInnerTexts();
    assert.equal(severityRows.length, 4);
    severityRows.forEach((row, i) => assert.match(row, new RegExp(`^SEV${i + 1}\\b`)));
    assert.equal(await page.locator('article .code').count(), 12);
    assert.equal(await page.locator('article table').count(), 3);
    const toc = await page.locator('nav.toc a').allInnerTexts();
    assert.equal(toc.length, 17, 'six sections and eleven subsections');
    assert.equal(toc[0], 'Severity Levels');
    assert.ok(toc.includes('All Debates Failing (SEV2)'));
    await page.locator('nav.toc a', { hasText: 'Escalation Matrix' }).click();
    await page.waitForURL(`**${RUNBOOK}#escalation-matrix`);
    await assertInViewport(page, '#escalation-matrix');
    assert.deepEqual(page.problems, []);
  });

  test('a deep link to a heading opens scrolled to it', async () => {
    const page = await openPage(site.browser, site.server.origin);
    await gotoApp(page, `${RUNBOOK}#authentication-broken-sev2`);
    await page.waitForSelector('#authentication-broken-sev2');
    await assertInViewport(page, '#authentication-broken-sev2');
    assert.deepEqual(page.problems, []);
  });

  test('a copy button puts exactly the code on the clipboard', async () => {
    const page = await openPage(site.browser, site.server.origin, { permissions: ['clipboard-read', 'clipboard-write'] });
    await gotoApp(page, RUNBOOK);
    const block = page.locator('article .code').nth(2);
    await block.locator('button.copy-all').click();
    await page.waitForFunction(() => document.querySelectorAll('button.copy.copied').length === 1);
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    assert.equal(copied, await codeBlockFromSource('examples/runbooks/incident-response.md', 2));
    assert.match(copied, /^# Check recent logs for errors\nsudo journalctl/);
    assert.deepEqual(page.problems, []);
  });

  test('links to runbooks the site lacks show as missing, not as dead links', async () => {
    const page = await openPage(site.browser, site.server.origin);
    await gotoApp(page, RUNBOOK);
    const missing = page.locator('.link-missing');
    await missing.first().waitFor();
    const shown = await missing.evaluateAll((spans) =>
      spans.map((span) => [span.firstChild.textContent, span.querySelector('.missing-badge').textContent]),
    );
    assert.deepEqual(shown, [
      ['Database Issues Runbook', 'missing'],
      ['Deployment', 'missing'],
      ['Database Issues', 'missing'],
      ['Provider Failure', 'missing'],
    ]);
    assert.equal(await missing.first().getAttribute('title'), 'This site has no runbook for ../RUNBOOK_DATABASE_ISSUES.md');
    assert.equal(await page.locator('a[href*="RUNBOOK_"]').count(), 0);
    assert.deepEqual(page.problems, []);
  });

  test('an unknown runbook address answers 404 with a page, not a blank screen', async () => {
    const page = await openPage(site.browser, site.server.origin);
    const response = await page.goto(`${site.server.origin}/r/no-such-runbook`);
    assert.equal(response.status(), 404, 'link checkers and crawlers are told the page is missing');
    // Before the app has loaded, and after.
    assert.match(await page.locator('.not-found').innerText(), /not a page of this site/);
    await page.waitForSelector('html.app-ready');
    assert.match(await page.locator('.not-found').innerText(), /not a page of this site/);
    // Chromium reports the 404 itself as a failed resource; nothing else may go wrong.
    assert.deepEqual(page.problems.filter((p) => !/status of 404/.test(p)), []);
  });
});

describe('search', () => {
  test('"/" focuses search and "circuit breakers" lands on the right section', async () => {
    const page = await openPage(site.browser, site.server.origin);
    await gotoApp(page, '/');
    await page.keyboard.press('/');
    assert.equal(await page.evaluate(() => document.activeElement?.className), 'search-input');
    await page.keyboard.type('circuit breakers');
    const first = page.locator('.search-hit').first();
    await first.waitFor();
    assert.equal(await first.locator('.hit-heading').innerText(), 'All Debates Failing (SEV2)');
    const marks = await first.locator('mark').allInnerTexts();
    assert.deepEqual(marks.slice(0, 2), ['circuit', 'breakers'], 'the phrase is highlighted in the snippet');
    assert.ok(marks.every((m) => ['circuit', 'breakers'].includes(m.toLowerCase())));
    await page.keyboard.press('Enter');
    await page.waitForURL(`**${RUNBOOK}#all-debates-failing-sev2`);
    await assertInViewport(page, '#all-debates-failing-sev2');
    assert.equal(await page.locator('.search-results').count(), 0, 'results close after a pick');
    assert.deepEqual(page.problems, []);
  });

  test('a search with no match says so', async () => {
    const page = await openPage(site.browser, site.server.origin);
    await gotoApp(page, RUNBOOK);
    await page.locator('.search-input').fill('kubernetes autoscaler');
    await page.waitForSelector('.search-empty');
    assert.deepEqual(page.problems, []);
  });
});

describe('layout', () => {
  for (const path of ['/', RUNBOOK]) {
    test(`a phone-sized viewport has no horizontal scroll on ${path}`, async () => {
      const page = await openPage(site.browser, site.server.origin, { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
      await gotoApp(page, path);
      await page.waitForSelector(path === '/' ? '.runbook-card' : 'article.doc h1');
      const { scrollWidth, clientWidth } = await page.evaluate(() => ({
        scrollWidth: document.documentElement.scrollWidth,
        clientWidth: document.documentElement.clientWidth,
      }));
      assert.ok(scrollWidth <= clientWidth, `page is ${scrollWidth}px wide in a ${clientWidth}px viewport`);
      assert.deepEqual(page.problems, []);
    });
  }

  test('dark mode follows the system setting', async () => {
    const light = await openPage(site.browser, site.server.origin, { colorScheme: 'light' });
    const dark = await openPage(site.browser, site.server.origin, { colorScheme: 'dark' });
    const background = async (page) => {
      await gotoApp(page, RUNBOOK);
      return page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    };
    assert.equal(await background(light), 'rgb(246, 247, 249)');
    assert.equal(await background(dark), 'rgb(13, 17, 23)');
  });

  test('printing shows the runbook without the header, contents or buttons', async () => {
    const page = await openPage(site.browser, site.server.origin);
    await gotoApp(page, RUNBOOK);
    await page.waitForSelector('article.doc h1');
    await page.emulateMedia({ media: 'print' });
    const hidden = await page.evaluate(() =>
      ['.site-header', 'nav.toc', 'button.copy'].map((s) => getComputedStyle(document.querySelector(s)).display),
    );
    assert.deepEqual(hidden, ['none', 'none', 'none']);
    assert.ok(await page.locator('article.doc h1').isVisible());
  });
});

async function assertInViewport(page, selector) {
  await page.waitForFunction((s) => {
    const box = document.querySelector(s)?.getBoundingClientRect();
    return box && box.top >= 0 && box.top < window.innerHeight / 2;
  }, selector, { timeout: 5000 });
}
