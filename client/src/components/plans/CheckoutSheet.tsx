// Subscribing to a plan: a sheet (the app's Dialog) with the plan's monthly price in the chosen
// currency and the methods this deployment offers, each with how it renews. PayPal and Mercado
// Pago send the browser to the provider's approval page (it comes back to
// /subscriptions/<id>/return); SPEI answers the first transfer's instructions, shown here, and
// the sheet says the plan started when `subscriptions.changed` reports it paid.
import { CircleCheck } from 'lucide-solid';
import { createSignal, For, type JSX, onCleanup, onMount, Show } from 'solid-js';
import type { CallResponse } from '../../../../protocol/catalogue.ts';
import { SUBSCRIPTION_LIMITS } from '../../../../protocol/lists.ts';
import { t } from '../../i18n/index.ts';
import type { MessageKey } from '../../i18n/messages/en.ts';
import { actions, errorText } from '../../state/store.ts';
import { Dialog } from '../Dialog.tsx';
import { ErrorAlert } from '../FormFooter.tsx';
import { CurrencySwitch } from '../payments/CurrencySwitch.tsx';
import { type Method, offers } from '../payments/methods.ts';
import { type Currency, formatPrice } from '../payments/price.ts';
import { type Payment, SpeiInstructions } from '../payments/SpeiInstructions.tsx';
import { Button } from '../ui/Button.tsx';
import { formatDays, methodName, planName } from './planText.ts';

export type Plan = CallResponse<'subscriptions.plans'>['plans'][number] & { id: 'basic' | 'premium' | 'pro' };
type WithSpei = Payment & { spei: NonNullable<Payment['spei']> };

const HINT: Record<Method, MessageKey> = {
  paypal: 'plans.methodHint.paypal',
  mercadopago: 'plans.methodHint.mercadopago',
  spei: 'plans.methodHint.spei',
};
const REDIRECTING: Partial<Record<Method, MessageKey>> = {
  paypal: 'wallet.redirecting',
  mercadopago: 'wallet.redirectingMercadoPago',
};

export function CheckoutSheet(props: {
  plan: Plan;
  methods: readonly Method[];
  currency: Currency;
  onCurrency: (currency: Currency) => void;
  onClose: () => void;
}): JSX.Element {
  const [busy, setBusy] = createSignal<Method | undefined>();
  const [failure, setFailure] = createSignal<string | undefined>();
  const [transfer, setTransfer] = createSignal<{ subscriptionId: string; payment: WithSpei } | undefined>();
  const [started, setStarted] = createSignal(false);
  const name = () => planName(props.plan.id);
  const price = () => formatPrice(props.plan.prices[props.currency], props.currency);

  onMount(() =>
    onCleanup(
      actions.onUserEvent((event) => {
        if (event.name !== 'subscriptions.changed') return;
        const { subscription } = event.body as { subscription: { id: string; status: string } };
        if (subscription.id === transfer()?.subscriptionId && (subscription.status === 'active' || subscription.status === 'past_due'))
          setStarted(true);
      }),
    ),
  );

  const subscribe = async (method: Method) => {
    setFailure(undefined);
    setBusy(method);
    try {
      const { subscription, payment } = await actions.call('subscriptions.checkout', {
        plan: props.plan.id,
        method,
        currency: props.currency,
      });
      if (payment?.spei) {
        setTransfer({ subscriptionId: subscription.id, payment: payment as WithSpei });
        setBusy(undefined);
        return;
      }
      if (subscription.approveUrl === null) throw new Error('no approval page');
      window.location.assign(subscription.approveUrl);
    } catch (error) {
      setFailure(errorText(error));
      setBusy(undefined);
    }
  };

  return (
    <Dialog title={t('plans.checkoutTitle', { plan: name() })} onClose={props.onClose} testId="plan-checkout">
      <Show
        when={!started()}
        fallback={
          <div class="plan-started" data-testid="plan-started" role="status">
            <p class="payment-status done">
              <CircleCheck size={20} aria-hidden="true" /> {t('plans.started', { plan: name() })}
            </p>
            <Button onClick={() => props.onClose()}>{t('apiTokens.done')}</Button>
          </div>
        }
      >
        <Show
          when={transfer()}
          fallback={
            <div class="plan-checkout">
              <p class="plan-checkout-price">
                <strong data-testid="checkout-price">{price()}</strong> <span class="hint">{t('plans.perMonth')}</span>
              </p>
              <p class="hint">{t('plans.untilCancel')}</p>
              <CurrencySwitch currency={props.currency} onChange={props.onCurrency} />
              <h3 class="plan-checkout-how">{t('plans.howToPay')}</h3>
              <ul class="plan-methods">
                <For each={props.methods}>
                  {(method) => (
                    <li class="plan-method" data-testid={`method-${method}`}>
                      <Button
                        variant={method === props.methods[0] ? 'primary' : 'secondary'}
                        data-method={method}
                        disabled={busy() !== undefined || !offers(method, props.currency)}
                        onClick={() => void subscribe(method)}
                      >
                        {busy() === method && REDIRECTING[method] ? t(REDIRECTING[method] as MessageKey) : methodName(method)}
                      </Button>
                      <span class="hint">
                        {offers(method, props.currency)
                          ? t(HINT[method], { days: formatDays(SUBSCRIPTION_LIMITS.reminderDays) })
                          : t('spei.mxnOnly')}
                      </span>
                    </li>
                  )}
                </For>
              </ul>
              <ErrorAlert text={failure()} />
            </div>
          }
        >
          {(waiting) => <SpeiInstructions payment={waiting().payment} intro={(amount) => t('plans.speiIntro', { amount, plan: name() })} />}
        </Show>
      </Show>
    </Dialog>
  );
}
