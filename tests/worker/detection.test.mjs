// Detection on the real platform: the worker under workerd with its real alarms, at a
// compressed cadence, probing a local server whose endpoints fail on a script. Nothing steps
// the rounds by hand here: the cron's watchdog arms the regions, and they probe on their own.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { startSink, startWorker, until } from './harness.mjs';

// Rounds every 6 s per region, taking turns (one every 2 s); windows of a few seconds.
const WINDOWS = { interval_seconds: 6, recheck_seconds: 1, confirm_seconds: 2, recover_seconds: 3, flap_changes: 4, flap_window_seconds: 24 };
const REGIONS = ['weur', 'enam', 'apac'];

/** `/NAME` answers 503 while `failing[NAME]` says so for the probing region, else 200. */
function startScripted() {
  const failing = {};
  const seen = [];
  const server = createServer((request, response) => {
    const name = request.url.slice(1);
    const region = request.headers['x-outpost-region'];
    const rule = failing[name];
    const fails = typeof rule === 'function' ? rule(region) : Boolean(rule);
    seen.push({ name, region, at: Date.now(), fails });
    response.writeHead(fails ? 503 : 200, { 'content-type': 'application/json' }).end(fails ? '{"status":"down"}' : '{"status":"ok"}');
  });
  return new Promise((ready) =>
    server.listen(0, '127.0.0.1', () =>
      ready({ failing, seen, port: server.address().port, close: () => new Promise((done) => server.close(done)) }),
    ),
  );
}

let scripted;
let sink;
let worker;

before(async () => {
  scripted = await startScripted();
  sink = await startSink();
  const names = ['steady', 'global', 'regional', 'blip', 'flapping'];
  const endpoints = names.map((name) => `[[endpoint]]\nname = "${name}"\nurl = "http://localhost:${scripted.port}/${name}"\ntimeout_ms = 1000\n`);
  const probe = Object.entries(WINDOWS).map(([key, value]) => `${key} = ${value}`).join('\n');
  const config = `[probe]\nregions = ${JSON.stringify(REGIONS)}\n${probe}\n\n${endpoints.join('\n')}\n[[alert]]\nkind = "webhook"\nurl = "secret:HOOK"\n`;
  worker = await startWorker(config, { HOOK: `http://localhost:${sink.port}/hook` });
  await worker.cron();
  // Every region has made a round of its own: the alarms run.
  await until(() => REGIONS.every((r) => scripted.seen.some((s) => s.name === 'steady' && s.region === r)), 'a round from every region');
});

after(async () => {
  await worker?.stop();
  await sink?.close();
  await scripted?.close();
});

const endpoint = async (name) => (await worker.status()).endpoints.find((e) => e.name === name);
const messages = (name) => sink.state.received.flatMap((m) => m.body.changes).filter((c) => c.endpoint === name);
const seconds = () => Math.floor(Date.now() / 1000);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

describe('detection with real alarms', () => {
  test('a global outage is declared down within the window, the other regions asked at once', async () => {
    const onset = seconds();
    const onsetMs = Date.now();
    scripted.failing.global = true;
    const down = await until(async () => {
      const e = await endpoint('global');
      return e.state === 'down' && e;
    }, 'global declared down', 20_000);
    const window = WINDOWS.interval_seconds + WINDOWS.confirm_seconds;
    assert.ok(down.declared_at - onset <= window + 1, `declared ${down.declared_at - onset} s after onset (window ${window} s)`);
    assert.ok(down.since >= onset - 1, 'the outage began at its first failing probe');
    // Each region's first failing probe came within a second or so of the first one, though
    // its own turn could be up to 4 s later: the monitor asked them to probe now.
    const failures = scripted.seen.filter((s) => s.name === 'global' && s.fails && s.at >= onsetMs);
    const first = Object.fromEntries(REGIONS.map((r) => [r, failures.find((f) => f.region === r)?.at]));
    const earliest = Math.min(...Object.values(first));
    for (const region of REGIONS) assert.ok(first[region] - earliest < 1_500, `${region} probed ${first[region] - earliest} ms after the first failure`);
    // A recheck confirmed the first region's failure before its next round.
    const firstRegion = REGIONS.find((r) => first[r] === earliest);
    const second = failures.filter((f) => f.region === firstRegion)[1];
    assert.ok(second.at - earliest < WINDOWS.interval_seconds * 1000 - 1_000, `rechecked ${second.at - earliest} ms later`);
    await until(() => messages('global').length === 1, 'the alert');
    assert.equal(messages('global')[0].to, 'down');

    scripted.failing.global = false;
    const up = await until(async () => {
      const e = await endpoint('global');
      return e.state === 'up' && e;
    }, 'global recovered', 30_000);
    assert.equal(up.flapping, false);
    await until(() => messages('global').length === 2, 'the recovery');
    assert.deepEqual(messages('global').map((c) => c.to), ['down', 'up'], 'one alert and one recovery');
  });

  test('a partition of one region is regional, never down; if it spreads, down is sent once more', async () => {
    scripted.failing.regional = (region) => region === 'enam';
    const regional = await until(async () => {
      const e = await endpoint('regional');
      return e.state !== 'up' && e;
    }, 'regional declared', 20_000);
    assert.equal(regional.state, 'regional');
    const started = Date.now();
    while (Date.now() - started < 8_000) {
      assert.notEqual((await endpoint('regional')).state, 'down', 'one region failing is never down');
      await sleep(500);
    }
    assert.deepEqual(messages('regional').map((c) => [c.to, c.regions]), [['regional', ['enam']]]);

    // Every region fails now: worse than announced, so it is announced.
    scripted.failing.regional = true;
    await until(async () => (await endpoint('regional')).state === 'down', 'down declared once it spread', 30_000);
    await until(() => messages('regional').length === 2, 'the second message');
    const down = messages('regional')[1];
    assert.deepEqual([down.from, down.to], ['regional', 'down']);
    // The message names the regions whose latest round failed when down was declared: a
    // region whose round is still on its way is not named yet (seen once on a loaded run).
    assert.ok(down.regions.includes('enam') && down.regions.length >= 2, `${down.regions}`);
    assert.ok(down.regions.every((r) => REGIONS.includes(r)), `${down.regions}`);
    scripted.failing.regional = false;
    await until(async () => (await endpoint('regional')).state === 'up', 'recovered', 30_000);
    await until(() => messages('regional').length === 3, 'the recovery');
    assert.deepEqual(messages('regional').map((c) => c.to), ['regional', 'down', 'up'], 'nothing more');
  });

  test('a blip shorter than the window sends nothing', async () => {
    const states = new Set();
    // Failing for 1.5 s from the first probe that sees it (so one always does), shorter than
    // the 2 s confirm window.
    let first = null;
    scripted.failing.blip = () => {
      first ??= Date.now();
      return Date.now() - first < 1_500;
    };
    const started = Date.now();
    while (Date.now() - started < 12_000) {
      states.add((await endpoint('blip')).state);
      await sleep(200);
    }
    scripted.failing.blip = false;
    assert.ok(scripted.seen.some((s) => s.name === 'blip' && s.fails), 'the blip was seen by a probe');
    assert.deepEqual([...states], ['up'], 'never declared');
    assert.deepEqual(messages('blip'), [], 'nothing sent');
  });

  test('an endpoint that fails and recovers again and again is flapping, with one alert', async () => {
    // 2 s failing, 2 s healthy, for 30 s: each region's rounds, 6 s apart, see it fail and
    // recover in turn.
    const started = Date.now();
    scripted.failing.flapping = () => Date.now() - started < 30_000 && Math.floor((Date.now() - started) / 2_000) % 2 === 0;
    const flapping = await until(async () => {
      const e = await endpoint('flapping');
      return e.flapping && e;
    }, 'flapping declared', 40_000);
    assert.notEqual(flapping.state, 'up', 'flapping shows the worst state seen');
    const page = await fetch(`${worker.origin}/`).then((r) => r.text());
    assert.match(page, /flapping/i);
    // Never up while it flaps.
    while (Date.now() - started < 30_000) {
      const e = await endpoint('flapping');
      assert.ok(e.flapping && e.state !== 'up', JSON.stringify(e));
      await sleep(500);
    }
    const calm = await until(async () => {
      const e = await endpoint('flapping');
      return e.state === 'up' && e;
    }, 'calm again', 40_000);
    assert.equal(calm.flapping, false);
    await until(() => messages('flapping').length === 2, 'the recovery');
    const sent = messages('flapping');
    assert.deepEqual(sent.map((c) => (c.to === 'up' ? 'up' : 'trouble')), ['trouble', 'up'], `one alert, one recovery: ${JSON.stringify(sent)}`);
  });
});

describe('detection: the cron as watchdog', () => {
  test('a region whose rounds stopped is noticed and re-armed by the cron', async () => {
    const stop = await fetch(`${worker.origin}/__test/stop/apac`, { method: 'POST' });
    assert.equal(stop.status, 200);
    const stoppedAt = Date.now();
    // Silent for three intervals: the status says there is no data from apac.
    await until(async () => (await endpoint('steady')).no_data.includes('apac'), 'apac shown as no data', 30_000);
    assert.ok(!scripted.seen.some((s) => s.region === 'apac' && s.at > stoppedAt + 500), 'apac made no round');
    await worker.cron();
    await until(() => /"event":"region_rearmed"[^\n]*"region":"apac"/.test(worker.log()), `the watchdog's log line:\n${worker.log().split('\n').filter((l) => /region_|watchdog|rror/.test(l)).slice(-10).join('\n')}`, 5_000);
    await until(async () => (await endpoint('steady')).no_data.length === 0, 'apac probing again', 15_000);
  });
});
