// The staff screens' words: where a payment stands, when something happened (date and time in the
// reader's language) and a refused action as the server typed it (its code beside the message,
// which staff quote when they report a problem).
import { ApiError } from '../../api/http.ts';
import { locale, t } from '../../i18n/index.ts';
import { errorText } from '../../state/store.ts';
import type { PaymentStatus } from './staffApi.ts';

/** The users' words for a status, but a payment held as possible fraud says so plainly to staff. */
export const paymentStatusText = (status: PaymentStatus) =>
  status === 'fraud_suspected' ? t('staff.fraudSuspected') : t(`billing.payment.${status}`);

export const formatWhen = (iso: string) =>
  new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));

/** A refused staff action: the field the server names in words of the screen, else the code's message; then the code. */
export function refusalText(error: unknown, fields: Record<string, string> = {}): string {
  if (!(error instanceof ApiError)) return errorText(error);
  const field = typeof error.details.field === 'string' ? error.details.field.replace(/^\//, '') : undefined;
  const text = error.code === 'INVALID_INPUT' && field !== undefined && fields[field] !== undefined ? fields[field] : errorText(error);
  return error.code === 'NETWORK' ? text : `${text} (${error.code})`;
}
