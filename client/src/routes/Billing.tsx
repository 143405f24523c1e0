// /billing: the person's plan and where it stands (active and when it renews, past due and until
// when it holds, cancelled and when it ends, waiting for its first payment), cancelling it at the
// end of the period after asking, this month's allowance of treats with a button to claim it, and
// the billing history a page at a time with each payment's receipt. `subscriptions.changed`,
// `payments.changed` and `treats.changed` keep it live. Links lead to the plans and the treats.
import { Coins, CreditCard, Gift, Sparkles } from 'lucide-solid';
import { createResource, createSignal, type JSX, Match, onCleanup, onMount, Show, Switch } from 'solid-js';
import type { CallResponse } from '../../../protocol/catalogue.ts';
import { SUBSCRIPTION_LIMITS } from '../../../protocol/lists.ts';
import { Dialog } from '../components/Dialog.tsx';
import { ErrorAlert } from '../components/FormFooter.tsx';
import { BillingHistory } from '../components/payments/BillingHistory.tsx';
import { formatPrice } from '../components/payments/price.ts';
import { type Payment, SpeiInstructions } from '../components/payments/SpeiInstructions.tsx';
import { formatDate, formatDays, methodName, planName } from '../components/plans/planText.ts';
import { Button } from '../components/ui/Button.tsx';
import { usePages } from '../components/usePages.ts';
import { t } from '../i18n/index.ts';
import type { MessageKey } from '../i18n/messages/en.ts';
import { actions, errorText } from '../state/store.ts';
import '../styles/wallet.css';
import '../styles/plans.css';

type Mine = CallResponse<'subscriptions.mine'>;
type Subscription = NonNullable<Mine['subscription']>;
type WithSpei = Payment & { spei: NonNullable<Payment['spei']> };

const treats = (count: number) => t('wallet.treats', { count });
const live = (subscription: Subscription) => subscription.status === 'active' || subscription.status === 'past_due';

/** Where the plan stands, in one sentence. */
function standing(subscription: Subscription): string {
  const plan = planName(subscription.plan);
  const method = methodName(subscription.method);
  const end = subscription.currentPeriodEnd === null ? '' : formatDate(subscription.currentPeriodEnd);
  if (subscription.status === 'pending') return t('billing.pendingNote', { plan, method });
  if (subscription.status === 'past_due') return t('billing.pastDue', { date: formatDate(subscription.holdsUntil ?? '') });
  if (subscription.cancelAtPeriodEnd) return t('billing.endsOn', { date: end });
  if (subscription.method === 'spei') return t('billing.speiRenewal', { date: end, days: formatDays(SUBSCRIPTION_LIMITS.reminderDays) });
  return t('billing.renews', { date: end, price: formatPrice(subscription.amountMinor, subscription.currency), method });
}

/** The word for where it stands (subscriptions.mine answers a live or a pending one only). */
const statusKey = (subscription: Subscription): MessageKey =>
  subscription.status === 'pending'
    ? 'billing.status.pending'
    : subscription.status === 'past_due'
      ? 'billing.status.past_due'
      : subscription.cancelAtPeriodEnd
        ? 'billing.status.canceled'
        : 'billing.status.active';

export default function Billing(): JSX.Element {
  const [failure, setFailure] = createSignal<string | undefined>();
  const guard = async <T,>(work: () => Promise<T>) => {
    try {
      return await work();
    } catch (error) {
      setFailure(errorText(error));
      return undefined;
    }
  };
  const [mine, { mutate: setMine, refetch: reloadMine }] = createResource(() => guard(() => actions.call('subscriptions.mine', {})));
  const [allowance, { mutate: setAllowance, refetch: reloadAllowance }] = createResource(() =>
    guard(() => actions.call('treats.allowance', {})),
  );
  const pages = usePages((cursor) => actions.call('payments.list', { cursor }));
  const [asking, setAsking] = createSignal(false);
  const [cancelling, setCancelling] = createSignal(false);
  const [cancelFailure, setCancelFailure] = createSignal<string | undefined>();
  const [claiming, setClaiming] = createSignal(false);
  const [claimed, setClaimed] = createSignal<number | undefined>();
  const [transfer, setTransfer] = createSignal<WithSpei | undefined>();
  const subscription = () => mine()?.subscription ?? null;
  /** The first SPEI transfer a pending subscription waits for. */
  const waitingTransfer = () => {
    const pending = subscription();
    if (pending?.status !== 'pending' || pending.method !== 'spei') return undefined;
    return pages.items().find((payment): payment is WithSpei => payment.subscriptionId === pending.id && payment.spei !== null);
  };

  onMount(() => {
    void pages.reload();
    onCleanup(
      actions.onUserEvent((event) => {
        if (event.name === 'subscriptions.changed') {
          // Read again rather than taken from the event: it may tell of one that just ended.
          void reloadMine();
          void reloadAllowance();
        }
        if (event.name === 'payments.changed') void pages.refreshFirst();
        // An allowance claimed on another tab.
        if (event.name === 'treats.changed' && (event.body as { kind: string }).kind === 'allowance') void reloadAllowance();
      }),
    );
  });

  const cancel = async (id: string) => {
    setCancelling(true);
    setCancelFailure(undefined);
    try {
      const after = await actions.call('subscriptions.cancel', { subscriptionId: id });
      setMine((before) => before && { ...before, subscription: after });
      setAsking(false);
    } catch (error) {
      setCancelFailure(errorText(error));
    } finally {
      setCancelling(false);
    }
  };

  const claim = async () => {
    setClaiming(true);
    const before = allowance()?.available ?? 0;
    const after = await guard(() => actions.call('treats.claimAllowance', {}));
    if (after !== undefined) {
      setAllowance(after.allowance);
      setClaimed(before - after.allowance.available);
    }
    setClaiming(false);
  };

  return (
    <section class="card wallet billing" aria-labelledby="billing-title" data-testid="billing">
      <h1 id="billing-title" class="wallet-title">
        <CreditCard size={24} aria-hidden="true" /> {t('billing.title')}
      </h1>
      <nav class="billing-links" aria-label={t('billing.related')}>
        <Button href="/pricing" size="sm" variant="secondary" icon={Sparkles}>
          {t('plans.title')}
        </Button>
        <Button href="/wallet" size="sm" variant="secondary" icon={Coins}>
          {t('nav.wallet')}
        </Button>
      </nav>
      <ErrorAlert text={failure()} />

      <h2 id="billing-plan-title">{t('billing.plan')}</h2>
      <Show when={mine()}>
        {(known) => (
          <div class="billing-plan" data-testid="billing-plan">
            <div class="billing-plan-head">
              <span class="billing-plan-name" data-testid="billing-plan-name">
                {planName(known().plan)}
              </span>
              <Show when={subscription()}>
                {(current) => (
                  <span
                    class="status-pill"
                    classList={{
                      good: current().status === 'active' && !current().cancelAtPeriodEnd,
                      wait: current().status === 'pending' || current().status === 'past_due',
                      bad: current().cancelAtPeriodEnd,
                    }}
                    data-testid="billing-status"
                  >
                    {t(statusKey(current()))}
                  </span>
                )}
              </Show>
            </div>
            <p data-testid="billing-renewal">{subscription() === null ? t('billing.onFree') : standing(subscription() as Subscription)}</p>
            <div class="row">
              <Button href="/pricing" variant={subscription() === null ? 'primary' : 'secondary'} size="sm">
                {subscription() === null ? t('apiTokens.seePlans') : t('billing.changePlan')}
              </Button>
              <Switch>
                <Match when={subscription()?.status === 'pending' && subscription()?.approveUrl}>
                  {(url) => (
                    <Button href={url()} size="sm">
                      {t('plans.continue')}
                    </Button>
                  )}
                </Match>
                <Match when={waitingTransfer()}>
                  {(payment) => (
                    <Button size="sm" onClick={() => setTransfer(payment())}>
                      {t('wallet.showInstructions')}
                    </Button>
                  )}
                </Match>
                <Match when={subscription() && live(subscription() as Subscription) && !subscription()?.cancelAtPeriodEnd}>
                  <Button size="sm" variant="ghost" onClick={() => setAsking(true)} data-testid="billing-cancel">
                    {t('billing.cancel')}
                  </Button>
                </Match>
              </Switch>
            </div>
          </div>
        )}
      </Show>

      <h2 id="billing-allowance-title">{t('billing.allowance')}</h2>
      <Show when={allowance()}>
        {(month) => (
          <div class="billing-allowance" data-testid="billing-allowance">
            <Gift class="billing-allowance-icon" size={28} aria-hidden="true" />
            <p>
              {month().available > 0
                ? t('billing.allowanceLeft', { treats: treats(month().available), monthly: treats(month().monthly) })
                : t('billing.allowanceDone', { monthly: treats(month().monthly) })}
            </p>
            <Show when={month().available > 0}>
              <Button size="sm" disabled={claiming()} onClick={() => void claim()} data-testid="billing-claim">
                {t('billing.claim', { treats: treats(month().available) })}
              </Button>
            </Show>
          </div>
        )}
      </Show>
      <p class="hint billing-claimed" role="status" data-testid="billing-claimed">
        {claimed() === undefined ? '' : t('billing.claimed', { treats: treats(claimed() ?? 0) })}
      </p>

      <h2>{t('billing.history')}</h2>
      <BillingHistory pages={pages} />

      <Show when={asking() && subscription()}>
        {(current) => (
          <Dialog
            title={t('billing.cancelTitle', { plan: planName(current().plan) })}
            onClose={() => setAsking(false)}
            testId="billing-cancel-dialog"
          >
            <p>
              {t('billing.cancelHelp', {
                plan: planName(current().plan),
                date: formatDate(current().currentPeriodEnd ?? current().updatedAt),
              })}
            </p>
            <ErrorAlert text={cancelFailure()} />
            <div class="row dialog-actions">
              <Button variant="secondary" onClick={() => setAsking(false)}>
                {t('billing.keep')}
              </Button>
              <Button variant="danger" disabled={cancelling()} onClick={() => void cancel(current().id)}>
                {t('billing.cancel')}
              </Button>
            </div>
          </Dialog>
        )}
      </Show>
      <Show when={transfer()}>
        {(payment) => (
          <Dialog title={t('spei.title')} onClose={() => setTransfer(undefined)} testId="spei-dialog">
            <SpeiInstructions
              payment={payment()}
              intro={(amount) => t('plans.speiIntro', { amount, plan: planName(payment().plan ?? 'basic') })}
            />
          </Dialog>
        )}
      </Show>
    </section>
  );
}
