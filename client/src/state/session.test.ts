// Tabs share the refresh cookie, and the server ends the whole session when a rotated refresh
// token is presented again. Two tabs (and two callers in one tab) asking for a token at once must
// therefore make one refresh at a time, and the tab that waited takes the other's token. happy-dom
// has neither navigator.locks nor BroadcastChannel: an exclusive lock shared by the "tabs" and a
// channel hub stand in for them (a message posted before a lock is released arrives first).
import { expect, test } from 'vitest';
import { ApiError } from '../api/http.ts';
import { type AccessGrant, type ChannelLike, createTokenKeeper, type LockManagerLike } from './session.ts';

const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** One exclusive lock per name, across every tab given this manager, granted in request order. */
function sharedLocks(): LockManagerLike {
  const tails = new Map<string, Promise<unknown>>();
  return {
    request<T>(name: string, callback: () => Promise<T>): Promise<T> {
      const before = tails.get(name) ?? Promise.resolve();
      // The next holder is granted in a later task, as a browser does.
      const run = before.then(nextTask).then(callback);
      tails.set(
        name,
        run.then(
          () => undefined,
          () => undefined,
        ),
      );
      return run;
    },
  };
}

/** BroadcastChannel between tabs: a message reaches every other member in a later task. */
function channelHub() {
  const members: ((event: { data: unknown }) => void)[][] = [];
  return (): ChannelLike => {
    const listeners: ((event: { data: unknown }) => void)[] = [];
    members.push(listeners);
    return {
      postMessage(message) {
        for (const other of members)
          if (other !== listeners)
            setTimeout(() => {
              for (const listener of other) listener({ data: structuredClone(message) });
            }, 0);
      },
      addEventListener(_type, listener) {
        listeners.push(listener);
      },
    };
  };
}

const USER = {
  id: 'u1',
  email: 'a@example.com',
  username: 'ana',
  emailVerified: true,
  twoFactorEnabled: false,
  hasPassword: true,
  language: 'en',
  role: 'user',
};

/** The server's side of the cookie: each refresh uses the current cookie up and sets the next; a used one is reuse. */
function cookieServer() {
  const server = { cookie: 0, refreshes: 0, used: new Set<number>() };
  const refresh = async (): Promise<AccessGrant> => {
    const presented = server.cookie;
    await nextTask();
    if (server.used.has(presented)) throw new ApiError('TOKEN_REUSED', 'refresh token reused', 401);
    server.used.add(presented);
    server.refreshes++;
    server.cookie = presented + 1;
    return {
      accessToken: `access-${server.cookie}`,
      accessTokenExpiresAt: new Date(Date.now() + 15 * 60_000).toISOString(),
      sessionId: 'session',
      user: USER,
    };
  };
  return { server, refresh };
}

function tab(locks: LockManagerLike, channel: ChannelLike, refresh: () => Promise<AccessGrant>) {
  const grants: { token: string; fromOtherTab: boolean }[] = [];
  const keeper = createTokenKeeper({
    refresh,
    locks,
    channel,
    onGrant: (grant, fromOtherTab) => grants.push({ token: grant.accessToken, fromOtherTab }),
    onSignedOut: () => undefined,
  });
  return { keeper, grants };
}

test('session: two tabs and two callers in one tab asking for a token at once make one refresh, and all get its token', async () => {
  const { server, refresh } = cookieServer();
  const locks = sharedLocks();
  const join = channelHub();
  const first = tab(locks, join(), refresh);
  const second = tab(locks, join(), refresh);

  const tokens = await Promise.all([first.keeper.token(), first.keeper.token(), second.keeper.token(), second.keeper.token()]);

  expect(server.refreshes).toBe(1);
  expect(tokens).toEqual(['access-1', 'access-1', 'access-1', 'access-1']);
  expect(second.grants).toEqual([{ token: 'access-1', fromOtherTab: true }]);
});

test('session: tabs refreshing again and again never present a used refresh cookie', async () => {
  const { server, refresh } = cookieServer();
  const locks = sharedLocks();
  const join = channelHub();
  const tabs = [tab(locks, join(), refresh), tab(locks, join(), refresh), tab(locks, join(), refresh)];
  for (let round = 1; round <= 3; round++) {
    // Every tab's token is due again; a reused cookie would reject with TOKEN_REUSED.
    for (const each of tabs) each.keeper.forget();
    const tokens = await Promise.all(tabs.map((each) => each.keeper.token()));
    expect(tokens).toEqual(tokens.map(() => `access-${server.cookie}`));
  }
  expect(server.refreshes).toBe(3);
});

test('session: a sign-in in one tab reaches the other, and a sign-out in the other forgets the token in the first', async () => {
  const { server, refresh } = cookieServer();
  const locks = sharedLocks();
  const join = channelHub();
  const signedOut: string[] = [];
  const first = createTokenKeeper({
    refresh,
    locks,
    channel: join(),
    onGrant: () => undefined,
    onSignedOut: () => signedOut.push('first'),
  });
  const second = tab(locks, join(), refresh);
  first.accept({
    accessToken: 'from-sign-in',
    accessTokenExpiresAt: new Date(Date.now() + 15 * 60_000).toISOString(),
    sessionId: 's',
    user: USER,
  });
  await nextTask();
  expect(await second.keeper.token()).toBe('from-sign-in');
  expect(server.refreshes).toBe(0);
  second.keeper.signOut();
  await nextTask();
  expect(signedOut).toEqual(['first']);
  expect(await first.token()).toBe('access-1');
  expect(server.refreshes).toBe(1);
});
