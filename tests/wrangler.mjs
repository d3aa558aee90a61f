// Starting wrangler (workerd) on 127.0.0.1 for the tests, kept off the network, and waiting
// until it answers. Used by the worker tests (`wrangler dev`) and the browser tests
// (`wrangler pages dev`).
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..');

export async function freePort() {
  const server = createServer();
  await new Promise((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address();
  await new Promise((done) => server.close(done));
  return port;
}

/**
 * Runs `wrangler <args> --ip 127.0.0.1 --port <free port, or port>` in `cwd` and resolves
 * once `readyPath` answers 2xx. `stop()` ends it.
 */
export async function startWrangler(args, { cwd = ROOT, readyPath = '/', port: fixedPort } = {}) {
  const port = fixedPort ?? (await freePort());
  const child = spawn(join(ROOT, 'node_modules/.bin/wrangler'), [...args, '--ip', '127.0.0.1', '--port', String(port)], {
    cwd,
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
      if ((await fetch(origin + readyPath)).ok) break;
    } catch {}
    if (Date.now() > deadline || child.exitCode !== null) {
      child.kill('SIGTERM');
      throw new Error(`wrangler ${args[0]} did not start:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    origin,
    log: () => log,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((done) => (child.exitCode !== null ? done() : child.once('exit', done)));
    },
  };
}
