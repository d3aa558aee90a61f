// Sharing an incident by link: the whole state in the URL fragment, merged where a copy
// exists, and every bad link refused with a clear message and nothing changed.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { gotoApp, openPage, useSiteInBrowser } from './harness.mjs';

const site = useSiteInBrowser();
const START = new Date('2026-11-28T20:07:00Z');
const fixtures = JSON.parse(await readFile(process.env.OUTPOST_SHARE_FIXTURES ?? 'target/share-fixtures.json', 'utf8'));

async function browserPage(options = {}) {
  const page = await openPage(site.browser, site.server.origin, {
    timezoneId: 'UTC',
    permissions: ['clipboard-read', 'clipboard-write'],
    ...options,
  });
  await page.clock.install({ time: START });
  await page.clock.pauseAt(START);
  return page;
}

const stepBox = (page, label) => page.getByLabel(`Done: ${label}`, { exact: true });
const form = (page, name) => page.getByRole('region', { name, exact: true });

/** What a person sees of an incident: severity, checked steps with times, fields, hosts. */
async function visibleState(page) {
  await page.waitForSelector('.cockpit');
  return page.evaluate(() => ({
    severity: document.querySelector('#severity-picker').value,
    checked: [...document.querySelectorAll('.step-check input:checked')].map((box) => [
      box.getAttribute('aria-label'),
      box.parentElement.querySelector('.checked-at')?.textContent,
    ]),
    fields: [...document.querySelectorAll('.template-fields input')].map((input) => input.value),
    hosts: [...document.querySelectorAll('.hosts input')].map((input) => input.value),
    progress: document.querySelector('.progress-text').textContent,
    started: document.querySelector('.started').textContent,
  }));
}

async function copyShareLink(page) {
  await page.getByRole('button', { name: 'Copy share link' }).click();
  await page.getByRole('button', { name: 'Copied' }).first().waitFor();
  return page.evaluate(() => navigator.clipboard.readText());
}

describe('share by link', () => {
  let sender;
  let link;
  let receiver;

  test('1. make an incident and copy its link', async () => {
    sender = await browserPage();
    await gotoApp(sender, '/r/incident-response/?EC2_HOST=10.0.0.5');
    await sender.getByRole('button', { name: 'Start incident' }).click();
    await sender.waitForSelector('.cockpit');
    await sender.selectOption('#severity-picker', 'SEV2');
    await sender.clock.runFor(3 * 60_000);
    await stepBox(sender, 'Quick health check all services').check();
    await stepBox(sender, 'Notify stakeholders').check();
    await form(sender, 'Communication template').getByLabel('Brief description').fill('Checkout API returns 502');
    link = await copyShareLink(sender);
    assert.match(link, new RegExp(`^${site.server.origin}/s#s2[A-Za-z0-9_-]+$`));
    assert.ok(link.length < 250, `${link.length} characters`);
  });

  test('2. the link opens the identical incident in a fresh browser', async () => {
    receiver = await browserPage();
    await receiver.goto(link);
    await receiver.waitForURL(/\/i\/[a-z0-9]+$/);
    assert.deepEqual(await visibleState(receiver), await visibleState(sender));
    assert.match(await receiver.locator('.notice.news').innerText(), /Opened the shared incident/);
    assert.deepEqual(receiver.problems, []);
  });

  test('3. a link for an incident held here shows what it would change, and merges only on "Merge"', async () => {
    await stepBox(receiver, 'Revenue impact').check();
    await stepBox(sender, 'Data integrity at risk').check();
    await sender.clock.runFor(60_000);
    await form(sender, 'Communication template').getByLabel('Brief description').fill('Checkout API returns 502 for all users');
    await sender.selectOption('#severity-picker', 'SEV1');
    const newer = await copyShareLink(sender);
    const before = await receiver.evaluate(() => JSON.stringify(Object.entries(localStorage).sort()));
    await receiver.goto(newer);
    const choice = receiver.locator('.merge-choice');
    await choice.waitFor();
    assert.deepEqual(await choice.locator('.merge-changes li').allInnerTexts(), [
      'check 1 more step',
      'change template fields: brief description',
      'set severity to SEV1 (now SEV2)',
    ]);
    assert.equal(await receiver.evaluate(() => JSON.stringify(Object.entries(localStorage).sort())), before, 'nothing changed yet');
    await choice.getByRole('button', { name: 'Keep mine unchanged' }).click();
    await receiver.waitForURL(/\/i\//);
    await receiver.waitForSelector('.cockpit');
    assert.equal(await receiver.locator('#severity-picker').inputValue(), 'SEV2', 'kept as it was');
    await receiver.goto(newer);
    await receiver.locator('.merge-choice').getByRole('button', { name: 'Merge' }).click();
    await receiver.waitForURL(/\/i\//);
    const notice = await receiver.locator('.notice.news').last().innerText();
    assert.match(notice, /Merged the shared link .*1 step checked, 1 field updated \(brief description\), severity SEV1 \(was SEV2\)/);
    assert.ok(await stepBox(receiver, 'Revenue impact').isChecked(), 'local progress is kept');
    assert.ok(await stepBox(receiver, 'Data integrity at risk').isChecked(), 'the link adds its progress');
    assert.equal(await form(receiver, 'Communication template').getByLabel('Brief description').inputValue(), 'Checkout API returns 502 for all users');
    assert.equal(await receiver.locator('#severity-picker').inputValue(), 'SEV1');
  });

  test('3b. "Open as a separate copy" keeps both incidents', async () => {
    await sender.clock.runFor(60_000);
    await form(sender, 'Communication template').getByLabel('Brief description').fill('Checkout API degraded only');
    const changed = await copyShareLink(sender);
    const held = new URL(receiver.url()).pathname;
    await receiver.goto(changed);
    await receiver.locator('.merge-choice').getByRole('button', { name: 'Open as a separate copy' }).click();
    await receiver.waitForURL((url) => url.pathname.startsWith('/i/') && url.pathname !== held);
    await receiver.waitForSelector('.cockpit');
    await receiver.goto(site.server.origin + held);
    await receiver.waitForSelector('.cockpit');
    assert.equal(
      await form(receiver, 'Communication template').getByLabel('Brief description').inputValue(),
      'Checkout API returns 502 for all users',
      'the copy held here is unchanged',
    );
  });

  test('3b2. a tab that missed a change made in another tab while its list was open merges only once the new list is seen', async () => {
    const held = new URL(receiver.url()).pathname;
    await stepBox(sender, 'Number of users affected').check();
    const fresh = await copyShareLink(sender);
    // This tab never hears of the other's saves, as a tab asleep in the background may not.
    const viewer = await receiver.context().newPage();
    await viewer.addInitScript(() => window.addEventListener('storage', (event) => event.stopImmediatePropagation(), true));
    await viewer.clock.install({ time: START });
    await viewer.clock.pauseAt(START);
    await viewer.goto(fresh);
    const choice = viewer.locator('.merge-choice');
    await choice.waitFor();
    assert.ok((await choice.locator('.merge-changes li').allInnerTexts()).includes('check 1 more step'));
    await receiver.goto(site.server.origin + held);
    await stepBox(receiver, 'Number of users affected').check();
    await choice.getByRole('button', { name: 'Merge' }).click();
    await viewer.locator('.notice', { hasText: 'changed in another tab' }).waitFor();
    assert.ok(!(await choice.locator('.merge-changes li').allInnerTexts()).includes('check 1 more step'), 'the list says what the link would change now');
    await choice.getByRole('button', { name: 'Merge' }).click();
    await viewer.waitForURL(/\/i\//);
    await viewer.waitForSelector('.cockpit');
    await viewer.close();
  });

  test('3c. a link with times from the future is refused and changes nothing', async () => {
    const page = await browserPage();
    await page.goto(`${site.server.origin}/s#${fixtures.future}`);
    const problem = page.locator('.problem');
    await problem.waitFor();
    assert.match(await problem.locator('.reason').innerText(), /ahead of this device's clock/);
    assert.equal(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('outpost.incident.')).length), 0);
    assert.deepEqual(page.problems, []);
  });

  test('4. markup and script in every text of a link show as text and never run', async () => {
    const page = await browserPage();
    await page.goto(`${site.server.origin}/s#${fixtures.hostile}`);
    await page.waitForSelector('.cockpit');
    await page.waitForTimeout(300);
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
    assert.equal(await page.locator('img[src="x"]').count(), 0);
    assert.equal(await page.locator('.doc script').count(), 0);
    const hostile = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';
    assert.equal(await form(page, 'Communication template').getByLabel('Brief description').inputValue(), hostile);
    assert.ok((await form(page, 'Communication template').locator('.template-preview').innerText()).includes(`INCIDENT: ${hostile}`));
    assert.equal(await page.getByLabel('EC2_HOST', { exact: true }).inputValue(), '', 'a markup "host" is refused');
    assert.match(await page.locator('.hosts .host-problem').innerText(), /EC2_HOST was refused: a host is/);
    assert.deepEqual(page.problems, []);
  });

  test('5. bad links each get a clear message and change nothing here', async () => {
    const page = await browserPage();
    await gotoApp(page, '/r/incident-response');
    await page.getByRole('button', { name: 'Start incident' }).click();
    await page.waitForSelector('.cockpit');
    await stepBox(page, 'Revenue impact').check();
    const before = await page.evaluate(() => JSON.stringify(Object.entries(localStorage).sort()));
    const cases = [
      ['', /The incident data is empty/],
      ['hello', /format "he", which this version of Outpost does not know/],
      ['s9AAAAAAAA', /format "s9", which this version of Outpost does not know \(it may come from a newer version\)/],
      ['s1AB', /damaged/],
      [fixtures.truncated, /damaged \(was the link cut off or changed when it was pasted\?\)/],
      [fixtures.corrupted, /damaged/],
      [encodeURIComponent('s1<script>alert(1)</script>'), /characters a link never has/],
      ['s1' + 'A'.repeat(300_000), /too long to be real/],
      ['o1AAAAAAAA', /format "o1"/],
      ['%E0%A4%A', /format/],
    ];
    for (const [fragment, message] of cases) {
      await page.goto(`${site.server.origin}/s#${fragment}`);
      const problem = page.locator('.problem');
      await problem.waitFor();
      assert.equal(await problem.locator('h1').innerText(), 'This incident link cannot be opened');
      assert.match(await problem.locator('.reason').innerText(), message, fragment.slice(0, 40));
      assert.match(await problem.innerText(), /Nothing in this browser was changed/);
    }
    await page.goto(`${site.server.origin}/s#${fixtures.missing_runbook}`);
    await page.locator('.problem h1', { hasText: "This link is for a runbook this site doesn't have" }).waitFor();
    assert.match(await page.locator('.problem').innerText(), /<img src=x onerror=window.__pwned=3>/);
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
    const after = await page.evaluate(() => JSON.stringify(Object.entries(localStorage).sort()));
    assert.equal(after, before, 'local data is untouched');
    assert.deepEqual(page.problems, []);
  });
});
