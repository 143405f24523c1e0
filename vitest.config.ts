import { defineConfig } from 'vitest/config';

// Tests run under the Bun runtime (`bun --bun vitest run`), in worker threads: the forks pool
// does not work under Bun. Each test file gets its own database, NATS subjects and Redis keys
// (test/harness), so files run in parallel safely.
export default defineConfig({
  test: {
    include: ['{server,actors,media,sfu,protocol,client,test,scripts}/**/*.test.{ts,tsx}'],
    pool: 'threads',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: process.env.PETAMIGOS_TEST_REPORT ? ['default', ['json', { outputFile: process.env.PETAMIGOS_TEST_REPORT }]] : ['default'],
  },
});
