// Alerts, the ecosystem's formats and raw-IP targets, with the real worker under workerd,
// a real webhook sink that can fail on purpose, and the misbehaving health server.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startHealthServer } from '../../worker/demo/health.mjs';
import { launchBrowser } from '../e2e/harness.mjs';
import { freePort, startSink, startWorker, until } from './harness.mjs';

let health;
let sink;
let paging;
let worker;
let refusedPort;

const now = new Date();
const iso = (date) => date.toISOString().replace(/\.\d+Z$/, 'Z');

function config() {
  const raw = (name, target) => `[[endpoint]]\nname = "${name}"\nurl = "${target}"\nslow_ms = 1000\ntimeout_ms = 2000\n`;
  const start = iso(new Date(now.getTime() - 3600_000));
  const end = iso(new Date(now.getTime() + 3600_000));
  return `[site]
title = "Alert test"
url = "https://runbooks.example.com"
probe_api = "https://probe.example.com"

[variables]
HOST = "localhost"

[probe]
confirm_seconds = 0   # the harness steps rounds by hand: two failing rounds are down
recover_seconds = 1   # and two healthy ones are up
flap_changes = 100
interval_seconds = 1  # retries wait 1, 1, 2… seconds

[[endpoint]]
name = "api"
url = "http://{HOST}:${health.port}/api/health"
assert = ['.status == "ok"']
runbook = "incident-response#complete-service-outage-sev1"

[[endpoint]]
name = "www"
url = "http://{HOST}:${health.port}/bad/500"

${raw('raw-ok', `http://127.0.0.1:${health.port}/api/health`)}
${raw('raw-500', `http://127.0.0.1:${health.port}/bad/500`)}
${raw('raw-hang', `http://127.0.0.1:${health.port}/bad/hang`)}
${raw('raw-refused', `http://127.0.0.1:${refusedPort}/api/health`)}
${raw('tcp-open', `tcp://127.0.0.1:${health.port}`)}
${raw('tcp-refused', `tcp://127.0.0.1:${refusedPort}`)}

[[alert]]
kind = "slack"
url = "secret:SLACK_URL"
endpoints = ["api", "www"]

[[alert]]
kind = "webhook"
url = "secret:HOOK_URL"
endpoints = ["api", "www"]

[[alert]]
kind = "pagerduty"
url = "secret:PD_URL"
key = "secret:PD_KEY"
endpoints = ["api"]

[[alert]]
kind = "opsgenie"
url = "secret:OG_URL"
key = "secret:OG_KEY"
endpoints = ["api"]

[[alert]]
kind = "teams"
url = "secret:TEAMS_URL"
endpoints = ["api"]

[[alert]]
kind = "telegram"
url = "secret:TG_URL"
chat = "-1001234567890"
endpoints = ["api"]

[[alert]]
kind = "ntfy"
url = "secret:NTFY_URL"
topic = "outpost-test"
key = "secret:NTFY_TOKEN"
endpoints = ["api"]

[[maintenance]]
title = "Front end move"
start = ${start}
end = ${end}
endpoints = ["www"]
`;
}

before(async () => {
  health = await startHealthServer();
  sink = await startSink();
  paging = await startSink();
  // Telegram's flood control, once: a 429 whose wait is in the body, not a header.
  let flooded = false;
  paging.state.answer = (request) => {
    if (request.path !== '/telegram' || flooded) return null;
    flooded = true;
    return { status: 429, body: JSON.stringify({ ok: false, error_code: 429, parameters: { retry_after: 5 } }) };
  };
  refusedPort = await freePort();
  const at = (path) => `http://localhost:${paging.port}${path}`;
  worker = await startWorker(config(), {
    SLACK_URL: `http://localhost:${sink.port}/slack`,
    HOOK_URL: `http://localhost:${sink.port}/hook`,
    PD_URL: at('/pagerduty'),
    PD_KEY: 'pd-routing-key',
    OG_URL: at('/opsgenie/v2/alerts'),
    OG_KEY: 'og-api-key',
    TEAMS_URL: at('/teams'),
    TG_URL: at('/telegram'),
    NTFY_URL: at('/ntfy/'),
    NTFY_TOKEN: 'tk_ntfy',
  });
});

after(async () => {
  await worker?.stop();
  await sink?.close();
  await paging?.close();
  await health?.close();
});

const states = (sinkState, path) =>
  sinkState.received
    .filter((r) => r.path === path)
    .flatMap((r) =>
      path === '/hook'
        ? r.body.changes.map((c) => `${c.from}->${c.to}`)
        : r.body.blocks.filter((b) => b.type === 'section').map((b) => b.text.text.split('\n')[0].replace(/^\*|\*$/g, '')),
    );

describe('alerts', () => {
  test('one message per transition per target, none while the error changes, none in maintenance', async () => {
    await worker.tick();
    health.state.down = true;
    await worker.tick();
    await worker.tick(); // down is declared: one message each
    await health.close(); // the error changes from HTTP 503 to a refused connection...
    await worker.tick();
    await worker.tick(); // ...but the state stays down: no new message
    health = await startHealthServer(health.port);
    await worker.tick();
    await worker.tick(); // recovered
    // Alerts go out from the monitor's own alarm, just after the round that declared them.
    await until(() => states(sink.state, '/slack').length === 2 && states(sink.state, '/hook').length === 2, 'two messages per target');
    assert.deepEqual(states(sink.state, '/slack'), ['api is down', 'api recovered (was down)']);
    assert.deepEqual(states(sink.state, '/hook'), ['up->down', 'down->up']);
    const down = sink.state.received.find((r) => r.path === '/hook').body.changes[0];
    assert.deepEqual(down.regions.sort(), ['apac', 'enam', 'weur']);
    assert.equal(down.cause, 'HTTP 503');
    const runbook = new URL(down.runbook);
    assert.equal(`${runbook.origin}${runbook.pathname}${runbook.hash}`, 'https://runbooks.example.com/r/incident-response/#complete-service-outage-sev1');
    const [version, endpoint, state, onset, declared, regions, cause] = runbook.searchParams.get('outage').split('~');
    assert.deepEqual([version, endpoint, state, cause], ['1', 'api', 'down', 'HTTP 503'], 'the link carries the outage');
    assert.ok(Number(onset) <= Number(declared), 'onset comes before the declaration');
    assert.deepEqual(regions.split('.').sort(), ['apac', 'enam', 'weur']);
    assert.equal(down.status_page, 'https://probe.example.com/');
    const slack = sink.state.received.find((r) => r.path === '/slack').body;
    // Slack's text escapes `&` (its mrkdwn control character); Slack shows it as `&`.
    assert.ok(slack.text.includes(down.runbook.replaceAll('&', '&amp;')), 'the Slack message links the same runbook address');
    // www has been failing all along, but it is in maintenance: no message about it.
    assert.ok(sink.state.received.every((r) => JSON.stringify(r.body).includes('api')));
  });

  test('paging tools get the same outage: one event each, opened and closed by one key per episode', async () => {
    const to = (path) => paging.state.received.filter((r) => r.path.startsWith(path));
    await until(
      () => ['/pagerduty', '/opsgenie', '/teams', '/telegram', '/ntfy'].every((path) => to(path).length === 2),
      () => `the outage and its recovery in every paging format: ${JSON.stringify(Object.fromEntries(['/pagerduty', '/opsgenie', '/teams', '/telegram', '/ntfy'].map((p) => [p, to(p).length])))}`,
      30_000,
    );
    const [trigger, resolve] = to('/pagerduty').map((r) => r.body);
    assert.equal(trigger.event_action, 'trigger');
    assert.equal(trigger.routing_key, 'pd-routing-key');
    assert.equal(trigger.payload.severity, 'critical');
    assert.equal(trigger.payload.summary, 'api is down');
    assert.match(trigger.dedup_key, /^outpost-api-\d+$/);
    assert.deepEqual(resolve, { routing_key: 'pd-routing-key', event_action: 'resolve', dedup_key: trigger.dedup_key });
    const [create, close] = to('/opsgenie');
    assert.equal(create.path, '/opsgenie/v2/alerts');
    assert.equal(create.authorization, 'GenieKey og-api-key');
    assert.equal(create.body.alias, trigger.dedup_key, 'the same episode, the same key');
    assert.equal(create.body.priority, 'P1');
    assert.equal(close.path, `/opsgenie/v2/alerts/${create.body.alias}/close?identifierType=alias`);
    assert.equal(close.authorization, 'GenieKey og-api-key');
    const card = to('/teams')[0].body.attachments[0].content;
    assert.equal(card.type, 'AdaptiveCard');
    assert.deepEqual(card.body[1].inlines[0].text, 'api is down');
    assert.deepEqual(
      card.actions.map((a) => a.title),
      ['Runbook: api', 'Status page'],
    );
    // The first Telegram message met flood control; it was sent again after the wait it named
    // (5 s; without it the retry would come after 1 s, at this 1 s interval).
    assert.equal(paging.state.refused.length, 1);
    const waited = to('/telegram')[0].at - paging.state.refused[0].at;
    assert.ok(waited >= 5_000, `waited ${waited} ms`);
    const telegram = to('/telegram').map((r) => r.body);
    assert.equal(telegram[0].chat_id, '-1001234567890');
    assert.equal(telegram[0].text.split('\n')[0], 'api is down');
    assert.equal(telegram[1].text.split('\n')[0], 'api recovered (was down)');
    const [ntfy] = to('/ntfy');
    assert.equal(ntfy.authorization, 'Bearer tk_ntfy');
    assert.equal(ntfy.body.topic, 'outpost-test');
    assert.equal(ntfy.body.priority, 5);
    assert.equal(ntfy.body.click, 'https://probe.example.com/');
    paging.state.received.length = 0;
  });

  test('with the sink failing in between, one "down" and one "recovered" still arrive, in order', async () => {
    sink.state.received.length = 0;
    sink.state.failing = true;
    health.state.down = true;
    await worker.tick();
    await worker.tick(); // down declared; delivery fails
    await worker.tick(); // retried, fails
    await worker.tick(); // retried, fails: the sink has been down three rounds
    health.state.down = false;
    await worker.tick();
    await worker.tick(); // recovered declared, queued behind the undelivered "down"
    assert.equal(sink.state.received.length, 0);
    sink.state.failing = false;
    // The retries come on the monitor's alarm, rounds or not.
    await until(() => sink.state.received.length >= 2, 'the backlog', 30_000);
    assert.deepEqual(states(sink.state, '/slack'), ['api is down', 'api recovered (was down)']);
    assert.deepEqual(states(sink.state, '/hook'), ['up->down', 'down->up']);
    assert.equal(sink.state.received.length, 2, 'the backlog arrives as one message per target');
    await worker.tick();
    await new Promise((r) => setTimeout(r, 2_000));
    assert.equal(sink.state.received.length, 2, 'nothing is delivered twice');
  });
});

describe('formats other tools read', () => {
  // Two fresh rounds: a failure is confirmed by a second probe, and at a 1 s interval the
  // status is stale three seconds after the last round.
  before(async () => {
    await worker.tick();
    await worker.tick();
  });
  const get = (path) => fetch(`${worker.origin}${path}`);
  const STATUSES = ['operational', 'degraded_performance', 'partial_outage', 'major_outage', 'under_maintenance'];

  test('Statuspage v2 summary and status have its field names and enums', async () => {
    const summary = await (await get('/api/v2/summary.json')).json();
    assert.deepEqual(Object.keys(summary).sort(), ['components', 'incidents', 'page', 'scheduled_maintenances', 'status']);
    for (const key of ['id', 'name', 'url', 'time_zone', 'updated_at']) assert.ok(key in summary.page, key);
    assert.match(summary.page.updated_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    for (const component of summary.components) {
      for (const key of ['id', 'name', 'status', 'created_at', 'updated_at', 'position', 'description', 'showcase', 'group_id', 'page_id', 'group', 'only_show_if_degraded']) {
        assert.ok(key in component, `component ${key}`);
      }
      assert.ok(STATUSES.includes(component.status), component.status);
    }
    const byName = Object.fromEntries(summary.components.map((c) => [c.name, c.status]));
    assert.equal(byName.api, 'operational');
    assert.equal(byName.www, 'under_maintenance');
    assert.equal(byName['raw-500'], 'major_outage');
    assert.ok(['none', 'minor', 'major', 'critical'].includes(summary.status.indicator));
    assert.equal(summary.status.indicator, 'critical');
    for (const incident of summary.incidents) {
      assert.ok(['investigating', 'identified', 'monitoring', 'resolved', 'postmortem'].includes(incident.status));
      assert.ok(['none', 'minor', 'major', 'critical'].includes(incident.impact));
      for (const key of ['id', 'name', 'created_at', 'updated_at', 'shortlink', 'started_at', 'page_id', 'incident_updates', 'components']) {
        assert.ok(key in incident, `incident ${key}`);
      }
    }
    const [maintenance] = summary.scheduled_maintenances;
    assert.equal(maintenance.name, 'Front end move');
    assert.equal(maintenance.status, 'in_progress');
    assert.equal(maintenance.impact, 'maintenance');
    const status = await (await get('/api/v2/status.json')).json();
    assert.deepEqual(Object.keys(status).sort(), ['page', 'status']);
  });

  test('badges come as SVG and as shields.io endpoint JSON', async () => {
    const json = await (await get('/badge/api.json')).json();
    assert.deepEqual(json, { schemaVersion: 1, label: 'api', message: 'up', color: 'brightgreen' });
    const page = await (await get('/badge.json')).json();
    assert.equal(page.schemaVersion, 1);
    assert.equal(typeof page.label, 'string');
    assert.equal(typeof page.message, 'string');
    const svg = await get('/badge/raw-500.svg');
    assert.equal(svg.headers.get('content-type'), 'image/svg+xml');
    assert.match(await svg.text(), /<title>raw-500: down<\/title>/);
    assert.equal((await get('/badge/nope.svg')).status, 404);
  });

  test('the Atom feed is well-formed XML with what RFC 4287 requires', async () => {
    const response = await get('/feed.atom');
    assert.match(response.headers.get('content-type'), /application\/atom\+xml/);
    const xml = await response.text();
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      const result = await page.evaluate((text) => {
        const doc = new DOMParser().parseFromString(text, 'application/xml');
        const atom = 'http://www.w3.org/2005/Atom';
        const feed = doc.documentElement;
        const child = (el, name) => [...el.children].filter((c) => c.namespaceURI === atom && c.localName === name);
        return {
          error: doc.getElementsByTagName('parsererror').length,
          root: `${feed.namespaceURI} ${feed.localName}`,
          feed: ['id', 'title', 'updated', 'author'].map((n) => child(feed, n).length),
          entries: child(feed, 'entry').map((e) => ['id', 'title', 'updated'].map((n) => child(e, n).length)),
          titles: child(feed, 'entry').map((e) => child(e, 'title')[0].textContent),
        };
      }, xml);
      assert.equal(result.error, 0);
      assert.equal(result.root, 'http://www.w3.org/2005/Atom feed');
      assert.deepEqual(result.feed, [1, 1, 1, 1]);
      assert.ok(result.entries.length >= 3);
      for (const entry of result.entries) assert.deepEqual(entry, [1, 1, 1]);
      assert.ok(result.titles.includes('Maintenance: Front end move'));
      assert.ok(result.titles.some((t) => t.startsWith('api ')));
    } finally {
      await browser.close();
    }
  });
});

describe('raw-IP targets over connect()', () => {
  test('are classified as fetch classifies them: ok, HTTP status, timeout, refused', async () => {
    const status = await (await fetch(`${worker.origin}/api/status`)).json();
    const kinds = Object.fromEntries(status.endpoints.map((e) => [e.name, e.regions.map((r) => r.outcome.kind)]));
    assert.deepEqual(kinds['raw-ok'], ['ok', 'ok', 'ok']);
    assert.deepEqual(kinds['raw-500'], ['http_status', 'http_status', 'http_status']);
    assert.deepEqual(kinds['raw-hang'], ['timeout', 'timeout', 'timeout']);
    assert.deepEqual(kinds['raw-refused'], ['connection_failed', 'connection_failed', 'connection_failed'], JSON.stringify(status.endpoints.find((e) => e.name === 'raw-refused').regions[0]));
    assert.deepEqual(kinds['tcp-open'], ['ok', 'ok', 'ok']);
    assert.deepEqual(kinds['tcp-refused'], ['connection_failed', 'connection_failed', 'connection_failed']);
    const raw500 = status.endpoints.find((e) => e.name === 'raw-500').regions[0].outcome;
    assert.equal(raw500.status, 500);
    const seen = health.state.seen.filter((s) => s.path === '/api/health' && s.region).map((s) => s.region);
    assert.ok(seen.includes('weur'), 'the region header goes over the socket too');
  });
});
