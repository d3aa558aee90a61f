// Heartbeats under workerd: a job reports in with its token (`POST /api/heartbeat/<name>`);
// a missed beat is declared down at the next round and alerted like a probed endpoint, and
// the next beat recovers it. Wrong tokens, unknown names and unset secrets are refused.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startHealthServer } from '../../worker/demo/health.mjs';
import { startSink, startWorker, until } from './harness.mjs';

const TOKEN = 'beat-token';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

describe('heartbeats', () => {
  let health;
  let sink;
  let worker;
  const beat = (name, token = TOKEN) =>
    fetch(`${worker.origin}/api/heartbeat/${name}`, { method: 'POST', headers: token === null ? {} : { authorization: `Bearer ${token}` } });
  const backup = async () => (await worker.status()).endpoints.find((e) => e.name === 'backup');
  const hook = () => sink.state.received.flatMap((r) => r.body.changes.filter((c) => c.endpoint === 'backup').map((c) => `${c.from}->${c.to}`));

  before(async () => {
    health = await startHealthServer();
    sink = await startSink();
    const config = [
      '[probe]\nconfirm_seconds = 0\nrecover_seconds = 0\n',
      `[[endpoint]]\nname = "api"\nurl = "http://localhost:${health.port}/api/health"\ntimeout_ms = 2000\n`,
      '[[heartbeat]]\nname = "backup"\nperiod_seconds = 3\ngrace_seconds = 1\ntoken = "secret:BACKUP_TOKEN"\n',
      '[[heartbeat]]\nname = "nightly"\nperiod_seconds = 86400\ntoken = "secret:NIGHTLY_TOKEN"\n',
      '[[alert]]\nkind = "webhook"\nurl = "secret:HOOK"\n',
    ].join('\n');
    worker = await startWorker(config, { BACKUP_TOKEN: TOKEN, HOOK: `http://localhost:${sink.port}/hook` });
  });
  after(async () => {
    await worker?.stop();
    await sink?.close();
    await health?.close();
  });

  test('a beat without the right token, for an unknown name, or with its secret unset is refused with the reason', async () => {
    const cases = [
      [await beat('backup', null), 401, /bearer token/],
      [await beat('backup', 'wrong'), 401, /bearer token/],
      [await beat('api'), 404, /no heartbeat has this name/],
      [await beat('..%2F..'), 404, /no heartbeat has this name/],
      [await beat('nightly'), 403, /set the NIGHTLY_TOKEN secret/],
    ];
    for (const [response, status, message] of cases) {
      const body = await response.json();
      assert.equal(response.status, status, JSON.stringify(body));
      assert.match(body.error, message);
    }
    const get = await fetch(`${worker.origin}/api/heartbeat/backup`, { headers: { authorization: `Bearer ${TOKEN}` } });
    assert.equal(get.status, 404, 'only POST records a beat');
  });

  test('before its first beat a heartbeat is no data, never up; a beat makes it up', async () => {
    await worker.tick();
    assert.equal((await backup()).state, 'unknown');
    const response = await beat('backup');
    assert.equal(response.status, 200);
    const answer = await response.json();
    assert.equal(answer.heartbeat, 'backup');
    assert.equal(answer.due_by - answer.at, 4, 'period and grace');
    await worker.tick();
    assert.equal((await backup()).state, 'up');
  });

  test('a missed beat is declared down once the next round confirms it, and alerted like a probed endpoint; the next beat recovers it', async () => {
    await sleep(4_500);
    // The first evaluation past the deadline is seen; the next round confirms it, as a
    // region's recheck confirms a failed probe.
    await worker.tick();
    assert.notEqual((await backup()).state, 'down', 'one failing result is not yet believed');
    await worker.tick();
    const down = await backup();
    assert.equal(down.state, 'down');
    assert.deepEqual(down.regions.map((r) => r.region).sort(), ['apac', 'enam', 'weur'], 'as if every region saw it');
    assert.match(down.regions[0].outcome.message, /no beat in time \(expected every 3 s, 1 s grace\)/);
    await until(() => hook().includes('up->down'), () => `the down alert: ${JSON.stringify(sink.state.received.map((r) => r.body))}`);
    const page = await (await fetch(`${worker.origin}/`)).text();
    assert.match(page, /backup/);
    assert.equal((await (await fetch(`${worker.origin}/badge/backup.json`)).json()).message, 'down');
    assert.equal((await beat('backup')).status, 200);
    await worker.tick();
    assert.equal((await backup()).state, 'up');
    await until(() => hook().includes('down->up'), 'the recovery alert');
    assert.deepEqual(hook(), ['up->down', 'down->up']);
    assert.equal((await (await fetch(`${worker.origin}/api/status`)).json()).endpoints.find((e) => e.name === 'api').state, 'up', 'the probed endpoint is unaffected');
  });
});
