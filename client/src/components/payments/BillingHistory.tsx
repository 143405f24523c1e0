// The billing history: every payment, plans' months and packs of treats alike, newest first and a
// page at a time (payments.list): what it bought, how and when it was paid, where it stands, its
// amount in its own currency, what of it was given back (the unused part of a plan's month when
// the plan was changed for a higher one, and other partial refunds), and its receipt once it was
// completed.
import { For, type JSX, Show } from 'solid-js';
import type { PAYMENT_STATUSES } from '../../../../protocol/lists.ts';
import { formatRelative, t } from '../../i18n/index.ts';
import { LoadMore } from '../LoadMore.tsx';
import { methodName, planName } from '../plans/planText.ts';
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

/** What was given back of a payment, a sentence each: the unused part of a replaced plan's month, then any other partial refund. */
function givenBack(payment: Payment): string[] {
  const lines: string[] = [];
  const proration = payment.proration;
  const amount = (minor: number) => formatPrice(minor, payment.currency);
  if (proration !== null && payment.plan !== null) {
    const values = { amount: amount(proration.amountMinor), plan: planName(payment.plan) };
    lines.push(
      proration.status === 'refunded'
        ? t('billing.prorated', values)
        : proration.status === 'pending'
          ? t('billing.proratedPending', values)
          : t('billing.proratedOwed', values),
    );
  }
  const prorated = proration?.status === 'refunded' ? proration.amountMinor : 0;
  const other = payment.refundedMinor - prorated;
  // All of it back already reads as Refunded on the status.
  if (other > 0 && payment.refundedMinor < payment.amountMinor) lines.push(t('billing.refundedPart', { amount: amount(other) }));
  return lines;
}

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
                  <For each={givenBack(payment)}>
                    {(line) => (
                      <span class="hint billing-payment-refund" data-testid="payment-refund">
                        {line}
                      </span>
                    )}
                  </For>
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
