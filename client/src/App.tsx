// The app shell: the navigation (components/nav: a top bar and a bottom tab bar on phones, a side
// rail on desktop), the connection state while it is not open, the routed screen (each route's
// code loaded when first visited), the right rail on wide screens (suggestions, trending) and the
// toasts. The document's lang, dir and theme follow the store; language and theme are chosen in
// the settings.
import { Navigate, Route, Router, type RouteSectionProps, useNavigate } from '@solidjs/router';
import { X } from 'lucide-solid';
import { createEffect, createSignal, For, type JSX, lazy, onMount, Show } from 'solid-js';
import { IncomingCalls } from './components/call/IncomingCall.tsx';
import { NavBottom, NavSide, NavSignedOut, NavTop } from './components/nav/Nav.tsx';
import { Suggestions } from './components/Suggestions.tsx';
import { Trending } from './components/Trending.tsx';
import { IconButton } from './components/ui/Button.tsx';
import { direction, locale, t } from './i18n/index.ts';
import { call } from './state/call.ts';
import { actions, state } from './state/store.ts';
import { viewport } from './state/viewport.ts';
import './app.css';

const CallView = lazy(() => import('./components/call/CallView.tsx'));
const Explore = lazy(() => import('./routes/Explore.tsx'));
const Create = lazy(() => import('./routes/Create.tsx'));
const ReelCreate = lazy(() => import('./routes/ReelCreate.tsx'));
const Welcome = lazy(() => import('./routes/Welcome.tsx'));
const Appearance = lazy(() => import('./routes/settings/Appearance.tsx'));
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
const Saved = lazy(() => import('./routes/Saved.tsx'));
const Hashtag = lazy(() => import('./routes/Hashtags.tsx'));
const TrendingPage = lazy(() => import('./routes/Hashtags.tsx').then((module) => ({ default: module.TrendingPage })));
const Chats = lazy(() => import('./routes/Chats.tsx'));
const Conversation = lazy(() => import('./routes/Conversation.tsx'));
const ChatWith = lazy(() => import('./routes/ChatWith.tsx'));
const NotificationSettings = lazy(() => import('./routes/settings/NotificationSettings.tsx'));
const SignInSettings = lazy(() => import('./routes/settings/SignInSettings.tsx'));
const StorySettings = lazy(() => import('./routes/settings/StorySettings.tsx'));
const ApiTokens = lazy(() => import('./routes/settings/ApiTokens.tsx'));
const Support = lazy(() => import('./routes/settings/Support.tsx'));
const StoryArchive = lazy(() => import('./routes/StoryArchive.tsx'));
const CreatorAnalytics = lazy(() => import('./routes/ReelAnalytics.tsx'));
const ReelAnalytics = lazy(() => import('./routes/ReelAnalytics.tsx').then((module) => ({ default: module.ReelAnalytics })));
const Reels = lazy(() => import('./routes/Reels.tsx'));
const ReelPage = lazy(() => import('./routes/Reels.tsx').then((module) => ({ default: module.ReelPageScreen })));
const AuthorReels = lazy(() => import('./routes/Reels.tsx').then((module) => ({ default: module.AuthorReels })));
const SoundReels = lazy(() => import('./routes/Reels.tsx').then((module) => ({ default: module.SoundReels })));
const Sound = lazy(() => import('./routes/Sound.tsx'));
const Wallet = lazy(() => import('./routes/Wallet.tsx'));
const PaymentReturn = lazy(() => import('./routes/Payment.tsx'));
const PaymentCancelled = lazy(() => import('./routes/Payment.tsx').then((module) => ({ default: module.PaymentCancelled })));
const Pricing = lazy(() => import('./routes/Pricing.tsx'));
const Billing = lazy(() => import('./routes/Billing.tsx'));
const SubscriptionReturn = lazy(() => import('./routes/SubscriptionReturn.tsx'));
const StaffPayments = lazy(() => import('./routes/admin/Payments.tsx'));
const FraudQueue = lazy(() => import('./routes/admin/Payments.tsx').then((module) => ({ default: module.FraudQueue })));
const SpeiQueue = lazy(() => import('./routes/admin/Payments.tsx').then((module) => ({ default: module.SpeiQueue })));
const Subscribers = lazy(() => import('./routes/admin/Subscribers.tsx'));
const VerificationQueue = lazy(() => import('./routes/admin/Verification.tsx'));

/** Signed-in pages: the path and the screen. */
const SIGNED_IN: [string, () => JSX.Element][] = [
  ['/', Feed],
  ['/explore', Explore],
  ['/create', Create],
  ['/create/reel', ReelCreate],
  ['/welcome', Welcome],
  ['/sessions', Sessions],
  ['/posts/:id', PostPage],
  ['/saved', Saved],
  ['/wallet', Wallet],
  ['/payments/:id/return', PaymentReturn],
  ['/payments/:id/cancel', PaymentCancelled],
  ['/pricing', Pricing],
  ['/billing', Billing],
  ['/subscriptions/:id/return', SubscriptionReturn],
  ['/hashtags/:tag', Hashtag],
  ['/trending', TrendingPage],
  ['/u/:username', Profile],
  ['/u/:username/reels', AuthorReels],
  ['/reels', Reels],
  ['/reels/:id', ReelPage],
  ['/sounds/:id', Sound],
  ['/sounds/:id/reels', SoundReels],
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
  ['/settings/appearance', Appearance],
  ['/settings/stories', StorySettings],
  ['/settings/api-tokens', ApiTokens],
  ['/settings/support', Support],
  ['/stories/archive', StoryArchive],
  ['/reels/analytics', CreatorAnalytics],
  ['/reels/:id/analytics', ReelAnalytics],
  // The staff area (under /staff: /admin is the server's staff API): each screen shows an account
  // without the role that it is not allowed.
  ['/staff/payments', StaffPayments],
  ['/staff/payments/fraud', FraudQueue],
  ['/staff/payments/spei', SpeiQueue],
  ['/staff/subscriptions', Subscribers],
  ['/staff/verification', VerificationQueue],
];

function Toasts(): JSX.Element {
  return (
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
            <IconButton icon={X} label={t('toast.dismiss')} onClick={() => actions.dismiss(toast.id)} />
          </div>
        )}
      </For>
    </div>
  );
}

/** The connection's state, shown only while it is not open (connecting, reconnecting, offline). */
function ConnectionBanner(): JSX.Element {
  return (
    <Show when={state.connection !== 'open'}>
      <p class="connection-banner" role="status" data-testid="connection">
        {t(`connection.${state.connection}`)}
      </p>
    </Show>
  );
}

function Layout(props: RouteSectionProps): JSX.Element {
  // The right rail loads once the socket has first opened (its calls queue through reconnects).
  const [connectedOnce, setConnectedOnce] = createSignal(false);
  createEffect(() => {
    if (state.connection === 'open') setConnectedOnce(true);
  });
  // A call on the full screen hides the app behind it from focus and screen readers; minimized,
  // the app is usable and the call goes on in its small window.
  const callOnTop = () => call.current !== undefined && !call.minimized;
  return (
    <>
      <div class={state.user ? 'shell signed-in' : 'shell'} data-connection={state.user ? state.connection : undefined} inert={callOnTop()}>
        <a class="skip" href="#main">
          {t('nav.skipToContent')}
        </a>
        <Show when={state.user} fallback={<NavSignedOut />}>
          <Show when={viewport.wide()}>
            <NavSide />
          </Show>
        </Show>
        <div class="shell-main">
          <Show when={state.user}>
            <Show when={!viewport.wide()}>
              <NavTop />
            </Show>
            <ConnectionBanner />
          </Show>
          <main id="main" tabindex="-1">
            {props.children}
          </main>
        </div>
        <Show when={state.user}>
          <Show when={viewport.widest() && connectedOnce()}>
            <aside class="shell-aside" aria-label={t('nav.aside')}>
              <Suggestions limit={5} titleId="rail-suggestions" />
              <div class="rail-section">
                <Trending compact />
              </div>
            </aside>
          </Show>
          <Show when={!viewport.wide()}>
            <NavBottom />
          </Show>
        </Show>
      </div>
      <Show when={state.user && call.current}>
        <CallView />
      </Show>
      <IncomingCalls />
      <Toasts />
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
      {/* Links and notifications made before home became the feed. */}
      <Route path="/feed" component={() => <Navigate href="/" />} />
      <Route path="/staff" component={() => <Navigate href="/staff/payments" />} />
      <Route path="/login" component={SignIn} />
      <Route path="/signup" component={SignUp} />
      <Route path="/verify-email" component={Verify} />
      <Route path="/forgot-password" component={Forgot} />
      <Route path="/reset-password" component={Reset} />
      <Route path="/oauth/complete" component={OAuthComplete} />
    </Router>
  );
}
