// In-process nodes for tests: a configuration built from the test services (or none of them,
// for embedded mode) and a logger that prints nothing unless TEST_LOG is set, but keeps the
// error-level lines so a test can assert that none was written.
import pino from 'pino';
import { type NodeOptions, type RunningNode, startNode } from '../../server/node.ts';
import { type Config, loadConfig } from '../../server/platform/config.ts';
import { createTempDir, uniqueName } from './services.ts';

const errorLines: string[] = [];

/** The error-level (and fatal) lines every test logger of this test file has written so far. */
export function loggedErrors(): readonly string[] {
  return errorLines;
}

export function testLogger() {
  const shown = process.env.TEST_LOG;
  const keep = { write: (line: string) => void errorLines.push(line) };
  const streams: pino.StreamEntry[] = [{ level: 'error', stream: keep }];
  if (shown !== undefined && shown !== 'silent') streams.push({ level: shown as pino.Level, stream: process.stdout });
  const level = shown !== undefined && (pino.levels.values[shown] ?? 100) < 50 ? shown : 'error';
  return pino({ level }, pino.multistream(streams));
}

/** Configuration for a node on port 0 with its own cluster name and data folder. */
export function testConfig(env: Record<string, string> = {}): Config & { cleanup(): void } {
  const dataDir = createTempDir('node');
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir.path,
    CLUSTER_NAME: uniqueName('t'),
    LOG_FORMAT: 'json',
    ...env,
  });
  return { ...config, cleanup: dataDir.remove };
}

export async function startTestNode(config: Config, options: NodeOptions = {}): Promise<RunningNode> {
  return startNode(config, testLogger(), options);
}
