// Shortcuts for tests that need a relation as a starting point (friends, a block) without going
// through the calls under test: they use the same Graph the calls use, on any node.
import type { CallName, CallRequest, CallResponse } from '../../protocol/catalogue.ts';
import type { RunningNode } from '../../server/node.ts';
import type { AccountsEnv, RegisteredUser } from './accounts.ts';
import { connectAs, type RawSocket } from './ws.ts';

export async function befriend(node: RunningNode, a: { id: string }, b: { id: string }): Promise<void> {
  await node.social.graph.request(a.id, b.id);
  await node.social.graph.accept(b.id, a.id);
  // What the request and accept notified is delivered live (and pushed) before the test goes on.
  await node.social.notifier.settled();
}

/** A signed-in user with a socket that follows their own `user:<id>` topic, and typed calls. */
export interface Member {
  user: RegisteredUser;
  id: string;
  socket: RawSocket;
  call<N extends CallName>(op: N, body: CallRequest<N>): Promise<CallResponse<N>>;
  /** Makes a call that must fail; returns the error's code and details. */
  refused(op: CallName, body: unknown): Promise<{ code: string; details?: Record<string, unknown> }>;
  /** The next event with this name (on any followed topic), optionally matching. */
  event(name: string, match?: (body: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** The next signal (typing, receipt) with this name, optionally matching. */
  signal(name: string, match?: (body: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** Follows a topic; fails the test when refused. */
  follow(topic: string): Promise<void>;
  close(): void;
}

async function nextOf(
  socket: RawSocket,
  type: 'event' | 'signal',
  name: string,
  match: (body: Record<string, unknown>) => boolean = () => true,
  timeoutMs = 5000,
): Promise<Record<string, unknown>> {
  const frame = await socket.next(
    (candidate) => candidate.type === type && candidate.name === name && match(candidate.body as Record<string, unknown>),
    timeoutMs,
  );
  return frame.body as Record<string, unknown>;
}

export async function join(env: AccountsEnv, node: RunningNode = env.node, user?: RegisteredUser): Promise<Member> {
  const registered = user ?? (await env.register());
  const { socket } = await connectAs(node.url, registered.tokens.accessToken);
  const sub = await socket.request({ type: 'sub', topic: `user:${registered.id}` });
  if (sub.type !== 'reply') throw new Error(`cannot follow own topic: ${JSON.stringify(sub)}`);
  return {
    user: registered,
    id: registered.id,
    socket,
    async call(op, body) {
      const frame = await socket.request({ type: 'call', op, body });
      if (frame.type !== 'reply') throw new Error(`${op} failed: ${frame.code} ${frame.message}`);
      return frame.body as never;
    },
    async refused(op, body) {
      const frame = await socket.request({ type: 'call', op, body });
      if (frame.type !== 'error') throw new Error(`${op} should have failed, got ${JSON.stringify(frame.body)}`);
      return { code: String(frame.code), details: frame.details as Record<string, unknown> | undefined };
    },
    event: (name, match, timeoutMs) => nextOf(socket, 'event', name, match, timeoutMs),
    signal: (name, match, timeoutMs) => nextOf(socket, 'signal', name, match, timeoutMs),
    async follow(topic) {
      const reply = await socket.request({ type: 'sub', topic });
      if (reply.type !== 'reply') throw new Error(`cannot follow ${topic}: ${JSON.stringify(reply)}`);
    },
    close: () => socket.close(),
  };
}

/** Members made for one test file, closed together; `circle` gives an owner with a friend, a close friend and a stranger. */
export function memberPool(env: AccountsEnv) {
  const members: Member[] = [];
  const member = async (node?: RunningNode) => {
    const created = await join(env, node);
    members.push(created);
    return created;
  };
  return {
    member,
    /** Keeps a member made elsewhere (another socket of a user) to close with the rest. */
    keep(created: Member) {
      members.push(created);
      return created;
    },
    async circle() {
      const [owner, friend, close, stranger] = await Promise.all([member(), member(), member(), member()]);
      await befriend(env.node, owner, friend);
      await befriend(env.node, owner, close);
      await owner.call('friends.setClose', { userId: close.id, close: true });
      return { owner, friend, close, stranger };
    },
    closeAll() {
      for (const created of members.splice(0)) created.close();
    },
  };
}
