// `cargo xtask deploy --dry-run`, run as a team runs it: a complete config passes and says
// what it would deploy; a config missing pieces is told every one, numbered, before
// anything is built. OUTPOST_XTASK is the xtask binary running the tests.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');
const XTASK = process.env.OUTPOST_XTASK;
const READY = readFileSync(join(ROOT, 'tests/deploy/ready.toml'), 'utf8');

function deploy(...args) {
  assert.ok(XTASK, 'OUTPOST_XTASK names the xtask binary (cargo xtask test deploy sets it)');
  const run = spawnSync(XTASK, ['deploy', ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 });
  return { status: run.status, out: run.stdout, err: run.stderr };
}

describe('cargo xtask deploy --dry-run', () => {
  let dir;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'outpost-deploy-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** The dry run of `text` as an outpost.toml. */
  function dryRun(text) {
    const path = join(dir, `outpost-${Math.random().toString(36).slice(2)}.toml`);
    writeFileSync(path, text);
    return deploy('--dry-run', '--config', path);
  }

  test('a complete config passes and says what it would deploy, where, with which secrets', () => {
    const run = deploy('--dry-run', '--config', 'tests/deploy/ready.toml');
    assert.equal(run.status, 0, run.err);
    assert.match(run.out, /the probe: Worker "acme-probe", at https:\/\/status\.acme\.example/);
    assert.match(run.out, /KiB compressed \(the Free plan takes 3 MiB\)/);
    for (const secret of ['HEALTH_TOKEN', 'BACKUP_BEAT_TOKEN', 'SLACK_WEBHOOK_URL']) {
      assert.match(run.out, new RegExp(`\\n\\s+${secret}\\s+\\S`), `${secret} is listed`);
    }
    assert.match(run.out, /UPDATES_TOKEN\s+optional: status updates/);
    assert.match(run.out, /the site: Pages project "acme-runbooks", at https:\/\/acme-runbooks\.pages\.dev and https:\/\/runbooks\.acme\.example/);
    assert.match(run.out, /_headers \d+ of 100 rules; _redirects \d+ static and \d+ dynamic/);
    assert.match(run.out, /dry run: nothing was sent/);
    // What would be sent: the site reads the probe, and the bundle is wrangler's own.
    const headers = readFileSync(join(ROOT, 'target/dist-deploy/_headers'), 'utf8');
    assert.match(headers, /connect-src 'self' https:\/\/status\.acme\.example wss:\/\/status\.acme\.example;/);
    const page = readFileSync(join(ROOT, 'target/dist-deploy/index.html'), 'utf8');
    assert.match(page, /<meta name="outpost-probe-api" content="https:\/\/status\.acme\.example">/);
    assert.ok(readFileSync(join(ROOT, 'target/deploy-worker/index.js')).length > 0, 'wrangler wrote the bundle');
  });

  test("a fresh fork's outpost.toml is told every missing piece at once, before anything is built", () => {
    const fresh = readFileSync(join(ROOT, 'examples/outpost.toml'), 'utf8');
    const run = dryRun(fresh);
    assert.notEqual(run.status, 0);
    assert.match(run.err, /before deploying, fix:\n  1\. outpost\.toml has no \[deploy\] section/);
    assert.match(run.err, /\n  2\. \[site\] probe_api is not set/);
    assert.doesNotMatch(run.out, /building the site/, 'nothing is built while pieces are missing');
  });

  const MISSING = [
    ['no [deploy] section', READY.replace(/\[deploy\][\s\S]*$/, ''), /no \[deploy\] section/],
    ['no probe_api', READY.replace(/probe_api = .*\n/, ''), /\[site\] probe_api is not set.*https:\/\/status\.acme\.example/],
    ['a probe_api that is another Worker', READY.replace('https://status.acme.example"', 'https://other.acme.workers.dev"'), /probe_api "https:\/\/other\.acme\.workers\.dev" is not where the Worker "acme-probe" answers/],
    ['a site url that is not the site', READY.replace('url = "https://runbooks.acme.example"', 'url = "https://runbooks.acme.example.evil.example"'), /\[site\] url .* is not where the site is deployed/],
    ['a loopback endpoint, which Cloudflare refuses', READY.replace('https://{FRONTEND_HOST}/api/health', 'http://127.0.0.1:8765/health'), /outpost\.toml:\d+: .*127\.0\.0\.1/],
    ['a Worker name Cloudflare refuses', READY.replace('worker = "acme-probe"', 'worker = "Acme Probe ✓"'), /\[deploy\] worker "Acme Probe ✓": Cloudflare takes 1 to 63 lowercase letters/],
    ['an account ID that is not one', READY.replace('[deploy]', '[deploy]\naccount_id = "../.."'), /account_id "\.\.\/\.\." is not an account ID/],
  ];
  for (const [name, text, said] of MISSING) {
    test(`${name} is named with what to write`, () => {
      const run = dryRun(text);
      assert.notEqual(run.status, 0, `${name}: the dry run must fail`);
      assert.match(run.err, said);
      assert.match(run.err, /before deploying, fix:\n  1\. /);
      assert.doesNotMatch(run.out, /building the site/);
    });
  }

  test('--if-configured: a config with no [deploy] section has nothing to deploy, and says so without building', () => {
    const fresh = readFileSync(join(ROOT, 'examples/outpost.toml'), 'utf8');
    const path = join(dir, 'fresh.toml');
    writeFileSync(path, fresh);
    const run = deploy('--dry-run', '--if-configured', '--config', path);
    assert.equal(run.status, 0, run.err);
    assert.match(run.out, /has no \[deploy\] section, so there is nothing to deploy yet/);
    assert.doesNotMatch(run.out, /building the site/);
    const started = join(dir, 'started.toml');
    writeFileSync(started, `${fresh}\n[deploy]\npages_project = "acme-runbooks"\n`);
    const half = deploy('--dry-run', '--if-configured', '--config', started);
    assert.notEqual(half.status, 0, 'a [deploy] section, once written, is held to every check');
    assert.match(half.err, /\[site\] probe_api is not set/);
    const typo = join(dir, 'typo.toml');
    writeFileSync(typo, `${fresh}\n[deploy]\npage_project = "acme-runbooks"\n`);
    const mistyped = deploy('--dry-run', '--if-configured', '--config', typo);
    assert.notEqual(mistyped.status, 0, 'a mistyped [deploy] is a mistake, not "not configured"');
    assert.match(mistyped.err, /unknown field `page_project`/);
  });

  test('a deploy with another config is refused: only outpost.toml, which the probe is built with, is sent', () => {
    const run = deploy('--config', 'tests/deploy/ready.toml');
    assert.equal(run.status, 2);
    assert.match(run.err, /--config is for dry runs/);
  });
});
