// The app's state: slices composed into one store with its actions, `[state, actions]`.
//  - session: who is signed in. The refresh token is an HttpOnly cookie page scripts never see;
//    the access token stays in memory and is refreshed before it expires, one tab at a time
//    (session.ts); only the user view is remembered, so a reload knows to refresh through the
//    cookie;
//  - connection: the one WebSocket (protocol client), its state, and the user's own presence;
//  - inbox: the unread notification count and the messenger's badge numbers (conversations and
//    message requests with unread messages), live from the user's own `user:<id>` topic, whose
//    events screens can also listen to (relation changes, a conversation's unread count);
//  - toasts: messages shown for a while;
//  - preferences: theme.
// Optimistic updates change the state first and roll back with a toast if the server refuses.
import { createRoot } from 'solid-js';
import { createStore } from 'solid-js/store';
import type { CallName, CallRequest, CallResponse } from '../../../protocol/catalogue.ts';
import { type ConnectionState, type EventFrame, PetAmigosClient, ProtocolError } from '../../../protocol/client.ts';
import { ApiError, api } from '../api/http.ts';
import { t } from '../i18n/index.ts';
import type { MessageKey } from '../i18n/messages/en.ts';
import { forgetLists, listChanged } from './listMemory.ts';
import { refusalText } from './mediaText.ts';
import { type AccessGrant, type ChannelLike, createTokenKeeper, SESSION_CHANNEL, type SessionUser } from './session.ts';

type User = SessionUser;

/** What sign-in, register, the OAuth exchange and refresh answer (the refresh token is in the cookie). */
export type TokenPair = AccessGrant;

interface Toast {
  id: number;
  kind: 'info' | 'error';
  text: string;
  /** A button in the toast (undo), which also dismisses it. */
  action?: { label: string; run: () => void };
}

export type Theme = 'light' | 'dark' | 'system';

interface State {
  user: User | undefined;
  sessionId: string | undefined;
  connection: ConnectionState;
  presence: 'online' | 'away' | 'offline';
  status: string;
  unread: number;
  chatsUnread: { conversations: number; requests: number };
  toasts: Toast[];
  theme: Theme;
}

const SESSION_KEY = 'petamigos.session';
const THEME_KEY = 'petamigos.theme';

/** The field a failure names (`details.field`), to highlight it. */
export function errorField(error: unknown): string | undefined {
  if (error instanceof ApiError || error instanceof ProtocolError) {
    const field = (error.details as { field?: unknown } | undefined)?.field;
    return typeof field === 'string' ? field.replace(/^\//, '').split('/')[0] : undefined;
  }
  return undefined;
}

/** The message of a failure, in the user's language. */
export function errorText(error: unknown): string {
  if (error instanceof ApiError || error instanceof ProtocolError) {
    const refused = refusalText(error.code, (error.details ?? {}) as Record<string, unknown>);
    if (refused !== undefined) return refused;
    const key = `error.${error.code}` as MessageKey;
    const details = (error.details ?? {}) as { field?: string; retryAfterSeconds?: number };
    const text = t(key, {
      reason: error.message.replace(/^password /, ''),
      seconds: details.retryAfterSeconds ?? '',
      field: errorField(error) ?? '',
    });
    return text === key ? t('error.UNKNOWN') : text;
  }
  return t('error.UNKNOWN');
}

function createAppStore() {
  const saved = (() => {
    try {
      const value = JSON.parse(localStorage.getItem(SESSION_KEY) ?? 'null') as { user?: User; sessionId?: string } | null;
      return value?.user === undefined || value.sessionId === undefined ? null : value;
    } catch {
      return null;
    }
  })();
  const [state, setState] = createStore<State>({
    user: saved?.user,
    sessionId: saved?.sessionId,
    connection: 'closed',
    presence: 'offline',
    status: '',
    unread: 0,
    chatsUnread: { conversations: 0, requests: 0 },
    toasts: [],
    theme: (localStorage.getItem(THEME_KEY) as Theme | null) ?? 'system',
  });
  let socket: PetAmigosClient | undefined;
  let nextToast = 1;
  let refreshTimer: ReturnType<typeof setTimeout> | undefined;
  const userListeners = new Set<(event: EventFrame) => void>();
  /** Told each time the user's topic is joined: on connecting, and again after every reconnect. */
  const userJoinedListeners = new Set<() => void>();
  const keeper = createTokenKeeper({
    refresh: () => api<TokenPair>('POST', '/auth/refresh', {}),
    locks: typeof navigator !== 'undefined' ? navigator.locks : undefined,
    channel: typeof BroadcastChannel === 'undefined' ? undefined : (new BroadcastChannel(SESSION_CHANNEL) as ChannelLike),
    onGrant: (grant, fromOtherTab) => {
      if (fromOtherTab && state.user !== undefined && state.user.id !== grant.user.id) forget();
      remember(grant);
      // Keep the open socket on the new token instead of reconnecting; a tab that was signed out
      // follows the other tab's sign-in.
      if (socket?.state === 'open') void socket.refreshToken(grant.accessToken).catch((error: unknown) => toast(errorText(error), 'error'));
      else if (fromOtherTab && socket === undefined) connect();
    },
    onSignedOut: () => forget(),
  });

  function toast(text: string, kind: Toast['kind'] = 'info', action?: Toast['action']) {
    const id = nextToast++;
    setState('toasts', (toasts) => [...toasts, { id, kind, text, action }]);
    setTimeout(() => actions.dismiss(id), 6000);
  }

  function remember(pair: TokenPair) {
    localStorage.setItem(SESSION_KEY, JSON.stringify({ user: pair.user, sessionId: pair.sessionId }));
    setState({ user: pair.user, sessionId: pair.sessionId });
    // Refresh a minute before expiry, so the open socket gets the new token (auth frame) and is
    // never closed with TOKEN_EXPIRED while the app is idle. Every tab schedules it; the lock
    // makes the first do it and the others take its token.
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(
      () => {
        token().catch((error: unknown) => toast(errorText(error), 'error'));
      },
      Math.max(0, keeper.refreshDueAt() - Date.now()),
    );
  }

  function forget() {
    forgetLists();
    clearTimeout(refreshTimer);
    keeper.forget();
    localStorage.removeItem(SESSION_KEY);
    socket?.close();
    socket = undefined;
    setState({
      user: undefined,
      sessionId: undefined,
      connection: 'closed',
      presence: 'offline',
      status: '',
      unread: 0,
      chatsUnread: { conversations: 0, requests: 0 },
    });
  }

  /** A valid access token: refreshed first (through the cookie) when it expires within a minute. */
  async function token(): Promise<string> {
    if (state.user === undefined) throw new ApiError('UNAUTHENTICATED', 'signed out', 401);
    try {
      return await keeper.token();
    } catch (error) {
      // Refused: the session is gone, and the socket stops asking. Anything else (no network)
      // passes, and the socket asks again with its backoff.
      if (error instanceof ApiError && error.status === 401) {
        forget();
        throw Object.assign(error, { final: true });
      }
      throw error;
    }
  }

  function connect() {
    const user = state.user;
    if (user === undefined || socket !== undefined) return;
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
    socket = new PetAmigosClient({
      url,
      token,
      onState: (connection) => {
        // This socket being open in a visible tab is what makes the user online; the server's
        // answer after connecting refines it with other devices.
        if (connection === 'open') setState({ connection, presence: document.visibilityState === 'hidden' ? 'away' : 'online' });
        else setState('connection', connection);
      },
    });
    const client = socket;
    void client.connect().then(
      async () => {
        const readPresence = async () => {
          const now = await client.call('presence.get', { userId: user.id });
          setState({ presence: now.status, status: now.text });
        };
        client.subscribe(
          `presence:${user.id}`,
          (event) => {
            const body = event.body as { status: State['presence']; text: string };
            setState({ presence: body.status, status: body.text });
          },
          // Presence topics are not replayed (the server sends a reset): read it again.
          { onReset: () => void readPresence().catch((error: unknown) => toast(errorText(error), 'error')) },
        );
        // After a gap too old to replay, the badges are read again rather than trusted.
        const recount = async () => {
          const [inbox, chats] = await Promise.all([
            client.call('notifications.list', { unreadOnly: true }),
            client.call('chats.unread', {}),
          ]);
          setState({ unread: inbox.unread, chatsUnread: chats });
        };
        client.subscribe(
          `user:${user.id}`,
          (event) => {
            if (event.name === 'notification.new' || event.name === 'notifications.unread')
              setState('unread', (event.body as { unread: number }).unread);
            if (event.name === 'chats.unread') {
              const { conversations, requests } = event.body as State['chatsUnread'];
              setState('chatsUnread', { conversations, requests });
              listChanged('chats:');
            }
            for (const listener of userListeners) listener(event);
          },
          {
            onReset: () => void recount().catch((error: unknown) => toast(errorText(error), 'error')),
            onState: (topicState) => {
              if (topicState === 'joined') for (const listener of userJoinedListeners) listener();
            },
          },
        );
        const [now, inbox, chats] = await Promise.all([
          client.call('presence.get', { userId: user.id }),
          client.call('notifications.list', { unreadOnly: true }),
          client.call('chats.unread', {}),
        ]);
        setState({ presence: now.status, status: now.text, unread: inbox.unread, chatsUnread: chats });
      },
      (error: unknown) => toast(errorText(error), 'error'),
    );
    // Tell the server whether this device is in use, for presence.
    document.addEventListener('visibilitychange', () => {
      if (client.state === 'open') void client.call('presence.set', { state: document.visibilityState === 'visible' ? 'active' : 'idle' });
    });
  }

  const actions = {
    toast,
    dismiss(id: number) {
      setState('toasts', (toasts) => toasts.filter((item) => item.id !== id));
    },
    setTheme(theme: Theme) {
      localStorage.setItem(THEME_KEY, theme);
      setState('theme', theme);
    },
    signedIn(pair: TokenPair) {
      keeper.accept(pair);
      connect();
    },
    resume() {
      if (state.user !== undefined) connect();
    },
    /** Reads the signed-in user again after a change of its own (two-step verification on or off). */
    async reloadUser() {
      const { user } = await api<{ user: User }>('GET', '/auth/me', undefined, await token());
      if (state.sessionId !== undefined) localStorage.setItem(SESSION_KEY, JSON.stringify({ user, sessionId: state.sessionId }));
      setState('user', user);
    },
    async signOut() {
      if (state.user === undefined) return;
      forget();
      keeper.signOut();
      try {
        await api('POST', '/auth/logout', {});
      } catch (error) {
        // Signed out here anyway; the server session ends when its refresh token expires.
        toast(errorText(error), 'error');
      }
    },
    token,
    /** The open protocol client, for screens that follow topics of their own. */
    socket: () => socket,
    /** A call on the app's socket (queued while it reconnects). */
    call<N extends CallName>(op: N, body: CallRequest<N>): Promise<CallResponse<N>> {
      if (socket === undefined) return Promise.reject(new ApiError('NETWORK', 'not connected', 0));
      return socket.call(op, body);
    },
    /** Follows the events of the user's own topic (relation changes, notifications) until the returned function is called. */
    onUserEvent(listener: (event: EventFrame) => void): () => void {
      userListeners.add(listener);
      return () => userListeners.delete(listener);
    },
    /** `listener` runs each time the user's topic is joined (connected, or back after a reconnect). */
    onUserJoined(listener: () => void): () => void {
      userJoinedListeners.add(listener);
      return () => userJoinedListeners.delete(listener);
    },
    setUnread(unread: number) {
      setState('unread', unread);
    },
    /** Optimistic: the status shows at once, and goes back if the server refuses it. */
    async saveStatus(text: string) {
      const previous = state.status;
      setState('status', text);
      try {
        if (socket === undefined) throw new ApiError('NETWORK', 'not connected', 0);
        await socket.call('presence.setStatus', { text });
        toast(t('home.statusSaved'));
      } catch (error) {
        setState('status', previous);
        toast(errorText(error), 'error');
      }
    },
  };
  return [state, actions] as const;
}

export const [state, actions] = createRoot(createAppStore);
