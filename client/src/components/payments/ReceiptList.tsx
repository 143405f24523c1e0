// The payments that have a receipt, newest first: what each bought (a pack's treats, a month of a
// plan), its price in its own currency, when, and its receipt to download.
import { For, type JSX, Show } from 'solid-js';
import { formatRelative, t } from '../../i18n/index.ts';
import { formatPrice } from './price.ts';
import { ReceiptButton } from './ReceiptButton.tsx';
import type { Payment } from './SpeiInstructions.tsx';

/** What a payment bought, in words: a pack's treats, or a month of a plan. */
export const bought = (payment: Payment) =>
  payment.plan === null
    ? t('wallet.treats', { count: payment.treats })
    : t('receipts.planMonth', { plan: t(`receipts.plan.${payment.plan}`) });

export function ReceiptList(props: { payments: Payment[] }): JSX.Element {
  return (
    <Show when={props.payments.length > 0}>
      <h2>{t('receipts.title')}</h2>
      <ul class="wallet-packs" data-testid="receipts">
        <For each={props.payments}>
          {(payment) => {
            const price = () => formatPrice(payment.amountMinor, payment.currency);
            return (
              <li class="wallet-pack" data-testid={`receipt-${payment.id}`}>
                <span class="wallet-pack-treats">{bought(payment)}</span>
                <span class="wallet-pack-price">
                  {price()}{' '}
                  <time class="hint" datetime={payment.createdAt}>
                    {formatRelative(payment.createdAt)}
                  </time>
                </span>
                <span class="wallet-pack-methods">
                  <ReceiptButton paymentId={payment.id} label={t('receipts.downloadLabel', { what: bought(payment), price: price() })} />
                </span>
              </li>
            );
          }}
        </For>
      </ul>
    </Show>
  );
}
