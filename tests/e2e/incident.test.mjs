// A whole incident on the team's runbook, in a real Chromium, with the page's clock under
// the test's control (Playwright's fake timers) so countdowns and durations are exact.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { gotoApp, openPage, useSiteInBrowser } from './harness.mjs';

const START = new Date('2026-11-28T20:07:00Z');
const RUNBOOK = '/r/incident-response/';

const site = useSiteInBrowser();

async function clockedPage(options = {}) {
  const page = await openPage(site.browser, site.server.origin, {
    timezoneId: 'UTC',
    permissions: ['clipboard-read', 'clipboard-write'],
    acceptDownloads: true,
    ...options,
  });
  // The page's time stands still unless a test moves it, so every time shown is exact.
  await page.clock.install({ time: START });
  await page.clock.pauseAt(START);
  return page;
}

const clipboard = (page) => page.evaluate(() => navigator.clipboard.readText());
const stepBox = (page, label) => page.getByLabel(`Done: ${label}`, { exact: true });
const savedTokens = (page) =>
  page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('outpost.')).map((k) => [k, localStorage.getItem(k)]));
/** The text inside a saved token, to look for strings that must never be saved. */
const decoded = (token) => Buffer.from(token.slice(2), 'base64url').toString('latin1');

describe('a whole incident on the team runbook', () => {
  let page;
  let incidentUrl;

  test('1. start it, pick SEV2, and see the escalation countdown', async () => {
    page = await clockedPage();
    await gotoApp(page, RUNBOOK);
    await page.getByRole('button', { name: 'Start incident' }).click();
    await page.waitForURL(/\/i\/[a-z0-9]+$/);
    incidentUrl = page.url();
    await page.selectOption('#severity-picker', 'SEV2');
    await page.locator('.escalation-text', { hasText: 'to Engineering lead in 30:00' }).waitFor();
    assert.match(await page.locator('.severity-detail').innerText(), /Major feature broken, many users affected · respond: < 30 min/);
    await page.clock.runFor(6 * 60_000 + 50_000);
    await page.locator('.escalation-text', { hasText: 'to Engineering lead in 23:10' }).waitFor();
    assert.equal(await page.locator('.phase-now').innerText(), 'Communication');
    assert.equal(await page.locator('.elapsed').innerText(), '6:50');
  });

  test('2. check five steps across two phases', async () => {
    for (const label of ['Quick health check all services', 'Number of users affected', 'Core functionality impacted']) {
      await stepBox(page, label).check();
    }
    for (const label of ['Notify stakeholders', 'Create incident channel/thread']) {
      await stepBox(page, label).check();
    }
    assert.equal(await page.locator('.progress-text').innerText(), '5/40');
    const phaseCounts = await page.locator('.toc-progress').allInnerTexts();
    assert.deepEqual(phaseCounts, ['3/6', '2/3', '0/5', '0/2', '0/3', '0/4']);
    assert.equal(await page.locator('.checked-at').first().innerText(), '20:13');
    // A check can be undone, and redone.
    await stepBox(page, 'Core functionality impacted').uncheck();
    assert.equal(await page.locator('.progress-text').innerText(), '4/40');
    await stepBox(page, 'Core functionality impacted').check();
    assert.equal(await page.locator('.progress-text').innerText(), '5/40');
  });

  test('3. fill the INCIDENT template, copy it, and get exactly the message', async () => {
    const form = page.getByRole('region', { name: 'Communication template', exact: true });
    await form.getByLabel('Brief description').fill('Checkout API returns 502');
    await form.getByLabel("What's broken, who's affected").fill('Checkout fails for all users');
    await form.getByRole('button', { name: 'Copy message' }).click();
    await form.getByRole('button', { name: 'Copied' }).waitFor();
    assert.equal(
      await clipboard(page),
      'INCIDENT: Checkout API returns 502\nSEVERITY: SEV2\nIMPACT: Checkout fails for all users\nSTATUS: Investigating\nNEXT UPDATE: 20:43',
    );
    await page.locator('.next-update', { hasText: 'in 30:00' }).waitFor();
    // The description is typed once and reused by the resolution message.
    const resolved = page.getByRole('region', { name: 'Update communication', exact: true });
    assert.match(await resolved.locator('.template-preview').innerText(), /^INCIDENT: Checkout API returns 502\nSTATUS: RESOLVED/);
  });

  test('4. set EC2_HOST and see it in a copied command', async () => {
    const host = page.getByLabel('EC2_HOST', { exact: true });
    await host.fill('10.0.0.5');
    await host.press('Enter');
    await host.blur();
    const group = page.locator('.command', { hasText: 'Quick health check all services' });
    assert.match(await group.innerText(), /curl -s http:\/\/10\.0\.0\.5:8765\/api\/health/);
    await group.getByRole('button', { name: 'Copy' }).click();
    await group.getByRole('button', { name: 'Copied' }).waitFor();
    assert.equal(
      await clipboard(page),
      '# Quick health check all services\ncurl -s http://10.0.0.5:8765/api/health | jq .status\ncurl -s http://LIGHTSAIL_HOST:8080/api/health | jq .status\ncurl -s https://aragora.live/api/health 2>/dev/null || echo "Frontend may be down"',
    );
  });

  test('5. a ?EC2_HOST= link pre-fills the host, and a secret in a link is ignored', async () => {
    const linked = await clockedPage();
    await gotoApp(linked, `${RUNBOOK}?EC2_HOST=10.9.9.9&ANTHROPIC_API_KEY=sk-test-123`);
    assert.equal(await linked.getByLabel('EC2_HOST', { exact: true }).inputValue(), '10.9.9.9');
    const group = linked.locator('.command', { hasText: 'Quick health check all services' });
    assert.match(await group.innerText(), /http:\/\/10\.9\.9\.9:8765/);
    assert.equal(await linked.locator('.command .secret', { hasText: '$ANTHROPIC_API_KEY' }).count(), 1);
    assert.ok(!(await linked.content()).includes('sk-test-123'), 'the secret from the link is not on the page');
    await linked.getByRole('button', { name: 'Start incident' }).click();
    await linked.waitForURL(/\/i\//);
    assert.equal(await linked.getByLabel('EC2_HOST', { exact: true }).inputValue(), '10.9.9.9', 'the link carries into the incident');
    for (const [key, value] of await savedTokens(linked)) {
      const text = value.startsWith('o1') ? decoded(value) : value;
      assert.ok(!text.includes('sk-test-123') && !text.includes('ANTHROPIC_API_KEY'), `${key} holds no secret`);
    }
    assert.deepEqual(linked.problems, []);
  });

  test('6. a reload loses nothing', async () => {
    await page.reload();
    await page.waitForSelector('.cockpit');
    assert.equal(await page.locator('#severity-picker').inputValue(), 'SEV2');
    assert.equal(await page.locator('.progress-text').innerText(), '5/40');
    assert.ok(await stepBox(page, 'Notify stakeholders').isChecked());
    assert.equal(await page.getByLabel('EC2_HOST', { exact: true }).inputValue(), '10.0.0.5');
    const form = page.getByRole('region', { name: 'Communication template', exact: true });
    assert.equal(await form.getByLabel('Brief description').inputValue(), 'Checkout API returns 502');
    await page.locator('.next-update').waitFor();
  });

  test('7. resolve, download the post-mortem, and find its timeline and duration', async () => {
    await page.clock.fastForward((83 * 60 - 410) * 1000);
    await page.getByRole('button', { name: 'Resolve' }).click();
    await page.locator('.resolved-banner', { hasText: 'Resolved after 1h 23m' }).waitFor();
    const elapsedAtResolve = await page.locator('.elapsed').innerText();
    await page.clock.fastForward(5 * 60_000);
    assert.equal(await page.locator('.elapsed').innerText(), elapsedAtResolve, 'the clock stops');
    const form = page.locator('section.template.post-mortem');
    const [download] = await Promise.all([page.waitForEvent('download'), form.getByRole('button', { name: 'Download .md' }).click()]);
    assert.match(download.suggestedFilename(), /^post-mortem-2026-11-28-incident-response\.md$/);
    const text = await readFile(await download.path(), 'utf8');
    assert.match(text, /^## Incident: \[Title\]\n\*\*Date:\*\* 2026-11-28\n\*\*Duration:\*\* 01:23\n\*\*Severity:\*\* SEV2\n/);
    const timeline = text.split('### Timeline\n')[1].split('\n\n')[0].split('\n');
    assert.deepEqual(timeline, [
      '- 20:07 - Incident started (Incident Response Runbook)',
      '- 20:07 - Severity set to SEV2',
      '- 20:13 - Done: Quick health check all services',
      '- 20:13 - Done: Number of users affected',
      '- 20:13 - Done: Core functionality impacted',
      '- 20:13 - Done: Notify stakeholders',
      '- 20:13 - Done: Create incident channel/thread',
      '- 20:13 - Sent: Communication template',
      '- 21:30 - Resolved',
    ]);
    assert.deepEqual(page.problems, []);
  });

  test('home lists open incidents with their running clocks', async () => {
    const home = await clockedPage();
    await gotoApp(home, RUNBOOK);
    await home.getByRole('button', { name: 'Start incident' }).click();
    await home.waitForURL(/\/i\//);
    await home.clock.runFor(125_000);
    await home.locator('a.brand').click();
    const card = home.locator('.incident-list.open .incident-card');
    await card.waitFor();
    assert.match(await card.innerText(), /Incident Response Runbook[\s\S]*started 20:07[\s\S]*0\/40 steps[\s\S]*2:05/);
    await home.clock.runFor(60_000);
    await home.locator('.incident-clock', { hasText: '3:05' }).waitFor();
  });
});

describe('saved state', () => {
  test('two tabs on one incident stay consistent', async () => {
    const first = await clockedPage();
    await gotoApp(first, RUNBOOK);
    await first.getByRole('button', { name: 'Start incident' }).click();
    await first.waitForURL(/\/i\//);
    const second = await first.context().newPage();
    await second.goto(first.url());
    await second.waitForSelector('.cockpit');
    await stepBox(first, 'Revenue impact').check();
    await first.selectOption('#severity-picker', 'SEV1');
    await second.waitForFunction(() => document.querySelector('#severity-picker')?.value === 'SEV1');
    assert.ok(await stepBox(second, 'Revenue impact').isChecked());
    await stepBox(second, 'Revenue impact').uncheck();
    await first.waitForFunction(() => document.querySelector('.progress-text')?.textContent === '0/40');
  });

  test('a tab that missed the other tab\'s save keeps both tabs\' checks', async () => {
    const first = await clockedPage();
    await gotoApp(first, RUNBOOK);
    await first.getByRole('button', { name: 'Start incident' }).click();
    await first.waitForURL(/\/i\//);
    const second = await first.context().newPage();
    // This tab never hears of the other's saves, as a tab asleep in the background may not.
    await second.addInitScript(() => {
      window.addEventListener('storage', (event) => event.stopImmediatePropagation(), true);
    });
    await second.goto(first.url());
    await second.waitForSelector('.cockpit');
    await stepBox(first, 'Revenue impact').check();
    await stepBox(second, 'Number of users affected').check();
    assert.equal(await second.locator('.progress-text').innerText(), '2/40', 'the unseen check joined on save');
    await first.waitForFunction(() => document.querySelector('.progress-text')?.textContent === '2/40');
    await first.reload();
    await first.waitForSelector('.cockpit');
    assert.ok(await stepBox(first, 'Revenue impact').isChecked());
    assert.ok(await stepBox(first, 'Number of users affected').isChecked());
  });

  test('a copy another tab saved that cannot be read is set aside, not overwritten', async () => {
    const page = await clockedPage();
    await gotoApp(page, RUNBOOK);
    await page.getByRole('button', { name: 'Start incident' }).click();
    await page.waitForURL(/\/i\//);
    const key = `outpost.incident.${page.url().split('/i/')[1]}`;
    // Another tab (or another version of the site) wrote what this one cannot read, unheard.
    await page.evaluate((key) => localStorage.setItem(key, 'o1@@damaged-elsewhere'), key);
    await stepBox(page, 'Revenue impact').check();
    await page.locator('.notice', { hasText: 'could not be read' }).waitFor();
    const saved = Object.fromEntries(await savedTokens(page));
    assert.ok(saved[key].startsWith('o'), 'this tab saved its copy');
    assert.deepEqual(
      Object.entries(saved).filter(([k]) => k.startsWith('outpost.unreadable.')).map(([, v]) => v),
      ['o1@@damaged-elsewhere'],
    );
  });

  test('a full browser storage drops the probe\'s cached copies, and the incident is saved', async () => {
    const page = await clockedPage();
    await gotoApp(page, RUNBOOK);
    const filled = await page.evaluate(() => {
      // Copies that can be read again, as the probe strip keeps them, then other data until
      // the browser refuses more.
      localStorage.setItem('outpost.probe', 'x'.repeat(200_000));
      localStorage.setItem('outpost.probe.pictures', 'x'.repeat(200_000));
      let n = 0;
      for (let size = 1 << 20; size >= 16; ) {
        try {
          localStorage.setItem(`other.site.${n++}`, 'y'.repeat(size));
        } catch {
          size >>= 1;
        }
      }
      try {
        localStorage.setItem('probe.room', 'z'.repeat(64));
        return false;
      } catch {
        return true;
      }
    });
    assert.ok(filled, 'the storage is full');
    await page.getByRole('button', { name: 'Start incident' }).click();
    await page.waitForURL(/\/i\//);
    await stepBox(page, 'Revenue impact').check();
    const saved = Object.fromEntries(await savedTokens(page));
    assert.ok(saved[`outpost.incident.${page.url().split('/i/')[1]}`], 'the incident is saved');
    assert.equal(saved['outpost.probe'], undefined, 'the cached status made room');
    assert.equal(await page.locator('.notice', { hasText: 'Could not save' }).count(), 0);
    await page.evaluate(() => localStorage.clear());
  });

  test('corrupt saved data is reported and set aside, not deleted, and the page still works', async () => {
    const page = await clockedPage();
    await gotoApp(page, '/');
    await page.evaluate(() => localStorage.setItem('outpost.incident.broken1', 'o1@@not-a-token'));
    await page.evaluate(() => localStorage.setItem('outpost.incident.future', 'o7AAAA'));
    await page.reload();
    await page.waitForSelector('.notice');
    const notices = await page.locator('.notice').allInnerTexts();
    assert.equal(notices.length, 2);
    assert.ok(notices.some((n) => n.includes('contains characters a link never has')), notices.join('\n'));
    assert.ok(notices.some((n) => n.includes('format "o7"')), notices.join('\n'));
    const saved = Object.fromEntries(await savedTokens(page));
    assert.equal(saved['outpost.incident.broken1'], undefined);
    const setAside = Object.entries(saved).filter(([k]) => k.startsWith('outpost.unreadable.'));
    assert.deepEqual(setAside.map(([, v]) => v).sort(), ['o1@@not-a-token', 'o7AAAA']);
    await page.locator('.runbook-card h2 a').click();
    await page.getByRole('button', { name: 'Start incident' }).click();
    await page.waitForSelector('.cockpit');
  });
});
