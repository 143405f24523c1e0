import solid from 'vite-plugin-solid';
import { defineConfig } from 'vitest/config';

// Tests run under the Bun runtime (`bun --bun vitest run`), in worker threads: the forks pool
// does not work under Bun. Three projects: the server's (real services; each test file gets its
// own database, NATS subjects and Redis keys, so files run in parallel safely), the end-to-end
// tests in Chromium (real nodes too, one file at a time) and the web client's components
// (happy-dom, Solid's browser build).
export default defineConfig({
  test: {
    pool: 'threads',
    maxWorkers: 2,
    // Checks every frame each test sends and receives (integers travel as integers).
    setupFiles: ['test/setup/wire.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: process.env.PETAMIGOS_TEST_REPORT ? ['default', ['json', { outputFile: process.env.PETAMIGOS_TEST_REPORT }]] : ['default'],
    projects: [
      {
        extends: true,
        test: {
          name: 'server',
          include: ['{server,actors,media,sfu,protocol,test,scripts,bench}/**/*.test.{ts,tsx}'],
          exclude: ['test/e2e/**', '**/node_modules/**'],
          setupFiles: ['test/setup/contract.ts'],
        },
      },
      {
        // The end-to-end tests in Chromium, one file at a time: two browsers driving two nodes at
        // once on two cores starved a live update past its wait (see issue 18's note).
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.e2e.test.ts'],
          setupFiles: ['test/setup/contract.ts'],
          fileParallelism: false,
        },
      },
      {
        extends: true,
        plugins: [solid()],
        resolve: { conditions: ['development', 'browser'] },
        test: {
          name: 'client',
          include: ['client/**/*.test.{ts,tsx}'],
          environment: 'happy-dom',
          setupFiles: ['test/setup/wire.ts', 'test/setup/client.ts'],
          // Resolved by Vite with the conditions above, not by the runtime: one Solid build.
          server: {
            deps: {
              inline: [
                /solid-js/,
                /@solidjs\//,
                /@kobalte\//,
                /@solid-primitives\//,
                /@corvu\//,
                /solid-presence/,
                /solid-prevent-scroll/,
                /lucide-solid/,
              ],
            },
          },
        },
      },
    ],
  },
});
