// The billing screen: the plan and when it renews (date and price), cancelling after asking (then
// "ends on …" and no cancel button), a past-due plan's hold and a SPEI plan's renewal by transfer,
// the allowance claimed into the wallet, and the billing history (plans and packs) with each
// payment's status and receipt, a page at a time, and what was given back of a month when the plan
// was changed for a higher one.
import { MemoryRouter, Route } from '@solidjs/router';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@solidjs/testing-library';
import { afterEach, expect, test, vi } from 'vitest';
import type { EventFrame } from '../../../protocol/client.ts';
import { PLANS } from '../../../protocol/lists.ts';
import { formatPrice } from '../components/payments/price.ts';
import { formatDate } from '../components/plans/planText.ts';
import { en } from '../i18n/messages/en.ts';
import { actions } from '../state/store.ts';
import Billing from './Billing.tsx';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

const END = '2027-01-07T10:00:00.000Z';
const subscription = (fields: Record<string, unknown> = {}) => ({
  id: '0192a1b2-c3d4-7e5f-8a9b-00000000cafe',
  plan: 'premium',
  method: 'paypal',
  currency: 'USD',
  amountMinor: 999,
  status: 'active',
  currentPeriodStart: '2026-12-07T10:00:00.000Z',
  currentPeriodEnd: END,
  cancelAtPeriodEnd: false,
  holdsUntil: '2027-01-10T10:00:00.000Z',
  approveUrl: null,
  createdAt: '2026-12-07T09:58:00.000Z',
  updatedAt: '2026-12-07T10:00:00.000Z',
  ...fields,
});
const payment = (n: number, fields: Record<string, unknown> = {}) => ({
  id: `0192a1b2-c3d4-7e5f-8a9b-00000000b0b${n}`,
  method: 'paypal',
  status: 'completed',
  amountMinor: 999,
  currency: 'USD',
  packId: null,
  treats: 0,
  plan: 'premium',
  subscriptionId: '0192a1b2-c3d4-7e5f-8a9b-00000000cafe',
  refundedMinor: 0,
  proration: null,
  spei: null,
  approveUrl: null,
  createdAt: '2026-12-07T10:00:00.000Z',
  updatedAt: '2026-12-07T10:00:00.000Z',
  ...fields,
});

function serve(mine: ReturnType<typeof subscription> | null, firstPage?: ReturnType<typeof payment>[]) {
  const listeners = new Set<(event: EventFrame) => void>();
  vi.spyOn(actions, 'onUserEvent').mockImplementation((listener) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  });
  let allowance = { month: '2026-12', plan: 'premium', monthly: 100, claimed: 0, available: 100 };
  const call = vi.spyOn(actions, 'call').mockImplementation((async (op: string, request: Record<string, unknown>) => {
    const plan = (mine?.plan ?? 'free') as 'free' | 'premium';
    if (op === 'subscriptions.mine')
      return { plan, entitlements: [...PLANS[plan].entitlements], monthlyTreats: PLANS[plan].monthlyTreats, subscription: mine };
    if (op === 'treats.allowance') return allowance;
    if (op === 'treats.claimAllowance') {
      allowance = { ...allowance, claimed: 100, available: 0 };
      return { wallet: 100, earned: 0, allowance };
    }
    if (op === 'subscriptions.cancel') {
      mine = subscription({ cancelAtPeriodEnd: true, holdsUntil: END });
      return mine;
    }
    if (op === 'payments.list')
      return request.cursor === undefined
        ? {
            items: firstPage ?? [
              payment(3),
              payment(2, { plan: null, subscriptionId: null, packId: 'treats_550', treats: 550, amountMinor: 499, status: 'failed' }),
            ],
            nextCursor: 'page-2',
          }
        : { items: [payment(1, { method: 'spei', currency: 'MXN', amountMinor: 19900, status: 'refunded' })], nextCursor: null };
    throw new Error(`unexpected ${op}`);
  }) as typeof actions.call);
  render(() => (
    <MemoryRouter>
      <Route path="/" component={Billing} />
    </MemoryRouter>
  ));
  return {
    call,
    emit: (name: string, body: unknown) => {
      for (const listener of listeners) listener({ type: 'event', topic: 'user:me', seq: 1, name, body } as EventFrame);
    },
  };
}

test('billing: the plan, its next renewal with date and price; cancelling asks first, then the plan ends on its period end', async () => {
  const { call } = serve(subscription());
  await waitFor(() => expect(screen.getByTestId('billing-plan-name').textContent).toBe('Premium'));
  expect(screen.getByTestId('billing-status').textContent).toBe(en['billing.status.active']);
  expect(screen.getByTestId('billing-renewal').textContent).toBe(
    en['billing.renews'].replace('{date}', formatDate(END)).replace('{price}', '$9.99').replace('{method}', 'PayPal'),
  );
  fireEvent.click(screen.getByTestId('billing-cancel'));
  const dialog = await screen.findByTestId('billing-cancel-dialog');
  expect(dialog.textContent).toContain(formatDate(END));
  // Keeping it changes nothing.
  fireEvent.click(within(dialog).getByRole('button', { name: en['billing.keep'] }));
  await waitFor(() => expect(screen.queryByTestId('billing-cancel-dialog')).toBeNull());
  expect(call).not.toHaveBeenCalledWith('subscriptions.cancel', expect.anything());
  fireEvent.click(screen.getByTestId('billing-cancel'));
  fireEvent.click(within(await screen.findByTestId('billing-cancel-dialog')).getByRole('button', { name: en['billing.cancel'] }));
  await waitFor(() =>
    expect(screen.getByTestId('billing-renewal').textContent).toBe(en['billing.endsOn'].replace('{date}', formatDate(END))),
  );
  expect(call).toHaveBeenCalledWith('subscriptions.cancel', { subscriptionId: '0192a1b2-c3d4-7e5f-8a9b-00000000cafe' });
  expect(screen.getByTestId('billing-status').textContent).toBe(en['billing.status.canceled']);
  expect(screen.queryByTestId('billing-cancel')).toBeNull();
  expect(screen.queryByTestId('billing-cancel-dialog')).toBeNull();
});

test('billing: a past-due plan says until when it holds; a SPEI plan renews by transfer; free points to the plans', async () => {
  serve(subscription({ status: 'past_due' }));
  await waitFor(() =>
    expect(screen.getByTestId('billing-renewal').textContent).toBe(
      en['billing.pastDue'].replace('{date}', formatDate('2027-01-10T10:00:00.000Z')),
    ),
  );
  cleanup();
  serve(subscription({ method: 'spei', currency: 'MXN', amountMinor: 19900 }));
  await waitFor(() => expect(screen.getByTestId('billing-renewal').textContent).toContain(formatDate(END)));
  expect(screen.getByTestId('billing-renewal').textContent).toContain('5 days');
  cleanup();
  serve(null);
  await waitFor(() => expect(screen.getByTestId('billing-renewal').textContent).toBe(en['billing.onFree']));
  expect(screen.getByRole('link', { name: en['apiTokens.seePlans'] }).getAttribute('href')).toBe('/pricing');
  expect(screen.queryByTestId('billing-status')).toBeNull();
});

test('billing: the month’s allowance is claimed into the wallet', async () => {
  const { call } = serve(subscription());
  const allowance = await screen.findByTestId('billing-allowance');
  await waitFor(() => expect(allowance.textContent).toContain('100 treats to claim this month'));
  fireEvent.click(within(allowance).getByRole('button', { name: en['billing.claim'].replace('{treats}', '100 treats') }));
  await waitFor(() =>
    expect(screen.getByTestId('billing-claimed').textContent).toBe(en['billing.claimed'].replace('{treats}', '100 treats')),
  );
  expect(call).toHaveBeenCalledWith('treats.claimAllowance', {});
  expect(screen.getByTestId('billing-allowance').textContent).toBe(en['billing.allowanceDone'].replace('{monthly}', '100 treats'));
  expect(within(screen.getByTestId('billing-allowance')).queryByRole('button')).toBeNull();
});

test('billing: the history lists plans and packs with status, amount and a receipt once paid, a page at a time; a payment heard live comes first', async () => {
  const { call, emit } = serve(subscription());
  const history = await screen.findByTestId('billing-history');
  await waitFor(() => expect(history.querySelectorAll('li')).toHaveLength(2));
  const [month, pack] = [...history.querySelectorAll('li')] as HTMLElement[];
  expect(month?.textContent).toContain(en['receipts.planMonth'].replace('{plan}', 'Premium'));
  expect(month?.textContent).toContain('$9.99');
  expect(within(month as HTMLElement).getByTestId('payment-status').textContent).toBe(en['billing.payment.completed']);
  within(month as HTMLElement).getByRole('button', { name: /Download the receipt/ });
  expect(pack?.textContent).toContain('550 treats');
  expect(within(pack as HTMLElement).getByTestId('payment-status').textContent).toBe(en['billing.payment.failed']);
  expect(within(pack as HTMLElement).queryByRole('button')).toBeNull();
  fireEvent.click(screen.getByRole('button', { name: en['list.loadMore'] }));
  await waitFor(() => expect(history.querySelectorAll('li')).toHaveLength(3));
  expect(call).toHaveBeenCalledWith('payments.list', { cursor: 'page-2' });
  expect(history.querySelectorAll('li')[2]?.textContent).toContain(formatPrice(19900, 'MXN'));
  expect(history.querySelectorAll('li')[2]?.textContent).toContain(en['billing.payment.refunded']);
  emit('payments.changed', { payment: payment(3) });
  await waitFor(() => expect(call.mock.calls.filter(([op]) => op === 'payments.list').length).toBe(3));
});

test('billing: a month of a plan replaced by a higher one shows the unused part given back (refunded, on its way, or to be sent by transfer for SPEI); another partial refund shows its amount', async () => {
  const basic = { plan: 'basic', currency: 'MXN', amountMinor: 9900 };
  serve(subscription(), [
    payment(4, { ...basic, refundedMinor: 4950, proration: { amountMinor: 4950, status: 'refunded' } }),
    payment(5, { ...basic, proration: { amountMinor: 120, status: 'pending' } }),
    payment(6, { ...basic, method: 'spei', proration: { amountMinor: 3300, status: 'owed' } }),
    payment(7, { refundedMinor: 300 }),
    payment(8),
  ]);
  const history = await screen.findByTestId('billing-history');
  await waitFor(() => expect(history.querySelectorAll('li')).toHaveLength(5));
  const lines = [...history.querySelectorAll('li')].map((item) =>
    [...item.querySelectorAll('[data-testid="payment-refund"]')].map((line) => line.textContent),
  );
  const says = (key: 'billing.prorated' | 'billing.proratedPending' | 'billing.proratedOwed', minor: number) =>
    en[key].replace('{amount}', formatPrice(minor, 'MXN')).replace('{plan}', 'Basic');
  expect(lines).toEqual([
    [says('billing.prorated', 4950)],
    [says('billing.proratedPending', 120)],
    [says('billing.proratedOwed', 3300)],
    [en['billing.refundedPart'].replace('{amount}', '$3.00')],
    [],
  ]);
  expect(within(history.querySelectorAll('li')[0] as HTMLElement).getByTestId('payment-status').textContent).toBe(
    en['billing.payment.completed'],
  );
});
