// Runs the real worker under workerd (wrangler dev --local) with a test config, on
// 127.0.0.1, with fresh storage each time; and ticks it the way the cron would.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, ROOT, startWrangler } from '../wrangler.mjs';

export { freePort, ROOT };

/**
 * Starts the worker with `config` (outpost.toml text) and the given secrets, on a free port
 * or on `port`.
 */
export async function startWorker(config, vars = {}, { port } = {}) {
  const state = await mkdtemp(join(tmpdir(), 'outpost-worker-'));
  // OUTPOST_LOCAL: the test servers are on loopback, which only a local run may probe.
  const args = ['dev', '--local', '--test-scheduled', '--persist-to', state, '--var', `OUTPOST_CONFIG:${config}`, '--var', 'OUTPOST_LOCAL:1'];
  for (const [name, value] of Object.entries(vars)) args.push('--var', `${name}:${value}`);
  const worker = await startWrangler(args, { cwd: join(ROOT, 'worker'), readyPath: '/api/status', port });
  const { origin } = worker;
  let lastTick = 0;
  return {
    origin,
    log: worker.log,
    /**
     * One cron tick, finished when the monitor has stored it. Ticks are identified by their
     * second, and the monitor refuses one not later than the last (as two cron runs never
     * share a second), so consecutive ticks here are a second apart at least.
     */
    tick: async () => {
      const wait = lastTick + 1050 - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      lastTick = Date.now();
      const response = await fetch(`${origin}/__scheduled?cron=*+*+*+*+*`);
      if (!response.ok) throw new Error(`tick failed: ${response.status}\n${worker.log()}`);
    },
    status: () => fetch(`${origin}/api/status`).then((r) => r.json()),
    stop: async () => {
      await worker.stop();
      await rm(state, { recursive: true, force: true });
    },
  };
}
