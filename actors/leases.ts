// Ownership leases: the one node that may host an actor holds the key `<kind>.<id>` in a KV
// bucket. Claiming is a create (it fails if anyone holds the key); renewing is an update on the
// revision last seen (it fails if the key changed hands); keys that nobody renews vanish after the
// bucket's TTL, which is how a dead node's actors become free. JetStream KV in a cluster, memory in
// embedded mode.
import type { KV, NatsConnection } from 'nats';

export interface Lease {
  key: string;
  node: string;
  revision: number;
}

export interface LeaseStore {
  readonly ttlMs: number;
  /** Takes the key for `node`; undefined when someone holds it. */
  claim(key: string, node: string): Promise<Lease | undefined>;
  /** Keeps the lease; false when it was lost (expired and taken, or deleted). */
  renew(lease: Lease): Promise<Lease | undefined>;
  release(lease: Lease): Promise<void>;
  /** Who holds the key now, if anyone. */
  holder(key: string): Promise<string | undefined>;
  close(): Promise<void>;
}

const DEFAULT_LEASE_TTL_MS = 10_000;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export async function openJetStreamLeases(nc: NatsConnection, namespace: string, ttlMs = DEFAULT_LEASE_TTL_MS): Promise<LeaseStore> {
  const kv: KV = await nc.jetstream().views.kv(`${namespace.replace(/[^A-Za-z0-9_-]/g, '_')}_actors`, { history: 1, ttl: ttlMs });
  return {
    ttlMs,
    async claim(key, node) {
      try {
        return { key, node, revision: await kv.create(key, encoder.encode(node)) };
      } catch (error) {
        if (/wrong last sequence|exists/i.test((error as Error).message)) return undefined;
        throw error;
      }
    },
    async renew(lease) {
      try {
        return { ...lease, revision: await kv.update(lease.key, encoder.encode(lease.node), lease.revision) };
      } catch (error) {
        if (/wrong last sequence/i.test((error as Error).message)) return undefined;
        throw error;
      }
    },
    async release(lease) {
      await kv.delete(lease.key, { previousSeq: lease.revision });
    },
    async holder(key) {
      const entry = await kv.get(key);
      if (entry === null || entry.operation !== 'PUT') return undefined;
      return decoder.decode(entry.value);
    },
    close: async () => undefined,
  };
}

export function createMemoryLeases(ttlMs = DEFAULT_LEASE_TTL_MS): LeaseStore {
  const held = new Map<string, { node: string; revision: number; expiresAt: number }>();
  let revisions = 0;
  const live = (key: string) => {
    const entry = held.get(key);
    if (entry !== undefined && entry.expiresAt <= Date.now()) {
      held.delete(key);
      return undefined;
    }
    return entry;
  };
  return {
    ttlMs,
    async claim(key, node) {
      if (live(key) !== undefined) return undefined;
      const revision = ++revisions;
      held.set(key, { node, revision, expiresAt: Date.now() + ttlMs });
      return { key, node, revision };
    },
    async renew(lease) {
      const entry = live(lease.key);
      if (entry === undefined || entry.revision !== lease.revision) return undefined;
      entry.revision = ++revisions;
      entry.expiresAt = Date.now() + ttlMs;
      return { ...lease, revision: entry.revision };
    },
    async release(lease) {
      if (live(lease.key)?.revision === lease.revision) held.delete(lease.key);
    },
    holder: async (key) => live(key)?.node,
    close: async () => held.clear(),
  };
}
