// The actor system of one node. Any node can send to any actor: the message goes to the node
// holding the actor's lease, or, when nobody holds it, to the node rendezvous hashing prefers
// among the live nodes (or, for a kind placed locally, to the sending node itself), which claims
// the lease and activates the actor. A node that receives a
// message for an actor another node holds forwards it. A node keeps all of its leases alive with
// one write every TTL/3 (actors/leases.ts), and each actor's key every third of its longer life;
// leases are released when the actor is passivated or the node stops cleanly. A dead node's
// leases lapse after the lease TTL, and the next message activates its actors elsewhere.
import { createHash } from 'node:crypto';
import { decodeFrame, encodeFrame } from '../protocol/codec.ts';
import { BusNoRespondersError, BusTimeoutError, RelayedError, ServerError } from '../server/errors.ts';
import type { Bus, BusSubscription } from '../server/platform/bus/index.ts';
import type { Logger } from '../server/platform/log.ts';
import { Activation } from './activation.ts';
import {
  ActorError,
  ActorFailedError,
  ActorSystemStoppedError,
  ActorUnavailableError,
  AskTimeoutError,
  MailboxFullError,
  NoPlacementError,
  UnknownKindError,
} from './errors.ts';
import type { Lease, LeaseStore } from './leases.ts';
import type { Reminders } from './reminders.ts';
import { type ActorContext, type ActorKind, DEFAULT_IDLE_MS, DEFAULT_MAILBOX } from './types.ts';

export interface ActorSystemOptions {
  bus: Bus;
  leases: LeaseStore;
  node: string;
  namespace: string;
  log: Logger;
  kinds: ActorKind[];
  askTimeoutMs?: number;
  /** How often this node says it is alive; a node silent for three periods is not placed on. */
  heartbeatMs?: number;
  /** False for nodes without the actors role: they send to actors but never host one. */
  host?: boolean;
  /** Durable reminders (PostgreSQL); without them actors have only in-memory timers. */
  reminders?: Reminders;
  /**
   * This node's SFU load (its consumers), said in every heartbeat so that kinds placed `sfu` go to
   * the least-loaded SFU of the cluster; undefined while it has no running SFU (or no sfu role).
   */
  sfuLoad?: () => number | undefined;
  /** This node's SFU bitrate (bits per second in and out), said in every heartbeat with the load, for operators. */
  sfuBitrate?: () => number | undefined;
}

interface Wire {
  kind: string;
  id: string;
  message: unknown;
  hops: number;
}

/** Replies name the node that handled the message, so senders learn where the actor lives. A
 * ServerError the actor threw (a refusal of the domain) travels with its status and details. */
type WireReply =
  | { ok: true; value: unknown; owner: string }
  | { ok: false; code: string; message: string; refusal?: { status: number; details: Record<string, unknown> | undefined } };

const MAX_HOPS = 3;
const RETRY_MS = 100;
/** How long past the lease TTL a tell keeps trying to reach an actor whose node died. */
const TELL_MARGIN_MS = 5000;
/**
 * Actor key renewals in flight at once. One after another, a round takes a KV round trip per
 * actor (~0.2–0.5 ms): 10 s for 20,000 actors, well within the keys' 100 s renewal period, but
 * the round of a loaded node would drift towards it.
 */
const RENEWALS_IN_FLIGHT = 64;
/**
 * tellMany's items for other nodes wait this long for others to join them: rooms that tell their
 * members' user actors (every 100 ms each) then share one bus message per node between them.
 */
const TELL_MANY_WINDOW_MS = 10;
/** Items of one bus message at most; a fuller batch goes at once. */
const TELL_MANY_MAX = 512;
const IDLE_CHECK_MIN_MS = 250;
const IDLE_CHECK_MAX_MS = 10_000;

/** A lease this node holds (its fields, in the same object: one per actor), renewed in place;
 * `lost` once a renewal found it gone. The activation once its factory returned. */
interface Held extends Lease {
  lost: boolean;
  kind: ActorKind;
  activation: Activation | undefined;
}

type Active = Held & { activation: Activation };

/**
 * What an actor gets of the runtime: one object per activation with its methods on the prototype
 * (a node holds an actor per user with a socket open, so closures per actor add up). Timers go to
 * the activation this context was made for, and to no later one of the same actor.
 */
class Context implements ActorContext {
  readonly #system: ActorSystem;
  readonly kind: string;
  readonly id: string;
  readonly #held: Held;
  readonly #reminders: Reminders | undefined;

  constructor(system: ActorSystem, kind: string, id: string, held: Held, reminders: Reminders | undefined) {
    this.#system = system;
    this.kind = kind;
    this.id = id;
    this.#held = held;
    this.#reminders = reminders;
  }

  get node(): string {
    return this.#system.node;
  }

  timer(name: string, ms: number, message: unknown, options?: { keep?: boolean }): void {
    this.#held.activation?.timer(name, ms, this, message, options);
  }

  /** A timer of this actor fired: its message is told to the actor. */
  fired(message: unknown): void {
    this.#system.tell(this.kind, this.id, message);
  }

  cancelTimer(name: string): void {
    this.#held.activation?.cancelTimer(name);
  }

  liveNodes(): string[] {
    return this.#system.heardNodes();
  }

  async remind(name: string, dueInMs: number, message: unknown): Promise<void> {
    if (this.#reminders === undefined) throw new Error('this actor system has no reminder store');
    await this.#reminders.set(this.kind, this.id, name, dueInMs, message);
  }

  async cancelReminder(name: string): Promise<void> {
    await this.#reminders?.cancel(this.kind, this.id, name);
  }

  ask(kind: string, id: string, message: unknown, options?: { timeoutMs?: number }): Promise<unknown> {
    return this.#system.ask(kind, id, message, options);
  }

  tell(kind: string, id: string, message: unknown): void {
    this.#system.tell(kind, id, message);
  }

  tellMany(kind: string, items: readonly { id: string; message: unknown }[]): void {
    this.#system.tellMany(kind, items);
  }
}

/** Highest-random-weight choice: every node computes the same owner for a key from the same node set. */
export function rendezvous(key: string, nodes: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestScore = '';
  for (const node of nodes) {
    const score = createHash('sha1').update(`${node}\u0000${key}`).digest('hex');
    if (best === undefined || score > bestScore) {
      best = node;
      bestScore = score;
    }
  }
  return best;
}

/**
 * A silent node is fenced once its key shows no renewal for this many of its renewal periods
 * (a third of the lease TTL, at most a second): 3 s by default.
 */
const FENCE_STALE_RENEWALS = 3;

/** The node a request went to missed three heartbeats before it answered. Internal: the sender
 * tries again (the node's lease expires and the actor is activated elsewhere). */
class NodeSilentError extends Error {
  constructor(node: string) {
    super(`node ${node} fell silent before answering`);
    this.name = 'NodeSilentError';
  }
}

export interface ActorSystemStats {
  node: string;
  actors: Record<string, number>;
  mailboxDepth: number;
  liveNodes: string[];
}

export class ActorSystem {
  readonly node: string;
  readonly #bus: Bus;
  readonly #leases: LeaseStore;
  readonly #log: Logger;
  readonly #namespace: string;
  readonly #kinds = new Map<string, ActorKind>();
  readonly #askTimeoutMs: number;
  readonly #heartbeatMs: number;
  readonly #sfuLoad: (() => number | undefined) | undefined;
  readonly #sfuBitrate: (() => number | undefined) | undefined;
  readonly #activations = new Map<string, Active>();
  /** Leases claimed for activations whose factory is still running. */
  readonly #claimed = new Map<string, Held>();
  readonly #activating = new Map<string, Promise<Activation | undefined>>();
  /** Where actors were last found: sends go there (or to the rendezvous choice) without a lookup. */
  readonly #owners = new Map<string, string>();
  /** Last heartbeat of each node, whether it hosts actors, and its SFU load (undefined: no SFU). */
  readonly #seen = new Map<string, { at: number; host: boolean; sfu?: number }>();
  /** Requests waiting for a reply from each node: given up on when that node falls silent. */
  readonly #waiting = new Map<string, Set<(error: Error) => void>>();
  readonly #subscriptions: BusSubscription[] = [];
  readonly #intervals: ReturnType<typeof setInterval>[] = [];
  /** The heartbeat and the keepAlive: they go on while a stopping node passivates, so that it is not taken for dead meanwhile. */
  readonly #lifelines: ReturnType<typeof setInterval>[] = [];
  /** tellMany's items waiting to go to each node (see TELL_MANY_WINDOW_MS), in the order told. */
  readonly #outbox = new Map<string, Wire[]>();
  #outboxTimer: ReturnType<typeof setTimeout> | undefined;
  #stopped = false;
  /** Set when stop() begins: no new activation here, and placement no longer picks this node. */
  #stopping = false;
  readonly #host: boolean;
  readonly #reminders: Reminders | undefined;
  #delivering = false;
  /** The nodes heard at the last heartbeat (#noticeLost). */
  #lastLive = new Set<string>();
  /** Told the nodes this one takes for lost (see #noticeLost). */
  readonly #lostListeners: ((nodes: string[]) => void)[] = [];
  /** When each node's heartbeat was last heard, this one's echo included; nothing else sets it. */
  readonly #beats = new Map<string, number>();
  /** How many times this node's leases lapsed (claims under way across a lapse are lost). */
  #lapses = 0;
  /** The keepAlive running, which others wait for instead of starting their own. */
  #keeping: Promise<void> | undefined;
  /** When this node's leases were last known to hold (a keepAlive that succeeded, or the start). */
  #keptAliveAt = Date.now();
  /** How often this node renews its key: a third of the lease TTL, at most a second. */
  readonly #keepAliveMs: number;
  /** A renewal round is running; the next waits for it (two rounds would renew a lease twice on one revision). */
  #renewing = false;

  private constructor(options: ActorSystemOptions) {
    this.#host = options.host ?? true;
    this.#reminders = options.reminders;
    this.node = options.node;
    this.#bus = options.bus;
    this.#leases = options.leases;
    this.#log = options.log;
    this.#namespace = options.namespace;
    this.#askTimeoutMs = options.askTimeoutMs ?? 5000;
    this.#heartbeatMs = options.heartbeatMs ?? 1000;
    this.#keepAliveMs = Math.max(100, Math.min(this.#leases.ttlMs / 3, 1000));
    this.#sfuLoad = options.sfuLoad;
    this.#sfuBitrate = options.sfuBitrate;
    for (const kind of options.kinds) this.#kinds.set(kind.name, kind);
  }

  static async start(options: ActorSystemOptions): Promise<ActorSystem> {
    const system = new ActorSystem(options);
    system.#listen();
    await options.bus.flush();
    return system;
  }

  #subject(node: string): string {
    return `${this.#namespace}.actors.node.${node}`;
  }

  #listen() {
    this.#subscriptions.push(
      this.#bus.subscribe(`${this.#namespace}.actors.alive`, (message) => {
        const beat = decodeFrame(message.data) as { node: string; host: boolean; sfu?: number };
        this.#seen.set(beat.node, { at: Date.now(), host: beat.host, ...(typeof beat.sfu === 'number' ? { sfu: beat.sfu } : {}) });
        this.#beats.set(beat.node, Date.now());
      }),
    );
    // Every node says it is alive (gateways hold sockets actors care about); hosts say so too, and
    // SFU nodes their load.
    const beat = () => {
      const sfu = this.#sfuLoad?.();
      const sfuBitrate = this.#sfuBitrate?.();
      this.#bus.publish(
        `${this.#namespace}.actors.alive`,
        encodeFrame(
          sfu === undefined
            ? { node: this.node, host: this.#host }
            : { node: this.node, host: this.#host, sfu, ...(sfuBitrate === undefined ? {} : { sfuBitrate }) },
        ),
      );
    };
    const ownLoad = this.#sfuLoad?.();
    this.#seen.set(this.node, { at: Date.now(), host: this.#host, ...(ownLoad === undefined ? {} : { sfu: ownLoad }) });
    beat();
    this.#lifelines.push(
      setInterval(() => {
        beat();
        this.#abandonSilent();
        this.#noticeLost();
      }, this.#heartbeatMs),
    );
    if (!this.#host) return;
    this.#subscriptions.push(
      this.#bus.subscribe(this.#subject(this.node), (message) => {
        const wire = decodeFrame(message.data) as Wire;
        this.#receive(wire).then(
          ({ value, owner }) => message.respond(encodeFrame({ ok: true, value, owner } satisfies WireReply)),
          (error: unknown) => {
            if (error instanceof ServerError) {
              const refusal = { status: error.status, details: error.details() };
              return message.respond(encodeFrame({ ok: false, code: error.code, message: error.message, refusal } satisfies WireReply));
            }
            const code = error instanceof ActorError ? error.code : 'ACTOR_FAILED';
            this.#logFailure(wire, error);
            message.respond(encodeFrame({ ok: false, code, message: (error as Error).message } satisfies WireReply));
          },
        );
      }),
      // Many tells in one message (tellMany): each is received here as if sent alone; the reply
      // lists the ones that could not be, for the sender to tell again one by one.
      this.#bus.subscribe(`${this.#subject(this.node)}.many`, (message) => {
        const wires = decodeFrame(message.data) as Wire[];
        void Promise.all(
          wires.map((wire, index) =>
            this.#receive(wire).then(
              () => undefined,
              (error: unknown) => {
                this.#logFailure(wire, error);
                return error instanceof ActorSystemStoppedError || error instanceof ActorUnavailableError ? index : undefined;
              },
            ),
          ),
        ).then((results) => message.respond(encodeFrame({ retry: results.filter((index) => index !== undefined) })));
      }),
    );
    this.#lifelines.push(setInterval(() => void this.#keepAlive(), this.#keepAliveMs));
    this.#intervals.push(
      setInterval(() => void this.#renewLeases(), Math.max(100, this.#leases.keyTtlMs / 3)),
      setInterval(() => void this.#passivateIdle(), this.#idleCheckMs()),
      setInterval(() => void this.#deliverReminders(), 250),
    );
  }

  /** An actor failed on a message sent from another node: logged unless it is a refusal or a known actor error. */
  #logFailure(wire: Wire, error: unknown): void {
    if (error instanceof ActorError || error instanceof ServerError) return;
    this.#log.error({ err: error, kind: wire.kind, id: wire.id }, `actors.receive() | failed [actor:${wire.kind}:${wire.id}]`);
  }

  /**
   * Where a message for `key` goes when its actor is not active here: the cached owner (forgotten
   * once it fell silent: its actors will be activated elsewhere), else this node for a kind placed
   * locally (when it hosts actors), else the rendezvous choice. A node that does not hold the
   * actor finds the holder through the lease.
   */
  #targetOf(key: string, kind: ActorKind, hosts?: string[]): string | undefined {
    const cached = this.#owners.get(key);
    if (cached !== undefined && this.#silent(cached)) this.#owners.delete(key);
    const owner = this.#owners.get(key);
    if (owner !== undefined) return owner;
    // A stopping node places nothing new on itself.
    if (kind.placement === 'local' && this.#host && !this.#stopping) return this.node;
    if (kind.placement === 'sfu') return this.#leastLoadedSfu(key, hosts ?? this.liveNodes({ hostsOnly: true }));
    return rendezvous(key, hosts ?? this.liveNodes({ hostsOnly: true }));
  }

  /**
   * Among `hosts`, those whose last heartbeat reported a running SFU, the least loaded (this node's
   * own load read now); a tie goes by rendezvous hashing, so nodes agree. None: NoPlacementError.
   */
  #leastLoadedSfu(key: string, hosts: string[]): string {
    let least = Number.POSITIVE_INFINITY;
    let candidates: string[] = [];
    for (const node of hosts) {
      const load = node === this.node ? this.#sfuLoad?.() : this.#seen.get(node)?.sfu;
      if (load === undefined || load > least) continue;
      if (load < least) candidates = [];
      least = load;
      candidates.push(node);
    }
    const chosen = rendezvous(key, candidates);
    if (chosen === undefined) throw new NoPlacementError(key, 'no live node reports a running SFU');
    return chosen;
  }

  /** Nodes heard from lately; with `hostsOnly`, only those that host actors (placement). */
  liveNodes(options: { hostsOnly?: boolean } = {}): string[] {
    const horizon = this.#horizon();
    return [...this.#seen.entries()]
      .filter(([node, seen]) => (node === this.node ? !this.#stopping : seen.at >= horizon) && (!options.hostsOnly || seen.host))
      .map(([node]) => node)
      .sort();
  }

  /**
   * Nodes whose heartbeats were heard lately, this one included: what a node's own sockets tell
   * actors (a user's devices), unlike liveNodes() (routing), which also takes a node for dead
   * when a request to it went unanswered or it refused an actor it was passivating.
   */
  heardNodes(): string[] {
    const horizon = this.#horizon();
    const heard = [...this.#beats].filter(([node, at]) => node !== this.node && at >= horizon).map(([node]) => node);
    return this.#stopping ? heard : [this.node, ...heard];
  }

  /**
   * Calls `listener` with the nodes heard at the last heartbeat that no longer are, as local actors
   * asking for it are told (every node that notices calls its own listeners).
   */
  onNodeLost(listener: (nodes: string[]) => void): void {
    this.#lostListeners.push(listener);
  }

  /**
   * When a node heard at the last heartbeat no longer is: tells the local actors of kinds that ask
   * for it (`nodeLost`), fences it once its key shows no renewal either (#fenceWhenStale: its
   * leases are freed then, so its actors come back elsewhere within seconds instead of after the
   * lease TTL; a node that was only paused checks its leases before acting again, #confident),
   * then tells the listeners (onNodeLost), which may then activate the lost node's actors here. Not while this node does not hear its own heartbeats: then it is
   * the one cut off, and the others are not lost.
   */
  #noticeLost(): void {
    if ((this.#beats.get(this.node) ?? 0) < this.#horizon()) return;
    const live = new Set(this.heardNodes());
    const lost = [...this.#lastLive].filter((node) => !live.has(node));
    this.#lastLive = live;
    if (lost.length === 0) return;
    for (const [key, entry] of this.#activations) {
      const message = entry.kind.nodeLost;
      if (message !== undefined) this.tell(entry.kind.name, key.slice(entry.kind.name.length + 1), message);
    }
    void Promise.all(lost.map((node) => this.#fenceWhenStale(node))).then(() => {
      for (const listener of this.#lostListeners) listener(lost);
    });
  }

  /**
   * Fences a silent `node` once its key also shows no renewal for FENCE_STALE_RENEWALS renewals
   * (it may still be renewing: heartbeats lost on the way, not the node). Tried again every half
   * renewal until then; given up when the node is heard again, or after the lease TTL (its key
   * has lapsed by then if it was dead). A failure to reach the store leaves it to the TTL.
   */
  async #fenceWhenStale(node: string): Promise<void> {
    const until = Date.now() + this.#leases.ttlMs;
    while (!this.#stopped && Date.now() < until && !this.heardNodes().includes(node)) {
      let outcome: 'fenced' | 'renewing' | 'gone';
      try {
        outcome = await this.#leases.fence(node, this.#keepAliveMs * FENCE_STALE_RENEWALS);
      } catch (error) {
        this.#log.warn({ err: error, node }, `actors.noticeLost() | could not fence a silent node [node:${node}]`);
        return;
      }
      if (outcome === 'fenced')
        this.#log.warn({ node }, `actors.noticeLost() | fenced a silent node; its actors may start elsewhere [node:${node}]`);
      if (outcome !== 'renewing') return;
      await Bun.sleep(this.#keepAliveMs / 2);
    }
  }

  /** Heartbeats older than this are from nodes taken for dead. */
  #horizon(): number {
    return Date.now() - this.#heartbeatMs * 3;
  }

  /** A node once heard from that has since missed three heartbeats (crashed, or cut off). A node
   * never heard from is not called silent: this node may just have started. */
  #silent(node: string): boolean {
    if (node === this.node) return false;
    const seen = this.#seen.get(node);
    return seen !== undefined && seen.at < this.#horizon();
  }

  /** Takes `node` for dead until it beats again, and gives up on replies still awaited from it. */
  #markSilent(node: string): void {
    const seen = this.#seen.get(node);
    this.#seen.set(node, { at: 0, host: seen?.host ?? true });
    this.#abandonSilent();
  }

  /** Stops waiting for replies from nodes that fell silent. A request that reached a node just
   * before it died (or whose subscription the server still keeps for a node cut off) gets no
   * reply and no no-responders either: without this its sender would wait for its whole timeout
   * instead of trying again where the actor lives next. */
  #abandonSilent(): void {
    for (const [node, waiting] of this.#waiting) {
      if (!this.#silent(node)) continue;
      this.#waiting.delete(node);
      for (const abandon of waiting) abandon(new NodeSilentError(node));
    }
  }

  stats(): ActorSystemStats {
    const actors: Record<string, number> = {};
    let mailboxDepth = 0;
    for (const { kind, activation } of this.#activations.values()) {
      actors[kind.name] = (actors[kind.name] ?? 0) + 1;
      mailboxDepth += activation.depth;
    }
    return { node: this.node, actors, mailboxDepth, liveNodes: this.liveNodes({ hostsOnly: true }) };
  }

  /** Sends `message` to the actor and waits for its reply. */
  async ask(kind: string, id: string, message: unknown, options: { timeoutMs?: number } = {}): Promise<unknown> {
    const timeoutMs = options.timeoutMs ?? this.#askTimeoutMs;
    return this.#route({ kind, id, message, hops: 0 }, Date.now() + timeoutMs, timeoutMs);
  }

  /**
   * Sends without waiting. While the actor's node is dead it keeps trying until the lease has
   * expired and the actor is back elsewhere (lease TTL + 5 s), so a tell outlives a failover;
   * other failures, and an actor that never comes back, are logged.
   */
  tell(kind: string, id: string, message: unknown): void {
    this.ask(kind, id, message, { timeoutMs: Math.max(this.#askTimeoutMs, this.#leases.ttlMs + TELL_MARGIN_MS) }).catch(
      (error: unknown) => {
        this.#log.warn({ err: error, kind, id }, `actors.tell() | not delivered [actor:${kind}:${id}]`);
      },
    );
  }

  /**
   * Tells many actors of one kind without waiting: one bus message per node they live on (or
   * would be placed on), shared with the other tellMany calls of the next TELL_MANY_WINDOW_MS,
   * instead of one per actor. Items for one actor keep their order. Whatever a node could not take,
   * and everything meant for a node that does not answer, is told again one by one (with `tell`'s
   * retries).
   */
  tellMany(kind: string, items: readonly { id: string; message: unknown }[]): void {
    const actorKind = this.#kinds.get(kind);
    if (actorKind === undefined) throw new UnknownKindError(kind);
    const hosts = this.liveNodes({ hostsOnly: true });
    for (const { id, message } of items) {
      const key = `${kind}.${id}`;
      const target = this.#activations.has(key) ? this.node : this.#targetOf(key, actorKind, hosts);
      if (target === undefined || target === this.node) {
        this.tell(kind, id, message);
        continue;
      }
      const batch = this.#outbox.get(target) ?? [];
      batch.push({ kind, id, message, hops: 0 });
      this.#outbox.set(target, batch);
      if (batch.length >= TELL_MANY_MAX) this.#sendMany(target);
    }
    if (this.#outbox.size > 0) this.#outboxTimer ??= setTimeout(() => this.#flushOutbox(), TELL_MANY_WINDOW_MS);
  }

  #flushOutbox(): void {
    clearTimeout(this.#outboxTimer);
    this.#outboxTimer = undefined;
    for (const node of [...this.#outbox.keys()]) this.#sendMany(node);
  }

  /** Sends what waits for `node` as one bus message. */
  #sendMany(node: string): void {
    const wires = this.#outbox.get(node);
    this.#outbox.delete(node);
    if (wires === undefined || wires.length === 0) return;
    const again = (indexes: number[]) => {
      for (const index of indexes) {
        const wire = wires[index] as Wire;
        this.tell(wire.kind, wire.id, wire.message);
      }
    };
    this.#bus.request(`${this.#subject(node)}.many`, encodeFrame(wires), { timeoutMs: this.#askTimeoutMs }).then(
      (raw) => again((decodeFrame(raw) as { retry: number[] }).retry),
      () => again(wires.map((_, index) => index)),
    );
  }

  async #route(wire: Wire, deadline: number, timeoutMs: number): Promise<unknown> {
    const kind = this.#kinds.get(wire.kind);
    if (kind === undefined) throw new UnknownKindError(wire.kind);
    const key = `${wire.kind}.${wire.id}`;
    /** Set once the actor's node was found dead (or stopping): the deadline then means "still moving". */
    let moving = false;
    for (;;) {
      if (this.#stopped) throw new ActorSystemStoppedError();
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw moving ? new ActorUnavailableError(key) : new AskTimeoutError(key, timeoutMs);
      if (this.#activations.has(key)) return (await this.#receive(wire)).value;
      // No directory read on the way: a node that does not hold the actor forwards to the one that
      // does, and the reply names the owner.
      const target = this.#targetOf(key, kind);
      if (target === undefined && !this.#host) {
        // No hosting node is known yet (this node just started): wait for their heartbeats.
        await Bun.sleep(Math.min(RETRY_MS, Math.max(0, deadline - Date.now())));
        continue;
      }
      try {
        const handled =
          target === undefined || target === this.node ? await this.#receive(wire) : await this.#sendTo(target, wire, remaining);
        if (handled.owner === this.node) this.#owners.delete(key);
        else this.#owners.set(key, handled.owner);
        return handled.value;
      } catch (error) {
        // The target (or the holder it forwarded to) died or is stopping: its lease will expire;
        // try again until the deadline. A target that fell silent while we waited for its reply
        // (NodeSilentError) never answered: the message goes where the actor lives next.
        const retry =
          error instanceof BusNoRespondersError ||
          error instanceof ActorSystemStoppedError ||
          error instanceof ActorUnavailableError ||
          error instanceof NodeSilentError;
        // The cached owner is only a hint: once it did not answer, the next ask looks again.
        if (retry || error instanceof AskTimeoutError) this.#owners.delete(key);
        if (!retry) throw error;
        moving = true;
        if (target !== undefined && target !== this.node) {
          // No responders (nobody listens for the target any more) or silent: it is gone until it
          // beats again, and anything else still waiting on it is given up now. Otherwise it
          // answered, but is stopping or could not reach the holder: place elsewhere until its
          // next heartbeat.
          if (error instanceof BusNoRespondersError || error instanceof NodeSilentError) this.#markSilent(target);
          else this.#seen.delete(target);
        }
        await Bun.sleep(Math.min(RETRY_MS, Math.max(0, deadline - Date.now())));
      }
    }
  }

  /** Sends to `node` and waits for its reply, until the timeout or until `node` falls silent. */
  async #sendTo(node: string, wire: Wire, timeoutMs: number): Promise<{ value: unknown; owner: string }> {
    if (this.#silent(node)) throw new NodeSilentError(node);
    let abandon: (error: Error) => void = () => undefined;
    const abandoned = new Promise<never>((_, reject) => {
      abandon = reject;
    });
    const waiting = this.#waiting.get(node) ?? new Set();
    this.#waiting.set(node, waiting);
    waiting.add(abandon);
    let raw: Uint8Array;
    try {
      // The request is not cancelled when abandoned; its late timeout is settled into the race.
      raw = await Promise.race([this.#bus.request(this.#subject(node), encodeFrame(wire), { timeoutMs }), abandoned]);
    } catch (error) {
      if (error instanceof BusTimeoutError) throw new AskTimeoutError(`${wire.kind}.${wire.id}`, timeoutMs);
      throw error;
    } finally {
      waiting.delete(abandon);
      if (waiting.size === 0 && this.#waiting.get(node) === waiting) this.#waiting.delete(node);
    }
    const answer = decodeFrame(raw) as WireReply;
    if (answer.ok) return { value: answer.value, owner: answer.owner };
    if (answer.refusal !== undefined) throw new RelayedError(answer.code, answer.refusal.status, answer.message, answer.refusal.details);
    if (answer.code === 'MAILBOX_FULL') throw new MailboxFullError(`${wire.kind}.${wire.id}`, 0);
    if (answer.code === 'ACTOR_SYSTEM_STOPPED') throw new ActorSystemStoppedError();
    if (answer.code === 'ACTOR_UNAVAILABLE') throw new ActorUnavailableError(`${wire.kind}.${wire.id}`);
    throw new ActorFailedError(`${wire.kind}.${wire.id}`, answer.code, answer.message);
  }

  /** Handles a message here: to the local activation, or activating it, or forwarding to its holder. */
  async #receive(wire: Wire): Promise<{ value: unknown; owner: string }> {
    if (this.#stopped || (this.#stopping && !this.#activations.has(`${wire.kind}.${wire.id}`))) throw new ActorSystemStoppedError();
    const key = `${wire.kind}.${wire.id}`;
    const activation = this.#activations.get(key)?.activation ?? (await this.#activate(wire.kind, wire.id));
    if (activation === undefined) {
      const holder = await this.#leases.holder(key);
      if (holder === undefined || holder === this.node || wire.hops >= MAX_HOPS) throw new ActorUnavailableError(key);
      return this.#sendTo(holder, { ...wire, hops: wire.hops + 1 }, this.#askTimeoutMs).catch((error: unknown) => {
        if (error instanceof BusNoRespondersError || error instanceof NodeSilentError) throw new ActorUnavailableError(key);
        throw error;
      });
    }
    // Paused long enough to have been fenced? Its leases are checked first; lost, the message
    // goes where the actor is now.
    await this.#confident();
    if (this.#activations.get(key)?.activation !== activation) return this.#receive(wire);
    const outcome = await activation.enqueue(wire.message);
    if ('stop' in outcome) await this.#passivate(key);
    return { value: 'reply' in outcome ? outcome.reply : undefined, owner: this.node };
  }

  /** Get-or-create, serialized per key; undefined when another node holds the lease. */
  #activate(kindName: string, id: string): Promise<Activation | undefined> {
    const key = `${kindName}.${id}`;
    const existing = this.#activating.get(key);
    if (existing !== undefined) return existing;
    const kind = this.#kinds.get(kindName);
    if (kind === undefined) return Promise.reject(new UnknownKindError(kindName));
    const work = (async () => {
      const lapses = this.#lapses;
      const lease = await this.#leases.claim(key, this.node);
      if (lease === undefined) return undefined;
      // Renewed from here on, while the factory runs too: a slow one (a loaded database) must not
      // outlive the lease. The same object becomes the activation's entry. A claim that was under
      // way when the node's leases lapsed may name the lapsed incarnation: lost from the start.
      if (lapses !== this.#lapses) throw new ActorUnavailableError(key);
      const held: Held = { key, node: lease.node, revision: lease.revision, lost: false, kind, activation: undefined };
      this.#claimed.set(key, held);
      try {
        const actor = await kind.create(id, new Context(this, kind.name, id, held, this.#reminders));
        if (held.lost) {
          await actor.passivate?.();
          throw new ActorUnavailableError(key);
        }
        const activation = new Activation(key, actor, kind.mailbox ?? DEFAULT_MAILBOX);
        held.activation = activation;
        this.#activations.set(key, held as Active);
        return activation;
      } catch (error) {
        if (!held.lost) await this.#leases.release(held);
        throw error;
      } finally {
        this.#claimed.delete(key);
      }
    })().finally(() => this.#activating.delete(key));
    this.#activating.set(key, work);
    return work;
  }

  async #passivate(key: string): Promise<void> {
    const entry = this.#activations.get(key);
    if (entry === undefined) return;
    this.#activations.delete(key);
    await entry.activation.stop(new ActorSystemStoppedError());
    await this.#leases.release(entry).catch((error: unknown) => {
      this.#log.warn({ err: error, actor: key }, `actors.passivate() | lease release failed; it will expire [actor:${key}]`);
    });
  }

  /**
   * How often idle actors are looked for: a tenth of the shortest idle time of the kinds, between
   * 250 ms and 10 s (an actor idle 5 minutes goes within 10 s more). Every check walks all the
   * actors of the node, 20,000 with a socket open each: four walks a second cost a few percent
   * of a core on an idle node.
   */
  #idleCheckMs(): number {
    const shortest = Math.min(...[...this.#kinds.values()].map((kind) => kind.idleMs ?? DEFAULT_IDLE_MS));
    return Math.min(IDLE_CHECK_MAX_MS, Math.max(IDLE_CHECK_MIN_MS, shortest / 10));
  }

  async #passivateIdle(): Promise<void> {
    const idleLongEnough = (entry: Active | undefined) =>
      entry?.activation.idle === true && Date.now() - entry.activation.lastActiveAt >= (entry.kind.idleMs ?? DEFAULT_IDLE_MS);
    const idle = [...this.#activations.values()].filter(idleLongEnough).map((entry) => entry.activation.address);
    // Looked at again: a message may have arrived while an earlier one was being passivated.
    for (const key of idle) if (idleLongEnough(this.#activations.get(key))) await this.#passivate(key);
  }

  async #deliverReminders(): Promise<void> {
    if (this.#reminders === undefined || this.#delivering || this.#stopped) return;
    this.#delivering = true;
    try {
      await this.#reminders.deliverDue(async (kind, id, message) => {
        await this.ask(kind, id, message);
      });
    } catch (error) {
      this.#log.error({ err: error }, 'actors.reminders() | polling failed; retrying');
    } finally {
      this.#delivering = false;
    }
  }

  /**
   * Keeps this node's leases alive. When they lapsed (silent past the TTL: a pause, a cut-off
   * bus), any of its actors may be active elsewhere by now: all of them stop here.
   */
  #keepAlive(): Promise<void> {
    if (this.#stopped) return Promise.resolve();
    this.#keeping ??= this.#keepAliveOnce().finally(() => {
      this.#keeping = undefined;
    });
    return this.#keeping;
  }

  async #keepAliveOnce(): Promise<void> {
    const started = Date.now();
    try {
      if (await this.#leases.keepAlive(this.node)) {
        this.#keptAliveAt = started;
        return;
      }
      this.#lapses++;
      const held = [...this.#activations, ...this.#claimed];
      this.#log.warn(
        { actors: held.length },
        `actors.keepAlive() | this node's leases lapsed; deactivating its actors [actors:${held.length}]`,
      );
      for (const [, entry] of held) entry.lost = true;
      const active = [...this.#activations.values()];
      this.#activations.clear();
      await Promise.all(active.map((entry) => entry.activation.stop(new ActorSystemStoppedError())));
    } catch (error) {
      this.#log.warn({ err: error }, 'actors.keepAlive() | failed, will retry');
    }
  }

  /**
   * Others fence a node whose key shows no renewal for FENCE_STALE_RENEWALS renewals: a node that
   * has not renewed for two of them (a pause, a slow store) makes sure its leases still hold
   * before it acts for an actor again, so an actor never answers here after being taken
   * elsewhere. Usually a comparison of two numbers.
   */
  async #confident(): Promise<void> {
    if (Date.now() - this.#keptAliveAt <= this.#keepAliveMs * (FENCE_STALE_RENEWALS - 1)) return;
    await this.#keepAlive();
  }

  async #renewLeases(): Promise<void> {
    if (this.#renewing) return;
    this.#renewing = true;
    const started = Date.now();
    try {
      await this.#renewRound();
    } finally {
      this.#renewing = false;
    }
    const tookMs = Date.now() - started;
    if (tookMs > this.#leases.keyTtlMs / 3)
      this.#log.warn(
        { tookMs, leases: this.#activations.size, keyTtlMs: this.#leases.keyTtlMs },
        `actors.renew() | a round took longer than the key TTL/3; keys near their TTL may expire [took:${tookMs}ms] [leases:${this.#activations.size}]`,
      );
  }

  async #renewRound(): Promise<void> {
    const entries = [...this.#activations, ...this.#claimed];
    const current = (key: string, held: Held) => this.#activations.get(key) === held || this.#claimed.get(key) === held;
    let next = 0;
    const lane = async () => {
      while (next < entries.length) {
        const [key, held] = entries[next++] as (typeof entries)[number];
        if (!current(key, held)) continue;
        const renewed = await this.#leases.renew(held).catch((error: unknown) => {
          this.#log.warn({ err: error, actor: key }, `actors.renew() | renewal failed, will retry [actor:${key}]`);
          return held;
        });
        if (!current(key, held)) continue;
        if (renewed !== undefined) {
          held.revision = renewed.revision;
          continue;
        }
        // Someone else holds it now (this node was cut off for longer than the TTL): let go.
        this.#log.warn({ actor: key }, `actors.renew() | lease lost, deactivating [actor:${key}]`);
        held.lost = true;
        const active = this.#activations.get(key);
        if (active === held) {
          this.#activations.delete(key);
          await active.activation.stop(new ActorSystemStoppedError());
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(RENEWALS_IN_FLIGHT, entries.length) }, lane));
  }

  /** Passivates every actor (flushing state), releases the leases, and stops listening. */
  async stop(): Promise<void> {
    if (this.#stopped || this.#stopping) return;
    this.#stopping = true;
    for (const interval of this.#intervals) clearInterval(interval);
    await Promise.all([...this.#activations.keys()].map((key) => this.#passivate(key)));
    for (const interval of this.#lifelines) clearInterval(interval);
    // What passivating actors told others goes out before the bus is let go.
    this.#flushOutbox();
    this.#stopped = true;
    for (const subscription of this.#subscriptions) subscription.unsubscribe();
    // Until the server has the unsubscribe, it still routes requests here, where nobody answers:
    // senders would wait for their timeout instead of learning at once that no one responds. A
    // bus that is down has nothing to route, so the wait is bounded and a failure only logged.
    try {
      await Promise.race([this.#bus.flush(), Bun.sleep(1000)]);
    } catch (error) {
      this.#log.warn({ err: error }, 'actors.stop() | could not flush the unsubscribes; the bus is down');
    }
  }

  /** Stops dead, as a crashed node would: no passivation, no lease release (tests of failover). */
  halt(): void {
    this.#stopped = true;
    clearTimeout(this.#outboxTimer);
    this.#outbox.clear();
    for (const interval of [...this.#intervals, ...this.#lifelines]) clearInterval(interval);
    for (const subscription of this.#subscriptions) subscription.unsubscribe();
  }
}
