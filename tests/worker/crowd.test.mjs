// The external view when everyone looks: every answer says how long a cache may keep it, a
// reached limit still gives people a page with the last status and its age (never a JSON
// error), and a crowd costs the monitor a bounded number of reads whatever its size.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startHealthServer } from '../../worker/demo/health.mjs';
import { startWorker, until } from './harness.mjs';

const post = (worker, path) => fetch(`${worker.origin}${path}`, { method: 'POST' });

describe('answers a cache can keep', () => {
  let health;
  let worker;
  before(async () => {
    health = await startHealthServer();
    worker = await startWorker(`[probe]\ninterval_seconds = 20\n\n[[endpoint]]\nname = "api"\nurl = "http://localhost:${health.port}/api/health"\ntimeout_ms = 1000\n`);
    await worker.tick();
  });
  after(async () => {
    await worker?.stop();
    await health?.close();
  });

  test('status, page, badges and feed are cacheable for what is left of 5 s; writes and meters never', async () => {
    for (const path of ['/', '/api/status', '/api/pictures', '/badge.svg', '/api/v2/summary.json', '/feed.atom']) {
      const response = await fetch(`${worker.origin}${path}`);
      assert.equal(response.status, 200, path);
      assert.match(response.headers.get('cache-control'), /^public, max-age=[1-5], stale-if-error=86400$/, path);
      assert.equal(response.headers.get('cache-tag'), 'outpost-status', path);
    }
    const meta = await fetch(`${worker.origin}/api/meta`);
    assert.equal(meta.status, 401, 'the meters ask every object: only with the token');
    assert.equal(meta.headers.get('cache-control'), 'no-store');
    const probe = await fetch(`${worker.origin}/api/probe`, { method: 'POST' });
    assert.equal(probe.headers.get('cache-control'), 'no-store');
  });

  test('when the monitor cannot answer, people get the last status with its age, machines too', async () => {
    assert.equal((await fetch(`${worker.origin}/api/status`)).status, 200, 'a good answer first');
    await post(worker, '/__test/limit/on');
    try {
      const page = await fetch(`${worker.origin}/`);
      assert.equal(page.status, 200);
      assert.match(page.headers.get('content-type'), /text\/html/);
      assert.equal(page.headers.get('cache-control'), 'no-store', 'never cached in place of a fresh page');
      const html = await page.text();
      assert.match(html, /The probe could not answer just now/);
      assert.match(html, /This is the last status it gave, \d+ s ago/);
      assert.match(html, /<span class="name">api<\/span>/);
      const status = await fetch(`${worker.origin}/api/status`);
      assert.equal(status.status, 200);
      assert.ok(Number(status.headers.get('outpost-stale-seconds')) >= 0, 'says how old it is');
      assert.equal((await status.json()).endpoints[0].name, 'api');
      const badge = await fetch(`${worker.origin}/badge/api.svg`);
      assert.equal(badge.status, 200);
      assert.match(badge.headers.get('content-type'), /image\/svg\+xml/);
    } finally {
      await post(worker, '/__test/limit/off');
    }
    await until(() => /"event":"monitor_unreachable"/.test(worker.log()), 'the log line saying why');
  });
});

describe('a limit reached before anything was known', () => {
  test('the page says the status is unavailable, in HTML, and badges still draw', async () => {
    const health = await startHealthServer();
    const worker = await startWorker(`[[endpoint]]\nname = "api"\nurl = "http://localhost:${health.port}/api/health"\ntimeout_ms = 1000\n`);
    try {
      // Nothing read yet (the harness's readiness check does not ask the monitor).
      await post(worker, '/__test/limit/on');
      const page = await fetch(`${worker.origin}/`);
      const html = await page.text();
      assert.equal(page.status, 503, 'a cache in front may serve its own last copy instead');
      assert.match(page.headers.get('content-type'), /text\/html/);
      assert.match(html, /Status unavailable/);
      assert.match(html, /could not answer just now/);
      const badge = await fetch(`${worker.origin}/badge.json`).then((r) => r.json());
      assert.equal(badge.message, 'unavailable');
    } finally {
      await worker.stop();
      await health.close();
    }
  });
});
