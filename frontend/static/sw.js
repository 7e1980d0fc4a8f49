// The service worker of sellerbase: lessons and learning paths a member chose to keep are
// readable without a connection; nothing of the community is ever kept. Signing out clears
// everything (the server answers the sign-out with Clear-Site-Data, and app.js deletes the
// caches too).
const SHELL = "sb-shell-v1";
const KEPT = "sb-offline-v1";
const SHELL_FILES = ["/static/app.css", "/static/app.js", "/static/icon.svg", "/offline"];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(SHELL).then((c) => c.addAll(SHELL_FILES)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== SHELL && k !== KEPT).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

// Only lesson and path pages may be kept (never threads, profiles, notifications or search).
const keepable = (url) => url.origin === self.location.origin && /^\/(lessons|paths)\/[^/]+$/.test(url.pathname);

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === "keep" && Array.isArray(data.urls)) {
    const urls = data.urls.map((u) => new URL(u, self.location.origin)).filter(keepable);
    event.waitUntil(
      caches.open(KEPT)
        .then((c) => c.addAll(urls.map((u) => new Request(u.href, { credentials: "same-origin" }))))
        .then(() => event.source && event.source.postMessage({ type: "kept", count: urls.length }))
        .catch(() => event.source && event.source.postMessage({ type: "keep-failed" })),
    );
  } else if (data.type === "forget") {
    event.waitUntil(caches.delete(KEPT));
  }
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/static/")) {
    event.respondWith(caches.match(request).then((hit) => hit || fetch(request)));
    return;
  }
  if (request.mode !== "navigate") return;
  // Pages: always from the network while there is one; without, a kept lesson or the offline
  // page (which lists what was kept).
  event.respondWith(
    fetch(request).catch(async () => {
      if (keepable(url)) {
        const kept = await caches.match(url.pathname, { cacheName: KEPT, ignoreSearch: true });
        if (kept) return kept;
      }
      return (await caches.match("/offline", { cacheName: SHELL })) || Response.error();
    }),
  );
});
