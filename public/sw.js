// Twelve-Factor Studio's service worker: the app works offline, including a reload.
//
// `make build` writes dist/sw.js from this file, filling in BUILD (a hash of every file of the
// build) and FILES (every file the app and the generator worker load, with Trunk's hashed
// names). A new deploy therefore has a new sw.js; the browser installs it in the background,
// and it waits until the page asks for it ("A new version is ready — reload"), so an update is
// never applied in the middle of someone's edit.
const BUILD = '__BUILD__';
const FILES = __FILES__;
const CACHE = `tfstudio-${BUILD}`;

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(FILES)));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys().then((keys) => Promise.all(
    keys.filter((key) => key.startsWith('tfstudio-') && key !== CACHE).map((key) => caches.delete(key)))));
});

self.addEventListener('message', (event) => {
  if (event.data === 'skip-waiting') self.skipWaiting();
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  // Every page of the app is index.html (screens live in the fragment, never sent here).
  const key = request.mode === 'navigate' ? new URL('./', self.registration.scope).href : request;
  event.respondWith(caches.open(CACHE)
    .then((cache) => cache.match(key, { ignoreSearch: request.mode === 'navigate' }))
    .then((hit) => hit || fetch(request)));
});
