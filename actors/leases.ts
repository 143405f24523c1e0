// Ownership leases. The one node that may host an actor holds the key `<kind>.<id>`; its value
// names the node and the node's incarnation (a random id per process, or per lapse). A holder
// counts only while its node is alive: while the node's own key holds that incarnation. A node
// renews that one key every TTL/3 (at most every second: actors/system.ts), and a key nobody renews
// is gone after the TTL (10 s by default), so a dead node's actors are free once its node key is.
// Sooner in practice: the nodes that stop hearing a node's heartbeats (three missed, 3 s) delete
// its key (`fence`) once it also shows no renewal for a while, so its actors come back elsewhere
// within seconds; the TTL is what frees them when nobody is listening. One write keeps all of a
// node's leases: when each actor renewed its own key every TTL/3, 20,000 user actors (a socket
// each) made 6,000 KV writes a second on an idle node, a quarter of its CPU, and the garbage of
// those writes held a socket's memory at 21 KB instead of 11 (bench/sockets.ts).
//
// Claiming is a create; where the key exists and names a node that is not alive, or an earlier
// incarnation of one, the claim takes it over with an update on the revision it read, so two
// claimers cannot both win. Actor keys live for KEY_TTL_FACTOR × the TTL (5 minutes by default) and
// their holder renews them every third of that: what a dead node held, and the markers of released
// keys, go away by themselves. JetStream KV in a cluster (buckets `<ns>_actors` and `<ns>_nodes`),
// memory in embedded mode.
import type { KV, KvEntry, NatsConnection } from 'nats';

export interface Lease {
  key: string;
  node: string;
  revision: number;
}

export interface LeaseStore {
  /** How long a node's leases outlive its last keepAlive. */
  readonly ttlMs: number;
  /** How long an actor's key outlives its last renewal (its holder renews it every third of this). */
  readonly keyTtlMs: number;
  /** Takes the key for `node`; undefined when a live node holds it. */
  claim(key: string, node: string): Promise<Lease | undefined>;
  /**
   * Keeps every lease `node` holds for another TTL. False when they lapsed: the node was silent
   * past the TTL (a pause, a partition), others may have taken any of them, and its next claim
   * starts a new incarnation.
   */
  keepAlive(node: string): Promise<boolean>;
  /** Keeps the actor's key (every keyTtl/3); undefined when it was lost. */
  renew(lease: Lease): Promise<Lease | undefined>;
  release(lease: Lease): Promise<void>;
  /**
   * Frees every lease `node` holds at once, as if its key had lapsed, but only if its key shows
   * no renewal for `staleMs` (by the store's clock): other nodes stopped hearing its heartbeats,
   * and its actors should not wait out the TTL to come back elsewhere. A node still renewing is
   * never fenced (a partition of the heartbeats alone changes nothing), and a node restarted under
   * the same id meanwhile keeps its new key (the delete names the revision it judged). Answers
   * `fenced`, `renewing` (not stale, or renewed meanwhile) or `gone` (no key: lapsed, or fenced by
   * another). A node that was only paused learns it at its next keepAlive (false).
   */
  fence(node: string, staleMs: number): Promise<'fenced' | 'renewing' | 'gone'>;
  /** The live node holding the key, if any. */
  holder(key: string): Promise<string | undefined>;
  close(): Promise<void>;
}

const DEFAULT_LEASE_TTL_MS = 10_000;
const KEY_TTL_FACTOR = 30;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** `<node> <incarnation>`: what an actor's key holds. */
const holding = (node: string, incarnation: string) => `${node} ${incarnation}`;
export function parseHolding(value: string): { node: string; incarnation: string } {
  const space = value.lastIndexOf(' ');
  return { node: value.slice(0, space), incarnation: value.slice(space + 1) };
}

/** The KV bucket of a namespace's actor keys, or of its nodes' keys. */
export const leaseBucket = (namespace: string, what: 'actors' | 'nodes') => `${namespace.replace(/[^A-Za-z0-9_-]/g, '_')}_${what}`;
const lastSequenceWrong = (error: unknown) => /wrong last sequence/i.test((error as Error).message);

export async function openJetStreamLeases(
  nc: NatsConnection,
  namespace: string,
  ttlMs = DEFAULT_LEASE_TTL_MS,
  keyTtlMs = ttlMs * KEY_TTL_FACTOR,
): Promise<LeaseStore> {
  const [actors, nodes]: [KV, KV] = await Promise.all([
    nc.jetstream().views.kv(leaseBucket(namespace, 'actors'), { history: 1, ttl: keyTtlMs }),
    nc.jetstream().views.kv(leaseBucket(namespace, 'nodes'), { history: 1, ttl: ttlMs }),
  ]);
  /** This process's nodes (one, but for tests): their incarnation and the revision of their key. */
  const mine = new Map<string, { incarnation: string; revision: number }>();
  /** An incarnation being written: claims that start meanwhile wait for it, not make their own. */
  const starting = new Map<string, Promise<string>>();

  function incarnationOf(node: string): Promise<string> {
    const known = mine.get(node);
    if (known !== undefined) return Promise.resolve(known.incarnation);
    let pending = starting.get(node);
    if (pending === undefined) {
      const incarnation = crypto.randomUUID().replaceAll('-', '');
      // A put, not a create: a key left by an earlier process with this node id names another
      // incarnation, and its leases are free the moment this one is written.
      pending = nodes
        .put(node, encoder.encode(incarnation))
        .then((revision) => {
          mine.set(node, { incarnation, revision });
          return incarnation;
        })
        .finally(() => starting.delete(node));
      starting.set(node, pending);
    }
    return pending;
  }

  const alive = async (node: string, incarnation: string) => {
    const entry = await nodes.get(node);
    return entry !== null && entry.operation === 'PUT' && decoder.decode(entry.value) === incarnation;
  };
  const held = (entry: KvEntry | null) =>
    entry === null || entry.operation !== 'PUT' ? undefined : { ...parseHolding(decoder.decode(entry.value)), revision: entry.revision };

  return {
    ttlMs,
    keyTtlMs,
    async claim(key, node) {
      const value = encoder.encode(holding(node, await incarnationOf(node)));
      try {
        return { key, node, revision: await actors.create(key, value) };
      } catch (error) {
        if (!/wrong last sequence|exists/i.test((error as Error).message)) throw error;
      }
      const current = held(await actors.get(key));
      if (current === undefined) return undefined; // released meanwhile: the next message claims it
      if (current.node === node && current.incarnation === mine.get(node)?.incarnation) return { key, node, revision: current.revision };
      if (await alive(current.node, current.incarnation)) return undefined;
      try {
        return { key, node, revision: await actors.update(key, value, current.revision) };
      } catch (error) {
        if (lastSequenceWrong(error)) return undefined;
        throw error;
      }
    },
    async keepAlive(node) {
      const known = mine.get(node);
      if (known === undefined) return true;
      try {
        known.revision = await nodes.update(node, encoder.encode(known.incarnation), known.revision);
        return true;
      } catch (error) {
        if (!lastSequenceWrong(error)) throw error;
        // An earlier update that took effect but whose answer was lost left a stale revision:
        // the key still holds this incarnation, and the leases are still this node's.
        const entry = await nodes.get(node);
        if (entry !== null && entry.operation === 'PUT' && decoder.decode(entry.value) === known.incarnation) {
          known.revision = entry.revision;
          return true;
        }
        mine.delete(node);
        return false;
      }
    },
    async renew(lease) {
      const incarnation = mine.get(lease.node)?.incarnation;
      if (incarnation === undefined) return undefined;
      try {
        return { ...lease, revision: await actors.update(lease.key, encoder.encode(holding(lease.node, incarnation)), lease.revision) };
      } catch (error) {
        if (lastSequenceWrong(error)) return undefined;
        throw error;
      }
    },
    async release(lease) {
      await actors.delete(lease.key, { previousSeq: lease.revision });
    },
    async fence(node, staleMs) {
      const entry = await nodes.get(node);
      if (entry === null || entry.operation !== 'PUT') return 'gone';
      if (Date.now() - entry.created.getTime() < staleMs) return 'renewing';
      try {
        await nodes.delete(node, { previousSeq: entry.revision });
        return 'fenced';
      } catch (error) {
        if (lastSequenceWrong(error)) return 'renewing';
        throw error;
      }
    },
    async holder(key) {
      const current = held(await actors.get(key));
      return current !== undefined && (await alive(current.node, current.incarnation)) ? current.node : undefined;
    },
    close: async () => undefined,
  };
}

export function createMemoryLeases(ttlMs = DEFAULT_LEASE_TTL_MS, keyTtlMs = ttlMs * KEY_TTL_FACTOR): LeaseStore {
  interface Entry {
    value: string;
    revision: number;
    expiresAt: number;
  }
  const actors = new Map<string, Entry>();
  const nodes = new Map<string, Entry>();
  let revisions = 0;
  const live = (map: Map<string, Entry>, key: string) => {
    const entry = map.get(key);
    if (entry !== undefined && entry.expiresAt <= Date.now()) {
      map.delete(key);
      return undefined;
    }
    return entry;
  };
  const write = (map: Map<string, Entry>, key: string, value: string, ttl: number) => {
    const entry = { value, revision: ++revisions, expiresAt: Date.now() + ttl };
    map.set(key, entry);
    return entry.revision;
  };
  /** Each node's incarnation, as that node knows it (the key in `nodes` may have lapsed since). */
  const incarnations = new Map<string, string>();
  /** Nodes whose key lapsed before keepAlive said so: their next keepAlive answers false. */
  const lapsed = new Set<string>();
  const incarnationOf = (node: string) => {
    const known = incarnations.get(node);
    if (known !== undefined && live(nodes, node)?.value === known) return known;
    // A claim never names a lapsed incarnation (others may take what it names at once); the
    // node still learns of the lapse from keepAlive, as with JetStream.
    if (known !== undefined) lapsed.add(node);
    const incarnation = crypto.randomUUID().replaceAll('-', '');
    incarnations.set(node, incarnation);
    write(nodes, node, incarnation, ttlMs);
    return incarnation;
  };
  const holderOf = (key: string) => {
    const entry = live(actors, key);
    if (entry === undefined) return undefined;
    const { node, incarnation } = parseHolding(entry.value);
    return live(nodes, node)?.value === incarnation ? node : undefined;
  };
  return {
    ttlMs,
    keyTtlMs,
    async claim(key, node) {
      const incarnation = incarnationOf(node);
      const holder = holderOf(key);
      if (holder !== undefined && holder !== node) return undefined;
      return { key, node, revision: write(actors, key, holding(node, incarnation), keyTtlMs) };
    },
    // Several nodes share one memory store in tests: each node's key is its own to keep.
    async keepAlive(node) {
      const known = incarnations.get(node);
      if (known === undefined) return true;
      const entry = live(nodes, node);
      if (lapsed.delete(node) || entry?.value !== known) {
        incarnations.delete(node);
        return false;
      }
      entry.expiresAt = Date.now() + ttlMs;
      return true;
    },
    async renew(lease) {
      const entry = live(actors, lease.key);
      if (entry === undefined || entry.revision !== lease.revision || holderOf(lease.key) !== lease.node) return undefined;
      entry.revision = ++revisions;
      entry.expiresAt = Date.now() + keyTtlMs;
      return { ...lease, revision: entry.revision };
    },
    async release(lease) {
      if (live(actors, lease.key)?.revision === lease.revision) actors.delete(lease.key);
    },
    async fence(node, staleMs) {
      const entry = live(nodes, node);
      if (entry === undefined) return 'gone';
      if (Date.now() - (entry.expiresAt - ttlMs) < staleMs) return 'renewing';
      nodes.delete(node);
      return 'fenced';
    },
    holder: async (key) => holderOf(key),
    close: async () => {
      actors.clear();
      nodes.clear();
    },
  };
}
