// Structured logging (pino): one JSON object a line in production, colourised lines on a
// terminal. Messages follow the house form `area.action() | what [key:value]`, and the same
// values travel as fields so log search does not have to parse the text.
import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';
import type { LogLevel } from './config.ts';

export type { Logger };

export function createLogger(options: { level: LogLevel; format: 'json' | 'pretty'; nodeId: string }): Logger {
  const base = { node: options.nodeId };
  if (options.format === 'pretty') {
    // A synchronous stream in this thread: pino transports need worker threads we do not want
    // at start-up, and a terminal is never the bottleneck.
    return pino({ level: options.level, base }, pretty({ colorize: true, sync: true, ignore: 'pid,hostname' }));
  }
  return pino({ level: options.level, base, timestamp: pino.stdTimeFunctions.isoTime });
}
