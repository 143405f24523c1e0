// In-process nodes for tests: a configuration built from the test services (or none of them,
// for embedded mode) and a logger that prints nothing unless TEST_LOG is set, but reads its
// error-level lines: for breaches of the contract (contract.ts), and so a test can assert that
// none was written.
import pino from 'pino';
import { type NodeOptions, type RunningNode, startNode } from '../../server/node.ts';
import { type Config, loadConfig } from '../../server/platform/config.ts';
import { noteLogLine } from './contract.ts';
import { workerEnv } from './processes.ts';
import { createTempDir, uniqueName } from './services.ts';

const errorLines: string[] = [];

/** The error-level (and fatal) lines every test logger of this test file has written so far. */
export function loggedErrors(): readonly string[] {
  return errorLines;
}

export function testLogger() {
  const shown = process.env.TEST_LOG ?? 'silent';
  const shownFrom = pino.levels.values[shown] ?? Number.POSITIVE_INFINITY;
  const errorLevel = pino.levels.values.error as number;
  const level = shownFrom < errorLevel ? shown : 'error';
  return pino(
    { level },
    {
      write(line: string) {
        const parsed = JSON.parse(line) as { level: number; msg?: unknown };
        if (parsed.level >= errorLevel) {
          errorLines.push(line);
          noteLogLine(parsed.msg);
        }
        if (parsed.level >= shownFrom) process.stdout.write(line);
      },
    },
  );
}

/**
 * Configuration for a node on port 0 with its own cluster name and data folder. With one SFU
 * worker (process) instead of one per core: every test node has the sfu role.
 */
export function testConfig(env: Record<string, string> = {}): Config & { cleanup(): void } {
  const dataDir = createTempDir('node');
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir.path,
    CLUSTER_NAME: uniqueName('t'),
    LOG_FORMAT: 'json',
    SFU_WORKERS: '1',
    ...workerEnv(),
    ...env,
  });
  return { ...config, cleanup: dataDir.remove };
}

export async function startTestNode(config: Config, options: NodeOptions = {}): Promise<RunningNode> {
  return startNode(config, testLogger(), options);
}
