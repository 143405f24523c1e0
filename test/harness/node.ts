// In-process nodes for tests: a configuration built from the test services (or none of them,
// for embedded mode) and a silent logger unless TEST_LOG is set.
import pino from 'pino';
import { type NodeOptions, type RunningNode, startNode } from '../../server/node.ts';
import { type Config, loadConfig } from '../../server/platform/config.ts';
import { createTempDir, uniqueName } from './services.ts';

export function testLogger() {
  return pino({ level: process.env.TEST_LOG ?? 'silent' });
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
