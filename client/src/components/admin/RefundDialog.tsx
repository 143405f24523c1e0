// Refunding a completed payment, all that is left of it or a part typed in its own currency (read
// exactly, money.ts), with the reason the audit log keeps. A refusal (more than is left, a payment
// that cannot be refunded, the provider down) shows as the server typed it, and the dialog stays
// open.
import { createSignal, type JSX, Show } from 'solid-js';
import { locale, t } from '../../i18n/index.ts';
import { errorField } from '../../state/store.ts';
import { Dialog } from '../Dialog.tsx';
import { InputField, TextAreaField } from '../Field.tsx';
import { FormFooter } from '../FormFooter.tsx';
import { formatPrice } from '../payments/price.ts';
import { parseMinor } from './money.ts';
import { refund, type StaffPayment } from './staffApi.ts';
import { refusalText } from './staffText.ts';

const REASON = { min: 3, max: 500 };

export function RefundDialog(props: {
  payment: StaffPayment;
  onDone: (payment: StaffPayment) => void;
  onClose: () => void;
  returnFocus: () => HTMLElement | undefined;
}): JSX.Element {
  const left = () => props.payment.amountMinor - props.payment.refundedMinor;
  const money = (minor: number) => formatPrice(minor, props.payment.currency);
  const [part, setPart] = createSignal(false);
  const [amount, setAmount] = createSignal('');
  const [reason, setReason] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | undefined>();
  const [invalid, setInvalid] = createSignal<'amount' | 'reason' | undefined>();
  /** Editing the field a refusal named takes the refusal away. */
  const settle = (field: 'amount' | 'reason') => {
    if (invalid() !== field) return;
    setInvalid(undefined);
    setError(undefined);
  };
  const submit = async (event: Event) => {
    event.preventDefault();
    let minor: number | undefined;
    if (part()) {
      minor = parseMinor(amount(), locale());
      if (minor === undefined || minor < 1) {
        setInvalid('amount');
        setError(t('staff.amountInvalid'));
        return;
      }
    }
    if (reason().trim().length < REASON.min) {
      setInvalid('reason');
      setError(t('staff.reasonRequired'));
      return;
    }
    setBusy(true);
    setError(undefined);
    setInvalid(undefined);
    try {
      const refunded = await refund(props.payment.id, reason().trim(), minor);
      props.onDone({ ...props.payment, ...refunded });
    } catch (failure) {
      if (errorField(failure) === 'amountMinor') setInvalid('amount');
      setError(
        refusalText(failure, {
          amountMinor: t('staff.refundTooMuch', { amount: money(left()) }),
          id: t('staff.notRefundable'),
          reason: t('staff.reasonRequired'),
        }),
      );
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog title={t('staff.refundTitle')} onClose={props.onClose} returnFocus={props.returnFocus} testId="refund-dialog">
      <p>{t('staff.refundHelp', { amount: money(props.payment.amountMinor), left: money(left()), name: props.payment.username })}</p>
      <form class="stack" onSubmit={submit} novalidate>
        <fieldset class="staff-choice">
          <legend>{t('staff.refundHowMuch')}</legend>
          <label class="check">
            <input type="radio" name="refund-part" checked={!part()} onChange={() => setPart(false)} />
            {t('staff.refundAll', { amount: money(left()) })}
          </label>
          <label class="check">
            <input type="radio" name="refund-part" checked={part()} onChange={() => setPart(true)} />
            {t('staff.refundPart')}
          </label>
        </fieldset>
        <Show when={part()}>
          <InputField
            id="refund-amount"
            label={t('staff.refundAmount', { currency: props.payment.currency })}
            value={amount()}
            onInput={(value) => {
              setAmount(value);
              settle('amount');
            }}
            inputmode="decimal"
            autocomplete="off"
            required
            invalid={invalid() === 'amount'}
          />
        </Show>
        <TextAreaField
          id="refund-reason"
          label={t('staff.reason')}
          value={reason()}
          onInput={(value) => {
            setReason(value);
            settle('reason');
          }}
          maxlength={REASON.max}
          rows={3}
          invalid={invalid() === 'reason'}
        />
        <FormFooter busy={busy()} error={error()} label={t('staff.refund')} />
      </form>
    </Dialog>
  );
}
