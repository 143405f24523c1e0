// /subscriptions/:id/return: where PayPal and Mercado Pago send the buyer back after approving a
// plan. It asks the server to sync with the provider (safe to repeat), again a few times while the
// subscription is still pending (the provider may still be charging the first month), and listens
// to `subscriptions.changed`, so a payment that lands later shows at once. Active: a welcome with
// what the plan unlocks; pending: that it is on its way; anything else: that it did not start.
import { useParams } from '@solidjs/router';
import { Check, CircleAlert, CircleCheck, LoaderCircle } from 'lucide-solid';
import { createSignal, For, type JSX, Match, onCleanup, onMount, Show, Switch } from 'solid-js';
import type { CallResponse } from '../../../protocol/catalogue.ts';
import { PLANS } from '../../../protocol/lists.ts';
import { ErrorAlert } from '../components/FormFooter.tsx';
import { ENTITLEMENT_TEXT, methodName, planName } from '../components/plans/planText.ts';
import { Button } from '../components/ui/Button.tsx';
import { t } from '../i18n/index.ts';
import { actions, errorText } from '../state/store.ts';
import '../styles/wallet.css';
import '../styles/plans.css';

type Subscription = CallResponse<'subscriptions.sync'>;

/** Waits between syncs while the first month is still being charged. */
const SYNC_DELAYS_MS = [1000, 2000, 3000, 4000];

const live = (subscription: Subscription) => subscription.status === 'active' || subscription.status === 'past_due';

export default function SubscriptionReturn(): JSX.Element {
  const params = useParams<{ id: string }>();
  const [subscription, setSubscription] = createSignal<Subscription | undefined>();
  const [checking, setChecking] = createSignal(false);
  const [failure, setFailure] = createSignal<string | undefined>();
  let gone = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const check = async (attempt = 0) => {
    setChecking(true);
    setFailure(undefined);
    try {
      const now = await actions.call('subscriptions.sync', { subscriptionId: params.id });
      if (gone) return;
      // An event may have brought news already: a sync never takes an active one back.
      if (!(subscription() && live(subscription() as Subscription) && !live(now))) setSubscription(now);
      const delay = SYNC_DELAYS_MS[attempt];
      if (now.status === 'pending' && delay !== undefined) {
        timer = setTimeout(() => void check(attempt + 1), delay);
        return;
      }
    } catch (error) {
      if (!gone) setFailure(errorText(error));
    }
    setChecking(false);
  };

  onMount(() => {
    void check();
    onCleanup(
      actions.onUserEvent((event) => {
        if (event.name !== 'subscriptions.changed') return;
        const changed = (event.body as { subscription: Subscription }).subscription;
        if (changed.id === params.id) setSubscription(changed);
      }),
    );
  });
  onCleanup(() => {
    gone = true;
    clearTimeout(timer);
  });

  return (
    <section class="card payment-result subscription-result" aria-labelledby="subscription-title" data-testid="subscription-result">
      <div aria-live="polite" class="subscription-outcome">
        <Switch>
          <Match when={subscription() === undefined && failure() === undefined}>
            <h1 id="subscription-title">{t('subscription.title')}</h1>
            <p class="payment-status">
              <LoaderCircle class="spin" size={20} aria-hidden="true" /> {t('subscription.confirming')}
            </p>
          </Match>
          <Match when={subscription() && live(subscription() as Subscription) && (subscription() as Subscription)}>
            {(active) => (
              <div class="subscription-welcome" data-testid="subscription-active">
                <CircleCheck class="subscription-welcome-mark" size={40} aria-hidden="true" />
                <h1 id="subscription-title">{t('subscription.welcome', { plan: planName(active().plan) })}</h1>
                <p>{t('subscription.unlocks')}</p>
                <ul class="plan-features">
                  <li class="included">
                    <Check size={16} aria-hidden="true" />
                    <span>{t('plans.monthlyTreats', { treats: t('wallet.treats', { count: PLANS[active().plan].monthlyTreats }) })}</span>
                  </li>
                  <For each={PLANS[active().plan].entitlements}>
                    {(entitlement) => (
                      <li class="included">
                        <Check size={16} aria-hidden="true" />
                        <span>{t(ENTITLEMENT_TEXT[entitlement])}</span>
                      </li>
                    )}
                  </For>
                </ul>
                <div class="row">
                  <Button href="/billing">{t('subscription.toBilling')}</Button>
                  <Button href="/" variant="secondary">
                    {t('subscription.toHome')}
                  </Button>
                </div>
              </div>
            )}
          </Match>
          <Match when={subscription()?.status === 'pending' && (subscription() as Subscription)}>
            {(pending) => (
              <>
                <h1 id="subscription-title">{t('subscription.title')}</h1>
                <p class="payment-status" data-testid="subscription-pending">
                  <Show when={checking()}>
                    <LoaderCircle class="spin" size={20} aria-hidden="true" />
                  </Show>
                  {t('subscription.pending', { plan: planName(pending().plan), method: methodName(pending().method) })}
                </p>
                <ErrorAlert text={failure()} />
                <Button variant="secondary" disabled={checking()} onClick={() => void check()}>
                  {t('payment.checkAgain')}
                </Button>
              </>
            )}
          </Match>
          <Match when={subscription()}>
            {(ended) => (
              <>
                <h1 id="subscription-title">{t('subscription.title')}</h1>
                <p class="payment-status warning" role="alert" data-testid="subscription-failed">
                  <CircleAlert size={20} aria-hidden="true" />
                  {ended().currentPeriodStart === null ? t('subscription.failed') : t('subscription.ended')}
                </p>
                <Button href="/pricing">{t('apiTokens.seePlans')}</Button>
              </>
            )}
          </Match>
          <Match when={failure()}>
            <h1 id="subscription-title">{t('subscription.title')}</h1>
            <ErrorAlert text={failure()} />
            <Button variant="secondary" onClick={() => void check()}>
              {t('payment.checkAgain')}
            </Button>
          </Match>
        </Switch>
      </div>
    </section>
  );
}
