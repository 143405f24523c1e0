import { render } from 'solid-js/web';
import { App } from './App.tsx';

const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root element');
render(() => <App />, root);

// The service worker (src/sw.ts) caches the shell so the app opens offline; not in development,
// where Vite serves the sources as they change.
if (import.meta.env.PROD && 'serviceWorker' in navigator) void navigator.serviceWorker.register('/sw.js').catch(() => undefined);
