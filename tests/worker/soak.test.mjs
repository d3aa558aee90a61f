// A few minutes of the real thing at full speed: the worker under workerd with its real
// alarms at a one-second cadence, endpoints that fail, hang, slow down and recover at random
// per region, a webhook that fails at random, and 500 readers at once on every public route.
// Nothing is lost (every region's run reaches the monitor), nothing panics, alerts alternate
// trouble and recovery, and the monitor's reads stay bounded per second however many read.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { startSink, startWorker, until } from './harness.mjs';

const REGIONS = ['weur', 'enam', 'apac'];
const NAMES = ['api', 'web', 'db'];
const SOAK_MS = 150_000;
const READERS = 500;
const ROUTES = ['/', '/api/status', '/api/pictures', '/badge.svg', '/badge/api.json', '/api/v2/summary.json', '/feed.atom', '/api/incidents'];

/** A deterministic generator, so a failure can be run again. */
function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `/NAME` behaves as `mode[NAME][region]` says: ok, fail, hang, slow or garbage. */
function startFlaky() {
  const mode = {};
  const server = createServer((request, response) => {
    const name = request.url.slice(1);
    const region = request.headers['x-outpost-region'];
    switch (mode[name]?.[region] ?? 'ok') {
      case 'fail':
        return response.writeHead(503).end('{"status":"down"}');
      case 'hang':
        return; // the probe's timeout ends it
      case 'slow':
        return setTimeout(() => response.writeHead(200).end('{"status":"ok"}'), 700);
      case 'garbage':
        return response.writeHead(200).end('\u202e😈'.repeat(50_000));
      default:
        return response.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
    }
  });
  server.on('clientError', () => {});
  return new Promise((ready) =>
    server.listen(0, '127.0.0.1', () =>
      ready({ mode, port: server.address().port, close: () => new Promise((done) => { server.closeAllConnections(); server.close(done); }) }),
    ),
  );
}

let flaky;
let sink;
let worker;

before(async () => {
  flaky = await startFlaky();
  sink = await startSink();
  const endpoints = NAMES.map(
    (name) => `[[endpoint]]\nname = "${name}"\nurl = "http://localhost:${flaky.port}/${name}"\nassert = ['.status == "ok"']\ntimeout_ms = 600\nslow_ms = 500\n`,
  );
  const config = `[probe]\nregions = ${JSON.stringify(REGIONS)}\ninterval_seconds = 1\nrecheck_seconds = 1\nconfirm_seconds = 2\nrecover_seconds = 3\n\n${endpoints.join('\n')}\n[[alert]]\nkind = "webhook"\nurl = "secret:HOOK"\n`;
  worker = await startWorker(config, { HOOK: `http://localhost:${sink.port}/hook` });
  await worker.cron();
});

after(async () => {
  await worker?.stop();
  await sink?.close();
  await flaky?.close();
});

const meta = () => worker.meta();

describe('a soak at a one-second cadence', () => {
  test('random faults and 500 readers: nothing lost, no panic, bounded monitor reads', async () => {
    const next = random(20261203);
    const start = await meta();
    const started = Date.now();
    let stop = false;
    // Faults: every two seconds one endpoint in one region changes behaviour; the webhook
    // fails now and then.
    const faults = (async () => {
      const modes = ['ok', 'ok', 'fail', 'hang', 'slow', 'garbage'];
      while (!stop) {
        const name = NAMES[Math.floor(next() * NAMES.length)];
        const region = REGIONS[Math.floor(next() * REGIONS.length)];
        flaky.mode[name] = { ...flaky.mode[name], [region]: modes[Math.floor(next() * modes.length)] };
        sink.state.failing = next() < 0.2;
        await new Promise((r) => setTimeout(r, 2_000));
      }
    })();
    const answers = { ok: 0, failed: [] };
    const reader = async (id) => {
      const mine = random(id);
      while (!stop) {
        const route = ROUTES[Math.floor(mine() * ROUTES.length)];
        try {
          const response = await fetch(`${worker.origin}${route}`);
          await response.arrayBuffer();
          if (response.status === 200) answers.ok += 1;
          else answers.failed.push(`${route} ${response.status}`);
        } catch (error) {
          answers.failed.push(`${route} ${error.message}`);
        }
        await new Promise((r) => setTimeout(r, 500 + mine() * 2_000));
      }
    };
    const readers = Array.from({ length: READERS }, (_, i) => reader(i + 1));
    await new Promise((r) => setTimeout(r, SOAK_MS));
    stop = true;
    await Promise.all([faults, ...readers]);
    if (!(await fetch(`${worker.origin}/api/ping`).then((r) => r.ok).catch(() => false))) {
      assert.fail(`the worker stopped answering:\n${worker.log().split('\n').slice(-60).join('\n')}`);
    }
    const seconds = (Date.now() - started) / 1000;
    // Settle: the last runs reach the monitor.
    for (const name of NAMES) flaky.mode[name] = {};
    sink.state.failing = false;
    await new Promise((r) => setTimeout(r, 3_000));
    const end = await meta();

    const runs = REGIONS.reduce((sum, r) => sum + end.regions[r].probe_runs - start.regions[r].probe_runs, 0);
    const reports = end.monitor.reports - start.monitor.reports;
    const reads = end.monitor.monitor_reads - start.monitor.monitor_reads;
    console.log(`# ${seconds.toFixed(0)} s: ${answers.ok} reads answered, ${runs} region runs, ${reports} reports applied, ${reads} monitor reads (${(reads / seconds).toFixed(1)}/s)`);
    assert.ok(runs > seconds * 2, `the regions kept probing: ${runs} runs in ${seconds} s`);
    // A run still on its way when counting began or ended is the only slack.
    assert.ok(Math.abs(reports - runs) <= REGIONS.length * 2, `${reports} reports applied for ${runs} runs`);
    assert.deepEqual(answers.failed.slice(0, 5), [], `${answers.failed.length} reads failed`);
    assert.ok(answers.ok > READERS * 20, `${answers.ok} reads answered`);
    // The monitor is read at most once per path per half interval (0.5 s here), whatever the crowd.
    assert.ok(reads / seconds <= 10, `${(reads / seconds).toFixed(1)} monitor reads a second for ${READERS} readers`);
    assert.doesNotMatch(worker.log(), /panic|RuntimeError|unreachable executed/i);

    // Alerts alternate trouble and recovery per endpoint, with at most two of worsening.
    await until(() => !sink.state.failing, 'the webhook up');
    const changes = sink.state.received.flatMap((m) => m.body.changes);
    for (const name of NAMES) {
      let open = false;
      let worse = 0;
      for (const change of changes.filter((c) => c.endpoint === name)) {
        if (!open) {
          assert.equal(change.from, 'up', `${name}: ${JSON.stringify(change)} out of turn`);
          open = change.to !== 'up';
          worse = 0;
        } else if (change.to === 'up') {
          open = false;
        } else {
          worse += 1;
          assert.ok(worse <= 2, `${name}: ${worse} messages of worsening in one episode`);
        }
      }
    }
    // History holds: every endpoint's last 24 hours were observed, and uptime is a percentage.
    for (const name of NAMES) {
      const history = await fetch(`${worker.origin}/api/history/${name}`).then((r) => r.json());
      assert.ok(history.uptime.last_24h >= 0 && history.uptime.last_24h <= 100, JSON.stringify(history.uptime));
    }
  });
});
