// DNS checks under workerd: the real worker asks a local DNS-over-HTTPS resolver (JSON form)
// that answers as resolvers do when records are right, wrong, missing or their servers fail,
// and as a resolver that is itself broken (hangs, answers HTML): the team's records failing is
// "down", the resolver failing is "no data", never a false outage.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { startWorker } from './harness.mjs';

const ANSWERS = {
  'ok.example': { Status: 0, Answer: [{ name: 'ok.example.', type: 1, TTL: 60, data: '203.0.113.7' }] },
  'moved.example': { Status: 0, Answer: [{ name: 'moved.example.', type: 1, TTL: 60, data: '203.0.113.9' }] },
  'gone.example': { Status: 3 },
  'broken.example': { Status: 2 },
  'mail.example': { Status: 0, Answer: [{ name: 'mail.example.', type: 15, TTL: 60, data: '10 mx1.example.' }] },
};

function startResolver() {
  const asked = [];
  const server = createServer((request, response) => {
    const url = new URL(request.url, 'http://resolver');
    const name = url.searchParams.get('name');
    asked.push({ name, type: url.searchParams.get('type'), accept: request.headers.accept });
    if (name === 'hang.example') return; // never answers
    if (name === 'html.example') return response.writeHead(200, { 'content-type': 'text/html' }).end('<html>busy</html>');
    const answer = ANSWERS[name] ?? { Status: 3 };
    response.writeHead(200, { 'content-type': 'application/dns-json' }).end(JSON.stringify(answer));
  });
  return new Promise((ready) =>
    server.listen(0, '127.0.0.1', () => ready({ asked, port: server.address().port, close: () => new Promise((d) => { server.closeAllConnections(); server.close(d); }) })),
  );
}

describe('DNS checks', () => {
  let resolver;
  let worker;
  before(async () => {
    resolver = await startResolver();
    const checks = [
      ['ok', 'dns://ok.example?type=A&expect=203.0.113.7'],
      ['moved', 'dns://moved.example?type=A&expect=203.0.113.7'],
      ['gone', 'dns://gone.example'],
      ['broken', 'dns://broken.example'],
      ['mail', 'dns://mail.example?type=MX&expect=10%20mx1.example'],
      ['hang', 'dns://hang.example'],
      ['html', 'dns://html.example'],
    ];
    const config = [
      `[probe]\nconfirm_seconds = 0\ndns_resolver = "http://127.0.0.1:${resolver.port}/dns-query"\n`,
      ...checks.map(([name, url]) => `[[endpoint]]\nname = "${name}"\nurl = "${url}"\ntimeout_ms = 1500\n`),
    ].join('\n');
    worker = await startWorker(config);
  });
  after(async () => {
    await worker?.stop();
    await resolver?.close();
  });

  test('records that are right are up; wrong, missing or failing ones are down with the reason; a broken resolver is no data', async () => {
    // One failing result is believed once the next confirms it (a region's recheck, or here
    // the next round).
    await worker.tick();
    await worker.tick();
    const status = Object.fromEntries((await worker.status()).endpoints.map((e) => [e.name, e]));
    const reason = (name) => status[name].regions[0].outcome;
    assert.equal(status.ok.state, 'up');
    assert.equal(status.mail.state, 'up', 'an MX record with its preference');
    assert.equal(status.moved.state, 'down');
    assert.equal(reason('moved').reason, 'moved.example A is 203.0.113.9; expected 203.0.113.7');
    assert.equal(status.gone.state, 'down');
    assert.equal(reason('gone').reason, 'gone.example does not exist (NXDOMAIN)');
    assert.equal(reason('broken').reason, "broken.example's name servers failed to answer (SERVFAIL)");
    for (const name of ['hang', 'html']) {
      assert.equal(status[name].state, 'unknown', `${name}: the resolver failing says nothing of the records`);
    }
    assert.match(reason('hang').reason, /did not answer in time/);
    // Every region asked the resolver, in its JSON form, once a round.
    const okAsks = resolver.asked.filter((a) => a.name === 'ok.example');
    assert.equal(okAsks.length, 6);
    assert.ok(okAsks.every((a) => a.type === 'A' && a.accept === 'application/dns-json'));
  });
});
