// The words of the plans, shared by the pricing, checkout, return and billing screens: each
// plan's name, each entitlement in plain words, each payment method's name, and dates as the
// reader's language writes them.
import type { ENTITLEMENTS, PLAN_IDS } from '../../../../protocol/lists.ts';
import { locale, t } from '../../i18n/index.ts';
import type { MessageKey } from '../../i18n/messages/en.ts';
import type { Method } from '../payments/methods.ts';

export type PlanId = (typeof PLAN_IDS)[number];
export type Entitlement = (typeof ENTITLEMENTS)[number];

export const planName = (plan: PlanId) => (plan === 'free' ? t('plans.free') : t(`receipts.plan.${plan}`));

export const ENTITLEMENT_TEXT: Record<Entitlement, MessageKey> = {
  adFree: 'plans.entitlement.adFree',
  verification: 'plans.entitlement.verification',
  badges: 'plans.entitlement.badges',
  creatorAnalytics: 'plans.entitlement.creatorAnalytics',
  prioritySupport: 'plans.entitlement.prioritySupport',
  apiTokens: 'plans.entitlement.apiTokens',
};

export const methodName = (method: Method) => t(`plans.method.${method}`);

export const formatDate = (iso: string) => new Intl.DateTimeFormat(locale(), { dateStyle: 'long' }).format(new Date(iso));

/** "5 days", for the SPEI reminder, in the reader's language. */
export const formatDays = (count: number) =>
  new Intl.NumberFormat(locale(), { style: 'unit', unit: 'day', unitDisplay: 'long' }).format(count);
