// The billing history: every payment, plans' months and packs of treats alike, newest first and a
// page at a time (payments.list): what it bought, how and when it was paid, where it stands, its
// amount in its own currency, and its receipt once it was completed.
import { For, type JSX, Show } from 'solid-js';
import type { PAYMENT_STATUSES } from '../../../../protocol/lists.ts';
import { formatRelative, t } from '../../i18n/index.ts';
import { LoadMore } from '../LoadMore.tsx';
import { methodName } from '../plans/planText.ts';
import { formatPrice } from './price.ts';
import { hasReceipt, ReceiptButton } from './ReceiptButton.tsx';
import { bought } from './ReceiptList.tsx';
import type { Payment } from './SpeiInstructions.tsx';

type Status = (typeof PAYMENT_STATUSES)[number];
const TONE: Record<Status, 'good' | 'wait' | 'bad'> = {
  created: 'wait',
  completed: 'good',
  failed: 'bad',
  fraud_suspected: 'wait',
  refunded: 'bad',
  reversed: 'bad',
};

export function BillingHistory(props: { pages: Parameters<typeof LoadMore>[0]['pages'] & { items: () => Payment[] } }): JSX.Element {
  return (
    <>
      <ul class="billing-history" data-testid="billing-history">
        <For each={props.pages.items()}>
          {(payment) => {
            const price = () => formatPrice(payment.amountMinor, payment.currency);
            return (
              <li class="billing-payment" data-testid={`payment-${payment.id}`}>
                <span class="billing-payment-what">
                  <span class="billing-payment-name">{bought(payment)}</span>
                  <span class="hint">
                    {methodName(payment.method)} · <time datetime={payment.createdAt}>{formatRelative(payment.createdAt)}</time>
                  </span>
                </span>
                <span class="billing-payment-amount">
                  <span>{price()}</span>
                  <span class={`status-pill ${TONE[payment.status]}`} data-testid="payment-status">
                    {t(`billing.payment.${payment.status}`)}
                  </span>
                </span>
                <Show when={hasReceipt(payment)}>
                  <span class="billing-payment-receipt">
                    <ReceiptButton paymentId={payment.id} label={t('receipts.downloadLabel', { what: bought(payment), price: price() })} />
                  </span>
                </Show>
              </li>
            );
          }}
        </For>
      </ul>
      <LoadMore pages={props.pages} count={props.pages.items().length} empty={t('billing.noHistory')} />
    </>
  );
}
