// /staff/subscriptions: a plan's subscribers, newest first, a page at a time, by plan and status
// (the filters in the address): who (by username), the plan and where it stands, how it is paid
// and for how much a month, and until when it is paid. Admins only (StaffOnly).
import { A, useSearchParams } from '@solidjs/router';
import { createEffect, createSignal, For, type JSX, on, Show } from 'solid-js';
import { PAID_PLAN_IDS, SUBSCRIPTION_STATUSES } from '../../../../protocol/lists.ts';
import { hasRole, isRefusal } from '../../components/admin/access.ts';
import { StaffOnly } from '../../components/admin/StaffOnly.tsx';
import { listSubscriptions, type PaidPlan, type SubscriptionStatus } from '../../components/admin/staffApi.ts';
import { formatWhen } from '../../components/admin/staffText.ts';
import { SelectField } from '../../components/Field.tsx';
import { LoadMore } from '../../components/LoadMore.tsx';
import { formatPrice } from '../../components/payments/price.ts';
import { methodName, planName } from '../../components/plans/planText.ts';
import { usePages } from '../../components/usePages.ts';
import { t } from '../../i18n/index.ts';
import '../../styles/plans.css';
import '../../styles/admin.css';

const TONE: Record<SubscriptionStatus, 'good' | 'wait' | 'bad'> = {
  pending: 'wait',
  active: 'good',
  past_due: 'wait',
  canceled: 'bad',
  expired: 'bad',
  replaced: 'bad',
};

const oneOf = <T extends string>(list: readonly T[], value: unknown): T | undefined =>
  typeof value === 'string' && (list as readonly string[]).includes(value) ? (value as T) : undefined;

export default function Subscribers(): JSX.Element {
  const [params, setParams] = useSearchParams<{ plan?: string; status?: string }>();
  const filters = () => ({ plan: oneOf(PAID_PLAN_IDS, params.plan), status: oneOf(SUBSCRIPTION_STATUSES, params.status) });
  const [refused, setRefused] = createSignal(false);
  const pages = usePages((before) =>
    listSubscriptions(filters(), before).catch((error: unknown) => {
      if (isRefusal(error)) setRefused(true);
      throw error;
    }),
  );
  createEffect(
    on(
      () => JSON.stringify(filters()),
      () => {
        if (hasRole('admin')) void pages.reload();
      },
    ),
  );
  return (
    <StaffOnly least="admin" title={t('staff.subscribers')} refused={refused()}>
      <fieldset class="staff-filters">
        <legend class="visually-hidden">{t('staff.filters')}</legend>
        <SelectField
          id="staff-plan"
          label={t('staff.plan')}
          value={filters().plan ?? ''}
          onChange={(value) => setParams({ plan: value === '' ? undefined : value })}
        >
          <option value="">{t('staff.any')}</option>
          <For each={PAID_PLAN_IDS}>{(plan: PaidPlan) => <option value={plan}>{planName(plan)}</option>}</For>
        </SelectField>
        <SelectField
          id="staff-subscription-status"
          label={t('staff.status')}
          value={filters().status ?? ''}
          onChange={(value) => setParams({ status: value === '' ? undefined : value })}
        >
          <option value="">{t('staff.any')}</option>
          <For each={SUBSCRIPTION_STATUSES}>
            {(status: SubscriptionStatus) => <option value={status}>{t(`staff.subscription.${status}`)}</option>}
          </For>
        </SelectField>
      </fieldset>
      <ul class="staff-list" aria-label={t('staff.subscribers')} aria-busy={pages.loading()} data-testid="staff-subscribers">
        <For each={pages.items()}>
          {(subscription) => (
            <li class="staff-row" data-testid={`staff-subscription-${subscription.id}`}>
              <div class="staff-row-what">
                <span class="staff-row-name">
                  <A href={`/u/${encodeURIComponent(subscription.username)}`}>
                    <bdi>@{subscription.username}</bdi>
                  </A>
                </span>
                <span class="hint">
                  {planName(subscription.plan)} · {methodName(subscription.method)} ·{' '}
                  {t('staff.perMonth', { amount: formatPrice(subscription.amountMinor, subscription.currency) })}
                </span>
                <Show when={subscription.currentPeriodEnd}>
                  {(end) => <span class="hint">{t('staff.paidUntil', { date: formatWhen(end()) })}</span>}
                </Show>
              </div>
              <div class="staff-row-amount">
                <span class={`status-pill ${TONE[subscription.status]}`}>{t(`staff.subscription.${subscription.status}`)}</span>
              </div>
            </li>
          )}
        </For>
      </ul>
      <LoadMore pages={pages} count={pages.items().length} empty={t('staff.subscribersEmpty')} />
    </StaffOnly>
  );
}
