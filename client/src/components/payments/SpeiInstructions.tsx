// What a buyer needs to pay a SPEI payment from their bank's app: the payment's own CLABE, its
// reference, the beneficiary, the bank, the exact amount and until when, each with a copy button
// (the clipboard gets the bare digits; the screen groups the CLABE in fours to read it aloud).
import { Check, Copy } from 'lucide-solid';
import { createSignal, For, type JSX } from 'solid-js';
import type { CallResponse } from '../../../../protocol/catalogue.ts';
import { locale, t } from '../../i18n/index.ts';
import type { MessageKey } from '../../i18n/messages/en.ts';
import { actions, errorText } from '../../state/store.ts';
import { Button } from '../ui/Button.tsx';
import { formatPrice } from './price.ts';

export type Payment = CallResponse<'payments.get'>;
type Spei = NonNullable<Payment['spei']>;

const money = (minor: number) => formatPrice(minor, 'MXN');
const grouped = (digits: string) => digits.replace(/(\d{4})(?=\d)/g, '$1 ');

export function SpeiInstructions(props: {
  payment: Payment & { spei: Spei };
  /** What the transfer brings, said above the fields (a pack's treats unless told). */
  intro?: (amount: string) => string;
}): JSX.Element {
  const [copied, setCopied] = createSignal<MessageKey | undefined>();
  const copy = async (what: MessageKey, value: string) => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied(what);
    } catch (error) {
      actions.toast(errorText(error), 'error');
    }
  };
  const rows = (): { label: MessageKey; shown: string; value: string; mono?: boolean }[] => [
    { label: 'spei.clabe', shown: grouped(props.payment.spei.clabe), value: props.payment.spei.clabe, mono: true },
    { label: 'spei.reference', shown: props.payment.spei.reference, value: props.payment.spei.reference, mono: true },
    { label: 'spei.beneficiary', shown: props.payment.spei.beneficiary, value: props.payment.spei.beneficiary },
    { label: 'spei.bank', shown: props.payment.spei.bank, value: props.payment.spei.bank },
    { label: 'spei.amount', shown: money(props.payment.amountMinor), value: (props.payment.amountMinor / 100).toFixed(2) },
  ];
  return (
    <div class="spei" data-testid="spei-instructions">
      <p>{(props.intro ?? ((amount) => t('spei.intro', { amount })))(money(props.payment.amountMinor))}</p>
      <dl class="spei-fields">
        <For each={rows()}>
          {(row) => (
            <div class="spei-field">
              <dt>{t(row.label)}</dt>
              <dd classList={{ mono: row.mono === true }} data-testid={`spei-${row.label.slice(5)}`}>
                {row.shown}
              </dd>
              <dd>
                <Button
                  size="sm"
                  variant="ghost"
                  icon={copied() === row.label ? Check : Copy}
                  aria-label={`${copied() === row.label ? t('spei.copied') : t('spei.copy')}: ${t(row.label)}`}
                  onClick={() => void copy(row.label, row.value)}
                >
                  {copied() === row.label ? t('spei.copied') : t('spei.copy')}
                </Button>
              </dd>
            </div>
          )}
        </For>
      </dl>
      <p class="hint">
        {t('spei.expires', {
          date: new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeStyle: 'short' }).format(
            new Date(props.payment.spei.expiresAt),
          ),
        })}
      </p>
      <p class="visually-hidden" aria-live="polite">
        {copied() === undefined ? '' : t('spei.copied')}
      </p>
    </div>
  );
}
