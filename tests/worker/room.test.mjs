// The live room under workerd: people join with the secret from the link, a change reaches
// everyone, a copy that was offline is merged so both end identical, the room survives its
// object restarting, and hostile clients (a wrong secret, junk, floods, too many
// connections) are refused with a reason while the others notice nothing. Costs by
// the platform's meter: one row written per change taken, none for a refused one.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join as joinPath } from 'node:path';
import WebSocket from 'ws';
import { ROOT, startWorker, until } from './harness.mjs';

const CONFIG = '[probe]\nregions = ["weur"]\n';
const TOKEN = 'harness-token';

/** Saved-format incidents made by the real encoder (`crates/room/examples/room_fixtures.rs`). */
const fixtures = JSON.parse(execFileSync('cargo', ['run', '--quiet', '--package', 'room', '--example', 'room_fixtures'], { cwd: ROOT, encoding: 'utf8' }));

async function openRoom(worker, incident = fixtures.base) {
  const response = await fetch(`${worker.origin}/api/rooms`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: incident });
  return { status: response.status, body: response.status === 201 ? await response.json() : await response.text() };
}

/** A person's connection: every message kept, and how it closed. */
function connect(worker, room) {
  const socket = new WebSocket(`${worker.origin.replace('http', 'ws')}/api/rooms/${room}`);
  const person = { socket, messages: [], closed: null };
  socket.on('message', (data) => person.messages.push(JSON.parse(data.toString())));
  socket.on('close', (code, reason) => (person.closed = { code, reason: reason.toString() }));
  person.opened = new Promise((resolve, reject) => {
    socket.on('open', resolve);
    socket.on('error', reject);
  });
  person.send = (message) => socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  person.last = (type) => person.messages.filter((m) => m.type === type).at(-1);
  person.waitFor = (check, what) => until(() => person.messages.find(check), () => `${what}; got ${JSON.stringify(person.messages).slice(0, 400)}, closed ${JSON.stringify(person.closed)}`, 5_000);
  person.waitClosed = () => until(() => person.closed, 'the room closes the connection', 5_000);
  return person;
}

async function join(worker, opened, name, client = '') {
  const person = connect(worker, opened.room);
  await person.opened;
  person.send({ type: 'join', secret: opened.secret, name, client });
  await person.waitFor((m) => m.type === 'state', `${name} gets the room's incident`);
  return person;
}

const roomMeta = (worker, room) =>
  fetch(`${worker.origin}/api/rooms/${room}/meta`, { headers: { authorization: `Bearer ${TOKEN}` } }).then((r) => r.json());

describe('the live room', () => {
  let worker;
  before(async () => {
    worker = await startWorker(CONFIG, {}, { keepState: true });
  });
  after(async () => {
    await worker?.stop({ removeState: true });
  });

  test('a room opens on an incident and answers its id, secret and link fragment; a damaged incident opens none', async () => {
    const opened = await openRoom(worker);
    assert.equal(opened.status, 201);
    assert.match(opened.body.room, /^[0-9a-f]{32}$/);
    assert.match(opened.body.secret, /^[0-9a-f]{32}$/);
    assert.notEqual(opened.body.room, opened.body.secret);
    assert.equal(opened.body.fragment, `live=${opened.body.room}.${opened.body.secret}`);
    for (const junk of ['', 'o1!!', 'é→├──😀', fixtures.future]) {
      const refused = await openRoom(worker, junk);
      assert.equal(refused.status, 422, JSON.stringify(junk));
      assert.match(refused.body, /the room was not opened: /);
    }
    const huge = await openRoom(worker, 'o1' + 'A'.repeat(300 * 1024));
    assert.equal(huge.status, 413);
    assert.match(huge.body, /over the live room.s 256 KB: shorten the longest template fields/);
  });

  test('a check by one reaches the other, with who made it, and both see who is here', async () => {
    const { body: opened } = await openRoom(worker);
    const ana = await join(worker, opened, 'Ana');
    const ben = await join(worker, opened, 'Ben → مريم');
    await ana.waitFor((m) => m.type === 'people' && m.here.length === 2, 'Ana sees Ben arrive');
    assert.deepEqual(ana.last('people').here, ['Ana', 'Ben → مريم']);
    ana.send({ type: 'change', base: 1, incident: fixtures.ana_checks });
    const seen = await ben.waitFor((m) => m.type === 'state' && m.version === 2, 'Ben sees Ana’s check');
    assert.equal(seen.by, 'Ana');
    assert.notEqual(seen.incident, fixtures.ana_checks, 'the room names who checked the step');
    assert.equal(seen.incident, fixtures.ana_checks_in_room, 'and names Ana, as crates/room says');
    ben.socket.close();
    await ana.waitFor((m) => m.type === 'people' && m.here.length === 1, 'Ana sees Ben leave');
    ana.socket.close();
  });

  test('a copy that was offline is merged: both end identical with everything, and each change costs one row', async () => {
    const { body: opened } = await openRoom(worker);
    const ana = await join(worker, opened, 'Ana');
    const ben = await join(worker, opened, 'Ben');
    const before = (await roomMeta(worker, opened.room)).meter.rows_written;
    ana.send({ type: 'change', base: 1, incident: fixtures.ana_checks });
    await ana.waitFor((m) => m.type === 'state' && m.version === 2, 'version 2');
    ana.send({ type: 'change', base: 2, incident: fixtures.ana_severity });
    await ana.waitFor((m) => m.type === 'state' && m.version === 3, 'version 3');
    // Ben worked offline on version 1: three checks and a field.
    ben.send({ type: 'change', base: 1, incident: fixtures.ben_offline });
    const merged = await ana.waitFor((m) => m.type === 'state' && m.version === 4, 'the merge reaches Ana');
    const bens = await ben.waitFor((m) => m.type === 'state' && m.version === 4, 'and Ben');
    assert.equal(merged.incident, bens.incident, 'identical on both screens');
    assert.equal(merged.by, 'Ben');
    assert.notEqual(merged.incident, fixtures.ana_severity);
    assert.notEqual(merged.incident, fixtures.ben_offline);
    const meta = await roomMeta(worker, opened.room);
    assert.equal(meta.version, 4);
    assert.equal(meta.meter.rows_written - before, 3, 'one row written per change taken, by the platform meter');
    // The same change again changes nothing and writes nothing.
    ben.send({ type: 'change', base: 1, incident: fixtures.ben_offline });
    await ben.waitFor((m, i) => i > ben.messages.indexOf(bens) && m.type === 'state' && m.version === 4 && m.by === '', 'the room answers with its own');
    assert.equal((await roomMeta(worker, opened.room)).meter.rows_written - before, 3);
    ana.socket.close();
    ben.socket.close();
  });

  test('a wrong secret, a guessed room, a malformed id and a change before joining are refused with a reason', async () => {
    const { body: opened } = await openRoom(worker);
    const wrong = connect(worker, opened.room);
    await wrong.opened;
    wrong.send({ type: 'join', secret: 'f'.repeat(32), name: 'Mallory' });
    assert.deepEqual(await wrong.waitClosed(), { code: 4403, reason: 'This link does not open the room: its secret is wrong.' });
    const guessed = connect(worker, 'a'.repeat(32));
    await guessed.opened;
    assert.equal((await guessed.waitClosed()).code, 4404);
    const early = connect(worker, opened.room);
    await early.opened;
    early.send({ type: 'change', base: 1, incident: fixtures.ana_checks });
    assert.equal((await early.waitClosed()).code, 4403);
    for (const bad of ['..%2F..%2Fapi%2Fmeta', 'A'.repeat(32), 'a'.repeat(33), '%C3%A9'.repeat(16)]) {
      const status = await new Promise((resolve) => {
        const socket = new WebSocket(`${worker.origin.replace('http', 'ws')}/api/rooms/${bad}`);
        socket.on('unexpected-response', (_, response) => resolve(response.statusCode));
        socket.on('open', () => resolve('opened'));
        socket.on('error', () => {});
      });
      assert.equal(status, 404, bad);
    }
    const plain = await fetch(`${worker.origin}/api/rooms/${opened.room}`);
    assert.equal(plain.status, 426);
  });

  test('a client flooding junk is refused, then closed, and the others notice nothing', async () => {
    const { body: opened } = await openRoom(worker);
    const ana = await join(worker, opened, 'Ana');
    const mallory = await join(worker, opened, 'Mallory');
    await ana.waitFor((m) => m.type === 'people' && m.here.length === 2, 'Mallory is here');
    const seenByAna = ana.messages.length;
    const junk = ['', 'null', '{"type":"delete"}', '{"type":"change","base":1,"incident":"o1!!"}', `{"type":"change","base":99,"incident":"${fixtures.ana_checks}"}`, `{"type":"change","base":1,"incident":"${fixtures.other}"}`, `{"type":"change","base":1,"incident":"${fixtures.future}"}`, 'é→├──😀'.repeat(1000), JSON.stringify({ type: 'change', base: 1, incident: 'o1' + 'A'.repeat(300 * 1024) })];
    for (let i = 0; i < 200 && !mallory.closed; i++) mallory.send(junk[i % junk.length]);
    assert.equal((await mallory.waitClosed()).code, 4429);
    const reasons = mallory.messages.filter((m) => m.type === 'refused').map((m) => m.reason);
    for (const expected of [/not one the room reads/, /cannot be read/, /version 99, but the room is at 1/, /another incident/, /time in the future/, /over the room's 256 KB/, /too many messages/]) {
      assert.ok(reasons.some((r) => expected.test(r)), `refused: ${expected}`);
    }
    await ana.waitFor((m) => m.type === 'people' && m.here.length === 1, 'Ana sees Mallory go');
    assert.deepEqual(ana.messages.slice(seenByAna).map((m) => m.type), ['people'], 'Ana got nothing but Mallory leaving');
    assert.equal((await roomMeta(worker, opened.room)).version, 1, 'the room is as it was');
    ana.socket.close();
  });

  test('past the connection cap a new one is refused as full, and the room keeps serving', async () => {
    const { body: opened } = await openRoom(worker);
    const ana = await join(worker, opened, 'Ana');
    const crowd = [];
    for (let i = 0; i < 45; i++) crowd.push(connect(worker, opened.room));
    await Promise.all(crowd.map((c) => c.opened));
    await until(() => crowd.filter((c) => c.closed).length >= 6, 'the connections past the cap are closed', 5_000);
    assert.ok(crowd.filter((c) => c.closed).every((c) => c.closed.code === 4409));
    ana.send({ type: 'change', base: 1, incident: fixtures.ana_checks });
    await ana.waitFor((m) => m.type === 'state' && m.version === 2, 'the room still takes changes');
    crowd.forEach((c) => c.socket.close());
    ana.socket.close();
  });

  test('a tab that joins again after its network dropped replaces its old connection: one name, not two', async () => {
    const { body: opened } = await openRoom(worker);
    const ana = await join(worker, opened, 'Ana', 'tab-ana');
    const ben = await join(worker, opened, 'Ben', 'tab-ben');
    await ana.waitFor((m) => m.type === 'people' && m.here.length === 2, 'Ana sees Ben');
    const seen = ana.messages.length;
    // Ben's network drops without the room hearing of it; his tab connects again.
    const benAgain = await join(worker, opened, 'Ben', 'tab-ben');
    assert.deepEqual(await ben.waitClosed(), { code: 4001, reason: 'This tab joined again on a new connection.' });
    const after = await ana.waitFor((m, i) => i >= seen && m.type === 'people', 'who is here after Ben rejoined');
    assert.deepEqual(after.here, ['Ana', 'Ben'], 'Ben once, not twice');
    ana.socket.close();
    benAgain.socket.close();
  });

  test('the room survives its object restarting: people come back to the same incident and version', async () => {
    const { body: opened } = await openRoom(worker);
    const ana = await join(worker, opened, 'Ana');
    ana.send({ type: 'change', base: 1, incident: fixtures.ana_checks });
    await ana.waitFor((m) => m.type === 'state' && m.version === 2, 'version 2');
    ana.socket.close();
    await worker.stop({ removeState: false });
    worker = await startWorker(CONFIG, {}, { state: worker.state, keepState: true });
    const back = await join(worker, opened, 'Ana');
    const state = back.last('state');
    assert.equal(state.version, 2);
    assert.equal(state.incident, fixtures.ana_checks_in_room);
    back.socket.close();
  });

  test('25 people are let in and the 26th is told the room is full', async () => {
    const { body: opened } = await openRoom(worker);
    const people = [];
    for (let i = 0; i < 25; i++) people.push(await join(worker, opened, `Person ${i + 1}`, `tab-${i}`));
    await people[0].waitFor((m) => m.type === 'people' && m.here.length === 25, 'all 25 are here');
    const late = connect(worker, opened.room);
    await late.opened;
    late.send({ type: 'join', secret: opened.secret, name: 'Person 26', client: 'tab-26' });
    assert.deepEqual(await late.waitClosed(), { code: 4409, reason: 'The room is full.' });
    people.forEach((p) => p.socket.close());
  });

  // Last: the openings it makes count against this address for the rest of the minute.
  test('an address that opens room after room is refused with 429 and a reason, before any room is made', async () => {
    const limit = Number(/OPENINGS_PER_MINUTE: u32 = (\d+)/.exec(readFileSync(joinPath(ROOT, 'crates/room/src/limits.rs'), 'utf8'))[1]);
    const statuses = [];
    // Earlier tests opened some this minute, and a new minute may start midway: at most two
    // minutes' worth before the refusal.
    while (statuses.length <= 2 * limit && !statuses.includes(429)) statuses.push((await openRoom(worker)).status);
    assert.ok(statuses.includes(429), `no refusal in ${statuses.length} openings`);
    const refused = await fetch(`${worker.origin}/api/rooms`, { method: 'POST', body: fixtures.base });
    assert.equal(refused.status, 429);
    assert.equal(refused.headers.get('retry-after'), '60');
    assert.match(await refused.text(), /too many live rooms were opened from this address in the last minute/);
  });
});

describe('a room left idle', () => {
  test('ends when its idle time passes: its people are told why, its storage is deleted, its link opens nothing', async () => {
    // ROOM_IDLE_SECONDS: a local run's stand-in for the 48 hours, so the alarm fires here
    // (the reason still names the real time).
    const idle = await startWorker(CONFIG, { ROOM_IDLE_SECONDS: '4' });
    try {
      const { body: opened } = await openRoom(idle);
      const ana = await join(idle, opened, 'Ana');
      // A change a second or more after the opening (the room counts whole seconds): the
      // first alarm finds the room not yet idle long enough and sets itself again, counted
      // from the change.
      await new Promise((r) => setTimeout(r, 1_100));
      ana.send({ type: 'change', base: 1, incident: fixtures.ana_checks });
      await ana.waitFor((m) => m.type === 'state' && m.version === 2, 'the change is taken');
      const closed = await until(() => ana.closed, 'the room ends', 20_000);
      assert.deepEqual(closed, { code: 4410, reason: 'The room ended after 48 hours without a change.' });
      const meta = await roomMeta(idle, opened.room);
      assert.equal(meta.version, null, 'nothing is left in storage');
      assert.equal(meta.meter.alarms_set, 2, 'set at the opening, and again after the change');
      const again = connect(idle, opened.room);
      await again.opened;
      assert.equal((await again.waitClosed()).code, 4404);
    } finally {
      await idle.stop();
    }
  });
});
