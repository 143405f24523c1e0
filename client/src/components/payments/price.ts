// Prices as the payments screens show them: amounts in minor units (cents, centavos), in the
// currency a locale pays in, formatted for the reader's language.
import type { CURRENCIES } from '../../../../protocol/lists.ts';
import { locale } from '../../i18n/index.ts';

export type Currency = (typeof CURRENCIES)[number];

/** The currency a locale pays in: pesos in Mexico, dollars elsewhere. */
export const currencyOf = (tag: string): Currency => (/-MX\b/i.test(tag) ? 'MXN' : 'USD');

/** The currency a screen starts in: the browser's region first, else the app's language. */
export const preferredCurrency = (): Currency => currencyOf(navigator.language || locale());

export const formatPrice = (minor: number, currency: Currency, tag = locale()) =>
  new Intl.NumberFormat(tag, { style: 'currency', currency, currencyDisplay: 'symbol' }).format(minor / 100);
