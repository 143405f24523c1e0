// Entry point of a node: configuration, logging, start, and a clean stop on SIGTERM / SIGINT.
// Exit codes: 0 clean stop, 1 start-up failure, 78 invalid configuration (sysexits EX_CONFIG).
import { ConfigError } from './errors.ts';
import { startNode } from './node.ts';
import { loadConfig } from './platform/config.ts';
import { createLogger } from './platform/log.ts';

const EXIT_CONFIG = 78;

function exitInvalid(error: ConfigError): never {
  for (const line of error.message.split('\n')) process.stderr.write(`petamigos: invalid configuration: ${line}\n`);
  process.exit(EXIT_CONFIG);
}

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  exitInvalid(error);
}

const log = createLogger({ level: config.logLevel, format: config.logFormat, nodeId: config.nodeId });

try {
  const node = await startNode(config, log);
  const stop = (signal: string) => {
    log.info({ signal }, `node.stop() | ${signal} received`);
    const force = setTimeout(() => {
      log.error({ timeoutMs: config.shutdownTimeoutMs }, 'node.stop() | did not stop in time, exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs);
    force.unref();
    node.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: error }, 'node.stop() | failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
} catch (error) {
  log.fatal({ err: error }, `node.start() | failed: ${(error as Error).message}`);
  // Found only when starting (a model folder that does not load): still a configuration to fix.
  if (error instanceof ConfigError) exitInvalid(error);
  process.exit(1);
}
