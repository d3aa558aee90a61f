// The real worker under workerd, probing real local servers that misbehave on purpose.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { startHealthServer } from '../../worker/demo/health.mjs';
import { freePort, startWorker, until } from './harness.mjs';

let health;
let worker;
let refusedPort;

const ENDPOINTS = {
  ok: '/api/health',
  error500: '/bad/500',
  slow: '/bad/slow',
  'slower-than-timeout': '/bad/slower-than-timeout',
  hangs: '/bad/hang',
  'invalid-json': '/bad/invalid-json',
  degraded: '/bad/degraded',
  huge: '/bad/huge',
  'redirect-loop': '/bad/redirect-loop',
  'apac-only': '/bad/apac-only',
};

function config() {
  const endpoints = Object.entries(ENDPOINTS).map(
    ([name, path]) => `[[endpoint]]\nname = "${name}"\nurl = "http://{HOST}:${health.port}${path}"\nassert = ['.status == "ok"']\nslow_ms = 800\ntimeout_ms = 2500\n`,
  );
  endpoints.push(`[[endpoint]]\nname = "refused"\nurl = "http://{HOST}:${refusedPort}/api/health"\ntimeout_ms = 2500\n`);
  return `[site]\ntitle = "Test <probe>"\n\n[variables]\nHOST = "localhost"\n\n[probe]\nregions = ["weur", "enam", "apac"]\nconfirm_seconds = 0\nrecover_seconds = 1\nflap_changes = 100\n\n${endpoints.join('\n')}`;
}

before(async () => {
  health = await startHealthServer();
  refusedPort = await freePort(); // nothing listens here
  worker = await startWorker(config(), { PROBE_TOKEN: 'test-token-123' });
});

after(async () => {
  await worker?.stop();
  await health?.close();
});

const byName = (status) => Object.fromEntries(status.endpoints.map((e) => [e.name, e]));
const kinds = (endpoint) => endpoint.regions.map((r) => r.outcome.kind);

describe('probing misbehaving servers', () => {
  test('every misbehaviour is classified, from every region', async () => {
    await worker.tick();
    const status = byName(await worker.status());
    const expected = {
      ok: 'ok',
      error500: 'http_status',
      slow: 'slow',
      'slower-than-timeout': 'timeout',
      hangs: 'timeout',
      'invalid-json': 'assertion_failed',
      degraded: 'assertion_failed',
      huge: 'body_too_large',
      'redirect-loop': 'redirect',
      refused: 'connection_failed',
    };
    for (const [name, kind] of Object.entries(expected)) {
      assert.deepEqual(kinds(status[name]), [kind, kind, kind], `${name}: ${JSON.stringify(status[name].regions)}`);
    }
    assert.equal(status.error500.regions[0].outcome.status, 500);
    assert.equal(status.degraded.regions[0].outcome.reason, '.status is "degraded", expected == "ok"');
    assert.match(status['invalid-json'].regions[0].outcome.reason, /body is not JSON/);
    assert.equal(status['redirect-loop'].regions[0].outcome.location, '/bad/redirect-loop');
    assert.deepEqual(kinds(status['apac-only']).sort(), ['http_status', 'ok', 'ok']);
    assert.deepEqual(status['apac-only'].regions.find((r) => r.outcome.kind !== 'ok').region, 'apac');
  });

  test('each request names its region, and a hanging endpoint delays no other', async () => {
    const regions = new Set(health.state.seen.filter((s) => s.path === '/api/health').map((s) => s.region));
    assert.deepEqual([...regions].sort(), ['apac', 'enam', 'weur']);
    const status = byName(await worker.status());
    for (const region of status.ok.regions) assert.ok(region.latency_ms < 800, `ok answered in ${region.latency_ms} ms`);
  });

  test('after the debounce, states say up, degraded, regional or down', async () => {
    await worker.tick();
    const status = byName(await worker.status());
    const states = Object.fromEntries(Object.entries(status).map(([name, e]) => [name, e.state]));
    assert.deepEqual(states, {
      ok: 'up',
      error500: 'down',
      slow: 'degraded',
      'slower-than-timeout': 'down',
      hangs: 'down',
      'invalid-json': 'down',
      degraded: 'down',
      huge: 'down',
      'redirect-loop': 'down',
      'apac-only': 'regional',
      refused: 'down',
    });
  });
});

describe('a scripted outage of the health server', () => {
  const state = async () => byName(await worker.status()).ok.state;

  test('one failing tick is a blip; two are down; recovery takes two good ticks', async () => {
    health.state.down = true;
    await worker.tick();
    assert.equal(await state(), 'up', 'one blip changes nothing');
    health.state.down = false;
    await worker.tick();
    health.state.down = true;
    await worker.tick();
    await worker.tick();
    assert.equal(await state(), 'down');
    health.state.down = false;
    await worker.tick();
    assert.equal(await state(), 'down', 'one good tick is not recovery');
    await worker.tick();
    assert.equal(await state(), 'up');
  });

  test('failing for one region only is regional, never down', async () => {
    health.state.failingRegion = 'enam';
    for (let i = 0; i < 4; i++) {
      await worker.tick();
      assert.notEqual(await state(), 'down');
    }
    assert.equal(await state(), 'regional');
    health.state.failingRegion = null;
    await worker.tick();
    await worker.tick();
    assert.equal(await state(), 'up');
  });

  test('the outages became incidents with start, end, regions and cause', async () => {
    const { incidents } = await fetch(`${worker.origin}/api/incidents`).then((r) => r.json());
    const mine = incidents.filter((i) => i.endpoint === 'ok');
    assert.equal(mine.length, 2);
    const [regional, down] = mine;
    assert.deepEqual([regional.worst, regional.regions, regional.cause], ['regional', ['enam'], 'HTTP 503']);
    assert.ok(regional.ended_at > regional.started_at);
    assert.deepEqual([down.worst, down.regions.sort(), down.cause], ['down', ['apac', 'enam', 'weur'], 'HTTP 503']);
    assert.ok(down.ended_at > down.started_at);
  });
});

describe('served routes', () => {
  test('status JSON has CORS and short caching', async () => {
    const response = await fetch(`${worker.origin}/api/status`);
    assert.equal(response.headers.get('access-control-allow-origin'), '*');
    assert.match(response.headers.get('cache-control'), /^public, max-age=\d+, stale-if-error=86400$/);
    const status = await response.json();
    assert.equal(status.title, 'Test <probe>');
    assert.deepEqual(status.regions, ['weur', 'enam', 'apac']);
  });

  test('history gives uptime and latency per region', async () => {
    const history = await fetch(`${worker.origin}/api/history/ok`).then((r) => r.json());
    assert.equal(history.endpoint, 'ok');
    assert.ok(history.uptime.last_24h > 50 && history.uptime.last_24h < 100, JSON.stringify(history.uptime));
    const latest = history.hourly.at(-1);
    assert.deepEqual(latest.latency.map((l) => l.region).sort(), ['apac', 'enam', 'weur']);
    assert.ok(latest.latency.every((l) => l.p50_ms > 0 && l.p50_ms <= l.p95_ms && l.p95_ms <= l.p99_ms));
    assert.equal((await fetch(`${worker.origin}/api/history/nope`)).status, 404);
  });

  test('pictures: 90 days per endpoint, today coloured by its worst state, a latency line per region', async () => {
    const pictures = await fetch(`${worker.origin}/api/pictures`).then((r) => r.json());
    const ok = pictures.endpoints.find((e) => e.name === 'ok');
    assert.equal(ok.days.length, 90);
    const today = ok.days.at(-1);
    assert.equal(today.start, Math.floor(pictures.generated_at / 86400) * 86400, 'the last cell is today');
    assert.equal(today.worst, 'down', 'the scripted outage colours today');
    assert.ok(today.uptime > 50 && today.uptime < 100, JSON.stringify(today));
    assert.ok(ok.days.slice(0, -1).every((d) => d.worst === null && d.uptime === null), 'no data before the first check');
    assert.deepEqual(ok.latency.map((l) => l.region), ['weur', 'enam', 'apac']);
    assert.ok(ok.latency.every((l) => l.p50_ms.length === 24 && l.p50_ms.some((ms) => ms > 0)), JSON.stringify(ok.latency));
    const html = await fetch(`${worker.origin}/`).then((r) => r.text());
    assert.equal(html.match(/<ol class="bar"/g).length, pictures.endpoints.length, 'every endpoint has its bar');
    assert.match(html, /<span class="tip">\d{4}-\d\d-\d\d: \d+\.\d\d% up, down at times<\/span>/);
    assert.match(html, /<svg class="spark"[^>]*role="img" aria-label="weur median latency over 24 hours: \d+ to \d+ ms"/);
  });

  test('the status page is plain HTML that needs no script and escapes what it shows', async () => {
    const response = await fetch(`${worker.origin}/`);
    assert.match(response.headers.get('content-type'), /text\/html/);
    assert.match(response.headers.get('content-security-policy'), /default-src 'none'/);
    const html = await response.text();
    assert.match(html, /<meta http-equiv="refresh" content="30">/);
    assert.match(html, /Test &lt;probe&gt;/);
    assert.match(html, /<p class="headline down">Major outage<\/p>/);
    assert.doesNotMatch(html, /<script/i);
  });

  test('probing on demand needs the bearer token', async () => {
    assert.equal((await fetch(`${worker.origin}/api/probe`, { method: 'POST' })).status, 401);
    const wrong = await fetch(`${worker.origin}/api/probe`, { method: 'POST', headers: { authorization: 'Bearer test-token-124' } });
    assert.equal(wrong.status, 401);
    const right = await fetch(`${worker.origin}/api/probe`, { method: 'POST', headers: { authorization: 'Bearer test-token-123' } });
    assert.equal(right.status, 200);
    assert.equal((await right.json()).endpoints.length, 11);
    assert.equal(right.headers.get('cache-control'), 'no-store');
  });

  test('there are no other writes and unknown routes say what exists', async () => {
    assert.equal((await fetch(`${worker.origin}/api/status`, { method: 'DELETE' })).status, 405);
    const missing = await fetch(`${worker.origin}/api/anything`);
    assert.equal(missing.status, 404);
    assert.ok((await missing.json()).routes.includes('/api/status'));
  });
});

describe('saved state that cannot be read', () => {
  const incidents = async () => (await fetch(`${worker.origin}/api/incidents`).then((r) => r.json())).incidents;

  test('the probe starts again, keeps the damaged copy aside, and carries on open outages under their ids', async () => {
    health.state.down = true;
    await worker.tick();
    await worker.tick();
    const before = await incidents();
    const open = before.find((i) => i.endpoint === 'ok' && i.ended_at == null);
    assert.ok(open, 'an outage of ok is open');

    assert.equal((await fetch(`${worker.origin}/__test/damage-state`, { method: 'POST' })).status, 200);
    const status = byName(await worker.status());
    assert.equal(status.ok.state, 'down', 'the open outage carries on');
    await until(() => /"event":"state_unreadable"[^\n]*"kept_as":"monitor\.unreadable\.\d+"/.test(worker.log()), 'the log says what happened', 5_000);

    health.state.down = false;
    await worker.tick();
    await worker.tick();
    assert.equal(byName(await worker.status()).ok.state, 'up');
    const after = await incidents();
    assert.notEqual(after.find((i) => i.id === open.id).ended_at, null, 'closed under its own id');
    // Endpoints that failed all along had outages open too: none was opened a second time.
    const opened = after.filter((i) => !before.some((b) => b.id === i.id));
    assert.deepEqual(opened, [], 'no outage opened twice, no id reused');
  });
});
