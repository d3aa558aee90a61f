// A runbook page does not load the app with the page: reading, "Start incident" and the
// first checks need only the page and its starter. The app is loaded on first use, at once
// where the built page is not the whole story, and from the offline copy once it exists.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, useSiteInBrowser } from './harness.mjs';

const site = useSiteInBrowser();

const RUNBOOK = '/r/incident-response/';

/**
 * A page that records which of the app's files (named by the page's
 * `<meta name="outpost-app">`) it requested, and whether the offline copy answered.
 */
async function openRecorded(options = { serviceWorkers: 'block' }) {
  const page = await openPage(site.browser, site.server.origin, options);

  page.appRequests = [];
  page.on('request', (request) => {
    if (/\/(boot|app)-[0-9a-f]+(_bg\.wasm|\.js)$/.test(request.url())) page.appRequests.push(new URL(request.url()).pathname);
  });
  page.appResponses = [];
  page.on('response', (response) => {
    if (/\/app-[0-9a-f]+_bg\.wasm$/.test(response.url())) page.appResponses.push({ fromOfflineCopy: response.fromServiceWorker() });
  });
  return page;
}

/** The page's problems, but for the warning Playwright gives where it blocks the offline copy. */
const problemsOf = (page) => page.problems.filter((p) => !p.includes('Service Worker registration blocked by Playwright'));

/** The app's start-up script and files, as the page names them. */
async function appFiles(page) {
  const content = await page.locator('meta[name="outpost-app"]').getAttribute('content');
  const files = content.split(' ');
  assert.equal(files.length, 3, `the start-up script, the app's script and its WebAssembly: ${content}`);
  return files;
}

/** Which of the app's files the page has asked for so far. */
async function requested(page) {
  const files = await appFiles(page);
  return files.filter((file) => page.appRequests.includes(file));
}

describe('the app on a runbook page', () => {
  test('a first read fetches none of the app; the first use of a field does, and what was typed there is kept', async () => {
    const page = await openRecorded();
    await page.goto(site.server.origin + RUNBOOK);
    await page.waitForSelector('html.starter-ready');
    await page.waitForLoadState('networkidle');
    assert.deepEqual(await requested(page), [], 'reading the runbook loads none of the app');
    assert.equal(await page.locator('html.app-ready').count(), 0);

    await page.locator('details.hosts summary').click();
    await page.locator('#var-EC2_HOST').click();
    await page.keyboard.type('10.0.0.7');
    await page.waitForSelector('html.app-ready');
    assert.deepEqual(await requested(page), await appFiles(page), 'focusing a field loaded the app');
    assert.equal(await page.locator('#var-EC2_HOST').inputValue(), '10.0.0.7', 'the value typed before the app is kept');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'var-EC2_HOST', 'the reader is still in the field');
    // Used once the reader leaves the field, as in the app.
    await page.keyboard.press('Tab');
    await page.waitForFunction(() => [...document.querySelectorAll('.var')].some((v) => v.textContent === '10.0.0.7'));
    assert.deepEqual(problemsOf(page), []);
  });

  test('before the app, every copy button of the runbook copies what the app copies, and the app is not fetched', async () => {
    const page = await openRecorded({ serviceWorkers: 'block', permissions: ['clipboard-read', 'clipboard-write'] });
    /** Each copy button of the runbook clicked in turn, with what it put on the clipboard. */
    const copyEach = async () => {
      const copied = [];
      const buttons = page.locator('article.doc button.copy');
      for (let index = 0; index < (await buttons.count()); index += 1) {
        await page.evaluate(() => navigator.clipboard.writeText('—'));
        await buttons.nth(index).click();
        await page.waitForFunction(() => navigator.clipboard.readText().then((text) => text !== '—'));
        copied.push(await page.evaluate(() => navigator.clipboard.readText()));
      }
      return copied;
    };
    await page.goto(site.server.origin + RUNBOOK);
    await page.waitForSelector('html.starter-ready');
    const byStarter = await copyEach();
    assert.ok(byStarter.length >= 40, `the runbook's copy buttons (${byStarter.length})`);
    assert.equal(await page.locator('article.doc button.copy.copied').count() > 0, true, 'a button says it copied');
    assert.deepEqual(await requested(page), [], 'copying needed none of the app');
    assert.equal(await page.locator('.early-note').count(), 0, 'no click waited');

    await page.locator('details.hosts summary').click();
    await page.locator('#var-EC2_HOST').focus();
    await page.waitForSelector('html.app-ready');
    await page.locator('#var-EC2_HOST').blur();
    assert.deepEqual(await copyEach(), byStarter, 'the app copies the same text from every button');
    assert.deepEqual(problemsOf(page), []);
  });

  test('"/" before the app focuses search and loads it, and the search goes on in the app', async () => {
    const page = await openRecorded();
    await page.goto(site.server.origin + RUNBOOK);
    await page.waitForSelector('html.starter-ready');
    await page.keyboard.press('/');
    assert.equal(await page.evaluate(() => document.activeElement?.className), 'search-input');
    await page.keyboard.type('circuit breakers');
    await page.waitForSelector('html.app-ready');
    assert.equal(await page.evaluate(() => document.activeElement?.className), 'search-input', 'the focus stays in search');
    assert.equal(await page.locator('.search-input').inputValue(), 'circuit breakers');
    await page.locator('.search-hit').first().waitFor();
    assert.deepEqual(problemsOf(page), []);
  });

  test('"Start incident" is the starter\'s, and loads the app for the rest of the incident', async () => {
    const page = await openRecorded();
    await page.goto(site.server.origin + RUNBOOK);
    await page.waitForSelector('html.starter-ready');
    await page.locator('button.start').click();
    await page.waitForURL(/\/i\/[a-z0-9]+$/);
    await page.waitForSelector('html.app-ready');
    assert.deepEqual(await requested(page), await appFiles(page));
    await page.locator('.cockpit button.resolve').waitFor();
    assert.deepEqual(problemsOf(page), []);
  });

  test('an address with values, or a browser with saved values, loads the app with the page', async () => {
    const page = await openRecorded();
    await page.goto(`${site.server.origin}${RUNBOOK}?EC2_HOST=10.0.0.9`);
    await page.waitForSelector('html.app-ready');
    await page.waitForFunction(() => [...document.querySelectorAll('.var')].some((v) => v.textContent === '10.0.0.9'));
    assert.deepEqual(await requested(page), await appFiles(page));

    const saved = await openRecorded();
    await saved.goto(site.server.origin + RUNBOOK);
    await saved.evaluate(() => localStorage.setItem('outpost.variables', 'EC2_HOST=10.0.0.8'));
    saved.appRequests.length = 0;
    await saved.reload();
    await saved.waitForSelector('html.app-ready');
    await saved.waitForFunction(() => [...document.querySelectorAll('.var')].some((v) => v.textContent === '10.0.0.8'));
    assert.deepEqual(await requested(saved), await appFiles(saved), 'the saved value needs the app, with no click');
    assert.deepEqual([...problemsOf(page), ...problemsOf(saved)], []);
  });

  test('a first visit sets the offline copy up without the app; the app then comes from it, on first use', async () => {
    const page = await openRecorded({});
    await page.goto(site.server.origin + RUNBOOK);
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 60_000 });
    assert.equal(await page.locator('html.app-ready').count(), 0, 'the offline copy does not bring the app in unasked');
    assert.deepEqual(await requested(page), [], 'nor does the page');
    await page.locator('details.hosts summary').click();
    await page.locator('#var-EC2_HOST').focus();
    await page.waitForSelector('html.app-ready');
    assert.deepEqual(page.appResponses, [{ fromOfflineCopy: true }], 'the app came from the offline copy');
    assert.deepEqual(problemsOf(page), []);
  });

  test('a field only visited before the app keeps the app\'s value and saves nothing', async () => {
    const page = await openRecorded();
    await page.goto(site.server.origin + RUNBOOK);
    await page.waitForSelector('html.starter-ready');
    await page.locator('details.hosts summary').click();
    await page.locator('#var-EC2_HOST').focus();
    await page.waitForSelector('html.app-ready');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'var-EC2_HOST', 'the focus is kept');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => localStorage.getItem('outpost.variables')), null, 'no value was set');
    assert.deepEqual(problemsOf(page), []);
  });

  test('when the app cannot be loaded, the page says so, and the starter\'s controls still work', async () => {
    const page = await openRecorded({ serviceWorkers: 'block', permissions: ['clipboard-read', 'clipboard-write'] });
    await page.route('**/app-*_bg.wasm', (route) => route.abort());
    await page.goto(site.server.origin + RUNBOOK);
    await page.waitForSelector('html.starter-ready');
    const copy = page.locator('article.doc button.copy').first();
    await page.evaluate(() => document.dispatchEvent(new Event('outpost-load-app')));
    await page.locator('.early-note[role=alert]', { hasText: 'could not be loaded' }).waitFor();
    assert.equal(await page.locator('[aria-busy]').count(), 0);
    // The starter's controls still work.
    await copy.click();
    await page.locator('article.doc button.copy.copied').waitFor();
    page.problems = problemsOf(page).filter((p) => !/app-[0-9a-f]+_bg\.wasm|Failed to fetch|ERR_FAILED/.test(p));
    assert.deepEqual(page.problems, []);
  });
});
