// What the probe costs, by the platform's own meters: the worker under workerd with its real
// alarms, its SQL cursors' `rowsWritten` counted by each object and served on /api/meta, held
// to the model validation uses (`config::cadence`). And the writes that must not happen: an
// alarm set on every report while a webhook is down.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startHealthServer } from '../../worker/demo/health.mjs';
import { startSink, startWorker, until } from './harness.mjs';

const REGIONS = ['weur', 'enam', 'apac'];
const meta = (worker) => worker.meta();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

describe('rows written, by the platform meter', () => {
  let health;
  let sink;
  let worker;
  before(async () => {
    health = await startHealthServer();
    sink = await startSink();
    const config = `[probe]\nregions = ${JSON.stringify(REGIONS)}\ninterval_seconds = 3\n\n[[endpoint]]\nname = "api"\nurl = "http://localhost:${health.port}/api/health"\ntimeout_ms = 1000\n\n[[endpoint]]\nname = "www"\nurl = "http://localhost:${health.port}/api/health"\ntimeout_ms = 1000\n\n[[alert]]\nkind = "webhook"\nurl = "secret:HOOK"\n`;
    worker = await startWorker(config, { HOOK: `http://localhost:${sink.port}/hook` });
    await worker.cron();
  });
  after(async () => {
    await worker?.stop();
    await sink?.close();
    await health?.close();
  });

  test('a steady round costs what the model says: one row per report, two per region run', async () => {
    // Let every object start and write its tables, then measure a stretch of steady rounds.
    await until(async () => (await meta(worker)).monitor.reports >= 6, 'rounds from every region', 30_000);
    // Away from an hour's end: closing an hour writes its rollups, which the model counts apart.
    const toNextHour = 3_600_000 - (Date.now() % 3_600_000);
    if (toNextHour < 120_000) await sleep(toNextHour + 30_000);
    const start = await meta(worker);
    await until(async () => (await meta(worker)).monitor.reports >= start.monitor.reports + 12, 'twelve more reports', 40_000);
    const end = await meta(worker);
    const reports = end.monitor.reports - start.monitor.reports;
    const monitorRows = end.monitor.meter.rows_written - start.monitor.meter.rows_written;
    assert.equal(monitorRows, reports * end.model.monitor_rows_per_report, `${monitorRows} rows for ${reports} reports`);
    assert.equal(end.monitor.meter.alarms_set - start.monitor.meter.alarms_set, 0, 'no alert waits: no alarm set');
    for (const region of REGIONS) {
      const [before, after] = [start.regions[region], end.regions[region]];
      const runs = after.probe_runs - before.probe_runs;
      const rows = after.meter.rows_written - before.meter.rows_written + after.meter.alarms_set - before.meter.alarms_set;
      assert.ok(runs >= 2, `${region} ran ${runs} times`);
      assert.equal(rows, runs * end.model.region_rows_per_run, `${region}: ${rows} rows for ${runs} runs`);
    }
    console.log(`# ${reports} reports: ${monitorRows} monitor rows; model ${end.model.monitor_rows_per_report} per report`);
  });

  test('while a webhook is down, reports do not set an alarm each', async () => {
    sink.state.failing = true;
    health.state.down = true;
    const start = await meta(worker);
    await until(async () => (await meta(worker)).monitor.reports >= start.monitor.reports + 30, 'thirty reports in trouble', 60_000);
    const end = await meta(worker);
    const alarms = end.monitor.meter.alarms_set - start.monitor.meter.alarms_set;
    const reports = end.monitor.reports - start.monitor.reports;
    // The retries back off (1, 1, 2, 4 intervals…): a handful of alarms, not one per report.
    assert.ok(alarms <= 8, `${alarms} alarms set over ${reports} reports`);
    sink.state.failing = false;
    health.state.down = false;
  });
});

describe('a region removed from the config', () => {
  test('stops for good: its alarm is deleted, it probes no more', async () => {
    const health = await startHealthServer();
    const endpoint = `[[endpoint]]\nname = "api"\nurl = "http://localhost:${health.port}/api/health"\ntimeout_ms = 1000\n`;
    const three = await startWorker(`[probe]\nregions = ["weur", "enam", "apac"]\ninterval_seconds = 2\n\n${endpoint}`, {}, { keepState: true });
    try {
      await three.cron();
      await until(() => ['weur', 'enam', 'apac'].every((r) => health.state.seen.some((s) => s.region === r)), 'a round from every region');
    } finally {
      await three.stop();
    }
    const two = await startWorker(`[probe]\nregions = ["weur", "enam"]\ninterval_seconds = 2\n\n${endpoint}`, {}, { state: three.state });
    try {
      await two.cron();
      await until(() => /"event":"region_retired"[^\n]*"region":"apac"/.test(two.log()), 'apac retired', 20_000);
      const seen = health.state.seen.length;
      await sleep(6_000);
      const apac = health.state.seen.slice(seen).filter((s) => s.region === 'apac');
      assert.deepEqual(apac, [], 'apac probes no more');
      assert.ok(health.state.seen.slice(seen).some((s) => s.region === 'weur'), 'the others carry on');
    } finally {
      await two.stop({ removeState: true });
      await health.close();
    }
  });
});
