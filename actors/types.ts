// What an actor kind provides to the runtime, and what the runtime gives each actor.
//
// An actor is the single owner of one entity's hot state, activated on its first message by an
// async factory that loads that state, fed one message at a time, and passivated after being idle
// (its `passivate` flushes what must survive). Its handler returns a closed union: a reply, no
// reply, or stop (with an optional reply).

export type Outcome = { reply: unknown } | { noReply: true } | { stop: true; reply?: unknown };

export const reply = (value: unknown): Outcome => ({ reply: value });
export const noReply: Outcome = { noReply: true };

export interface ActorContext {
  readonly kind: string;
  readonly id: string;
  readonly node: string;
  /** Delivers `message` to this actor after `ms`, unless cancelled or replaced by a timer of the same
   * name (with `keep`, one of that name still waiting stays as it is, and this call does nothing).
   * In memory: lost when the actor is passivated; use `remind` for what must survive. */
  timer(name: string, ms: number, message: unknown, options?: { keep?: boolean }): void;
  cancelTimer(name: string): void;
  /** Asks another actor, wherever it lives. */
  ask(kind: string, id: string, message: unknown, options?: { timeoutMs?: number }): Promise<unknown>;
  tell(kind: string, id: string, message: unknown): void;
  /** Tells many actors of one kind at once: one bus message per node instead of one per actor. */
  tellMany(kind: string, items: readonly { id: string; message: unknown }[]): void;
  /** The nodes heard from lately (every node heartbeats, hosting actors or not). */
  liveNodes(): string[];
  /**
   * A durable timer: stored, and delivered as `message` after `dueInMs` even if the actor was
   * passivated or its node died meanwhile (it is activated to receive it). Same name replaces.
   */
  remind(name: string, dueInMs: number, message: unknown): Promise<void>;
  cancelReminder(name: string): Promise<void>;
}

/** One message's result in a batch: its outcome, or the error its sender gets. */
export type BatchResult = { outcome: Outcome } | { error: unknown };

/**
 * Group commit: messages this accepts that wait in the mailbox are handled together, one call for
 * up to `max` of them (the one at the head and those right behind it that it accepts, in order), so
 * one write can serve them all. A message alone is a batch of one: nothing waits to form a batch.
 */
export interface Batching {
  accepts(message: unknown): boolean;
  readonly max: number;
  /** One result per message, in the same order. */
  handle(messages: unknown[]): Promise<BatchResult[]>;
}

export interface Actor {
  handle(message: unknown): Promise<Outcome> | Outcome;
  batch?: Batching;
  /** Called before the runtime drops the activation (idle, stop, node shutdown): flush state here. */
  passivate?(): Promise<void> | void;
}

export interface ActorKind {
  readonly name: string;
  /** Async factory: loads the entity's state and returns the activation. */
  create(id: string, context: ActorContext): Promise<Actor>;
  /** Passivate after this long without messages (default 5 minutes). */
  idleMs?: number;
  /** Messages waiting at most (default 1000); beyond, senders get MailboxFullError. */
  mailbox?: number;
  /**
   * Where an actor nobody holds is activated: by default on the node rendezvous hashing picks
   * among the hosting nodes; `local`, on the node its next message is sent from (a room, on the
   * node of the member who writes first: that member's sends then take no bus hop); `sfu`, on the
   * hosting node whose SFU reports the least load in its heartbeats (a call, which drives a router
   * of its node's mediasoup workers), never on a node without a running SFU (NoPlacementError).
   */
  placement?: 'hashed' | 'local' | 'sfu';
  /**
   * Told to every actor of this kind on a node when that node takes another for dead (three
   * heartbeats missed): the user actor drops the sockets the dead node held.
   */
  nodeLost?: unknown;
}

export const DEFAULT_IDLE_MS = 5 * 60_000;
export const DEFAULT_MAILBOX = 1000;
