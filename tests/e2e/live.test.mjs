// The live room with the real parts: the worker under workerd on 127.0.0.1:8787 (the demo's
// probe, which the demo site's policy allows), the demo site, and two Chromium pages. Ana
// goes live and Ben joins from the link; a check by one shows on the other's screen; Ben's
// connection drops (cut by the test, as a train tunnel would), he checks three steps and
// writes a field while Ana changes severity, and when he is back both screens end identical
// with everything. A wrong secret is said so.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startWorker } from '../worker/harness.mjs';
import { ROOT, gotoApp, launchBrowser, openPage, serveDist } from './harness.mjs';

const DEMO_DIST = process.env.OUTPOST_DEMO_DIST ?? join(ROOT, 'target/dist-demo');
const WORKER_PORT = 8787;
const RUNBOOK = '/r/incident-response/';

const stepBox = (page, label) => page.getByLabel(`Done: ${label}`, { exact: true });
const savedIncident = (page) =>
  page.evaluate(() => {
    const key = Object.keys(localStorage).find((k) => k.startsWith('outpost.incident.'));
    return key && localStorage.getItem(key);
  });
const liveStatus = (page) => page.locator('.live-status');

const demo = {};
before(async () => {
  const config = await readFile(join(ROOT, 'worker/demo/outpost.demo.toml'), 'utf8');
  demo.worker = await startWorker(config, { PROBE_TOKEN: 'demo-token' }, { port: WORKER_PORT });
  demo.site = await serveDist(DEMO_DIST);
  demo.browser = await launchBrowser();
});
after(async () => {
  await demo.browser?.close();
  await demo.site?.close();
  await demo.worker?.stop();
});

/**
 * A page whose connections to the room the test can cut: while `cut.on`, every socket to a
 * room is closed as a dropped network closes it, and new ones fail the same way.
 */
async function cuttablePage() {
  const page = await openPage(demo.browser, demo.site.origin);
  const cut = { on: false, sockets: [] };
  await page.routeWebSocket(/\/api\/rooms\//, (socket) => {
    if (cut.on) {
      socket.close({ code: 1001, reason: 'network down' });
      return;
    }
    const server = socket.connectToServer();
    cut.sockets.push([socket, server]);
  });
  // The page's side drops at once; the room's side stays open, as the room would not hear of
  // a dropped network until much later.
  page.cut = async (on) => {
    cut.on = on;
    if (on) for (const [socket] of cut.sockets.splice(0)) await socket.close({ code: 1001, reason: 'network down' });
  };
  return page;
}

describe('the live room in the browser', () => {
  let ana;
  let ben;
  let link;

  test('Ana goes live, Ben joins from the link, and both see who is here', async () => {
    ana = await cuttablePage();
    await gotoApp(ana, RUNBOOK);
    await ana.getByRole('button', { name: 'Start incident' }).click();
    await ana.waitForURL(/\/i\/[a-z0-9]+$/);
    await ana.getByRole('button', { name: 'Go live' }).click();
    await ana.getByLabel('Your name, shown to the others in the room').fill('Ana');
    await ana.getByRole('button', { name: 'Go live' }).click();
    await liveStatus(ana).filter({ hasText: 'live · 1 here' }).waitFor();
    link = ana.url();
    assert.match(link, /\/i\/[a-z0-9]+#live=[0-9a-f]{32}\.[0-9a-f]{32}$/);

    ben = await cuttablePage();
    await ben.goto(link);
    await ben.getByRole('heading', { name: 'Joining a live incident' }).waitFor();
    await ben.getByLabel('Your name, shown to the others in the room').fill('Ben → مريم');
    await ben.getByRole('button', { name: 'Join' }).click();
    await liveStatus(ben).filter({ hasText: 'live · 2 here' }).waitFor();
    await liveStatus(ana).filter({ hasText: 'live · 2 here' }).waitFor();
    assert.equal(await liveStatus(ana).getAttribute('title'), 'Ana, Ben → مريم');
    assert.deepEqual(ana.problems, []);
    assert.deepEqual(ben.problems, []);
  });

  test('a step Ana checks shows checked on Ben’s screen, with who did it', async () => {
    await stepBox(ana, 'Quick health check all services').check();
    await ben.waitForFunction(() => document.querySelector('[aria-label="Done: Quick health check all services"]')?.checked);
    await ben.locator('.live-by', { hasText: 'last change by Ana' }).waitFor();
    // The step itself says who checked it, on both screens.
    for (const page of [ana, ben]) {
      const by = page.locator('.step-check', { has: stepBox(page, 'Quick health check all services') }).locator('.checked-by');
      await by.filter({ hasText: 'Ana' }).waitFor();
    }
    assert.equal(await savedIncident(ben), await savedIncident(ana));
  });

  test('Ben works offline while Ana changes severity; back online, both end identical with everything', async () => {
    await ben.cut(true);
    await liveStatus(ben).filter({ hasText: /^offline/ }).waitFor();
    for (const label of ['Number of users affected', 'Core functionality impacted', 'Notify stakeholders']) {
      await stepBox(ben, label).check();
    }
    const form = ben.getByRole('region', { name: 'Communication template', exact: true });
    await form.getByLabel('Brief description').fill('Checkout returns 502 → é');
    await form.getByLabel('Brief description').blur();
    await liveStatus(ben).filter({ hasText: 'offline — your changes will be sent' }).waitFor();
    await ana.selectOption('#severity-picker', 'SEV1');
    await ben.cut(false);
    await liveStatus(ben).filter({ hasText: 'live · 2 here' }).waitFor({ timeout: 20_000 });
    const checked = (page) =>
      page.evaluate(() => [...document.querySelectorAll('input[aria-label^="Done: "]:checked')].map((box) => box.getAttribute('aria-label')).sort());
    const everything = [
      'Done: Core functionality impacted',
      'Done: Notify stakeholders',
      'Done: Number of users affected',
      'Done: Quick health check all services',
    ];
    await ana.waitForFunction((n) => document.querySelectorAll('input[aria-label^="Done: "]:checked').length === n, everything.length);
    assert.deepEqual(await checked(ana), everything);
    assert.deepEqual(await checked(ben), everything);
    assert.equal(await ben.locator('#severity-picker').inputValue(), 'SEV1', 'Ana’s severity reached Ben');
    const anaForm = ana.getByRole('region', { name: 'Communication template', exact: true });
    await ana.waitForFunction(() => [...document.querySelectorAll('input, textarea')].some((f) => f.value === 'Checkout returns 502 → é'));
    assert.equal(await anaForm.getByLabel('Brief description').inputValue(), 'Checkout returns 502 → é');
    assert.equal(await savedIncident(ben), await savedIncident(ana), 'the two copies are the same incident');
    // Who did what, in the post-mortem's timeline: Ben's offline checks are his, the
    // severity Ana's.
    const timeline = await ana.locator('.template.post-mortem .template-preview').textContent();
    assert.match(timeline, /Done: Quick health check all services \(by Ana\)/);
    assert.match(timeline, /Done: Notify stakeholders \(by Ben → مريم\)/);
    assert.match(timeline, /Severity set to SEV1 \(by Ana\)/);
  });

  test('what Ana types key by key reaches Ben whole, within the room’s pace', async () => {
    const field = ana.getByRole('region', { name: 'Communication template', exact: true }).getByLabel('Brief description');
    await field.fill('');
    const text = 'Payments API: 502 on every checkout since 14:02 → rolling back';
    await field.pressSequentially(text, { delay: 15 });
    await ben.waitForFunction((t) => [...document.querySelectorAll('input, textarea')].some((f) => f.value === t), text);
    await ana.waitForFunction(() => document.querySelector('.live-status')?.textContent === 'live · 2 here');
    assert.equal(await savedIncident(ben), await savedIncident(ana));
  });

  test('a link to another room for an incident Ana holds asks first; “Not now” joins nothing and a reload goes back to her room', async () => {
    const id = new URL(ana.url()).pathname.split('/').at(-1);
    // Anyone who can open a room can make a link naming Ana's incident.
    const crafted = await fetch(`http://127.0.0.1:${WORKER_PORT}/api/rooms`, { method: 'POST', body: await savedIncident(ana) }).then((r) => r.json());
    const before = await savedIncident(ana);
    // (A new page load: a change of fragment alone is not one.)
    await ana.goto('about:blank');
    await ana.goto(`${demo.site.origin}/i/${id}#${crafted.fragment}`);
    const consent = ana.getByRole('group', { name: 'Join the live room' });
    await consent.getByText('Joining unites your copy with the room’s').waitFor();
    const meta = () => fetch(`http://127.0.0.1:${WORKER_PORT}/api/rooms/${crafted.room}/meta`, { headers: { authorization: 'Bearer demo-token' } }).then((r) => r.json());
    assert.equal((await meta()).connections, 0, 'not joined before a yes');
    await consent.getByRole('button', { name: 'Not now' }).click();
    await consent.waitFor({ state: 'detached' });
    assert.equal(await ana.evaluate(() => location.hash), '', 'the address no longer names the room');
    assert.equal((await meta()).connections, 0);
    assert.equal(await savedIncident(ana), before, 'her copy is as it was');
    // Her own room is offered again, not a new one: one tap and she is back.
    await ana.getByRole('button', { name: 'Join the room' }).click();
    await liveStatus(ana).filter({ hasText: 'live · 2 here' }).waitFor({ timeout: 20_000 });
    // And her own room's link, as she had it, rejoins without a question.
    await ana.goto('about:blank');
    await ana.goto(link);
    await liveStatus(ana).filter({ hasText: 'live · 2 here' }).waitFor({ timeout: 20_000 });
  });

  test('a link with a wrong secret says so, and changes nothing', async () => {
    const wrong = await openPage(demo.browser, demo.site.origin);
    await wrong.goto(link.replace(/\.([0-9a-f]{32})$/, `.${'0'.repeat(32)}`));
    await wrong.getByLabel('Your name, shown to the others in the room').fill('Mallory');
    await wrong.getByRole('button', { name: 'Join' }).click();
    await wrong.locator('.live-status.ended', { hasText: 'This link does not open the room: its secret is wrong.' }).waitFor();
    assert.equal(await liveStatus(ana).innerText(), 'live · 2 here');
    await wrong.context().close();
    await ana.context().close();
    await ben.context().close();
  });
});
