// One simulated user of the soak: a protocol client on one node that follows its own user and
// feed topics, a few friends' presence and its conversations, and every few seconds does what a
// person does on a day with the app (a weighted pick of ACTIONS). Some drop their socket now and
// then and come back, resuming each topic from the last event they had.
import { type EventFrame, PetAmigosClient, type TopicHandle } from '../../protocol/client.ts';
import type { SeededAccount } from '../accounts.ts';
import type { Tally } from './tally.ts';

export interface SimulatedUserOptions {
  account: SeededAccount;
  url: string;
  token: (account: SeededAccount) => Promise<string>;
  tally: Tally;
  /** Friends whose presence it follows and whom it writes to. */
  friends: string[];
}

/** How often each action is picked, out of their sum. */
const ACTIONS = {
  feedChronological: 18,
  feedRanked: 7,
  react: 15,
  comment: 6,
  comments: 4,
  post: 4,
  sendDirect: 12,
  sendGroup: 10,
  history: 4,
  read: 8,
  presence: 5,
  status: 2,
  profile: 3,
  reconnect: 2,
} as const;
type Action = keyof typeof ACTIONS;
const TOTAL_WEIGHT = Object.values(ACTIONS).reduce((sum, weight) => sum + weight, 0);

function pickAction(): Action {
  let roll = Math.random() * TOTAL_WEIGHT;
  for (const [action, weight] of Object.entries(ACTIONS) as [Action, number][]) {
    roll -= weight;
    if (roll < 0) return action;
  }
  return 'feedChronological';
}

const pick = <T>(items: readonly T[]): T | undefined => items[Math.floor(Math.random() * items.length)];
const REACTIONS = ['like', 'love', 'haha', 'wow', 'sad', 'angry'] as const;

/** Public posts anyone may react to or comment on, shared by all users (newest last, bounded). */
const publicPosts: string[] = [];
const rememberPublic = (postId: string) => {
  publicPosts.push(postId);
  if (publicPosts.length > 500) publicPosts.shift();
};

export class SimulatedUser {
  readonly account: SeededAccount;
  readonly #options: SimulatedUserOptions;
  #client: PetAmigosClient;
  readonly #topics = new Map<string, TopicHandle>();
  /** Conversations: one-to-one by the other person, and the group if in one. */
  readonly direct = new Map<string, string>();
  group: string | undefined;
  readonly #lastSeq = new Map<string, number>();
  #seenPosts: string[] = [];
  #stopped = false;
  /** Wakes #joined when a topic's state changes. */
  #settled: (() => void) | undefined;
  #stop = Promise.withResolvers<void>();

  constructor(options: SimulatedUserOptions) {
    this.account = options.account;
    this.#options = options;
    this.#client = this.#newClient();
  }

  get client(): PetAmigosClient {
    return this.#client;
  }

  #newClient(): PetAmigosClient {
    const client = new PetAmigosClient({
      url: this.#options.url,
      token: () => this.#options.token(this.account),
      // Every failure is counted, none hidden by a repeat.
      repeatWithinMs: false,
      onState: (state, detail) => {
        if (state === 'reconnecting' && detail !== undefined && client === this.#client)
          this.#options.tally.failed(`close ${detail.code}`, `socket closed by the server: ${detail.reason}`);
      },
    });
    return client;
  }

  async connect(): Promise<void> {
    await this.#client.connect();
  }

  /** Follows the user's topics, its friends' presence and its conversations; resolves once all are joined. */
  async follow(): Promise<void> {
    const { account, friends } = this.#options;
    const topics = [
      `user:${account.id}`,
      `feed:${account.id}`,
      ...friends.slice(0, 3).map((id) => `presence:${id}`),
      ...[...this.direct.values(), ...(this.group === undefined ? [] : [this.group])].map((id) => `room:${id}`),
    ];
    for (const topic of topics) this.#follow(topic);
    await this.#joined();
  }

  #follow(topic: string, since?: { epoch: string; seq: number }) {
    const kind = topic.slice(0, topic.indexOf(':'));
    const handle = this.#client.subscribe(topic, (event) => this.#onEvent(kind, event), {
      since,
      onState: (state, error) => {
        if (state === 'errored') this.#options.tally.failed(`sub ${error?.code ?? 'errored'}`, topic);
        if (state !== 'joining') this.#settled?.();
      },
    });
    this.#topics.set(topic, handle);
  }

  /** Waits until no topic is joining, woken by each topic's state change (a poll would round the time up). */
  async #joined(): Promise<void> {
    const deadline = Date.now() + 30_000;
    while (!this.#stopped && [...this.#topics.values()].some((handle) => handle.state === 'joining')) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`${this.account.username}: topics not joined within 30 s`);
      const changed = Promise.withResolvers<void>();
      this.#settled = changed.resolve;
      await Promise.race([changed.promise, Bun.sleep(Math.min(left, 1000))]);
      this.#settled = undefined;
    }
  }

  #onEvent(kind: string, event: EventFrame) {
    this.#options.tally.event(kind);
    const body = event.body as Record<string, unknown>;
    if (event.name === 'feed.post') this.#seenPosts.push(body.postId as string);
    if (event.name === 'message.new') {
      const message = body.message as { conversationId: string; seq: number };
      this.#lastSeq.set(message.conversationId, message.seq);
    }
    if (this.#seenPosts.length > 40) this.#seenPosts = this.#seenPosts.slice(-20);
  }

  /** Waits `ms`, or less if stop() comes first (the timer is cleared then: a pending one would keep the process alive). */
  async #pause(ms: number): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([new Promise<void>((resolve) => (timer = setTimeout(resolve, ms))), this.#stop.promise]);
    clearTimeout(timer);
  }

  /** Acts every `thinkMs` on average (exponentially distributed pauses) until stop(). */
  async live(thinkMs: number): Promise<void> {
    await this.#pause(Math.random() * thinkMs);
    while (!this.#stopped) {
      await this.act(pickAction());
      await this.#pause(-Math.log(1 - Math.random()) * thinkMs);
    }
  }

  /** Calls as fast as a socket may for `calls` calls, provoking RATE_LIMITED, every `everyMs`, until stop(). */
  async hammer(calls: number, everyMs: number): Promise<void> {
    await this.#pause(Math.random() * everyMs);
    while (!this.#stopped) {
      let left = calls;
      // At most 16 in flight: well under the socket's limit, so only the rate refuses.
      const lane = async () => {
        while (left-- > 0 && !this.#stopped)
          await this.#options.tally.time('session.get (hammer)', () => this.#client.call('session.get', {}), { provokes: 'RATE_LIMITED' });
      };
      await Promise.all(Array.from({ length: 16 }, lane));
      await this.#pause(everyMs);
    }
  }

  stop(): void {
    this.#stopped = true;
    this.#stop.resolve();
    this.#client.close();
  }

  async act(action: Action): Promise<void> {
    const { tally, friends } = this.#options;
    const client = this.#client;
    switch (action) {
      case 'feedChronological':
      case 'feedRanked': {
        const mode = action === 'feedRanked' ? 'ranked' : 'chronological';
        const page = await tally.time(`feed.home (${mode})`, () => client.call('feed.home', { mode }));
        if (page !== undefined) this.#seenPosts = page.items.map((item) => item.post.id);
        return;
      }
      case 'react': {
        const postId = pick(this.#seenPosts) ?? pick(publicPosts);
        if (postId !== undefined)
          await tally.time('posts.react', () => client.call('posts.react', { postId, kind: pick(REACTIONS) ?? 'like' }));
        return;
      }
      case 'comment': {
        const postId = pick(this.#seenPosts) ?? pick(publicPosts);
        if (postId !== undefined)
          await tally.time('comments.add', () =>
            client.call('comments.add', { postId, text: 'Qué lindo 🐾 ¿cómo se llama?', clientId: crypto.randomUUID() }),
          );
        return;
      }
      case 'comments': {
        const postId = pick(this.#seenPosts) ?? pick(publicPosts);
        if (postId !== undefined) await tally.time('comments.list', () => client.call('comments.list', { postId }));
        return;
      }
      case 'post':
        return void (await this.post());
      case 'sendDirect': {
        const conversationId = pick([...this.direct.values()]);
        if (conversationId !== undefined) await this.#send('chats.send (1:1)', conversationId);
        return;
      }
      case 'sendGroup':
        if (this.group !== undefined) await this.#send('chats.send (group)', this.group);
        return;
      case 'history': {
        const conversationId = pick([...this.direct.values()]) ?? this.group;
        if (conversationId !== undefined) await tally.time('chats.history', () => client.call('chats.history', { conversationId }));
        return;
      }
      case 'read': {
        const [conversationId, seq] = pick([...this.#lastSeq.entries()]) ?? [];
        if (conversationId !== undefined && seq !== undefined)
          await tally.time('chats.read', () => client.call('chats.read', { conversationId, seq }));
        return;
      }
      case 'presence':
        await tally.time('presence.set', () => client.call('presence.set', { state: Math.random() < 0.5 ? 'idle' : 'active' }));
        return;
      case 'status':
        await tally.time('presence.setStatus', () =>
          client.call('presence.setStatus', { text: pick(['Paseando 🐕', 'En el vete', '']) ?? '' }),
        );
        return;
      case 'profile': {
        const userId = pick(friends);
        if (userId !== undefined) await tally.time('profile.get', () => client.call('profile.get', { userId }));
        return;
      }
      case 'reconnect':
        return this.reconnect();
    }
  }

  /** Posts (public four times in five); public posts join the shared pool others react to. */
  async post(): Promise<void> {
    const visibility = Math.random() < 0.8 ? 'public' : 'friends';
    const created = await this.#options.tally.time('posts.create', () =>
      this.#client.call('posts.create', { text: 'Luna en el parque #perros', visibility, clientId: crypto.randomUUID() }),
    );
    if (created !== undefined && visibility === 'public') rememberPublic(created.id);
  }

  async #send(kind: string, conversationId: string) {
    const sent = await this.#options.tally.time(kind, () =>
      this.#client.call('chats.send', { conversationId, clientId: crypto.randomUUID(), text: '¿Paseo a las 6?' }),
    );
    if (sent !== undefined) this.#lastSeq.set(conversationId, sent.seq);
  }

  /** Drops the socket, opens a new one with a fresh token and resumes every topic from where it was. */
  async reconnect(): Promise<void> {
    const positions = [...this.#topics.entries()].map(([topic, handle]) => [topic, handle.position] as const);
    const old = this.#client;
    this.#client = this.#newClient();
    old.close();
    this.#topics.clear();
    await this.#options.tally.time('reconnect (welcome, topics resumed)', async () => {
      await this.#client.connect();
      for (const [topic, since] of positions) this.#follow(topic, since);
      await this.#joined();
    });
  }
}
