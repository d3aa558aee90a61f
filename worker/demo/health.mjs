// A health endpoint imitating the team's `/api/health`, for `cargo xtask dev` and the
// worker's tests. It can be told to misbehave:
//   GET /api/health                 {"status":"ok",...} (or whatever it was told)
//   POST /demo/down                 every request fails with 503
//   POST /demo/regional?region=apac requests from that region fail
//   POST /demo/up                   healthy again
// and it serves fixed misbehaviours under /bad/… for the tests. Binds 127.0.0.1 only.
import { createServer } from 'node:http';

export function startHealthServer(port = 0) {
  const state = { down: false, failingRegion: null, seen: [] };
  const server = createServer((request, response) => {
    const url = new URL(request.url, 'http://x');
    const region = request.headers['x-outpost-region'] ?? null;
    state.seen.push({ path: url.pathname, region });
    const json = (status, body) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    switch (url.pathname) {
      case '/demo/down':
        state.down = true;
        return json(200, { ok: true });
      case '/demo/up':
        state.down = false;
        state.failingRegion = null;
        return json(200, { ok: true });
      case '/demo/regional':
        state.failingRegion = url.searchParams.get('region');
        return json(200, { ok: true });
      case '/api/health':
        if (state.down || (region && region === state.failingRegion)) return json(503, { status: 'down' });
        return json(200, { status: 'ok', providers: { openrouter: 'up' }, region });
      case '/bad/500':
        return json(500, { status: 'error' });
      case '/bad/slow':
        return setTimeout(() => json(200, { status: 'ok' }), 1_200);
      case '/bad/slower-than-timeout':
        return setTimeout(() => json(200, { status: 'ok' }), 6_000);
      case '/bad/hang':
        return; // accepted, never answered
      case '/bad/invalid-json':
        response.writeHead(200, { 'content-type': 'application/json' });
        return response.end('{"status": "ok"');
      case '/bad/degraded':
        return json(200, { status: 'degraded' });
      case '/bad/huge': {
        response.writeHead(200, { 'content-type': 'application/json' });
        const chunk = Buffer.alloc(64 * 1024, 'x');
        let sent = 0;
        const pump = () => {
          while (sent < 10 * 1024 * 1024) {
            sent += chunk.length;
            if (!response.write(chunk)) return response.once('drain', pump);
          }
          response.end();
        };
        response.on('error', () => {});
        return pump();
      }
      case '/bad/redirect-loop':
        response.writeHead(302, { location: '/bad/redirect-loop' });
        return response.end();
      case '/bad/apac-only':
        return region === 'apac' ? json(503, { status: 'down' }) : json(200, { status: 'ok' });
      default:
        return json(404, { error: 'not found' });
    }
  });
  server.on('connection', (socket) => socket.on('error', () => {}));
  return new Promise((resolve, reject) =>
    server.once('error', reject).listen(port, '127.0.0.1', () =>
      resolve({ server, state, port: server.address().port, close: () => new Promise((done) => { server.closeAllConnections(); server.close(done); }) }),
    ),
  );
}

// Run directly: `node worker/demo/health.mjs [port]`.
if (import.meta.url === `file://${process.argv[1]}`) {
  const { port } = await startHealthServer(Number(process.argv[2] ?? 8765));
  console.log(`demo health server on http://127.0.0.1:${port}/api/health (POST /demo/down, /demo/up, /demo/regional?region=apac)`);
}
