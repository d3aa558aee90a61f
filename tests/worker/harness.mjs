// Runs the real worker under workerd (Miniflare, the runtime `wrangler dev` runs) with a test
// config, on 127.0.0.1, with fresh storage each time. `tick()` runs one round from every
// region at once (`POST /api/probe`), so a test steps the probe by hand; `cron()` runs the
// minute cron, the watchdog that arms the regions' alarms, after which they probe on their own.
//
// Why not `wrangler dev`: its dev proxy ends the whole process when one proxied connection
// drops ("Error inside ProxyWorker: Network connection lost", workers-sdk #15317, #15451),
// which a crowd of readers on two cores provokes now and then. Miniflare serves workerd's own
// socket, with nothing in front, as the platform does.
import { createServer } from 'node:http';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Miniflare } from 'miniflare';
import { freePort, ROOT } from '../wrangler.mjs';

export { freePort, ROOT };

const WORKER = join(ROOT, 'worker');

/** The compatibility date, Durable Object classes and rate limits, read from worker/wrangler.toml so the
 * tests run what is deployed. */
async function deployedShape() {
  const toml = await readFile(join(WORKER, 'wrangler.toml'), 'utf8');
  const date = toml.match(/^compatibility_date\s*=\s*"([^"]+)"/m)?.[1];
  const bindings = [...toml.matchAll(/\[\[durable_objects\.bindings\]\]\s*name\s*=\s*"(\w+)"\s*class_name\s*=\s*"(\w+)"/g)];
  if (!date || bindings.length === 0) throw new Error('worker/wrangler.toml: no compatibility_date or Durable Object bindings found');
  const durableObjects = Object.fromEntries(bindings.map(([, name, className]) => [name, { className, useSQLite: true }]));
  const limits = [...toml.matchAll(/\[\[ratelimits\]\]\s*name\s*=\s*"(\w+)"\s*namespace_id\s*=\s*"\d+"\s*simple\s*=\s*\{\s*limit\s*=\s*(\d+),\s*period\s*=\s*(\d+)\s*\}/g)];
  if (limits.length === 0) throw new Error('worker/wrangler.toml: no [[ratelimits]] found');
  const ratelimits = Object.fromEntries(limits.map(([, name, limit, period]) => [name, { simple: { limit: Number(limit), period: Number(period) } }]));
  return { date, durableObjects, ratelimits };
}

/**
 * Starts the worker (worker/build, made by `cargo xtask build`) with `config` (outpost.toml
 * text) and the given secrets, on a free port or on `port`, with fresh storage, or the storage
 * `state` of a worker stopped before (a deploy of a new config). `keepState` keeps the storage
 * when it stops.
 */
export async function startWorker(config, vars = {}, { port, state: reuse, keepState = false } = {}) {
  vars = { PROBE_TOKEN: 'harness-token', ...vars };
  const state = reuse ?? (await mkdtemp(join(tmpdir(), 'outpost-worker-')));
  const keep = keepState || Boolean(reuse);
  const { date, durableObjects, ratelimits } = await deployedShape();
  let log = '';
  const mf = new Miniflare({
    host: '127.0.0.1',
    port: port ?? (await freePort()),
    modules: true,
    scriptPath: join(WORKER, 'build/index.js'),
    modulesRules: [{ type: 'CompiledWasm', include: ['**/*.wasm'] }],
    compatibilityDate: date,
    durableObjects,
    ratelimits,
    durableObjectsPersist: join(state, 'do'),
    // OUTPOST_LOCAL: the test servers are on loopback, which only a local run may probe.
    bindings: { OUTPOST_CONFIG: config, OUTPOST_LOCAL: '1', ...vars },
    cf: false,
    handleRuntimeStdio: (stdout, stderr) => {
      stdout.on('data', (d) => (log += d));
      stderr.on('data', (d) => (log += d));
    },
  });
  const origin = (await mf.ready).origin;
  const worker = { log: () => log, stop: () => mf.dispose() };
  let lastTick = 0;
  return {
    origin,
    state,
    log: worker.log,
    /**
     * One round from every region, finished when the monitor has stored it. Rounds here are
     * a second apart at least, so windows of whole seconds are stepped one round at a time.
     */
    tick: async () => {
      const wait = lastTick + 1050 - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      lastTick = Date.now();
      const response = await fetch(`${origin}/api/probe`, { method: 'POST', headers: { authorization: `Bearer ${vars.PROBE_TOKEN}` } });
      if (!response.ok) throw new Error(`round failed: ${response.status} ${await response.text()}\n${worker.log()}`);
    },
    /** The minute cron: the watchdog that arms every region's alarm. */
    cron: async () => {
      const result = await (await mf.getWorker()).scheduled({ cron: '* * * * *' });
      if (result.outcome !== 'ok') throw new Error(`cron failed: ${result.outcome}\n${worker.log()}`);
    },
    status: () => fetch(`${origin}/api/status`).then((r) => r.json()),
    /** What the objects did and their meters (`/api/meta`, which needs the token). */
    meta: () => fetch(`${origin}/api/meta`, { headers: { authorization: `Bearer ${vars.PROBE_TOKEN}` } }).then((r) => r.json()),
    stop: async ({ removeState = !keep } = {}) => {
      await worker.stop();
      if (removeState) await rm(state, { recursive: true, force: true });
    },
  };
}

/** Resolves once `check()` is truthy (polled every 100 ms); fails saying `what` (or what it
 * returns) after `ms`. */
export async function until(check, what, ms = 15_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`still waiting after ${ms} ms: ${typeof what === 'function' ? what() : what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A webhook receiver: records every delivery as `{ path, body }`, answers 503 while
 * `state.failing`. */
export function startSink() {
  // `answer(request)` may return `{ status, body }` to refuse a request on purpose.
  const state = { failing: false, received: [], refused: [], answer: () => null };
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      if (state.failing) return response.writeHead(503).end('sink down');
      const received = { at: Date.now(), path: request.url, authorization: request.headers.authorization, body: JSON.parse(body) };
      const refusal = state.answer(received);
      if (refusal) {
        state.refused.push(received);
        return response.writeHead(refusal.status, { 'Content-Type': 'application/json' }).end(refusal.body);
      }
      state.received.push(received);
      response.writeHead(200).end('ok');
    });
  });
  return new Promise((ready) =>
    server.listen(0, '127.0.0.1', () => ready({ state, port: server.address().port, close: () => new Promise((d) => server.close(d)) })),
  );
}
