// Runs the real worker under workerd (wrangler dev --local) with a test config, on
// 127.0.0.1, with fresh storage each time; and ticks it the way the cron would.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');

export async function freePort() {
  const server = createServer();
  await new Promise((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address();
  await new Promise((done) => server.close(done));
  return port;
}

/** Starts the worker with `config` (outpost.toml text) and the given secrets. */
export async function startWorker(config, vars = {}) {
  const port = await freePort();
  const state = await mkdtemp(join(tmpdir(), 'outpost-worker-'));
  const args = ['dev', '--local', '--ip', '127.0.0.1', '--port', String(port), '--test-scheduled', '--persist-to', state, '--var', `OUTPOST_CONFIG:${config}`];
  for (const [name, value] of Object.entries(vars)) args.push('--var', `${name}:${value}`);
  const child = spawn(join(ROOT, 'node_modules/.bin/wrangler'), args, {
    cwd: join(ROOT, 'worker'),
    env: {
      ...process.env,
      WRANGLER_SEND_METRICS: 'false',
      WRANGLER_HIDE_BANNER: 'true',
      WRANGLER_SEND_ERROR_REPORTS: 'false',
      CLOUDFLARE_CF_FETCH_ENABLED: 'false',
      NO_UPDATE_NOTIFIER: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout.on('data', (d) => (log += d));
  child.stderr.on('data', (d) => (log += d));
  const origin = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      if ((await fetch(`${origin}/api/status`)).ok) break;
    } catch {}
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`the worker did not start:\n${log}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    origin,
    log: () => log,
    /** One cron tick, finished when the monitor has stored it. */
    tick: async () => {
      const response = await fetch(`${origin}/__scheduled?cron=*+*+*+*+*`);
      if (!response.ok) throw new Error(`tick failed: ${response.status}\n${log}`);
    },
    status: () => fetch(`${origin}/api/status`).then((r) => r.json()),
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((done) => (child.exitCode !== null ? done() : child.once('exit', done)));
      await rm(state, { recursive: true, force: true });
    },
  };
}
