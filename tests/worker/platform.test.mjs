// The worker under workerd against what production brings: servers that misbehave below
// HTTP, ticks that overlap, regions that stay silent or answer late, a probe that stops,
// a crowd reading the status page, and webhooks that refuse or throttle.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { startHealthServer } from '../../worker/demo/health.mjs';
import { startWorker, until } from './harness.mjs';
import { BEHAVIOURS, startHostileServers } from './hostile.mjs';

const byName = (status) => Object.fromEntries(status.endpoints.map((e) => [e.name, e]));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A webhook receiver whose answers are scripted per path: a list of statuses, then 200. */
async function startSink(script) {
  const received = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (d) => (body += d));
    request.on('end', () => {
      const answers = script[request.url] ?? [];
      const answer = answers.length ? answers.shift() : { status: 200 };
      received.push({ path: request.url, at: Date.now(), status: answer.status, body: JSON.parse(body) });
      response.writeHead(answer.status, answer.headers ?? {}).end();
    });
  });
  await new Promise((ready) => server.listen(0, '127.0.0.1', ready));
  return { received, port: server.address().port, close: () => new Promise((done) => server.close(done)) };
}

describe('servers that misbehave below HTTP', () => {
  let hostile;
  let health;
  let worker;
  before(async () => {
    hostile = await startHostileServers();
    health = await startHealthServer();
    const endpoints = [`[[endpoint]]\nname = "control"\nurl = "http://localhost:${health.port}/api/health"\ntimeout_ms = 2000\n`];
    for (const [name, port] of Object.entries(hostile.ports)) {
      endpoints.push(`[[endpoint]]\nname = "fetch-${name}"\nurl = "http://localhost:${port}/health"\ntimeout_ms = 2000\n`);
      endpoints.push(`[[endpoint]]\nname = "socket-${name}"\nurl = "http://127.0.0.1:${port}/health"\ntimeout_ms = 2000\n`);
    }
    worker = await startWorker(`[probe]\nconfirm_seconds = 0\n\n${endpoints.join('\n')}`);
  });
  after(async () => {
    await worker?.stop();
    await hostile?.close();
    await health?.close();
  });

  test('every probe ends in a classified outcome, the worker stays up, the others are unaffected', async () => {
    await worker.tick();
    await worker.tick();
    const status = byName(await worker.status());
    assert.deepEqual(status.control.regions.map((r) => r.outcome.kind), ['ok', 'ok', 'ok'], 'the healthy endpoint is still ok');
    assert.equal(status.control.state, 'up');
    for (const name of Object.keys(BEHAVIOURS)) {
      for (const way of ['fetch', 'socket']) {
        const endpoint = status[`${way}-${name}`];
        assert.equal(endpoint.regions.length, 3, `${way}-${name}: every region reported`);
        for (const region of endpoint.regions) {
          assert.ok(!['ok', 'slow'].includes(region.outcome.kind), `${way}-${name}: ${JSON.stringify(region.outcome)}`);
        }
        // Down, or, where the runtime itself failed on the response ("internal error"), no
        // data from any region: never shown as healthy.
        const noData = endpoint.no_data.length === 3;
        assert.ok(endpoint.state === 'down' || noData, `${way}-${name}: ${JSON.stringify(endpoint)}`);
      }
    }
    assert.equal(status['socket-dribble'].regions[0].outcome.kind, 'timeout');
    assert.equal(status['socket-endless-chunks'].regions[0].outcome.kind, 'body_too_large');
    assert.equal(status['fetch-endless-chunks'].regions[0].outcome.kind, 'body_too_large');
    assert.match(JSON.stringify(status['socket-banner'].regions[0].outcome), /not an HTTP response/);
    assert.match(JSON.stringify(status['socket-huge-header'].regions[0].outcome), /headers are larger than 32 KB/);
    assert.doesNotMatch(worker.log(), /panic/i, 'no panic in the worker');
  });
});

describe('rounds that overlap', () => {
  let health;
  let sink;
  let worker;
  before(async () => {
    health = await startHealthServer();
    sink = await startSink({});
    health.state.down = true;
    const config = `[probe]\nconfirm_seconds = 0\n\n[[endpoint]]\nname = "api"\nurl = "http://localhost:${health.port}/api/health"\ntimeout_ms = 2000\n\n[[alert]]\nkind = "webhook"\nurl = "secret:HOOK"\n`;
    worker = await startWorker(config, { HOOK: `http://localhost:${sink.port}/hook` });
  });
  after(async () => {
    await worker?.stop();
    await sink?.close();
    await health?.close();
  });

  test('three rounds at once declare the outage once, with one alert and unique ids', async () => {
    const round = () => fetch(`${worker.origin}/api/probe`, { method: 'POST', headers: { authorization: 'Bearer harness-token' } });
    const answers = await Promise.all([1, 2, 3].map(round));
    // A round whose reports arrive after a later round's is refused (409), never applied late.
    assert.ok(answers.every((a) => a.ok || a.status === 409), answers.map((a) => a.status).join());
    await worker.tick();
    await until(() => sink.received.length > 0, 'the alert');
    await sleep(1_000);
    const status = byName(await worker.status());
    assert.equal(status.api.state, 'down');
    const changes = sink.received.flatMap((r) => r.body.changes);
    assert.deepEqual(changes.map((c) => `${c.from}->${c.to}`), ['up->down'], 'one transition, announced once');
    const { incidents } = await fetch(`${worker.origin}/api/incidents`).then((r) => r.json());
    assert.equal(incidents.length, 1);
  });
});

describe('regions that are silent or late', () => {
  for (const [fault, region] of [['silent', 'apac'], ['slow', 'enam']]) {
    test(`a ${fault} region is "no data" and the others decide`, async () => {
      const health = await startHealthServer();
      health.state.down = true;
      const config = `[probe]\nconfirm_seconds = 0\n\n[[endpoint]]\nname = "api"\nurl = "http://localhost:${health.port}/api/health"\ntimeout_ms = 2000\n`;
      const worker = await startWorker(config, { OUTPOST_TEST_FAULTS: `${fault}:${region}` });
      try {
        for (let round = 0; round < 2; round++) {
          const started = Date.now();
          await worker.tick();
          const elapsed = Date.now() - started;
          assert.ok(elapsed < 15_000, `the round waited ${elapsed} ms, not for the late region`);
        }
        const api = byName(await worker.status()).api;
        assert.deepEqual(api.no_data, [region]);
        assert.equal(api.regions.length, 2);
        assert.equal(api.state, 'down', 'the two regions that answered agree: down');
        const page = await fetch(`${worker.origin}/`).then((r) => r.text());
        assert.match(page, new RegExp(`No data from ${region}`));
      } finally {
        await worker.stop();
        await health.close();
      }
    });
  }
});

describe('a probe that stopped', () => {
  test('after three missed intervals every view says stale, none says operational', async () => {
    const health = await startHealthServer();
    const config = `[probe]\ninterval_seconds = 1\n\n[[endpoint]]\nname = "api"\nurl = "http://localhost:${health.port}/api/health"\ntimeout_ms = 500\nslow_ms = 400\n`;
    const worker = await startWorker(config);
    try {
      await worker.tick();
      assert.equal((await worker.status()).stale_since, null);
      // No tick: the "cron" has stopped. Times are whole seconds, so wait past
      // three intervals with a second to spare.
      await sleep(4_500);
      const status = await fetch(`${worker.origin}/api/status`).then((r) => r.json());
      assert.ok(status.stale_since, JSON.stringify(status));
      const page = await fetch(`${worker.origin}/`).then((r) => r.text());
      assert.match(page, /Status unknown: no checks since/);
      assert.doesNotMatch(page, /All systems operational/);
      const summary = await fetch(`${worker.origin}/api/v2/summary.json`).then((r) => r.json());
      assert.notEqual(summary.status.indicator, 'none');
      assert.notEqual(summary.components[0].status, 'operational');
      const badge = await fetch(`${worker.origin}/badge.json`).then((r) => r.json());
      assert.equal(badge.message, 'stale');
    } finally {
      await worker.stop();
      await health.close();
    }
  });
});

describe('a crowd on the status page', () => {
  test('1,000 concurrent reads cost a handful of monitor requests', async () => {
    const health = await startHealthServer();
    const config = `[[endpoint]]\nname = "api"\nurl = "http://localhost:${health.port}/api/health"\ntimeout_ms = 2000\n`;
    const worker = await startWorker(config);
    try {
      await worker.tick();
      const reads = async () => (await worker.meta()).monitor_reads;
      const before = await reads();
      const paths = ['/', '/api/status', '/badge.svg', '/api/v2/summary.json', '/feed.atom'];
      const answers = await Promise.all(
        Array.from({ length: 1000 }, (_, i) => fetch(`${worker.origin}${paths[i % paths.length]}`).then((r) => r.status)),
      );
      const failed = answers.map((s, i) => [paths[i % paths.length], s]).filter(([, s]) => s !== 200);
      assert.deepEqual(failed.slice(0, 5), [], `${failed.length} failed:\n${worker.log().split('\n').filter((l) => /rror|panic|500/.test(l)).slice(0, 20).join('\n')}`);
      const used = (await reads()) - before;
      assert.ok(used <= 4, `${used} monitor requests for 1,000 reads`);
      console.log(`# 1,000 concurrent reads: ${used} Durable Object requests`);
    } finally {
      await worker.stop();
      await health.close();
    }
  });
});

describe('webhooks that refuse or throttle', () => {
  test('a 404 is final and recorded, a 429 waits as asked, a 500 is retried; the rest arrive in order', async () => {
    const health = await startHealthServer();
    const sink = await startSink({
      '/gone': [{ status: 404 }],
      '/busy': [{ status: 429, headers: { 'retry-after': '3' } }],
      '/flaky': [{ status: 500 }],
    });
    health.state.down = true;
    const hook = (id, path) => `[[alert]]\nid = "${id}"\nkind = "webhook"\nurl = "secret:${id.toUpperCase()}"\n`;
    const config = `[probe]\nconfirm_seconds = 0\nrecover_seconds = 0\nflap_changes = 100\ninterval_seconds = 1\n\n[[endpoint]]\nname = "api"\nurl = "http://localhost:${health.port}/api/health"\ntimeout_ms = 2000\n\n${hook('gone')}${hook('busy')}${hook('flaky')}`;
    const worker = await startWorker(config, {
      GONE: `http://localhost:${sink.port}/gone`,
      BUSY: `http://localhost:${sink.port}/busy`,
      FLAKY: `http://localhost:${sink.port}/flaky`,
    });
    try {
      await worker.tick();
      await worker.tick(); // down: the three targets are tried at once
      await until(() => sink.received.length >= 3, 'a first attempt at each target');
      const first = Object.fromEntries(sink.received.map((r) => [r.path, r.status]));
      assert.deepEqual(first, { '/gone': 404, '/busy': 429, '/flaky': 500 });
      health.state.down = false;
      await worker.tick(); // recovered: queued behind the undelivered "down" for busy and flaky
      const delivered = (path) =>
        sink.received.filter((r) => r.path === path && r.status === 200).flatMap((r) => r.body.changes.map((c) => `${c.from}->${c.to}`));
      await until(() => delivered('/flaky').length === 2 && delivered('/busy').length === 2, 'the retries', 30_000);
      assert.deepEqual(delivered('/flaky'), ['up->down', 'down->up'], 'retried, in order');
      assert.deepEqual(delivered('/busy'), ['up->down', 'down->up'], 'after Retry-After, in order');
      const busy = sink.received.filter((r) => r.path === '/busy');
      assert.ok(busy[1].at - busy[0].at >= 2_900, `waited ${busy[1].at - busy[0].at} ms of the 3 s asked`);
      assert.deepEqual(delivered('/gone'), ['down->up'], 'the refused message is not retried; later ones still go');
      const alerts = await fetch(`${worker.origin}/api/alerts`).then((r) => r.json());
      const failure = alerts.failures.find((f) => f.target === 'gone');
      assert.ok(failure && /404/.test(failure.error), JSON.stringify(alerts));
      assert.match(worker.log(), /"event":"alert_rejected"/);
    } finally {
      await worker.stop();
      await sink.close();
      await health.close();
    }
  });
});
