// Outpost's service worker: after one visit the whole site (app, styles, runbooks) opens
// with no network. `cargo xtask build` fills in the version and the list of files.
// A new deploy installs beside the old one and waits; the page offers a reload, so an
// incident in progress is never interrupted by an update.
const VERSION = '__OUTPOST_VERSION__';
const PRECACHE = __OUTPOST_PRECACHE__;
const CACHE = `outpost-${VERSION}`;

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      await Promise.all(PRECACHE.map(async (path) => {
        const response = await fetch(path, { cache: 'reload' });
        // Static hosts answer 404.html with its own status, and some redirect `x.html`
        // to `x`: kept as a plain 200 so it can answer a navigation later.
        if (!response.ok && !(path === '/404.html' && response.status === 404)) {
          throw new Error(`precache ${path}: ${response.status}`);
        }
        await cache.put(path, new Response(await response.arrayBuffer(), { headers: response.headers }));
      }));
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) {
        if (key.startsWith('outpost-') && key !== CACHE) await caches.delete(key);
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('message', (event) => {
  if (event.data === 'skip-waiting') self.skipWaiting();
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  event.respondWith(
    caches.open(CACHE).then(async (cache) => {
      if (request.mode !== 'navigate') return (await cache.match(url.pathname)) ?? fetch(request);
      // Each page was written whole at build time: the home page, one per runbook, and
      // 404.html, which the app turns into incidents and share links.
      const page = url.pathname === '/' ? '/' : `${url.pathname.replace(/\/+$/, '')}/index.html`;
      return (await cache.match(page)) ?? (await cache.match('/404.html')) ?? fetch(request);
    }),
  );
});
