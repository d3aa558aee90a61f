// Runs the real worker under workerd (wrangler dev --local) with a test config, on
// 127.0.0.1, with fresh storage each time. `tick()` runs one round from every region at once
// (`POST /api/probe`), so a test steps the probe by hand; `cron()` runs the minute cron, the
// watchdog that arms the regions' alarms, after which they probe on their own.
import { createServer } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, ROOT, startWrangler } from '../wrangler.mjs';

export { freePort, ROOT };

/**
 * Starts the worker with `config` (outpost.toml text) and the given secrets, on a free port
 * or on `port`, with fresh storage, or the storage `state` of a worker stopped before (a
 * deploy of a new config). `keepState` keeps the storage when it stops.
 */
export async function startWorker(config, vars = {}, { port, state: reuse, keepState = false } = {}) {
  vars = { PROBE_TOKEN: 'harness-token', ...vars };
  const state = reuse ?? (await mkdtemp(join(tmpdir(), 'outpost-worker-')));
  const keep = keepState || Boolean(reuse);
  // OUTPOST_LOCAL: the test servers are on loopback, which only a local run may probe.
  const args = ['dev', '--local', '--test-scheduled', '--persist-to', state, '--var', `OUTPOST_CONFIG:${config}`, '--var', 'OUTPOST_LOCAL:1'];
  for (const [name, value] of Object.entries(vars)) args.push('--var', `${name}:${value}`);
  // Ready when the Worker answers; the monitor is not asked, so a test starts with nothing read.
  const worker = await startWrangler(args, { cwd: join(ROOT, 'worker'), readyPath: '/api/ping', port });
  const { origin } = worker;
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
      const response = await fetch(`${origin}/__scheduled?cron=*+*+*+*+*`);
      if (!response.ok) throw new Error(`cron failed: ${response.status}\n${worker.log()}`);
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
  const state = { failing: false, received: [] };
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      if (state.failing) return response.writeHead(503).end('sink down');
      state.received.push({ path: request.url, body: JSON.parse(body) });
      response.writeHead(200).end('ok');
    });
  });
  return new Promise((ready) =>
    server.listen(0, '127.0.0.1', () => ready({ state, port: server.address().port, close: () => new Promise((d) => server.close(d)) })),
  );
}
