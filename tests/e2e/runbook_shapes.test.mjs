// Runbooks of the shapes other teams already have (the corpus in
// crates/runbook/tests/fixtures/shapes, built into a site of their own by `cargo xtask test`):
// each page, once the app has taken over, shows every command, no template syntax, the right
// title and card, only real hosts and fields, `<details>` that open and close, and its images.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ROOT, gotoApp, launchBrowser, openPage, serveDist } from './harness.mjs';

const SHAPES = join(ROOT, 'crates/runbook/tests/fixtures/shapes');
const SHAPES_DIST = resolve(process.env.OUTPOST_SHAPES_DIST ?? join(ROOT, 'target/dist-shapes'));

/** [route, file under the corpus, title, the card's first words] */
const RUNBOOKS = [
  ['/r/kubepodcrashlooping/', 'KubePodCrashLooping.md', 'KubePodCrashLooping', 'A pod in the cluster restarts again and again'],
  ['/r/noderaiddegraded/', 'NodeRAIDDegraded.md', 'NodeRAIDDegraded', "A disk of the node's RAID array failed"],
  ['/r/virtlauncherevictionfailed/', 'VirtLauncherEvictionFailed.md', 'VirtLauncherEvictionFailed', "A virtual machine's launcher pod"],
  ['/r/gitlab/gitlab-patroni-postgresql-locking/', 'gitlab/gitlab-patroni-postgresql-locking.md', 'Overview', 'Patroni holds the leader lock in Consul'],
  ['/r/数据库主节点故障/', '数据库主节点故障.md', '数据库主节点故障', '数据库主节点无法写入时的处理步骤。'],
  ['/r/ja/ディスク容量不足/', 'ja/ディスク容量不足.md', 'ディスク容量不足', 'ログの出力が増え、ディスクの空き容量が 10% を下回りました。'],
];

const site = {};
before(async () => {
  site.server = await serveDist(SHAPES_DIST);
  site.browser = await launchBrowser();
  // The corpus site's own settings declare it (crates/runbook/tests/fixtures/shapes.toml).
  const config = await readFile(join(ROOT, 'crates/runbook/tests/fixtures/shapes.toml'), 'utf8');
  site.frontendHost = /^FRONTEND_HOST\s*=\s*"([^"]*)"/m.exec(config)[1];
});
after(async () => {
  await site.browser?.close();
  await site.server?.close();
});

/** Every non-blank line inside the fenced code blocks of `file`, trimmed. */
async function codeLines(file) {
  const source = await readFile(join(SHAPES, file), 'utf8');
  let inFence = false;
  const lines = [];
  for (const line of source.split('\n')) {
    if (line.trim().startsWith('```')) inFence = !inFence;
    else if (inFence && line.trim()) lines.push(line.trim());
  }
  return lines;
}

async function open(path) {
  const page = await openPage(site.browser, site.server.origin);
  await gotoApp(page, path);
  return page;
}

/** The labels of the hosts panel's inputs, group by group. */
function panelGroups(page) {
  return page.evaluate(() => [...document.querySelectorAll('.hosts .hosts-fields')].map((group) => [...group.querySelectorAll('label code')].map((c) => c.textContent)));
}

describe('runbooks other teams already have', () => {
  test('each page shows every command and no template syntax once the app has taken over', async () => {
    for (const [path, file, title] of RUNBOOKS) {
      const page = await open(path);
      assert.equal(await page.title(), `${title} · Outpost`, path);
      // All the text, that of folded <details> too.
      const text = await page.locator('article.doc').evaluate((article) => article.textContent);
      for (const line of await codeLines(file)) {
        // The site's own value is filled in where the site declares the name.
        const shown = line.replaceAll('$FRONTEND_HOST', site.frontendHost);
        assert.ok(text.includes(shown), `${path}: the command line "${shown}" is on the page`);
      }
      for (const syntax of ['{{<', '[[_TOC_]]', '[TOC]', ':::', '!!!', '<details>', '<kbd>']) {
        assert.ok(!text.includes(syntax), `${path}: ${syntax} is not shown as text`);
      }
      assert.deepEqual(page.problems, [], `${path}: no errors, no failed requests`);
      await page.context().close();
    }
  });

  test('the home page cards are titled and described as a reader expects', async () => {
    const page = await open('/');
    const cards = await page.evaluate(() =>
      [...document.querySelectorAll('li.runbook-card')].map((card) => [card.querySelector('h2').innerText, card.querySelector('.description').innerText]),
    );
    for (const [, , title, card] of RUNBOOKS) {
      const found = cards.find(([shown]) => shown === title);
      assert.ok(found, `a card titled ${title}`);
      assert.ok(found[1].startsWith(card), `${title}: "${found[1]}"`);
      assert.doesNotMatch(found[1], /Table of Contents|TOC|Severity:|\{\{/);
    }
    await page.context().close();
  });

  test('the hosts panel lists hosts and fields apart, fills the commands, and is absent with nothing to fill', async () => {
    // Before the app, the built page's field shows the site's value, as the app's does.
    const built = await openPage(site.browser, site.server.origin, { serviceWorkers: 'block' });
    await built.goto(`${site.server.origin}/r/kubepodcrashlooping/`);
    await built.waitForSelector('html.starter-ready');
    assert.equal(await built.locator('#var-FRONTEND_HOST').inputValue(), site.frontendHost);
    assert.equal(await built.locator('html.app-ready').count(), 0);
    await built.context().close();

    const page = await open('/r/kubepodcrashlooping/');
    assert.equal(await page.locator('#var-FRONTEND_HOST').inputValue(), site.frontendHost);
    await page.locator('details.hosts summary').click();
    assert.equal(await page.locator('details.hosts .hosts-title').innerText(), 'Hosts and fields');
    // `$FRONTEND_HOST` is declared by the site; `<password>` is never a field to save.
    assert.deepEqual(await panelGroups(page), [['FRONTEND_HOST'], ['<namespace>', '<pod>']]);
    await page.locator('#var-namespace').fill('payments');
    await page.locator('#var-namespace').dispatchEvent('change');
    await page.locator('article.doc pre', { hasText: 'kubectl -n payments get pod <pod> -o wide' }).first().waitFor({ state: 'attached' });
    await page.context().close();

    const plain = await open('/r/ja/ディスク容量不足/');
    assert.equal(await plain.locator('.hosts').count(), 0, 'a page with nothing to fill has no panel');
    await plain.context().close();
  });

  test('a <details> section opens and closes, with its keys and command inside', async () => {
    const page = await open('/r/kubepodcrashlooping/');
    const section = page.locator('article.doc details:not(.hosts)', { hasText: 'Full context' });
    const key = section.locator('kbd', { hasText: 'Ctrl' });
    assert.equal(await section.evaluate((d) => d.open), false, 'folded, as on GitHub');
    assert.equal(await key.isVisible(), false);
    await section.locator('summary').click();
    assert.equal(await key.isVisible(), true, 'opened: its content shows');
    assert.equal(await section.locator('pre', { hasText: 'kubectl -n <namespace> logs <pod> --previous' }).isVisible(), true);
    await section.locator('summary').click();
    assert.equal(await key.isVisible(), false, 'closed again');
    await page.context().close();
  });

  test('an image next to the runbooks shows, and alerts of other generators are alerts', async () => {
    const page = await open('/r/gitlab/gitlab-patroni-postgresql-locking/');
    const image = page.locator('article.doc img[alt="Patroni failover"]');
    await image.scrollIntoViewIfNeeded();
    await page.waitForFunction(() => document.querySelector('article.doc img[alt="Patroni failover"]')?.complete);
    assert.equal(await image.evaluate((img) => img.naturalWidth), 48, 'the image loaded from the site');
    await page.context().close();

    const raid = await open('/r/noderaiddegraded/');
    const figure = raid.locator('article.doc img[alt="The array after one disk failed"]');
    await figure.scrollIntoViewIfNeeded();
    await raid.waitForFunction(() => document.querySelector('article.doc img[alt^="The array"]')?.complete);
    assert.equal(await figure.evaluate((img) => img.naturalWidth), 48, 'the Hugo figure loaded');
    assert.match(await raid.locator('aside.callout.caution').innerText(), /^Data at risk\s+One more disk failure loses the array\.$/);
    assert.match(await raid.locator('aside.callout.note').innerText(), /^Before you start\s+Find the node first/);
    // The Hugo ref is a link, to a runbook this site lacks: said so, as for any such link.
    assert.equal(await raid.locator('article.doc .link-missing', { hasText: 'NodeDiskFull' }).getAttribute('title'), 'This site has no runbook for ./NodeDiskFull.md');
    await raid.context().close();
  });
});
