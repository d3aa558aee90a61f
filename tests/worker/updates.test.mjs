// Status updates under workerd: `POST /api/updates` as `curl` and the cockpit send it, shown
// on the status page, in the feed and in the Statuspage JSON at once; refused with the reason
// (and nothing saved) when the token, the body or a limit is wrong; and what a post costs by
// the platform's own meter.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startHealthServer } from '../../worker/demo/health.mjs';
import { startWorker } from './harness.mjs';

const TOKEN = 'updates-token';
const HOSTILE = '<script>alert(1)</script> ]]> & "q" é → ├── 🚀 שלום עולם';

describe('status updates', () => {
  let health;
  let worker;
  const post = (body, token = TOKEN, extra = {}) =>
    fetch(`${worker.origin}/api/updates`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...extra },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const summary = () => fetch(`${worker.origin}/api/v2/summary.json`).then((r) => r.json());

  before(async () => {
    health = await startHealthServer();
    const config = `[[endpoint]]\nname = "api"\nurl = "http://localhost:${health.port}/api/health"\ntimeout_ms = 2000\n`;
    worker = await startWorker(config, { UPDATES_TOKEN: TOKEN });
    await worker.tick();
  });
  after(async () => {
    await worker?.stop();
    await health?.close();
  });

  test('a browser on the site may post: the preflight allows POST with the token header', async () => {
    const preflight = await fetch(`${worker.origin}/api/updates`, {
      method: 'OPTIONS',
      headers: { origin: 'https://runbooks.example.com', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
    });
    assert.equal(preflight.status, 200);
    assert.match(preflight.headers.get('access-control-allow-methods'), /POST/);
    assert.match(preflight.headers.get('access-control-allow-headers'), /Authorization/);
    assert.equal(preflight.headers.get('access-control-allow-origin'), '*');
  });

  test('a wrong token, an unreadable body, a hostile name or an oversized body is refused with the reason, and nothing shows', async () => {
    const good = { incident: 'x', status: 'investigating', text: 'hello' };
    const cases = [
      [await post(good, 'wrong'), 401, /bearer token/],
      [await post(good, ''), 401, /bearer token/],
      [await post('{not json'), 400, /not readable/],
      [await fetch(`${worker.origin}/api/updates`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } }), 400, /not readable/],
      [await post({ ...good, status: 'on fire' }), 400, /not readable/],
      [await post({ ...good, incident: '../..' }), 400, /may hold only letters/],
      [await post({ ...good, endpoints: ['billing'] }), 400, /no endpoint is named "billing"; the config has: api/],
      [await post({ ...good, text: 'é'.repeat(2001) }), 400, /2001 characters; an update holds at most 2000/],
      [await post({ ...good, text: 'x'.repeat(70_000) }), 413, /larger than this route reads/],
    ];
    for (const [response, status, message] of cases) {
      const body = await response.json();
      assert.equal(response.status, status, JSON.stringify(body));
      assert.match(body.error, message);
    }
    assert.deepEqual((await worker.status()).posted, [], 'nothing refused was saved');
  });

  test('an update shows at once on the status page, the feed and the Statuspage JSON, escaped', async () => {
    const response = await post({ incident: '2026-12-04-api', title: 'API errors', status: 'investigating', severity: 'SEV2', endpoints: ['api'], text: HOSTILE });
    assert.equal(response.status, 200);
    // A browser on the site reads the answer only with CORS on it.
    assert.equal(response.headers.get('access-control-allow-origin'), '*');
    const saved = await response.json();
    assert.equal(saved.updates.length, 1);
    const status = await worker.status();
    assert.equal(status.posted[0].updates[0].text, HOSTILE);
    const incident = (await summary()).incidents.find((i) => i.id === 'posted-2026-12-04-api');
    assert.ok(incident, 'the summary lists the open incident');
    assert.equal(incident.impact, 'major');
    assert.equal(incident.incident_updates[0].body, HOSTILE);
    assert.equal(incident.components[0].name, 'api');
    const page = await (await fetch(`${worker.origin}/`)).text();
    assert.ok(!page.includes('<script>alert'), 'no markup from an update on the page');
    assert.ok(page.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
    assert.ok(page.includes('é → ├── 🚀 שלום עולם'));
    const feed = await (await fetch(`${worker.origin}/feed.atom`)).text();
    assert.ok(feed.includes('<id>urn:outpost:update:2026-12-04-api</id>'));
    assert.ok(feed.includes('<title>Investigating: API errors</title>'));
    assert.ok(!feed.includes('<script>') && !feed.includes(']]>'));
  });

  test('later updates append, newest first; "resolved" closes the incident and the summary lets it go', async () => {
    assert.equal((await post({ incident: '2026-12-04-api', status: 'identified', text: 'A bad deploy; rolling back.' })).status, 200);
    const resolved = await (await post({ incident: '2026-12-04-api', status: 'resolved', text: 'Fixed.' })).json();
    assert.deepEqual(resolved.updates.map((u) => [u.number, u.status]), [[1, 'investigating'], [2, 'identified'], [3, 'resolved']]);
    assert.equal(resolved.title, 'API errors', 'the title stays');
    assert.equal((await summary()).incidents.filter((i) => i.id.startsWith('posted-')).length, 0);
    const all = await (await fetch(`${worker.origin}/api/v2/incidents.json`)).json();
    const closed = all.incidents.find((i) => i.id === 'posted-2026-12-04-api');
    assert.equal(closed.status, 'resolved');
    assert.deepEqual(closed.incident_updates.map((u) => u.body), ['Fixed.', 'A bad deploy; rolling back.', HOSTILE]);
    const page = await (await fetch(`${worker.origin}/`)).text();
    assert.match(page, /<details class="posted-incident resolved">/);
  });

  test('a post writes at most three rows and the views read it back from memory, by the platform meter', async () => {
    const before = (await worker.meta()).monitor.meter;
    assert.equal((await post({ incident: 'metered', status: 'investigating', text: 'Counting rows.' })).status, 200);
    const after = (await worker.meta()).monitor.meter;
    const written = after.rows_written - before.rows_written;
    console.log(`a post wrote ${written} rows as the platform meters them`);
    assert.ok(written >= 1 && written <= 3, `a post wrote ${written} rows`);
    await worker.status();
    // A refused post clears this isolate's copy of the status, so the next read reaches the
    // monitor; having saved nothing, the monitor answers from memory.
    assert.equal((await post({ incident: 'metered', status: 'investigating', text: '' })).status, 400);
    const read = (await worker.meta()).monitor.meter;
    const again = await worker.status();
    assert.equal(again.posted.find((p) => p.key === 'metered').updates.length, 1);
    const after2 = (await worker.meta()).monitor;
    assert.equal(after2.meter.rows_read - read.rows_read, 0, 'no row read: the posted incidents come from memory');
  });
});

describe('status updates without UPDATES_TOKEN', () => {
  test('the route is off and says which secret turns it on', async () => {
    const worker = await startWorker('[[endpoint]]\nname = "api"\nurl = "http://localhost:9/"\n');
    try {
      const response = await fetch(`${worker.origin}/api/updates`, {
        method: 'POST',
        headers: { authorization: 'Bearer anything', 'content-type': 'application/json' },
        body: JSON.stringify({ incident: 'x', status: 'investigating', text: 'hello' }),
      });
      assert.equal(response.status, 403);
      assert.match((await response.json()).error, /set the UPDATES_TOKEN secret/);
    } finally {
      await worker.stop();
    }
  });
});
