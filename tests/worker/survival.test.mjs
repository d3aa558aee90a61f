// What must survive: alerts waiting for a webhook when the saved state is damaged, and a
// secret header when a probed server redirects elsewhere.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { startHealthServer } from '../../worker/demo/health.mjs';
import { startSink, startWorker, until } from './harness.mjs';

/** Records each request's path and Authorization header; answers by `routes[path]`. */
function startRecorder(routes) {
  const seen = [];
  const server = createServer((request, response) => {
    seen.push({ path: request.url, authorization: request.headers.authorization ?? null });
    const route = routes[request.url] ?? { status: 200, body: '{"status":"ok"}' };
    response.writeHead(route.status, route.headers ?? { 'content-type': 'application/json' }).end(route.body ?? '');
  });
  return new Promise((ready) =>
    server.listen(0, '127.0.0.1', () =>
      ready({ seen, port: server.address().port, close: () => new Promise((done) => server.close(done)) }),
    ),
  );
}

describe('saved state damaged while alerts wait', () => {
  test('the alerts not yet delivered are kept and delivered once', async () => {
    const health = await startHealthServer();
    const sink = await startSink();
    const config = `[probe]\nconfirm_seconds = 0\nrecover_seconds = 60\n\n[[endpoint]]\nname = "api"\nurl = "http://localhost:${health.port}/api/health"\ntimeout_ms = 1000\n\n[[alert]]\nkind = "webhook"\nurl = "secret:HOOK"\n`;
    const worker = await startWorker(config, { HOOK: `http://localhost:${sink.port}/hook` });
    try {
      sink.state.failing = true;
      health.state.down = true;
      await worker.tick();
      await worker.tick();
      const pending = async () => (await fetch(`${worker.origin}/api/alerts`).then((r) => r.json())).targets[0].pending;
      await until(async () => (await pending()) === 1, 'the down alert waiting for the webhook');
      assert.equal((await fetch(`${worker.origin}/__test/damage-state`, { method: 'POST' })).status, 200);
      await until(async () => (await pending()) === 1, 'still waiting after the damage', 5_000);
      await until(() => /"event":"state_unreadable"[^\n]*"pending_alerts_kept":1/.test(worker.log()), 'the log says the alert was kept');
      sink.state.failing = false;
      await worker.tick(); // a report sets the delivery alarm again
      await until(() => sink.state.received.length >= 1, 'the kept alert delivered', 30_000);
      await new Promise((r) => setTimeout(r, 2_000));
      const changes = sink.state.received.flatMap((m) => m.body.changes.map((c) => `${c.endpoint}:${c.from}->${c.to}`));
      assert.deepEqual(changes, ['api:up->down'], 'delivered once, and no second outage announced');
    } finally {
      await worker.stop();
      await sink.close();
      await health.close();
    }
  });
});

describe('a redirect to another origin', () => {
  test('carries no secret header; a redirect within the origin still does', async () => {
    const elsewhere = await startRecorder({});
    const origin = await startRecorder({
      '/moved': { status: 302, headers: { location: `http://localhost:${elsewhere.port}/landing` } },
      '/same': { status: 302, headers: { location: '/landing-here' } },
    });
    const endpoint = (name, path) =>
      `[[endpoint]]\nname = "${name}"\nurl = "http://localhost:${origin.port}${path}"\nfollow_redirects = true\ntimeout_ms = 1000\nheaders = { Authorization = "secret:HEALTH_TOKEN" }\n`;
    const config = `${endpoint('moved', '/moved')}\n${endpoint('same', '/same')}\n`;
    const worker = await startWorker(config, { HEALTH_TOKEN: 'Bearer s3cret-token' });
    try {
      await worker.tick();
      const first = origin.seen.filter((s) => s.path === '/moved');
      assert.ok(first.length >= 3 && first.every((s) => s.authorization === 'Bearer s3cret-token'), 'sent to the endpoint itself');
      const landed = elsewhere.seen.filter((s) => s.path === '/landing');
      assert.ok(landed.length >= 3, 'the redirect was followed');
      assert.deepEqual([...new Set(landed.map((s) => s.authorization))], [null], 'never to another origin');
      const here = origin.seen.filter((s) => s.path === '/landing-here');
      assert.ok(here.length >= 3 && here.every((s) => s.authorization === 'Bearer s3cret-token'), 'within the origin it is kept');
      const status = await worker.status();
      assert.deepEqual(status.endpoints.map((e) => e.state), ['up', 'up']);
    } finally {
      await worker.stop();
      await origin.close();
      await elsewhere.close();
    }
  });
});
