// Confirming by hand a SPEI transfer seen in the bank account: the amount received, typed in pesos
// and sent as centavos (read exactly, money.ts), and the transfer's tracking key. The server settles
// it like any other notice: the expected amount completes it, another puts it under review as
// possible fraud. A refusal shows as the server typed it, and the dialog stays open to fix it.
import { createSignal, type JSX } from 'solid-js';
import { locale, t } from '../../i18n/index.ts';
import { Dialog } from '../Dialog.tsx';
import { InputField } from '../Field.tsx';
import { FormFooter } from '../FormFooter.tsx';
import { formatPrice } from '../payments/price.ts';
import { minorToInput, parseMinor } from './money.ts';
import { confirmSpei, type StaffPayment } from './staffApi.ts';
import { refusalText } from './staffText.ts';

export function SpeiConfirmDialog(props: {
  payment: StaffPayment;
  onDone: (payment: StaffPayment) => void;
  onClose: () => void;
  returnFocus: () => HTMLElement | undefined;
}): JSX.Element {
  // Empty, not the expected amount: the admin types what the bank account shows, so a short
  // transfer is not confirmed by a tap (the server holds one that differs as possible fraud).
  const [amount, setAmount] = createSignal('');
  const [trackingKey, setTrackingKey] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | undefined>();
  const [invalid, setInvalid] = createSignal<'amount' | 'trackingKey' | undefined>();
  /** Editing the field a refusal named takes the refusal away. */
  const settle = (field: 'amount' | 'trackingKey') => {
    if (invalid() !== field) return;
    setInvalid(undefined);
    setError(undefined);
  };
  const submit = async (event: Event) => {
    event.preventDefault();
    const minor = parseMinor(amount(), locale());
    if (minor === undefined || minor < 1) {
      setInvalid('amount');
      setError(t('staff.amountInvalid'));
      return;
    }
    const key = trackingKey().trim();
    if (!/^[A-Za-z0-9]{1,30}$/.test(key)) {
      setInvalid('trackingKey');
      setError(t('staff.trackingKeyInvalid'));
      return;
    }
    setBusy(true);
    setError(undefined);
    setInvalid(undefined);
    try {
      const settled = await confirmSpei(props.payment.id, minor, key);
      props.onDone({ ...props.payment, ...settled });
    } catch (failure) {
      setError(refusalText(failure, { amountMinor: t('staff.amountInvalid'), trackingKey: t('staff.trackingKeyInvalid') }));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog title={t('staff.confirmSpeiTitle')} onClose={props.onClose} returnFocus={props.returnFocus} testId="spei-confirm-dialog">
      <p>
        {t('staff.confirmSpeiHelp', {
          amount: formatPrice(props.payment.amountMinor, props.payment.currency),
          name: props.payment.username,
        })}
      </p>
      <form class="stack" onSubmit={submit} novalidate>
        <InputField
          id="spei-amount"
          label={t('staff.amountReceived', { currency: props.payment.currency })}
          value={amount()}
          onInput={(value) => {
            setAmount(value);
            settle('amount');
          }}
          inputmode="decimal"
          autocomplete="off"
          placeholder={minorToInput(props.payment.amountMinor, locale())}
          required
          invalid={invalid() === 'amount'}
        />
        <InputField
          id="spei-tracking-key"
          label={t('staff.trackingKey')}
          value={trackingKey()}
          onInput={(value) => {
            setTrackingKey(value);
            settle('trackingKey');
          }}
          maxlength={30}
          autocomplete="off"
          spellcheck={false}
          required
          invalid={invalid() === 'trackingKey'}
        />
        <FormFooter busy={busy()} error={error()} label={t('staff.confirmSpei')} />
      </form>
    </Dialog>
  );
}
