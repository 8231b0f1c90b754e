// Keeps the app's own files so it opens with no connection. Answers from the cache at once and refreshes
// it in the background. API calls are not touched: the outbox in IndexedDB handles those.
const CACHE = 'petugas-v1';
const SHELL = ['./', 'index.html', 'app.css', 'app.js', 'sheet.js', 'queue.js'];
const scope = new URL('./', location).pathname;

self.oninstall = e => { self.skipWaiting(); e.waitUntil(caches.open(CACHE).then(c => c.addAll(SHELL))); };
self.onactivate = e => e.waitUntil(caches.keys()
  .then(ks => Promise.all(ks.filter(k => k !== CACHE).map(k => caches.delete(k)))).then(() => self.clients.claim()));
self.onfetch = e => {
  const u = new URL(e.request.url);
  if (e.request.method !== 'GET' || u.origin !== location.origin || !u.pathname.startsWith(scope)) return;
  e.respondWith(caches.open(CACHE).then(async c => {
    const fresh = fetch(e.request, { cache: 'no-cache' }).then(r => { if (r.ok) c.put(e.request, r.clone()); return r; });
    const hit = await c.match(e.request, { ignoreSearch: true });
    if (hit) { e.waitUntil(fresh.catch(() => {})); return hit; }
    return fresh;
  }));
};
