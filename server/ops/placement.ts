// Where an actor lives, as an operator asks it (`npm run monitor -- where user:<id>`): the node
// holding its lease in the `<ns>_actors` KV bucket (actors/leases.ts), whether that node is alive
// (its heartbeats on `<ns>.actors.alive`, as the actor systems themselves judge it), and, when
// nobody holds the lease, the node rendezvous hashing would activate it on (actors/system.ts), or,
// for a room (placed locally), that it goes to the node its next message is sent from.
import type { NatsConnection } from 'nats';
import { leaseBucket, parseHolding } from '../../actors/leases.ts';
import { rendezvous } from '../../actors/system.ts';
import { decodeFrame } from '../../protocol/codec.ts';

export interface Placement {
  /** `user:<id>` as asked. */
  actor: string;
  /** The lease key: `<kind>.<id>`. */
  key: string;
  bucket: string;
  /** The node holding the lease, if any. */
  holder: string | undefined;
  /** When the lease was last claimed or renewed. */
  renewedAt: Date | undefined;
  /** Whether the holder sent a heartbeat while we listened. */
  holderAlive: boolean;
  /** Nodes heard from, and those of them that host actors. */
  nodes: string[];
  hosts: string[];
  /** Where the next message would activate the actor when nobody (alive) holds it (hashed kinds). */
  next: string | undefined;
  /** A kind activated on the node its next message is sent from (ActorKind.placement 'local'). */
  placedLocally: boolean;
}

/** The kinds placed locally (actors/room.ts). */
const PLACED_LOCALLY = new Set(['room']);

const ACTOR = /^([a-z][a-z0-9_-]{0,31}):([A-Za-z0-9_-]{1,128})$/;

/** `user:<id>` → `{ kind, id }`; undefined for anything else (NATS subject characters included). */
export function parseActor(text: string): { kind: string; id: string } | undefined {
  const match = ACTOR.exec(text);
  return match === null ? undefined : { kind: match[1] as string, id: match[2] as string };
}

/** The nodes whose heartbeats arrive within `listenMs` (three periods of the default 1 s heartbeat). */
export async function heardNodes(nc: NatsConnection, namespace: string, listenMs: number): Promise<Map<string, boolean>> {
  const heard = new Map<string, boolean>();
  const subscription = nc.subscribe(`${namespace}.actors.alive`);
  const timer = setTimeout(() => subscription.unsubscribe(), listenMs);
  for await (const message of subscription) {
    const beat = decodeFrame(message.data) as { node?: unknown; host?: unknown };
    if (typeof beat.node === 'string') heard.set(beat.node, heard.get(beat.node) === true || beat.host === true);
  }
  clearTimeout(timer);
  return heard;
}

export async function findPlacement(
  nc: NatsConnection,
  namespace: string,
  actor: string,
  options: { listenMs?: number } = {},
): Promise<Placement> {
  const parsed = parseActor(actor);
  if (parsed === undefined) throw new Error(`"${actor}" is not <kind>:<id> (user:<uuid>, room:<uuid>)`);
  const key = `${parsed.kind}.${parsed.id}`;
  const bucket = leaseBucket(namespace, 'actors');
  const heard = heardNodes(nc, namespace, options.listenMs ?? 3000);
  let holder: string | undefined;
  let renewedAt: Date | undefined;
  // bindOnly: looking must not create the bucket of a namespace that has none.
  const kv = await nc
    .jetstream()
    .views.kv(bucket, { bindOnly: true })
    .catch((error: unknown) => {
      if (/not found/i.test((error as Error).message)) return undefined;
      throw error;
    });
  const entry = kv === undefined ? null : await kv.get(key);
  if (entry !== null && entry.operation === 'PUT') {
    holder = parseHolding(new TextDecoder().decode(entry.value)).node;
    renewedAt = entry.created;
  }
  const nodes = await heard;
  const hosts = [...nodes].filter(([, host]) => host).map(([node]) => node);
  const holderAlive = holder !== undefined && nodes.has(holder);
  return {
    actor,
    key,
    bucket,
    holder,
    renewedAt,
    holderAlive,
    nodes: [...nodes.keys()].sort(),
    hosts: hosts.sort(),
    next: holderAlive || PLACED_LOCALLY.has(parsed.kind) ? undefined : rendezvous(key, hosts),
    placedLocally: PLACED_LOCALLY.has(parsed.kind),
  };
}

/** The placement in a few lines for a terminal. */
export function describePlacement(placement: Placement): string {
  const lines = [`${placement.actor} (lease key ${placement.key} in KV bucket ${placement.bucket})`];
  if (placement.holder === undefined) lines.push('lease: nobody holds it (the actor is not active anywhere)');
  else
    lines.push(
      `lease: held by ${placement.holder}, renewed ${placement.renewedAt?.toISOString() ?? '?'}; node ${placement.holderAlive ? 'alive' : 'NOT heard from: its lease expires after ACTOR_LEASE_TTL_MS'}`,
    );
  lines.push(`nodes heard: ${placement.nodes.join(', ') || 'none'}; hosting actors: ${placement.hosts.join(', ') || 'none'}`);
  if (!placement.holderAlive && placement.placedLocally)
    lines.push('next message: activates it on the node that message is sent from (this kind is placed locally)');
  else if (!placement.holderAlive)
    lines.push(
      placement.next === undefined
        ? 'next message: no hosting node is alive, so it cannot be placed'
        : `next message: activates it on ${placement.next} (rendezvous hashing over the hosting nodes)`,
    );
  return lines.join('\n');
}
