// A fork's own content survives pulling a newer Outpost: runbooks/ and outpost.toml are the
// team's (.gitattributes keeps their side when both changed), and Outpost's own commits
// change only Outpost's files. Run with git, in throwaway repositories, with this
// repository's real .gitattributes and README's commands.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

function git(cwd, ...args) {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' },
  });
}

function write(repo, path, text) {
  mkdirSync(dirname(join(repo, path)), { recursive: true });
  writeFileSync(join(repo, path), text);
}

const read = (repo, path) => readFileSync(join(repo, path), 'utf8');

/** The git commands of README's "Updating Outpost", with the upstream address filled in. */
function readmeCommands(upstream) {
  const section = README.slice(README.indexOf('## Updating Outpost'));
  const block = section.slice(section.indexOf('```sh') + 5, section.indexOf('```', section.indexOf('```sh') + 5));
  return block
    .split('\n')
    .map((line) => line.replace(/#.*$/, '').trim())
    .filter((line) => line.startsWith('git '))
    .map((line) => line.replace(/https:\/\/\S+/, upstream).split(/\s+/).slice(1));
}

describe('updating a fork', () => {
  let dir;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'outpost-fork-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test("pulling a newer Outpost keeps the team's runbooks and outpost.toml and brings Outpost's changes", () => {
    const upstream = join(dir, 'outpost');
    const fork = join(dir, 'fork');
    mkdirSync(upstream);
    git(upstream, 'init', '-q', '-b', 'main');
    write(upstream, '.gitattributes', read(ROOT, '.gitattributes'));
    write(upstream, 'outpost.toml', read(ROOT, 'examples/outpost.toml'));
    write(upstream, 'runbooks/incident-response.md', read(ROOT, 'examples/runbooks/incident-response.md'));
    write(upstream, 'examples/outpost.toml', read(ROOT, 'examples/outpost.toml'));
    write(upstream, 'app/src/lib.rs', '// version 1\n');
    git(upstream, 'add', '-A');
    git(upstream, 'commit', '-q', '-m', 'Outpost 1');

    // The team forks, then makes the content its own: its config, a changed demo runbook
    // and a new one, and the demo's other file removed.
    git(dir, 'clone', '-q', upstream, fork);
    const teamConfig = read(fork, 'outpost.toml').replace('FRONTEND_HOST = "aragora.live"', 'FRONTEND_HOST = "shop.acme.example"') + '\n[deploy]\npages_project = "acme-runbooks"\n';
    write(fork, 'outpost.toml', teamConfig);
    const teamRunbook = read(fork, 'runbooks/incident-response.md').replace('# Incident Response Runbook', '# Acme — incident response → é');
    write(fork, 'runbooks/incident-response.md', teamRunbook);
    write(fork, 'runbooks/database-failover.md', '# Database failover\n\n1. Promote the replica.\n');
    git(fork, 'add', '-A');
    git(fork, 'commit', '-q', '-m', 'Our runbooks');

    // Outpost moves on: code, its example, and the same lines of outpost.toml and the demo
    // runbook the team changed (a new documented option, a reworded heading).
    write(upstream, 'app/src/lib.rs', '// version 2\n');
    write(upstream, 'examples/outpost.toml', read(upstream, 'examples/outpost.toml') + '# new_option = 1\n');
    write(upstream, 'outpost.toml', read(upstream, 'outpost.toml').replace('FRONTEND_HOST = "aragora.live"', 'FRONTEND_HOST = "aragora.example"\n# new_option = 1'));
    write(upstream, 'runbooks/incident-response.md', read(upstream, 'runbooks/incident-response.md').replace('# Incident Response Runbook', '# Incident Response'));
    git(upstream, 'commit', '-q', '-am', 'Outpost 2');

    // README's commands, as the team runs them.
    const commands = readmeCommands(upstream);
    assert.ok(commands.some((c) => c[0] === 'pull'), `README's "Updating Outpost" pulls: ${JSON.stringify(commands)}`);
    for (const command of commands) git(fork, ...command);

    assert.equal(git(fork, 'status', '--porcelain'), '', 'no conflict is left to resolve');
    assert.equal(read(fork, 'app/src/lib.rs'), '// version 2\n', "Outpost's change arrived");
    assert.match(read(fork, 'examples/outpost.toml'), /# new_option = 1/, "and its example's");
    assert.equal(read(fork, 'outpost.toml'), teamConfig, "the team's outpost.toml is kept");
    assert.equal(read(fork, 'runbooks/incident-response.md'), teamRunbook, "the team's runbook is kept");
    assert.ok(existsSync(join(fork, 'runbooks/database-failover.md')));
  });

  /**
   * Outpost with a demo runbook, a fork that deleted it for one of its own, and Outpost's next
   * commit: its code, and the demo runbook reworded when `rewordDemo`.
   */
  function forkWithoutTheDemo(name, rewordDemo) {
    const upstream = join(dir, `outpost-${name}`);
    const fork = join(dir, `fork-${name}`);
    mkdirSync(upstream);
    git(upstream, 'init', '-q', '-b', 'main');
    write(upstream, '.gitattributes', read(ROOT, '.gitattributes'));
    write(upstream, 'runbooks/incident-response.md', '# Demo\n');
    write(upstream, 'app/src/lib.rs', '// version 1\n');
    git(upstream, 'add', '-A');
    git(upstream, 'commit', '-q', '-m', 'Outpost 1');
    git(dir, 'clone', '-q', upstream, fork);
    git(fork, 'rm', '-q', 'runbooks/incident-response.md');
    write(fork, 'runbooks/ours.md', '# Ours\n');
    git(fork, 'add', '-A');
    git(fork, 'commit', '-q', '-m', 'Only ours');
    write(upstream, 'app/src/lib.rs', '// version 2\n');
    if (rewordDemo) write(upstream, 'runbooks/incident-response.md', '# Demo, reworded\n');
    git(upstream, 'commit', '-q', '-am', 'Outpost 2');
    return { upstream, fork };
  }

  test('a team that deleted the demo runbook keeps it deleted after an update', () => {
    const { upstream, fork } = forkWithoutTheDemo('kept', false);
    for (const command of readmeCommands(upstream)) git(fork, ...command);
    assert.equal(git(fork, 'status', '--porcelain'), '');
    assert.ok(!existsSync(join(fork, 'runbooks/incident-response.md')));
    assert.equal(read(fork, 'app/src/lib.rs'), '// version 2\n');
  });

  test("a team that deleted the demo runbook Outpost then changed keeps it deleted with README's two commands", () => {
    const { upstream, fork } = forkWithoutTheDemo('reworded', true);
    // A modify/delete conflict is not a content merge: git stops, whatever .gitattributes says.
    assert.throws(
      () => readmeCommands(upstream).forEach((command) => git(fork, ...command)),
      (error) => /CONFLICT \(modify\/delete\)/.test(`${error.stdout}${error.stderr}`),
    );
    const recovery = ['git rm runbooks/incident-response.md', 'git commit --no-edit'];
    for (const line of recovery) assert.ok(README.includes(line), `README says: ${line}`);
    for (const line of recovery) git(fork, ...line.split(' ').slice(1));
    assert.equal(git(fork, 'status', '--porcelain'), '');
    assert.ok(!existsSync(join(fork, 'runbooks/incident-response.md')));
    assert.equal(read(fork, 'app/src/lib.rs'), '// version 2\n', "Outpost's change arrived");
  });
});
