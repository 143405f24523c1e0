// Each node registers as a NATS micro service named "petamigos", so the standard NATS tooling
// (`nats micro ls/info/stats`, $SRV.PING/INFO/STATS) and `npm run monitor` see the cluster. The
// stats of its `status` endpoint carry the node's figures: actors by kind, mailbox depth,
// sockets, followed topics, memory. In embedded mode there is no NATS and no service.
import { heapStats } from 'bun:jsc';
import type { NatsConnection, Service } from 'nats';
import type { ActorSystem } from '../../actors/system.ts';
import type { Gateway } from '../gateway/gateway.ts';
import type { TopicLog } from '../platform/topics/index.ts';

export const OPS_SERVICE = 'petamigos';

export interface NodeStatus {
  node: string;
  cluster: string;
  uptimeSeconds: number;
  actors: Record<string, number>;
  mailboxDepth: number;
  liveNodes: string[];
  sockets: number;
  followedTopics: number;
  /** Topics whose end the node keeps to publish without reading it first (at most 10,000). */
  cachedTopics: number;
  rssBytes: number;
  /** The JavaScript heap in use (objects alive at the last collection, and those allocated since). */
  heapBytes: number;
}

/**
 * The `gc` endpoint's answer: the status after a full collection, the live objects by type, and
 * where the resident memory is: the JavaScript heap's blocks (capacity: live objects and the free
 * room between them), and the native allocator's (mimalloc: sockets, buffers, native objects).
 */
export interface GcStatus extends NodeStatus {
  objectTypes: Record<string, number>;
  heapCapacityBytes: number;
  /** Bytes allocated by mimalloc and not freed. */
  mallocBytes: number;
  /** Bytes mimalloc holds from the system (allocated, and free but not yet returned). */
  mallocCommittedBytes: number;
}

interface MimallocStats {
  malloc_normal?: { current: number };
  malloc_huge?: { current: number };
  committed?: { current: number };
}

function gcStatus(status: NodeStatus): GcStatus {
  const heap = heapStats();
  const mimalloc = (heap as { mimalloc?: MimallocStats }).mimalloc ?? {};
  return {
    ...status,
    objectTypes: heap.objectTypeCounts,
    heapCapacityBytes: heap.heapCapacity,
    mallocBytes: (mimalloc.malloc_normal?.current ?? 0) + (mimalloc.malloc_huge?.current ?? 0),
    mallocCommittedBytes: mimalloc.committed?.current ?? 0,
  };
}

function nodeStatus(options: {
  node: string;
  cluster: string;
  startedAt: number;
  actors: ActorSystem;
  gateway: Gateway | undefined;
  topics: Pick<TopicLog, 'cachedTopics'>;
}): NodeStatus {
  const stats = options.actors.stats();
  const memory = process.memoryUsage();
  return {
    node: options.node,
    cluster: options.cluster,
    uptimeSeconds: Math.round((Date.now() - options.startedAt) / 1000),
    actors: stats.actors,
    mailboxDepth: stats.mailboxDepth,
    liveNodes: stats.liveNodes,
    sockets: options.gateway?.sockets ?? 0,
    followedTopics: options.gateway?.router.followedTopics ?? 0,
    cachedTopics: options.topics.cachedTopics,
    rssBytes: memory.rss,
    heapBytes: memory.heapUsed,
  };
}

export async function registerOpsService(
  nc: NatsConnection,
  options: {
    node: string;
    cluster: string;
    version: string;
    startedAt: number;
    actors: ActorSystem;
    gateway: Gateway | undefined;
    topics: Pick<TopicLog, 'cachedTopics'>;
    /** OPS_GC=on (benchmarks): a `gc` endpoint runs a full collection, then answers the status and the live objects by type. */
    gc?: boolean;
  },
): Promise<Service> {
  const status = () => nodeStatus(options);
  const service = await nc.services.add({
    name: OPS_SERVICE,
    version: options.version,
    description: `PetAmigos node ${options.node} of cluster ${options.cluster}`,
    metadata: { node: options.node, cluster: options.cluster },
    statsHandler: async () => status(),
  });
  service.addEndpoint('status', {
    subject: `${options.cluster}.ops.status.${options.node}`,
    handler: (error, message) => {
      if (error === null) message.respond(new TextEncoder().encode(JSON.stringify(status())));
    },
  });
  if (options.gc === true) {
    service.addEndpoint('gc', {
      subject: `${options.cluster}.ops.gc.${options.node}`,
      handler: (error, message) => {
        if (error !== null) return;
        Bun.gc(true);
        message.respond(new TextEncoder().encode(JSON.stringify(gcStatus(status()))));
      },
    });
  }
  return service;
}
