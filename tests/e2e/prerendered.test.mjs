// Pre-rendered pages: readable with no script and before the WebAssembly arrives, taken
// over by the app with no jump, and no click lost in between.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ROOT, codeBlockFromSource, loadApp, openPage, useSiteInBrowser } from './harness.mjs';

const site = useSiteInBrowser();

const RUNBOOK = '/r/incident-response/';
const SOURCE = 'examples/runbooks/incident-response.md';

/** The runbook's headings as a reader sees them: markdown marks and links removed. */
async function headingsInSource() {
  const source = await readFile(join(ROOT, SOURCE), 'utf8');
  let inFence = false;
  const headings = [];
  for (const line of source.split('\n')) {
    if (line.trim().startsWith('```')) inFence = !inFence;
    const heading = !inFence && /^#{1,6}\s+(.*)$/.exec(line);
    if (heading) headings.push(heading[1].replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/[`*_]/g, '').trim());
  }
  return headings;
}

/**
 * Holds every request for the WebAssembly until `release()`: the page as a reader on a slow
 * network sees it before the app has loaded.
 */
async function holdWasm(page, pattern = '**/*.wasm') {
  let release;
  const released = new Promise((resolve) => (release = resolve));
  await page.route(pattern, async (route) => {
    await released;
    await route.continue();
  });
  return release;
}

/** Where each heading, paragraph, table and code block of the runbook sits on the page. */
function placesOfContent(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('article.doc :is(h1, h2, h3, h4, p, table, pre, li), nav.toc a')].map((e) => {
      const r = e.getBoundingClientRect();
      return `${e.tagName} ${Math.round(r.left)},${Math.round(r.top + window.scrollY)} ${Math.round(r.width)}×${Math.round(r.height)}`;
    }),
  );
}

describe('pre-rendered pages', () => {
  test('with JavaScript off, the runbook page shows the whole runbook', async () => {
    const page = await openPage(site.browser, site.server.origin, { javaScriptEnabled: false });
    await page.goto(site.server.origin + RUNBOOK);
    assert.equal(await page.title(), 'Incident Response Runbook · Outpost');
    const text = await page.locator('article.doc').innerText();
    const headings = await headingsInSource();
    assert.ok(headings.length >= 18, `the runbook has its headings (${headings.length})`);
    for (const heading of headings) assert.ok(text.includes(heading), `heading "${heading}" is on the page`);
    const blocks = await page.locator('article.doc pre').allTextContents();
    for (let index = 0; index < 12; index += 1) {
      const code = await codeBlockFromSource(SOURCE, index);
      assert.ok(blocks.join('\n').includes(code.split('\n')[0].trim()), `code block ${index} is on the page`);
    }
    assert.equal(await page.locator('article table').count(), 3);
    assert.equal(await page.locator('article .heading-row:has(#severity-levels) ~ .table-wrap').first().locator('tbody tr').count(), 4);
    assert.equal(await page.locator('nav.toc a').count(), 17);
    assert.equal(await page.locator('.link-missing').count(), 4, 'links to runbooks the site lacks are marked');
    // What needs the app is not offered, and the page says why.
    assert.equal(await page.locator('[data-needs-app]:visible, .search:visible, .hosts:visible').count(), 0);
    assert.match(await page.locator('p.noscript').innerText(), /reads without JavaScript/);
    // Chromium drops the preload of the app's script when scripts are off.
    assert.deepEqual(page.problems.filter((p) => !/^request failed: .*\/(app|starter)-[0-9a-f]+\.js$/.test(p)), []);
  });

  test('the runbook reads before the WebAssembly arrives, and a click made then goes through once it has', async () => {
    const page = await openPage(site.browser, site.server.origin);
    const release = await holdWasm(page);
    await page.goto(site.server.origin + RUNBOOK, { waitUntil: 'domcontentloaded' });
    await page.locator('article.doc h1').waitFor();
    assert.equal(await page.locator('html.app-ready').count(), 0, 'the app has not run');
    assert.match(await page.locator('article.doc').innerText(), /Escalation Matrix/);
    // "Start incident" before the app: held and said so, not lost.
    await page.locator('button.start').click();
    await page.locator('.early-note', { hasText: 'Getting ready' }).waitFor();
    assert.equal(await page.locator('button.start').getAttribute('aria-busy'), 'true');
    assert.equal(new URL(page.url()).pathname, RUNBOOK);
    release();
    await page.waitForURL(/\/i\/[^/]+$/);
    await page.locator('.cockpit').waitFor();
    assert.equal(await page.locator('.early-note').count(), 0);
    assert.deepEqual(page.problems, []);
  });

  test('before the app has loaded, the page starter starts the incident and records its first checks, and the app carries on from them', async () => {
    const page = await openPage(site.browser, site.server.origin);
    const release = await holdWasm(page, '**/app-*_bg.wasm');
    await page.goto(site.server.origin + RUNBOOK, { waitUntil: 'domcontentloaded' });
    await page.waitForSelector('html.starter-ready');
    const localTime = () => page.evaluate(() => new Date().toTimeString().slice(0, 5));
    const before = await localTime();
    await page.locator('button.start').click();
    await page.waitForURL(/\/i\/[0-9a-z]{8}$/);
    const id = new URL(page.url()).pathname.slice(3);
    assert.equal(await page.locator('html.app-ready').count(), 0, 'the app has not run');
    assert.equal(await page.title(), 'Incident · Incident Response Runbook · Outpost');
    await page.locator('.cockpit .started-at').waitFor();
    const started = await page.locator('.cockpit .started-at').innerText();
    assert.match(started, /^\d\d:\d\d$/);
    assert.ok([before, await localTime()].includes(started), `the start (${started}) is now, in local time`);
    const first = page.locator('.step-check input').first();
    const second = page.locator('.step-check input').nth(1);
    await first.check();
    await second.check();
    await second.uncheck();
    await page.locator('.step-check .checked-at').first().waitFor();
    assert.equal(await page.locator('.step-check .checked-at').count(), 1, 'one step checked, its time beside it');
    assert.match(await page.locator('.cockpit .progress-text').innerText(), /^1\/\d+$/, 'the step count follows');
    await page.waitForFunction(() => document.querySelector('.cockpit .elapsed')?.textContent !== '0:00', null, { timeout: 5000 });
    const saved = await page.evaluate((key) => localStorage.getItem(key), `outpost.incident.${id}`);
    assert.match(saved ?? '', /^o1/, 'the incident is saved where the app reads it');
    assert.equal(await page.locator('.early-note').count(), 0, 'nothing was held');
    release();
    await page.waitForSelector('html.app-ready');
    assert.equal(new URL(page.url()).pathname, `/i/${id}`);
    assert.ok(await first.isChecked(), 'the app shows the check made before it');
    assert.ok(!(await second.isChecked()));
    assert.equal(await page.locator('.step-check .checked-at').count(), 1);
    assert.equal(await page.locator('.cockpit .started-at').innerText(), started);
    // The app's own controls work from the same incident.
    await page.locator('.step-check input').nth(2).check();
    await page.waitForFunction(() => document.querySelectorAll('.step-check .checked-at').length === 2);
    assert.deepEqual(page.problems, []);
  });

  test('"Start incident" tapped before the page starter is ready goes through as soon as it is, before the app', async () => {
    // No service worker: its background download of the app is not held by the page's
    // routes, and would serve the app to the incident page it opens.
    const page = await openPage(site.browser, site.server.origin, { serviceWorkers: 'block' });
    await holdWasm(page, '**/app-*_bg.wasm');
    const releaseStarter = await holdWasm(page, '**/starter-*_bg.wasm');
    await page.goto(site.server.origin + RUNBOOK, { waitUntil: 'domcontentloaded' });
    await page.locator('button.start').click();
    await page.locator('.early-note', { hasText: 'Getting ready' }).waitFor();
    assert.equal(new URL(page.url()).pathname, RUNBOOK, 'held, not lost');
    releaseStarter();
    await page.waitForURL(/\/i\/[0-9a-z]{8}$/);
    await page.locator('.cockpit').waitFor();
    assert.equal(await page.locator('html.app-ready').count(), 0, 'the starter, not the app, made the click');
    assert.equal(await page.locator('.early-note').count(), 0);
    // The incident page's other controls wait for the app, and say so.
    await page.locator('.cockpit button.resolve').click({ force: true });
    await page.locator('.early-note', { hasText: 'Getting ready' }).waitFor();
    assert.equal(await page.locator('.cockpit select').first().isDisabled(), true, 'a choice waits for the app');
  });

  test('Back from an incident the page starter opened shows the runbook again, and the incident is kept', async () => {
    const page = await openPage(site.browser, site.server.origin);
    await holdWasm(page, '**/app-*_bg.wasm');
    await page.goto(site.server.origin + RUNBOOK, { waitUntil: 'domcontentloaded' });
    await page.waitForSelector('html.starter-ready');
    await page.locator('button.start').click();
    await page.waitForURL(/\/i\//);
    await page.locator('.step-check input').first().check();
    await page.goBack();
    await page.waitForURL((url) => url.pathname === RUNBOOK);
    await page.locator('article.doc h1').waitFor();
    assert.equal(await page.locator('.cockpit').count(), 0);
    const saved = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('outpost.incident.')).length);
    assert.equal(saved, 1);
  });

  for (const who of ['the page starter', 'the app (the starter never arrives)']) {
    test(`a copy button clicked before anything is ready copies once ${who} is`, async () => {
      const page = await openPage(site.browser, site.server.origin, {
        permissions: ['clipboard-read', 'clipboard-write'],
        serviceWorkers: 'block',
      });
      const byStarter = who === 'the page starter';
      // Both are held until the click is seen held; then the one that is to copy arrives.
      const releaseApp = await holdWasm(page, '**/app-*_bg.wasm');
      const releaseStarter = await holdWasm(page, '**/starter-*_bg.wasm');
      await page.goto(site.server.origin + RUNBOOK, { waitUntil: 'domcontentloaded' });
      const button = page.locator('article .code').nth(2).locator('button.copy-all');
      await button.click();
      await page.locator('.early-note').waitFor();
      assert.equal(await button.getAttribute('aria-busy'), 'true');
      if (byStarter) releaseStarter();
      else releaseApp();
      await page.waitForFunction(() => document.querySelectorAll('button.copy.copied').length === 1);
      assert.equal(await page.evaluate(() => navigator.clipboard.readText()), await codeBlockFromSource(SOURCE, 2));
      assert.equal(await page.locator('html.app-ready').count(), byStarter ? 0 : 1, `${who} copied`);
      releaseApp();
      releaseStarter();
      page.problems = page.problems.filter((p) => !p.includes('Service Worker registration blocked by Playwright'));
      assert.deepEqual(page.problems, []);
    });
  }

  test('a host value typed before the app is ready is kept and used', async () => {
    const page = await openPage(site.browser, site.server.origin);
    const release = await holdWasm(page);
    await page.goto(site.server.origin + RUNBOOK, { waitUntil: 'domcontentloaded' });
    await page.locator('details.hosts summary').click();
    await page.locator('#var-EC2_HOST').fill('web-1.example.com');
    release();
    await page.waitForSelector('html.app-ready');
    assert.equal(await page.locator('#var-EC2_HOST').inputValue(), 'web-1.example.com');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'var-EC2_HOST', 'the reader is still in the field');
    // Used once the reader leaves the field, as any value typed in the app is.
    await page.keyboard.press('Tab');
    await page.waitForFunction(() => document.querySelector('article.doc').innerText.includes('web-1.example.com'));
    assert.deepEqual(page.problems, []);
  });

  for (const [name, path, place] of [
    ['a deep link to a heading', `${RUNBOOK}#escalation-matrix`, null],
    ['a reader who has scrolled', RUNBOOK, 2400],
  ]) {
    test(`${name}: the app takes over with no layout shift and the same place on the page`, async () => {
      const page = await openPage(site.browser, site.server.origin, { viewport: { width: 390, height: 800 } });
      const release = await holdWasm(page);
      await page.goto(site.server.origin + path);
      if (place) await page.evaluate((y) => window.scrollTo(0, y), place);
      // Every shift from here on counts: the observer sees the swap and anything after it.
      await page.evaluate(() => {
        window.shift = 0;
        new PerformanceObserver((list) => {
          for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.shift += entry.value;
        }).observe({ type: 'layout-shift' });
      });
      const before = { scrollY: await page.evaluate(() => window.scrollY), places: await placesOfContent(page) };
      assert.ok(before.scrollY > 1000, `the page is scrolled down (${before.scrollY})`);
      release();
      await loadApp(page);
      await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 300)))));
      // Replacing the page makes new elements, which the browser's own measure does not
      // count as moved: the places of the content are compared as well.
      const after = { scrollY: await page.evaluate(() => window.scrollY), places: await placesOfContent(page) };
      assert.equal(after.scrollY, before.scrollY, 'the reader stays where they were');
      assert.deepEqual(after.places, before.places, 'every heading, paragraph, table and code block stays in place');
      const shift = await page.evaluate(() => window.shift);
      assert.ok(shift <= 0.02, `cumulative layout shift ${shift} ≤ 0.02`);
      if (path.includes('#')) assert.equal(new URL(page.url()).hash, '#escalation-matrix');
      assert.deepEqual(page.problems, []);
    });
  }
});
