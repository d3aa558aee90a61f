// Servers that misbehave below HTTP: each listens on its own port on 127.0.0.1 and answers
// every connection the same hostile way, so the worker can be pointed at them over fetch()
// (http://localhost:PORT/) and over raw-IP sockets (http://127.0.0.1:PORT/).
import { createServer } from 'node:net';

const HEAD = 'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n';

/** What each server does with a connection once the request has arrived. */
export const BEHAVIOURS = {
  // A chunk size that overflows any 64-bit length arithmetic.
  'huge-chunk-size': (socket) => socket.end(`${HEAD}Transfer-Encoding: chunked\r\n\r\nffffffffffffffff\r\n${'x'.repeat(1024)}`),
  // 200 KB of headers.
  'huge-header': (socket) => socket.end(`${HEAD}X-Flood: ${'a'.repeat(200 * 1024)}\r\nContent-Length: 2\r\n\r\n{}`),
  // A valid response, one byte a second: slower than any timeout.
  dribble: (socket) => {
    const text = `${HEAD}Content-Length: 15\r\n\r\n{"status":"ok"}`;
    let at = 0;
    const timer = setInterval(() => {
      if (socket.destroyed || at >= text.length) return clearInterval(timer);
      socket.write(text[at++]);
    }, 1000);
    socket.on('close', () => clearInterval(timer));
  },
  // Not HTTP at all.
  banner: (socket) => socket.end('SSH-2.0-OpenSSH_9.6 Ubuntu\r\n'),
  // The connection is closed as soon as the request arrives.
  'close-at-once': (socket) => socket.destroy(),
  // Chunked data that never ends.
  'endless-chunks': (socket) => {
    socket.write(`${HEAD}Transfer-Encoding: chunked\r\n\r\n`);
    const chunk = `400\r\n${'y'.repeat(1024)}\r\n`;
    const pump = () => {
      while (!socket.destroyed) if (!socket.write(chunk)) return socket.once('drain', pump);
    };
    pump();
  },
};

/** Starts one server per behaviour; `ports[name]` says where, `close()` stops them all. */
export async function startHostileServers() {
  const servers = {};
  const ports = {};
  const sockets = new Set();
  for (const [name, behave] of Object.entries(BEHAVIOURS)) {
    const server = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {});
      socket.once('data', () => behave(socket));
    });
    await new Promise((ready) => server.listen(0, '127.0.0.1', ready));
    servers[name] = server;
    ports[name] = server.address().port;
  }
  return {
    ports,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await Promise.all(Object.values(servers).map((server) => new Promise((done) => server.close(done))));
    },
  };
}
