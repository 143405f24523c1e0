// The access token of the signed-in session, kept in memory only, and its refresh shared by every
// tab of the app. The refresh token is an HttpOnly cookie the page never sees (the server's
// cookie transport), shared by the tabs and rotated by each refresh: two tabs refreshing at once
// would present the same token twice, which the server takes for theft and answers by ending the
// session. So a refresh runs under a Web Lock (one tab at a time across the origin), a tab that
// got the lock after another's refresh uses the token that tab broadcast instead of refreshing
// again, and concurrent callers in one tab share one refresh.

export interface SessionUser {
  id: string;
  email: string;
  username: string;
  emailVerified: boolean;
  twoFactorEnabled: boolean;
  hasPassword: boolean;
  language: string;
  role: string;
  /** When the account was made (ISO 8601): a brand-new one goes through the welcome steps. */
  createdAt?: string;
}

/** What a sign-in or a refresh gives the page (the refresh token stays in the cookie). */
export interface AccessGrant {
  accessToken: string;
  accessTokenExpiresAt: string;
  sessionId: string;
  user: SessionUser;
}

/** The part of the Web Locks API used here (navigator.locks). */
export interface LockManagerLike {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>;
}

/** The part of BroadcastChannel used here. */
export interface ChannelLike {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}

type TabMessage = { kind: 'grant'; grant: AccessGrant } | { kind: 'signed-out' };

const REFRESH_LOCK = 'petamigos-refresh';
export const SESSION_CHANNEL = 'petamigos-session';
/** A token expiring sooner than this is refreshed before use. */
const REFRESH_MARGIN_MS = 60_000;

export interface TokenKeeperOptions {
  /** The HTTP refresh (cookie transport). */
  refresh: () => Promise<AccessGrant>;
  /** Told about every grant: `fromOtherTab` when another tab signed in or refreshed. */
  onGrant: (grant: AccessGrant, fromOtherTab: boolean) => void;
  /** Another tab signed out. */
  onSignedOut: () => void;
  locks?: LockManagerLike | undefined;
  channel?: ChannelLike | undefined;
  now?: () => number;
}

/** One lock per page when the browser has no Web Locks: at least the tab's own refreshes do not overlap. */
function pageLock(): LockManagerLike {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    request<T>(_name: string, callback: () => Promise<T>): Promise<T> {
      const run = tail.then(callback, callback);
      tail = run.then(
        () => undefined,
        () => undefined,
      );
      return run;
    },
  };
}

export function createTokenKeeper(options: TokenKeeperOptions) {
  const now = options.now ?? Date.now;
  const locks = options.locks ?? pageLock();
  let accessToken: string | undefined;
  let expiresAt = 0;
  let inflight: Promise<string> | undefined;

  const fresh = () => (accessToken !== undefined && expiresAt - now() > REFRESH_MARGIN_MS ? accessToken : undefined);
  const adopt = (grant: AccessGrant) => {
    accessToken = grant.accessToken;
    expiresAt = new Date(grant.accessTokenExpiresAt).getTime();
  };

  options.channel?.addEventListener('message', (event) => {
    const message = event.data as TabMessage;
    if (message.kind === 'grant') {
      adopt(message.grant);
      options.onGrant(message.grant, true);
    } else if (message.kind === 'signed-out') {
      accessToken = undefined;
      expiresAt = 0;
      options.onSignedOut();
    }
  });

  const keeper = {
    /** A sign-in or refresh in this tab: kept, reported and shared with the other tabs. */
    accept(grant: AccessGrant) {
      adopt(grant);
      options.onGrant(grant, false);
      options.channel?.postMessage({ kind: 'grant', grant } satisfies TabMessage);
    },
    /** Signed out in this tab: forgotten here and in the other tabs. */
    signOut() {
      accessToken = undefined;
      expiresAt = 0;
      options.channel?.postMessage({ kind: 'signed-out' } satisfies TabMessage);
    },
    /** Forgotten in this tab only. */
    forget() {
      accessToken = undefined;
      expiresAt = 0;
    },
    /** A valid access token: this tab's, another tab's fresh one, or a new one from one refresh. */
    token(): Promise<string> {
      const current = fresh();
      if (current !== undefined) return Promise.resolve(current);
      inflight ??= locks
        .request(REFRESH_LOCK, async () => {
          // Another tab may have refreshed while this one waited for the lock.
          const shared = fresh();
          if (shared !== undefined) return shared;
          const grant = await options.refresh();
          keeper.accept(grant);
          return grant.accessToken;
        })
        .finally(() => {
          inflight = undefined;
        });
      return inflight;
    },
    /** When the current access token stops being fresh (unix ms), for scheduling the next refresh. */
    refreshDueAt: () => expiresAt - REFRESH_MARGIN_MS,
  };
  return keeper;
}
