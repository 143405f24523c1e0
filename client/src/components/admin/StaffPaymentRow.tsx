// One payment as staff see it: what it bought and who paid (by username, with a filter to that
// person's payments), how and when, its amount in its own currency (and what was refunded), where
// it stands, and the actions its state allows: confirming a SPEI transfer, refunding. After an
// action the row shows the payment as the server answered it; focus goes back to the button that
// opened the dialog, or to the row when the action took that button away.
import { A } from '@solidjs/router';
import { Filter, Landmark, Undo2 } from 'lucide-solid';
import { createSignal, type JSX, Show } from 'solid-js';
import { t } from '../../i18n/index.ts';
import { actions } from '../../state/store.ts';
import { formatPrice } from '../payments/price.ts';
import { bought } from '../payments/ReceiptList.tsx';
import { methodName } from '../plans/planText.ts';
import { Button, IconButton } from '../ui/Button.tsx';
import { RefundDialog } from './RefundDialog.tsx';
import { SpeiConfirmDialog } from './SpeiConfirmDialog.tsx';
import type { StaffPayment } from './staffApi.ts';
import { formatWhen, paymentStatusText } from './staffText.ts';

const TONE = { created: 'wait', completed: 'good', failed: 'bad', fraud_suspected: 'bad', refunded: 'bad', reversed: 'bad' } as const;

/** A SPEI transfer can be confirmed while it waits, and after its instructions lapsed (a late transfer). */
const confirmable = (payment: StaffPayment) => payment.method === 'spei' && (payment.status === 'created' || payment.status === 'failed');
const refundable = (payment: StaffPayment) => payment.status === 'completed' && payment.refundedMinor < payment.amountMinor;

export function StaffPaymentRow(props: {
  payment: StaffPayment;
  onChange: (payment: StaffPayment) => void;
  onOnlyPerson: (payment: StaffPayment) => void;
}): JSX.Element {
  const [open, setOpen] = createSignal<'spei' | 'refund' | undefined>();
  let row: HTMLLIElement | undefined;
  let speiButton: HTMLButtonElement | undefined;
  let refundButton: HTMLButtonElement | undefined;
  const back = (button: () => HTMLButtonElement | undefined) => () => {
    const opener = button();
    return opener?.isConnected ? opener : row;
  };
  const done = (payment: StaffPayment, message: string) => {
    props.onChange(payment);
    setOpen(undefined);
    actions.toast(message);
  };
  const money = (minor: number) => formatPrice(minor, props.payment.currency);
  return (
    <li class="staff-row" tabindex="-1" ref={row} data-testid={`staff-payment-${props.payment.id}`}>
      <div class="staff-row-what">
        <span class="staff-row-name">{bought(props.payment)}</span>
        <span class="staff-row-person">
          <A href={`/u/${encodeURIComponent(props.payment.username)}`}>
            <bdi>@{props.payment.username}</bdi>
          </A>
          <IconButton
            icon={Filter}
            label={t('staff.onlyPerson', { name: props.payment.username })}
            onClick={() => props.onOnlyPerson(props.payment)}
          />
        </span>
        <span class="hint">
          {methodName(props.payment.method)} · <time datetime={props.payment.createdAt}>{formatWhen(props.payment.createdAt)}</time>
        </span>
        <Show when={props.payment.refundedMinor > 0}>
          <span class="hint" data-testid="staff-payment-refunded">
            {t('staff.refunded', { amount: money(props.payment.refundedMinor) })}
          </span>
        </Show>
      </div>
      <div class="staff-row-amount">
        <span data-testid="staff-payment-amount">{money(props.payment.amountMinor)}</span>
        <span class={`status-pill ${TONE[props.payment.status]}`} data-testid="staff-payment-status">
          {paymentStatusText(props.payment.status)}
        </span>
      </div>
      <Show when={confirmable(props.payment) || refundable(props.payment)}>
        <div class="staff-row-actions">
          <Show when={confirmable(props.payment)}>
            <Button ref={speiButton} size="sm" icon={Landmark} onClick={() => setOpen('spei')}>
              {t('staff.confirmSpei')}
            </Button>
          </Show>
          <Show when={refundable(props.payment)}>
            <Button ref={refundButton} size="sm" variant="secondary" icon={Undo2} onClick={() => setOpen('refund')}>
              {t('staff.refund')}
            </Button>
          </Show>
        </div>
      </Show>
      <Show when={open() === 'spei'}>
        <SpeiConfirmDialog
          payment={props.payment}
          onClose={() => setOpen(undefined)}
          returnFocus={back(() => speiButton)}
          onDone={(payment) =>
            done(
              payment,
              payment.status === 'fraud_suspected' ? t('staff.speiMismatch') : t('staff.speiConfirmed', { name: payment.username }),
            )
          }
        />
      </Show>
      <Show when={open() === 'refund'}>
        <RefundDialog
          payment={props.payment}
          onClose={() => setOpen(undefined)}
          returnFocus={back(() => refundButton)}
          onDone={(payment) => done(payment, t('staff.refundDone', { amount: money(payment.refundedMinor) }))}
        />
      </Show>
    </li>
  );
}
