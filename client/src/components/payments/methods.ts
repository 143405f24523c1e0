// The payment methods as the checkout screens offer them: PayPal and Mercado Pago take either
// currency; SPEI is a Mexican bank transfer, in pesos only (the server refuses it otherwise).
import type { PAYMENT_METHODS } from '../../../../protocol/lists.ts';
import type { Currency } from './price.ts';

export type Method = (typeof PAYMENT_METHODS)[number];

const ONLY_IN: Partial<Record<Method, readonly Currency[]>> = { spei: ['MXN'] };

export const offers = (method: Method, currency: Currency) => ONLY_IN[method]?.includes(currency) ?? true;
