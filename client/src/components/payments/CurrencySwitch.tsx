// The currency prices are shown and paid in (USD or MXN), as a pair of pressed / unpressed
// buttons: the treats packs and the plans offer the same choice.
import { For, type JSX } from 'solid-js';
import { CURRENCIES } from '../../../../protocol/lists.ts';
import { t } from '../../i18n/index.ts';
import { Button } from '../ui/Button.tsx';
import type { Currency } from './price.ts';

export function CurrencySwitch(props: { currency: Currency; onChange: (currency: Currency) => void }): JSX.Element {
  return (
    <fieldset class="wallet-currency">
      <legend>{t('wallet.currency')}</legend>
      <For each={CURRENCIES}>
        {(each) => (
          <Button
            size="sm"
            variant={props.currency === each ? 'primary' : 'secondary'}
            aria-pressed={props.currency === each}
            onClick={() => props.onChange(each)}
          >
            {each}
          </Button>
        )}
      </For>
    </fieldset>
  );
}
