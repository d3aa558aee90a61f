// Outpost's service worker: after one visit the whole site (app, styles, runbooks) opens
// with no network. `cargo xtask build` fills in the version and the list of files.
// A new deploy installs beside the old one and waits; the page offers a reload, so an
// incident in progress is never interrupted by an update.
const VERSION = '__OUTPOST_VERSION__';
const PRECACHE = __OUTPOST_PRECACHE__;
const CACHE = `outpost-${VERSION}`;

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(PRECACHE)));
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
  // Every page of the site is the same app shell; the app reads the address itself.
  const key = request.mode === 'navigate' ? '/' : url.pathname;
  event.respondWith(
    caches.open(CACHE).then(async (cache) => (await cache.match(key)) ?? fetch(request)),
  );
});
