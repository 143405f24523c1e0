/// <reference lib="webworker" />
// The app's service worker (built by vite-plugin-pwa with Workbox into /sw.js):
//  - the shell (index.html, the JavaScript and CSS of every screen, icons) is precached at install
//    and served from the cache, so the app opens offline and shows "reconnecting" until the
//    server answers; a new deployment's files replace the old ones on the next visit;
//  - a page address (a navigation) gets the cached index.html, except the server's own paths
//    (API, media, the socket, health, metrics, OpenAPI, the protocol's schema) and files;
//  - web push: each push message (JSON {title, body, url, tag}) is shown as a notification, and a
//    click opens its url (an open tab of the app is focused and sent there).
import { createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: (string | { url: string; revision: string | null })[] };

precacheAndRoute(self.__WB_MANIFEST);
registerRoute(
  new NavigationRoute(createHandlerBoundToURL('/index.html'), {
    // The server's own paths (API, media, the socket, health, metrics, the OpenAPI document, the
    // protocol's schema) and any file: those go to the network.
    denylist: [/^\/(auth|users|media|ws|health|metrics|openapi|protocol|docs)(\/|\.|$)/, /\.[a-z0-9]+$/i],
  }),
);

self.addEventListener('install', () => void self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('push', (event) => {
  let message: { title?: string; body?: string; url?: string; tag?: string } = {};
  try {
    message = event.data ? event.data.json() : {};
  } catch {
    message = { body: event.data ? event.data.text() : '' };
  }
  event.waitUntil(
    self.registration.showNotification(message.title || 'PetAmigos', {
      body: message.body || '',
      tag: message.tag,
      data: { url: message.url || '/' },
      icon: '/icons/icon-192.png',
    }),
  );
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const url = new URL((event.notification.data as { url?: string } | undefined)?.url || '/', self.location.origin).href;
  event.waitUntil(
    self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then((windows) => {
      for (const client of windows) {
        if (new URL(client.url).origin === self.location.origin && 'focus' in client) {
          return client.focus().then((focused) => (focused && 'navigate' in focused ? focused.navigate(url) : undefined));
        }
      }
      return self.clients.openWindow(url);
    }),
  );
});
