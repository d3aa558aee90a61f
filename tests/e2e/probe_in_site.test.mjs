// The site and the probe together, as `cargo xtask dev` runs them: the demo health server on
// 127.0.0.1:8765, the real worker under workerd on 127.0.0.1:8787 with the demo's
// outpost.toml, and the demo's site (`dist/` finished with the demo's probe settings, so it
// runs under the policy that allows exactly that origin) in Chromium.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startHealthServer } from '../../worker/demo/health.mjs';
import { startWorker } from '../worker/harness.mjs';
import { ROOT, launchBrowser, openPage, serveDist } from './harness.mjs';

const DEMO_DIST = process.env.OUTPOST_DEMO_DIST ?? join(ROOT, 'target/dist-demo');
const WORKER_PORT = 8787;
const HEALTH_PORT = 8765;
// The site reads the probe every 15 s when all is calm, 10 s in trouble.
const REFRESH_MS = 15_000;
// The worker's UPDATES_TOKEN: typed into the cockpit, never in the site.
const UPDATES_TOKEN = 'demo-updates';

const demo = {};

before(async () => {
  // The demo, with windows of a round or two: the test steps the rounds by hand.
  const demoConfig = await readFile(join(ROOT, 'worker/demo/outpost.demo.toml'), 'utf8');
  const config = demoConfig.replace('[probe]\n', '[probe]\nconfirm_seconds = 0\nrecover_seconds = 1\nflap_changes = 100\n');
  demo.health = await startHealthServer(HEALTH_PORT).catch((error) => {
    throw new Error(`port ${HEALTH_PORT} is taken (is \`cargo xtask dev\` running?): ${error.message}`);
  });
  demo.worker = await startWorker(config, { PROBE_TOKEN: 'demo-token', UPDATES_TOKEN: UPDATES_TOKEN }, { port: WORKER_PORT });
  demo.site = await serveDist(DEMO_DIST);
  demo.browser = await launchBrowser();
});

after(async () => {
  await demo.browser?.close();
  await demo.site?.close();
  await demo.worker?.stop();
  await demo.health?.close();
});

const health = (path) => fetch(`http://127.0.0.1:${HEALTH_PORT}${path}`, { method: 'POST' });

/** Ticks until the probe declares `state` for the demo's endpoint. */
async function tickUntil(state) {
  for (let tick = 0; tick < 6; tick += 1) {
    await demo.worker.tick();
    const status = await demo.worker.status();
    if (status.endpoints[0].state === state) return status.endpoints[0];
  }
  throw new Error(`the probe never declared ${state}`);
}

/** A page whose clock the test moves: the site reads the probe every 15 s when calm. */
async function clockedPage(options = {}) {
  const page = await openPage(demo.browser, demo.site.origin, { timezoneId: 'UTC', acceptDownloads: true, ...options });
  await page.clock.install({ time: Date.now() });
  return page;
}

const row = (page, name) => page.locator('.probe-endpoint', { has: page.locator('.probe-name', { hasText: name }) });

describe('the site shows the probe, and an outage starts its incident', () => {
  let page;
  let incidentUrl;
  let outageLink;
  let down;

  test('1. the home page shows every endpoint the probe watches', async () => {
    await tickUntil('up');
    page = await clockedPage();
    await page.goto(`${demo.site.origin}/`);
    await page.waitForSelector('html.app-ready');
    await row(page, 'api').locator('.probe-state', { hasText: 'up' }).waitFor();
    assert.match(await page.locator('.probe .probe-fresh').innerText(), /^as of \d\d:\d\d$/);
  });

  test('2. break the demo: the strip says down within one refresh, with the failing regions', async () => {
    await health('/demo/down');
    down = await tickUntil('down');
    await page.clock.runFor(REFRESH_MS);
    const api = row(page, 'api');
    await api.locator('.probe-state', { hasText: 'down' }).waitFor();
    assert.equal(await api.locator('.probe-regions').innerText(), 'failing in weur, enam, apac');
    assert.equal(await api.locator('.probe-cause').innerText(), 'HTTP 503');
  });

  test('2b. the strip shows the 90-day bar, today coloured by the outage, its date and uptime on focus', async () => {
    // The bars are read on start and every five minutes: a visit now shows the outage.
    await page.goto(`${demo.site.origin}/`);
    await page.waitForSelector('html.app-ready');
    const cells = row(page, 'api').locator('.bar .cell');
    const today = cells.last();
    await row(page, 'api').locator('.bar .cell.down:last-child').waitFor();
    assert.equal(await cells.count(), 90);
    const tip = today.locator('.tip');
    assert.ok((await tip.boundingBox()).width <= 1, 'the date and uptime wait for hover or focus');
    await today.focus();
    assert.ok((await tip.boundingBox()).width > 100, 'focus shows them');
    assert.match(await tip.innerText(), /^\d{4}-\d\d-\d\d: \d+(\.\d\d)?% up, down at times$/);
    assert.equal(await row(page, 'api').locator('.bar .cell[tabindex="0"]').count(), 1, 'only the day with trouble is a tab stop');
  });

  test('3. the status page links the outage to its runbook section with the outage filled in', async () => {
    const html = await (await fetch(`${demo.worker.origin}/`)).text();
    const href = /href="(http:\/\/127\.0\.0\.1:8080\/r\/incident-response\/\?[^"]+)"/.exec(html)?.[1]?.replaceAll('&amp;', '&');
    assert.ok(href, 'the status page links the endpoint in trouble');
    const url = new URL(href);
    assert.equal(url.searchParams.get('EC2_HOST'), 'localhost', "the endpoint's host value");
    assert.equal(url.searchParams.get('outage'), `1~api~down~${down.since}~${down.declared_at}~weur.enam.apac~HTTP 503`);
    assert.equal(url.hash, '#complete-service-outage-sev1');
    // The status page itself, on the narrowest phone: the bar and each region's line fit.
    const phone = await openPage(demo.browser, demo.worker.origin, { viewport: { width: 320, height: 700 } });
    await phone.goto(`${demo.worker.origin}/`);
    const cut = await phone.evaluate(() =>
      [...document.querySelectorAll('.regions li > *, .bar-wrap, .runbook a')]
        .filter((e) => e.scrollWidth > e.clientWidth + 1 || e.getBoundingClientRect().right > document.documentElement.clientWidth)
        .map((e) => e.className || e.tagName),
    );
    assert.deepEqual(cut, [], 'nothing on the status page is cut at 320 px');
    assert.equal(await phone.locator('svg.spark').count(), 3, 'a latency line for each region');
    await phone.context().close();
    // The site's own strip links to the same place.
    const strip = await row(page, 'api').locator('a.probe-action').getAttribute('href');
    assert.equal(strip, url.pathname + url.search + url.hash);
    outageLink = strip;
  });

  test('3b. on a phone, the link opens at the scenario with the start button in reach and nothing covered', async () => {
    const phone = await openPage(demo.browser, demo.site.origin, { viewport: { width: 390, height: 844 } });
    await phone.goto(demo.site.origin + outageLink);
    await phone.waitForSelector('html.app-ready');
    const button = phone.getByRole('button', { name: 'Start incident from this outage' });
    await button.waitFor();
    const heading = phone.locator('#complete-service-outage-sev1');
    const [b, h, panel] = await Promise.all([button.boundingBox(), heading.boundingBox(), phone.locator('.outage-panel').boundingBox()]);
    assert.ok(b.y >= 0 && b.y + b.height <= 844 && b.x >= 0 && b.x + b.width <= 390, `the button is on screen: ${JSON.stringify(b)}`);
    assert.ok(h.y >= 0 && h.y + h.height <= panel.y, `the scenario's heading is on screen, above the panel: ${JSON.stringify({ h, panel })}`);
    // The end of the page can still be scrolled out from under the docked panel.
    await phone.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    const lastBox = await phone.locator('article.doc > :not(.outage-panel)').last().boundingBox();
    const panelAtEnd = await phone.locator('.outage-panel').boundingBox();
    assert.ok(lastBox.y + lastBox.height <= panelAtEnd.y, 'the last of the runbook is not hidden under the panel');
    assert.deepEqual(phone.problems, []);
    await phone.context().close();
  });

  test('4. "Start incident from this outage" starts it at the onset, at SEV1, with the host and the probe in its timeline', async () => {
    await page.goto(demo.site.origin + outageLink);
    await page.waitForSelector('html.app-ready');
    const panel = page.getByRole('region', { name: 'Outage reported by the probe' });
    assert.equal(await panel.locator('.outage-headline').innerText(), 'api down from weur, enam, apac: HTTP 503');
    assert.match(await panel.locator('.outage-when').innerText(), /SEV1 suggested by this runbook's severity table/);
    await panel.getByRole('button', { name: 'Start incident from this outage' }).click();
    await page.waitForURL(/\/i\/[a-z0-9]+$/);
    incidentUrl = page.url();
    assert.equal(await page.locator('#severity-picker').inputValue(), 'SEV1');
    assert.equal(await page.getByLabel('EC2_HOST', { exact: true }).inputValue(), 'localhost');
    const elapsed = Math.floor((await page.evaluate(() => Date.now())) / 1000) - down.since;
    const [minutes, seconds] = (await page.locator('.elapsed').innerText()).split(':').map(Number);
    assert.ok(Math.abs(minutes * 60 + seconds - elapsed) <= 5, 'the clock runs from the onset, not from the click');
    assert.match((await page.locator('.probe-live').textContent()).trim(), /^Probe: down since \d\d:\d\d · as of/);
  });

  test('5. the same link again opens the incident it started', async () => {
    await page.goto(demo.site.origin + outageLink);
    await page.waitForURL(incidentUrl);
  });

  test('5b. a colleague who opens the incident\'s share link follows the probe too', async () => {
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: demo.site.origin });
    await page.getByRole('button', { name: 'Copy share link' }).click();
    await page.getByRole('button', { name: 'Copied' }).first().waitFor();
    const link = await page.evaluate(() => navigator.clipboard.readText());
    const colleague = await openPage(demo.browser, demo.site.origin);
    await colleague.goto(link);
    await colleague.waitForURL(/\/i\/[a-z0-9]+$/);
    const live = colleague.locator('.probe-live');
    await live.waitFor();
    assert.match((await live.textContent()).trim(), /^Probe: down since \d\d:\d\d/);
    assert.deepEqual(colleague.problems, []);
    await colleague.context().close();
  });

  test('5c. the customer update is posted from the cockpit: the status page, feed and Statuspage JSON show it', async () => {
    const incidentId = incidentUrl.split('/i/')[1];
    const form = page.getByRole('region', { name: 'Communication template', exact: true });
    await form.getByLabel('Brief description').fill('Debates fail for é users → all regions');
    await form.getByLabel("What's broken, who's affected").fill('Every debate fails');
    await form.getByRole('button', { name: 'Post to status page' }).click();
    // The token is asked for once; a wrong one is said and asked for again.
    await form.getByLabel('Status page token').fill('not-the-token');
    await form.getByRole('button', { name: 'Save and post' }).click();
    await form.getByRole('alert').filter({ hasText: 'The status page refused the token' }).waitFor();
    await form.getByLabel('Status page token').fill(UPDATES_TOKEN);
    await form.getByRole('button', { name: 'Save and post' }).click();
    const done = form.locator('.status-post-done');
    await done.waitFor();
    assert.match(await done.innerText(), /^Posted to the status page at \d\d:\d\d as Investigating \(update 1\)\. Open the status page/);
    // The token lives in this browser only: no file of the built site carries it.
    const files = (await readdir(DEMO_DIST, { recursive: true, withFileTypes: true })).filter((f) => f.isFile());
    for (const file of files) {
      const bytes = await readFile(join(file.parentPath, file.name));
      assert.ok(!bytes.includes(UPDATES_TOKEN), `${file.name} carries the token`);
    }
    assert.equal(await page.evaluate(() => localStorage.getItem('outpost.status-token')), UPDATES_TOKEN);
    // Within a minute everywhere the public reads: here, at once.
    const summary = await (await fetch(`${demo.worker.origin}/api/v2/summary.json`)).json();
    const posted = summary.incidents.find((i) => i.id === `posted-${incidentId}`);
    assert.ok(posted, `the summary lists the update: ${JSON.stringify(summary.incidents.map((i) => i.id))}`);
    assert.equal(posted.name, 'Debates fail for é users → all regions');
    assert.equal(posted.impact, 'critical', 'SEV1, from the outage');
    assert.deepEqual(posted.components.map((c) => c.name), ['api']);
    assert.match(posted.incident_updates[0].body, /^INCIDENT: Debates fail for é users → all regions\nSEVERITY: SEV1\nIMPACT: Every debate fails\nSTATUS: Investigating/);
    const feed = await (await fetch(`${demo.worker.origin}/feed.atom`)).text();
    assert.ok(feed.includes(`<id>urn:outpost:update:${incidentId}</id>`));
    const statusPage = await (await fetch(`${demo.worker.origin}/`)).text();
    assert.ok(statusPage.includes('Debates fail for é users → all regions'));
    // The home page's strip shows it with its time.
    const home = await openPage(demo.browser, demo.site.origin);
    await home.goto(`${demo.site.origin}/`);
    const item = home.locator('.probe .posted-item');
    await item.waitFor();
    assert.match(await item.innerText(), /^INVESTIGATING\s+Debates fail for é users → all regions\s+posted \d\d:\d\d\s+INCIDENT: Debates fail/);
    assert.deepEqual(home.problems, []);
    await home.context().close();
  });

  test('6. repair the demo: the cockpit says it recovered, and the post-mortem has the probe times', async () => {
    await health('/demo/up');
    const up = await tickUntil('up');
    await page.clock.runFor(REFRESH_MS);
    const recovered = page.locator('.probe-recovered');
    await recovered.waitFor();
    // Wherever the reader is in the runbook, the offer is on screen.
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight / 2));
    const box = await recovered.boundingBox();
    const viewport = page.viewportSize();
    assert.ok(box.y >= 0 && box.y + box.height <= viewport.height, `the recovery is in view: ${JSON.stringify(box)}`);
    await recovered.getByRole('button', { name: 'Resolve the incident' }).click();
    await page.locator('.resolved-banner').waitFor();
    // Resolving posts the resolution to the status page, which then lists nothing open.
    await page.locator('.status-post-done', { hasText: 'Posted the resolution to the status page.' }).waitFor();
    const summary = await (await fetch(`${demo.worker.origin}/api/v2/summary.json`)).json();
    assert.deepEqual(summary.incidents.filter((i) => i.id.startsWith('posted-')), []);
    const all = await (await fetch(`${demo.worker.origin}/api/v2/incidents.json`)).json();
    const closed = all.incidents.find((i) => i.id === `posted-${incidentUrl.split('/i/')[1]}`);
    assert.equal(closed.status, 'resolved');
    assert.match(closed.incident_updates[0].body, /^Resolved\. The incident lasted \d+m\.$/);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('section.template.post-mortem').getByRole('button', { name: 'Download .md' }).click(),
    ]);
    const text = await readFile(await download.path(), 'utf8');
    const timeline = text.split('### Timeline\n')[1].split('\n\n')[0];
    const hhmm = (seconds) => new Date(seconds * 1000).toISOString().slice(11, 16);
    assert.ok(timeline.includes(`- ${hhmm(down.since)} - api down from weur, enam, apac: HTTP 503 (probe)`), timeline);
    assert.ok(timeline.includes(`- ${hhmm(down.declared_at)} - The probe declared api down`), timeline);
    assert.ok(timeline.includes(`- ${hhmm(up.since)} - api recovered (probe)`), timeline);
    // The one refusal is the wrong token typed on purpose in 5c.
    assert.equal(page.problems.filter((p) => p.includes('status of 401')).length, 1, page.problems.join('\n'));
    assert.deepEqual(page.problems.filter((p) => !p.includes('status of 401')), []);
  });

  test('7. with the probe unreachable, the strip shows the last known status and its age', async () => {
    await page.context().route(`http://127.0.0.1:${WORKER_PORT}/**`, (route) => route.abort());
    await page.goto(`${demo.site.origin}/`);
    await page.waitForSelector('html.app-ready');
    const fresh = page.locator('.probe .probe-fresh');
    await fresh.filter({ hasText: 'probe unreachable' }).waitFor();
    assert.match(await fresh.innerText(), /^as of \d\d:\d\d — probe unreachable$/);
    await row(page, 'api').locator('.probe-state', { hasText: 'up' }).waitFor();
  });
});

describe('a probe that answers nonsense', () => {
  const answers = [
    ['JSON that is not a status', '{"endpoints": "all fine"}'],
    ['not JSON at all', '<html>502 Bad Gateway</html>'],
    ['an answer larger than any probe sends', `{"title":"${'x'.repeat(3 * 1024 * 1024)}"}`],
  ];
  for (const [name, body] of answers) {
    test(`${name}: the page works, says the probe is unreachable, and keeps no nonsense`, async () => {
      const page = await openPage(demo.browser, demo.site.origin);
      // What an earlier visit left in storage is damaged too.
      await page.addInitScript(() => {
        localStorage.setItem('outpost.probe', 'yesterday\n{not json');
        localStorage.setItem('outpost.probe.pictures', '12\n[1,2,3]');
      });
      await page.context().route(`http://127.0.0.1:${WORKER_PORT}/api/**`, (route) =>
        route.fulfill({ status: 200, contentType: 'application/json', headers: { 'access-control-allow-origin': '*' }, body }),
      );
      await page.goto(`${demo.site.origin}/`);
      await page.waitForSelector('html.app-ready');
      await page.locator('.probe .probe-fresh', { hasText: 'probe unreachable, no status yet' }).waitFor();
      assert.equal(await page.locator('.probe-endpoint').count(), 0);
      await page.locator('.runbook-card').first().waitFor();
      assert.equal(await page.evaluate(() => localStorage.getItem('outpost.probe')), 'yesterday\n{not json', 'nothing read was kept');
      assert.deepEqual(page.problems.filter((p) => !p.includes('Failed to load resource')), []);
      await page.context().close();
    });
  }
});

describe('outage links that cannot be used', () => {
  const now = () => Math.floor(Date.now() / 1000);
  const cases = [
    ['a damaged link', () => '1~api~down~soon~later~weur~HTTP 503', /its times are not times/],
    ['an endpoint the probe does not have', () => `1~billing~down~${now() - 60}~${now()}~weur~HTTP 503`, /no endpoint named "billing"/],
    ['an outage from the future', () => `1~api~down~${now() + 3600}~${now() + 3600}~weur~HTTP 503`, /began in the future/],
    ['a newer format', () => `9~api~down~${now() - 60}~${now()}~weur~x`, /newer or unknown version/],
  ];
  for (const [name, value, reason] of cases) {
    test(`${name} says why and changes nothing`, async () => {
      const page = await openPage(demo.browser, demo.site.origin);
      await page.goto(`${demo.site.origin}/r/incident-response/?outage=${encodeURIComponent(value())}`);
      await page.waitForSelector('html.app-ready');
      const notice = page.locator('.outage-refused');
      await notice.waitFor();
      assert.match(await notice.innerText(), reason);
      assert.match(await notice.innerText(), /Nothing was changed\.$/);
      assert.equal(await page.getByRole('region', { name: 'Outage reported by the probe' }).count(), 0);
      assert.equal(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('outpost.incident.')).length), 0);
      assert.deepEqual(page.problems, []);
      await page.context().close();
    });
  }

  test('markup in a cause shows as text and never runs', async () => {
    const page = await openPage(demo.browser, demo.site.origin);
    const cause = '<img src=x onerror="window.ran=1">';
    const value = `1~api~down~${now() - 60}~${now()}~weur~${cause}`;
    await page.goto(`${demo.site.origin}/r/incident-response/?outage=${encodeURIComponent(value)}`);
    await page.waitForSelector('html.app-ready');
    const headline = page.locator('.outage-headline');
    await headline.waitFor();
    assert.equal(await headline.innerText(), `api down from weur: ${cause}`);
    assert.equal(await page.locator('.outage-panel img').count(), 0);
    assert.equal(await page.evaluate(() => window.ran), undefined);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });
});
