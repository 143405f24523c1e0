// The message bus between actors and nodes, behind one interface: NATS (with JetStream) when
// NATS_URL is set, an in-process bus with the same subject semantics otherwise. Subjects are
// NATS subjects: dot-separated tokens, `*` matches one token and `>` the rest.
import type { NatsConnection } from 'nats';
import type { Logger } from '../log.ts';
import { connectMemoryBus } from './memory.ts';
import { connectNatsBus } from './nats.ts';

export interface BusMessage {
  readonly subject: string;
  readonly data: Uint8Array;
  /** True when the sender waits for a reply (a request). */
  readonly expectsReply: boolean;
  /** Answers a request; a no-op for a plain publish. */
  respond(data: Uint8Array): void;
}

export interface BusSubscription {
  unsubscribe(): void;
}

export interface Bus {
  readonly kind: 'nats' | 'memory';
  readonly location: string;
  /** The NATS connection under a NATS bus, for JetStream users (topic log, KV); undefined in-process. */
  readonly natsConnection: NatsConnection | undefined;
  publish(subject: string, data: Uint8Array): void;
  /** With `queue`, each message goes to one member of the group instead of to all. */
  subscribe(subject: string, handler: (message: BusMessage) => void, options?: { queue?: string }): BusSubscription;
  /** Rejects with BusNoRespondersError or BusTimeoutError. */
  request(subject: string, data: Uint8Array, options?: { timeoutMs?: number }): Promise<Uint8Array>;
  /** Resolves once everything published before it has reached the server. */
  flush(): Promise<void>;
  /** Fails when the bus cannot serve (disconnected, JetStream unavailable). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 5000;

export async function openBus(options: { natsUrl: string | undefined; name: string; log: Logger }): Promise<Bus> {
  if (options.natsUrl === undefined) return connectMemoryBus();
  return connectNatsBus({ servers: options.natsUrl, name: options.name, log: options.log });
}

/** A concrete subject: tokens without whitespace or wildcards, separated by single dots. */
const CONCRETE = /^[^\s.*>]+(?:\.[^\s.*>]+)*$/;
/** A subscription pattern: `*` may stand for any token, `>` for the last one. */
const PATTERN = /^(?:[^\s.*>]+|\*)(?:\.(?:[^\s.*>]+|\*))*(?:\.>)?$|^>$/;

/** Throws on a subject NATS would refuse: empty tokens, whitespace, misplaced wildcards. */
export function assertSubject(subject: string, allowWildcards: boolean): void {
  if (!(allowWildcards ? PATTERN : CONCRETE).test(subject)) throw new TypeError(`invalid bus subject ${JSON.stringify(subject)}`);
}
