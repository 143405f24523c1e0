// The in-process bus for embedded mode: NATS semantics (subject wildcards, queue groups,
// request/reply with no-responders and timeouts, asynchronous delivery) within one process.
import { randomUUID } from 'node:crypto';
import { BusNoRespondersError, BusTimeoutError } from '../../errors.ts';
import { assertSubject, type Bus, type BusMessage, type BusSubscription, DEFAULT_REQUEST_TIMEOUT_MS } from './index.ts';

interface Subscriber {
  readonly pattern: string[];
  readonly queue: string | undefined;
  readonly handler: (message: BusMessage) => void;
  active: boolean;
}

function matches(pattern: readonly string[], tokens: readonly string[]): boolean {
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i];
    if (p === '>') return tokens.length > i;
    if (i >= tokens.length || (p !== '*' && p !== tokens[i])) return false;
  }
  return pattern.length === tokens.length;
}

export function connectMemoryBus(): Bus {
  const subscribers = new Set<Subscriber>();
  let closed = false;

  /** Delivers to every plain subscriber and one member per queue group; returns the count. */
  function deliver(subject: string, data: Uint8Array, replyTo: string | undefined): number {
    const tokens = subject.split('.');
    const plain: Subscriber[] = [];
    const groups = new Map<string, Subscriber[]>();
    for (const subscriber of subscribers) {
      if (!subscriber.active || !matches(subscriber.pattern, tokens)) continue;
      if (subscriber.queue === undefined) plain.push(subscriber);
      else groups.set(subscriber.queue, [...(groups.get(subscriber.queue) ?? []), subscriber]);
    }
    const chosen = [...plain];
    for (const members of groups.values()) chosen.push(members[Math.floor(Math.random() * members.length)] as Subscriber);
    for (const subscriber of chosen) {
      const message: BusMessage = {
        subject,
        data,
        expectsReply: replyTo !== undefined,
        respond: (reply) => {
          if (replyTo !== undefined && !closed) deliver(replyTo, reply, undefined);
        },
      };
      queueMicrotask(() => {
        if (subscriber.active) subscriber.handler(message);
      });
    }
    return chosen.length;
  }

  return {
    kind: 'memory',
    location: 'in-process',
    natsConnection: undefined,
    publish(subject, data) {
      assertSubject(subject, false);
      if (!closed) deliver(subject, data, undefined);
    },
    subscribe(subject, handler, options) {
      assertSubject(subject, true);
      const subscriber: Subscriber = { pattern: subject.split('.'), queue: options?.queue, handler, active: true };
      subscribers.add(subscriber);
      const subscription: BusSubscription = {
        unsubscribe: () => {
          subscriber.active = false;
          subscribers.delete(subscriber);
        },
      };
      return subscription;
    },
    request(subject, data, options) {
      assertSubject(subject, false);
      const timeoutMs = options?.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
      return new Promise<Uint8Array>((resolve, reject) => {
        const inbox = `_INBOX.${randomUUID().replaceAll('-', '')}`;
        const reply = this.subscribe(inbox, (message) => {
          clearTimeout(timer);
          reply.unsubscribe();
          resolve(message.data);
        });
        const timer = setTimeout(() => {
          reply.unsubscribe();
          reject(new BusTimeoutError(subject, timeoutMs));
        }, timeoutMs);
        if (closed || deliver(subject, data, inbox) === 0) {
          clearTimeout(timer);
          reply.unsubscribe();
          reject(new BusNoRespondersError(subject));
        }
      });
    },
    flush: async () => undefined,
    ping: async () => {
      if (closed) throw new Error('bus is closed');
    },
    close: async () => {
      closed = true;
      for (const subscriber of subscribers) subscriber.active = false;
      subscribers.clear();
    },
  };
}
