import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { parse } from '@formatjs/icu-messageformat-parser';
import { defineConfig, type Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import solid from 'vite-plugin-solid';

// The web client builds to client/dist, which the server serves at /. It is installable: a web app
// manifest with icons, and a service worker (src/sw.ts, Workbox) that precaches the shell so the
// app opens offline, and shows web push.
/**
 * The catalogues' ICU plurals parsed at build time (formatjs's own advice): each string literal of
 * a catalogue module that holds `{count, plural, …}` becomes its parsed message, and the parser is
 * swapped for its no-parser build, so the app downloads only the formatter (about 15 kB gzipped
 * less on the first screen). Development and tests parse at run time as before.
 */
function precompiledPlurals(): Plugin {
  const literal = /"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'/g;
  return {
    name: 'petamigos:precompiled-plurals',
    apply: 'build',
    enforce: 'post',
    transform(code, id) {
      if (!/\/i18n\/messages\/[\w-]+\.ts$/.test(id)) return null;
      const out = code.replace(literal, (quoted) => {
        const text = new Function(`return ${quoted}`)() as string;
        return text.includes(', plural,') ? JSON.stringify(parse(text)) : quoted;
      });
      return { code: out, map: null };
    },
  };
}

/**
 * A Brotli (quality 11) and a gzip copy of every text file of the build, written once here so the
 * server sends them as they are (server/http/client.ts) instead of compressing on each request.
 */
function precompressed(): Plugin {
  const TEXT = /\.(js|css|html|svg|json|webmanifest)$/;
  let outDir = '';
  return {
    name: 'petamigos:precompressed',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    closeBundle: {
      order: 'post',
      sequential: true,
      handler() {
        const walk = (dir: string): string[] =>
          readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? walk(join(dir, name)) : [join(dir, name)]));
        for (const file of walk(outDir)) {
          if (!TEXT.test(file) || statSync(file).size < 1024) continue;
          const bytes = readFileSync(file);
          writeFileSync(`${file}.br`, brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
          writeFileSync(`${file}.gz`, gzipSync(bytes, { level: 9 }));
        }
      },
    },
  };
}

export default defineConfig(({ command }) => ({
  root: fileURLToPath(new URL('.', import.meta.url)),
  resolve: {
    alias:
      command === 'build'
        ? [{ find: /^@formatjs\/icu-messageformat-parser$/, replacement: '@formatjs/icu-messageformat-parser/no-parser.js' }]
        : [],
  },
  plugins: [
    precompiledPlurals(),
    precompressed(),
    solid(),
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'src',
      filename: 'sw.ts',
      // Registered by the app itself (src/state/push.ts registerServiceWorker).
      injectRegister: false,
      manifest: {
        name: 'PetAmigos',
        short_name: 'PetAmigos',
        description: 'The social network of pets and their people.',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        background_color: '#f4f5f2',
        theme_color: '#2b6a4a',
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: '/icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
          { src: '/icons/icon.svg', sizes: 'any', type: 'image/svg+xml' },
        ],
      },
      injectManifest: {
        globPatterns: ['**/*.{js,css,html,svg,png,webmanifest}'],
        // The whole bundle is some 2 MB before compression; its largest chunk must fit.
        maximumFileSizeToCacheInBytes: 4 * 1024 * 1024,
      },
    }),
  ],
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', sourcemap: true, manifest: true },
  server: {
    proxy: {
      '/health': 'http://localhost:3000',
      '/auth': 'http://localhost:3000',
      '/users': 'http://localhost:3000',
      '/media': 'http://localhost:3000',
      '/ws': { target: 'ws://localhost:3000', ws: true },
    },
  },
}));
