// The app shell: a header (name, connection state, presence, language and theme), the routed
// screen (each route's code loaded when first visited), and the toasts. The document's lang, dir
// and theme follow the store.
import { A, Route, Router, type RouteSectionProps, useNavigate } from '@solidjs/router';
import { createEffect, For, type JSX, lazy, onMount, Show } from 'solid-js';
import { direction, locale, setLocale, t } from './i18n/index.ts';
import { LOCALE_NAMES, SUPPORTED } from './i18n/locales.ts';
import { actions, state, type Theme } from './state/store.ts';
import './app.css';

const Home = lazy(() => import('./routes/Home.tsx'));
const SignIn = lazy(() => import('./routes/SignIn.tsx'));
const SignUp = lazy(() => import('./routes/SignUp.tsx'));
const Verify = lazy(() => import('./routes/Verify.tsx'));
const Forgot = lazy(() => import('./routes/Password.tsx').then((module) => ({ default: module.Forgot })));
const Reset = lazy(() => import('./routes/Password.tsx').then((module) => ({ default: module.Reset })));
const Sessions = lazy(() => import('./routes/Sessions.tsx'));
const OAuthComplete = lazy(() => import('./routes/OAuthComplete.tsx'));
const Profile = lazy(() => import('./routes/Profile.tsx'));
const ProfileEditor = lazy(() => import('./routes/settings/ProfileEditor.tsx'));
const Friends = lazy(() => import('./routes/Friends.tsx'));
const Notifications = lazy(() => import('./routes/Notifications.tsx'));
const Pet = lazy(() => import('./routes/Pet.tsx'));
const PetEditor = lazy(() => import('./routes/PetEditor.tsx'));
const Privacy = lazy(() => import('./routes/settings/Privacy.tsx'));
const Blocked = lazy(() => import('./routes/settings/Blocked.tsx'));
const Feed = lazy(() => import('./routes/Feed.tsx'));
const PostPage = lazy(() => import('./routes/PostPage.tsx'));
const Hashtag = lazy(() => import('./routes/Hashtags.tsx'));
const TrendingPage = lazy(() => import('./routes/Hashtags.tsx').then((module) => ({ default: module.TrendingPage })));
const Chats = lazy(() => import('./routes/Chats.tsx'));
const Conversation = lazy(() => import('./routes/Conversation.tsx'));
const ChatWith = lazy(() => import('./routes/ChatWith.tsx'));
const NotificationSettings = lazy(() => import('./routes/settings/NotificationSettings.tsx'));
const SignInSettings = lazy(() => import('./routes/settings/SignInSettings.tsx'));

/** Signed-in pages: the path and the screen. */
const SIGNED_IN: [string, () => JSX.Element][] = [
  ['/', Home],
  ['/sessions', Sessions],
  ['/feed', Feed],
  ['/posts/:id', PostPage],
  ['/hashtags/:tag', Hashtag],
  ['/trending', TrendingPage],
  ['/u/:username', Profile],
  ['/friends', Friends],
  // Where push and email notifications of friend requests lead.
  ['/friends/requests', Friends],
  ['/notifications', Notifications],
  ['/chats', Chats],
  ['/chats/with/:username', ChatWith],
  ['/chats/:conversationId', Conversation],
  ['/pets/new', PetEditor],
  ['/pets/:id/edit', PetEditor],
  ['/pets/:id', Pet],
  ['/settings/profile', ProfileEditor],
  ['/settings/privacy', Privacy],
  ['/settings/blocked', Blocked],
  ['/settings/notifications', NotificationSettings],
  ['/settings/sign-in', SignInSettings],
];

function Layout(props: RouteSectionProps): JSX.Element {
  const navigate = useNavigate();
  return (
    <>
      <a class="skip" href="#main">
        {t('nav.skipToContent')}
      </a>
      <header class="top">
        <A href="/" class="brand">
          🐾 {t('app.name')}
        </A>
        <Show when={state.user}>
          <span class={`connection ${state.connection}`} role="status" data-testid="connection">
            {t(`connection.${state.connection}`)}
          </span>
        </Show>
        <nav aria-label="main">
          <Show
            when={state.user}
            fallback={
              <>
                <A href="/login">{t('nav.signIn')}</A>
                <A href="/signup">{t('nav.signUp')}</A>
              </>
            }
          >
            <A href="/feed">{t('nav.feed')}</A>
            <A href="/friends">{t('nav.friends')}</A>
            <A
              href="/chats"
              class="with-badge"
              aria-label={
                state.chatsUnread.conversations > 0 ? t('nav.chatsUnread', { count: state.chatsUnread.conversations }) : t('nav.chats')
              }
            >
              {t('nav.chats')}
              <Show when={state.chatsUnread.conversations > 0}>
                <span class="badge count" data-testid="chats-badge" aria-hidden="true">
                  {state.chatsUnread.conversations > 99 ? '99+' : state.chatsUnread.conversations}
                </span>
              </Show>
            </A>
            <A
              href="/notifications"
              class="with-badge"
              aria-label={state.unread > 0 ? t('nav.notificationsUnread', { count: state.unread }) : t('nav.notifications')}
            >
              {t('nav.notifications')}
              <Show when={state.unread > 0}>
                <span class="badge count" data-testid="unread-badge" aria-hidden="true">
                  {state.unread > 99 ? '99+' : state.unread}
                </span>
              </Show>
            </A>
            <A href={`/u/${encodeURIComponent(state.user?.username ?? '')}`}>{t('nav.profile')}</A>
            <A href="/settings/privacy">{t('nav.settings')}</A>
            <button
              type="button"
              class="link"
              onClick={async () => {
                await actions.signOut();
                navigate('/login');
              }}
            >
              {t('nav.signOut')}
            </button>
          </Show>
        </nav>
        <label class="compact">
          <span class="visually-hidden">{t('settings.language')}</span>
          <select value={locale()} onChange={(event) => setLocale(event.currentTarget.value)} aria-label={t('settings.language')}>
            <For each={[...SUPPORTED]}>{(code) => <option value={code}>{LOCALE_NAMES[code] ?? code}</option>}</For>
          </select>
        </label>
        <label class="compact">
          <span class="visually-hidden">{t('settings.theme')}</span>
          <select
            value={state.theme}
            onChange={(event) => actions.setTheme(event.currentTarget.value as Theme)}
            aria-label={t('settings.theme')}
          >
            <option value="system">{t('settings.theme.system')}</option>
            <option value="light">{t('settings.theme.light')}</option>
            <option value="dark">{t('settings.theme.dark')}</option>
          </select>
        </label>
      </header>
      <main id="main" tabindex="-1">
        {props.children}
      </main>
      <div class="toasts" aria-live="polite">
        <For each={state.toasts}>
          {(toast) => (
            <div class={`toast ${toast.kind}`} role={toast.kind === 'error' ? 'alert' : 'status'}>
              <span>{toast.text}</span>
              <Show when={toast.action}>
                {(action) => (
                  <button
                    type="button"
                    class="link"
                    onClick={() => {
                      actions.dismiss(toast.id);
                      action().run();
                    }}
                  >
                    {action().label}
                  </button>
                )}
              </Show>
              <button type="button" class="link" onClick={() => actions.dismiss(toast.id)} aria-label={t('toast.dismiss')}>
                ×
              </button>
            </div>
          )}
        </For>
      </div>
    </>
  );
}

/** Signed-out visitors of a signed-in page go to the login. */
function Protected(props: { children: JSX.Element }): JSX.Element {
  const navigate = useNavigate();
  createEffect(() => {
    if (state.user === undefined) navigate('/login', { replace: true });
  });
  return <Show when={state.user}>{props.children}</Show>;
}

export function App(): JSX.Element {
  createEffect(() => {
    document.documentElement.lang = locale();
    document.documentElement.dir = direction();
    document.documentElement.dataset.theme = state.theme;
  });
  onMount(() => actions.resume());
  return (
    <Router root={Layout}>
      {SIGNED_IN.map(([path, Screen]) => (
        <Route
          path={path}
          component={() => (
            <Protected>
              <Screen />
            </Protected>
          )}
        />
      ))}
      <Route path="/login" component={SignIn} />
      <Route path="/signup" component={SignUp} />
      <Route path="/verify-email" component={Verify} />
      <Route path="/forgot-password" component={Forgot} />
      <Route path="/reset-password" component={Reset} />
      <Route path="/oauth/complete" component={OAuthComplete} />
    </Router>
  );
}
