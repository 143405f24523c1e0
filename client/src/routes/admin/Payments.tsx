// /staff/payments: every payment, newest first, a page at a time, filtered by status, method and
// person (the filters live in the address, so a filtered list can be shared among staff);
// /staff/payments/fraud and /staff/payments/spei are the two queues staff work through, presets
// of the same list (payments held as possible fraud; SPEI transfers waiting to be confirmed).
// Admins only (StaffOnly); the server checks it again on every call.
import { useSearchParams } from '@solidjs/router';
import { X } from 'lucide-solid';
import { createEffect, createSignal, For, Index, type JSX, on, Show } from 'solid-js';
import { PAYMENT_METHODS, PAYMENT_STATUSES } from '../../../../protocol/lists.ts';
import { hasRole, isRefusal } from '../../components/admin/access.ts';
import { StaffOnly } from '../../components/admin/StaffOnly.tsx';
import { StaffPaymentRow } from '../../components/admin/StaffPaymentRow.tsx';
import {
  listPayments,
  type PaymentFilters,
  type PaymentMethod,
  type PaymentStatus,
  type StaffPayment,
} from '../../components/admin/staffApi.ts';
import { paymentStatusText } from '../../components/admin/staffText.ts';
import { SelectField } from '../../components/Field.tsx';
import { LoadMore } from '../../components/LoadMore.tsx';
import { methodName } from '../../components/plans/planText.ts';
import { Button } from '../../components/ui/Button.tsx';
import { usePages } from '../../components/usePages.ts';
import { t } from '../../i18n/index.ts';
import type { MessageKey } from '../../i18n/messages/en.ts';
import '../../styles/plans.css';
import '../../styles/admin.css';

type Preset = 'fraud' | 'spei';
const PRESETS: Record<Preset, { filters: PaymentFilters; title: MessageKey; help: MessageKey; empty: MessageKey }> = {
  fraud: { filters: { status: 'fraud_suspected' }, title: 'staff.fraudQueue', help: 'staff.fraudHelp', empty: 'staff.fraudEmpty' },
  spei: { filters: { method: 'spei', status: 'created' }, title: 'staff.speiQueue', help: 'staff.speiHelp', empty: 'staff.speiEmpty' },
};

const oneOf = <T extends string>(list: readonly T[], value: unknown): T | undefined =>
  typeof value === 'string' && (list as readonly string[]).includes(value) ? (value as T) : undefined;

function PaymentList(props: { preset?: Preset }): JSX.Element {
  const [params, setParams] = useSearchParams<{ status?: string; method?: string; user?: string; name?: string }>();
  const preset = () => (props.preset === undefined ? undefined : PRESETS[props.preset]);
  const filters = (): PaymentFilters =>
    preset()?.filters ?? {
      status: oneOf(PAYMENT_STATUSES, params.status),
      method: oneOf(PAYMENT_METHODS, params.method),
      userId: typeof params.user === 'string' ? params.user : undefined,
    };
  const [refused, setRefused] = createSignal(false);
  const pages = usePages((before) =>
    listPayments(filters(), before).catch((error: unknown) => {
      if (isRefusal(error)) setRefused(true);
      throw error;
    }),
  );
  // Nothing is asked of the server for an account without the role: it sees the refusal only.
  createEffect(
    on(
      () => JSON.stringify(filters()),
      () => {
        if (hasRole('admin')) void pages.reload();
      },
    ),
  );
  const replace = (changed: StaffPayment) => pages.setItems((items) => items.map((item) => (item.id === changed.id ? changed : item)));
  const onlyPerson = (payment: StaffPayment) => setParams({ user: payment.userId, name: payment.username });
  return (
    <StaffOnly least="admin" title={t(preset()?.title ?? 'staff.payments')} refused={refused()}>
      <Show
        when={preset()}
        fallback={
          <fieldset class="staff-filters">
            <legend class="visually-hidden">{t('staff.filters')}</legend>
            <SelectField
              id="staff-status"
              label={t('staff.status')}
              value={filters().status ?? ''}
              onChange={(value) => setParams({ status: value === '' ? undefined : value })}
            >
              <option value="">{t('staff.any')}</option>
              <For each={PAYMENT_STATUSES}>{(status: PaymentStatus) => <option value={status}>{paymentStatusText(status)}</option>}</For>
            </SelectField>
            <SelectField
              id="staff-method"
              label={t('staff.method')}
              value={filters().method ?? ''}
              onChange={(value) => setParams({ method: value === '' ? undefined : value })}
            >
              <option value="">{t('staff.any')}</option>
              <For each={PAYMENT_METHODS}>{(method: PaymentMethod) => <option value={method}>{methodName(method)}</option>}</For>
            </SelectField>
            <Show when={filters().userId}>
              <p class="staff-person-filter" data-testid="staff-person-filter">
                <span>{t('staff.personFilter', { name: typeof params.name === 'string' ? params.name : '' })}</span>
                <Button size="sm" variant="ghost" icon={X} onClick={() => setParams({ user: undefined, name: undefined })}>
                  {t('staff.clearPerson')}
                </Button>
              </p>
            </Show>
          </fieldset>
        }
      >
        {(chosen) => <p class="hint">{t(chosen().help)}</p>}
      </Show>
      <ul class="staff-list" aria-label={t(preset()?.title ?? 'staff.payments')} aria-busy={pages.loading()} data-testid="staff-payments">
        <Index each={pages.items()}>
          {(payment) => <StaffPaymentRow payment={payment()} onChange={replace} onOnlyPerson={onlyPerson} />}
        </Index>
      </ul>
      <LoadMore pages={pages} count={pages.items().length} empty={t(preset()?.empty ?? 'staff.paymentsEmpty')} />
    </StaffOnly>
  );
}

export default function Payments(): JSX.Element {
  return <PaymentList />;
}

export function FraudQueue(): JSX.Element {
  return <PaymentList preset="fraud" />;
}

export function SpeiQueue(): JSX.Element {
  return <PaymentList preset="spei" />;
}
