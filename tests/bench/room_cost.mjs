// What one live incident costs on the platform: the worker under workerd, a room opened on
// an incident, PEOPLE people joining (one on a phone that drops off and comes back twice),
// and CHANGES changes sent at the pace the site sends them (gathered every half second),
// each one a step checked, a field typed or a severity set, made by the real encoder
// (`cargo run -p room --example room_fixtures -- --series N`). Counts what the platform
// bills: Worker requests, Durable Object requests (incoming WebSocket messages at 20:1),
// rows written and read by the cursors' meter, and the time each change takes from send to
// answer, an upper bound on the object's active time. Prints JSON for `cargo xtask bench`.
//
//   node tests/bench/room_cost.mjs CHANGES PEOPLE
import { execFileSync } from 'node:child_process';
import WebSocket from 'ws';
import { ROOT, startWorker, until } from '../worker/harness.mjs';

const [changes = '240', people = '4'] = process.argv.slice(2);
const series = JSON.parse(
  execFileSync('cargo', ['run', '--quiet', '--package', 'room', '--example', 'room_fixtures', '--', '--series', changes], { cwd: ROOT, encoding: 'utf8' }),
);
const worker = await startWorker('[probe]\nregions = ["weur"]\n');

function join(room, name) {
  const socket = new WebSocket(`${worker.origin.replace('http', 'ws')}/api/rooms/${room.room}`);
  const person = { socket, states: [] };
  socket.on('message', (data) => {
    const message = JSON.parse(data.toString());
    if (message.type === 'state') person.states.push({ ...message, at: performance.now() });
  });
  return new Promise((resolve, reject) => {
    socket.on('open', () => {
      socket.send(JSON.stringify({ type: 'join', secret: room.secret, name, client: name }));
      resolve(person);
    });
    socket.on('error', reject);
  });
}

let workerRequests = 0;
let incoming = 0;
try {
  const room = await fetch(`${worker.origin}/api/rooms`, { method: 'POST', body: series.base }).then((r) => r.json());
  workerRequests += 1;
  const crowd = [];
  for (let i = 0; i < Number(people); i += 1) {
    crowd.push(await join(room, `person-${i}`));
    workerRequests += 1;
    incoming += 1;
  }
  await until(() => crowd.every((p) => p.states.length > 0), 'everyone has the room');
  const times = [];
  let version = 1;
  for (let n = 0; n < series.changes.length; n += 1) {
    // The phone drops off twice and comes back: a new connection and a join each time.
    if (n > 0 && n % Math.floor(series.changes.length / 3) === 0 && crowd.length > 1) {
      crowd[1].socket.close();
      crowd[1] = await join(room, 'person-1');
      workerRequests += 1;
      incoming += 1;
      await until(() => crowd[1].states.length > 0, 'the phone is back');
    }
    const sender = crowd[n % crowd.length];
    const seen = sender.states.length;
    const sent = performance.now();
    sender.socket.send(JSON.stringify({ type: 'change', base: version, incident: series.changes[n] }));
    incoming += 1;
    const answer = await until(() => sender.states.slice(seen).find((s) => s.mine), `change ${n} answered`, 10_000);
    times.push(answer.at - sent);
    version = answer.version;
    // The site gathers sends every half second: no person sends faster.
    await new Promise((r) => setTimeout(r, 500 / crowd.length));
  }
  const meta = await fetch(`${worker.origin}/api/rooms/${room.room}/meta`, { headers: { authorization: 'Bearer harness-token' } }).then((r) => r.json());
  times.sort((a, b) => a - b);
  console.log(
    JSON.stringify({
      people: Number(people),
      changes: series.changes.length,
      version,
      incoming_messages: incoming,
      upgrades: workerRequests - 1,
      worker_requests: workerRequests,
      rows_written: meta.meter.rows_written,
      rows_read: meta.meter.rows_read,
      alarms_set: meta.meter.alarms_set,
      change_ms_median: times[Math.floor(times.length / 2)],
      change_ms_p95: times[Math.floor(times.length * 0.95)],
      change_ms_total: times.reduce((a, b) => a + b, 0),
    }),
  );
  crowd.forEach((p) => p.socket.close());
} finally {
  await worker.stop();
}
