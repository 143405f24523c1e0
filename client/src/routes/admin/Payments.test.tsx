// The staff payments screens against a fake HTTP API in the server's shapes: the list newest
// first with each payer's username and amounts in their own currency, the presets' filters, a
// next page by `before`; confirming a SPEI transfer typed in pesos (sent as exact centavos) and
// refunding part of a payment update the row in place (no reload) and put focus back; a refusal
// shows the server's typed error in the dialog; a 403 turns the screen into the refusal.
import { MemoryRouter, Route } from '@solidjs/router';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@solidjs/testing-library';
import type { Component } from 'solid-js';
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { SettingsNav } from '../../components/SettingsNav.tsx';
import { en } from '../../i18n/messages/en.ts';
import { actions } from '../../state/store.ts';
import Payments, { FraudQueue, SpeiQueue } from './Payments.tsx';

vi.hoisted(() => {
  const user = { id: 'a1', email: 'admin@example.com', username: 'admin', emailVerified: true, twoFactorEnabled: false, hasPassword: true };
  localStorage.setItem('petamigos.session', JSON.stringify({ sessionId: 's1', user: { ...user, language: 'en', role: 'admin' } }));
});

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const money = (minor: number, currency: string) => new Intl.NumberFormat('en', { style: 'currency', currency }).format(minor / 100);

const payment = (n: number, fields: Record<string, unknown> = {}) => ({
  id: `0192a1b2-c3d4-7e5f-8a9b-00000000000${n}`,
  method: 'spei',
  status: 'created',
  amountMinor: 9900,
  currency: 'MXN',
  packId: 'treats_550',
  treats: 550,
  plan: null,
  subscriptionId: null,
  refundedMinor: 0,
  spei: null,
  approveUrl: null,
  createdAt: '2026-12-07T10:00:00.000Z',
  updatedAt: '2026-12-07T10:00:00.000Z',
  userId: `0192a1b2-c3d4-7e5f-8a9b-0000000000b${n}`,
  username: `buyer${n}`,
  ...fields,
});

type Call = { method: string; path: string; body: unknown };
let calls: Call[];
let answer: (call: Call) => Response | undefined;

beforeEach(() => {
  calls = [];
  answer = () => undefined;
  vi.spyOn(actions, 'token').mockResolvedValue('access');
  vi.spyOn(actions, 'toast').mockImplementation(() => undefined);
  vi.stubGlobal('fetch', async (path: string, init: RequestInit = {}) => {
    const call = { method: init.method ?? 'GET', path, body: init.body === undefined ? undefined : JSON.parse(String(init.body)) };
    calls.push(call);
    return answer(call) ?? json(404, { error: { code: 'NOT_FOUND', message: path } });
  });
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

const show = (screenComponent: Component) =>
  render(() => (
    <MemoryRouter>
      <Route path="/" component={screenComponent} />
    </MemoryRouter>
  ));

test('staff payments: newest first with the payer’s username, the amount in its currency and the status; the next page by `before`', async () => {
  const first = [payment(1), payment(2, { method: 'paypal', status: 'completed', currency: 'USD', amountMinor: 499 })];
  answer = (call) =>
    call.path === '/admin/payments'
      ? json(200, { items: first, before: first[1]?.id })
      : call.path === `/admin/payments?before=${first[1]?.id}`
        ? json(200, { items: [payment(3, { status: 'fraud_suspected' })], before: null })
        : undefined;
  show(Payments);
  const list = await screen.findByTestId('staff-payments');
  await waitFor(() => expect(within(list).getAllByRole('listitem')).toHaveLength(2));
  const rows = within(list).getAllByRole('listitem');
  expect(rows[0]?.textContent).toContain('@buyer1');
  expect(within(rows[0] as HTMLElement).getByTestId('staff-payment-amount').textContent).toBe(money(9900, 'MXN'));
  expect(within(rows[1] as HTMLElement).getByTestId('staff-payment-amount').textContent).toBe(money(499, 'USD'));
  expect(within(rows[1] as HTMLElement).getByTestId('staff-payment-status').textContent).toBe(en['billing.payment.completed']);
  // A pending SPEI payment can be confirmed; a completed one refunded.
  expect(within(rows[0] as HTMLElement).getByRole('button', { name: en['staff.confirmSpei'] })).toBeTruthy();
  expect(within(rows[1] as HTMLElement).getByRole('button', { name: en['staff.refund'] })).toBeTruthy();
  fireEvent.click(screen.getByRole('button', { name: en['list.loadMore'] }));
  await waitFor(() => expect(within(list).getAllByRole('listitem')).toHaveLength(3));
  expect(within(list).getAllByTestId('staff-payment-status')[2]?.textContent).toBe(en['staff.fraudSuspected']);
  expect(calls.map((call) => call.path)).toEqual(['/admin/payments', `/admin/payments?before=${first[1]?.id}`]);
  expect(screen.getByRole('heading', { level: 1 }).textContent).toBe(en['staff.payments']);
});

test('staff payments: the fraud queue and the SPEI queue are presets of the list', async () => {
  answer = () => json(200, { items: [], before: null });
  show(FraudQueue);
  expect((await screen.findByText(en['staff.fraudEmpty'])).textContent).toBe(en['staff.fraudEmpty']);
  cleanup();
  show(SpeiQueue);
  await screen.findByText(en['staff.speiEmpty']);
  expect(calls.map((call) => call.path)).toEqual(['/admin/payments?status=fraud_suspected', '/admin/payments?method=spei&status=created']);
});

test('staff payments: confirming a SPEI transfer sends the pesos typed as exact centavos with the tracking key; the row completes in place and focus lands on it', async () => {
  const pending = payment(1);
  answer = (call) => {
    if (call.path === '/admin/payments?method=spei&status=created') return json(200, { items: [pending], before: null });
    if (call.path === `/admin/payments/${pending.id}/spei`) {
      const { userId: _userId, username: _username, ...view } = pending;
      return json(200, { payment: { ...view, status: 'completed' } });
    }
    return undefined;
  };
  show(SpeiQueue);
  fireEvent.click(await screen.findByRole('button', { name: en['staff.confirmSpei'] }));
  const dialog = await screen.findByTestId('spei-confirm-dialog');
  const amount = within(dialog).getByLabelText(en['staff.amountReceived'].replace('{currency}', 'MXN')) as HTMLInputElement;
  // Empty: the admin types what arrived (the expected amount is only the placeholder).
  expect([amount.value, amount.placeholder]).toEqual(['', '99.00']);
  fireEvent.input(amount, { target: { value: '4.35' } });
  fireEvent.input(within(dialog).getByLabelText(en['staff.trackingKey']), { target: { value: 'STP2026120700001' } });
  fireEvent.click(within(dialog).getByRole('button', { name: en['staff.confirmSpei'] }));
  await waitFor(() => expect(screen.queryByTestId('spei-confirm-dialog')).toBeNull());
  expect(calls.find((call) => call.method === 'POST')?.body).toEqual({ amountMinor: 435, trackingKey: 'STP2026120700001' });
  const row = screen.getByTestId(`staff-payment-${pending.id}`);
  expect(within(row).getByTestId('staff-payment-status').textContent).toBe(en['billing.payment.completed']);
  expect(row.textContent).toContain('@buyer1');
  expect(within(row).queryByRole('button', { name: en['staff.confirmSpei'] })).toBeNull();
  await waitFor(() => expect(document.activeElement).toBe(row));
  expect(calls.filter((call) => call.method === 'GET')).toHaveLength(1);
});

test('staff payments: a refund the server refuses shows its typed error in the dialog; part of it then refunds, the row shows it and focus returns to the button', async () => {
  const paid = payment(1, { method: 'paypal', status: 'completed', currency: 'USD', amountMinor: 999 });
  answer = (call) => {
    if (call.path === '/admin/payments') return json(200, { items: [paid], before: null });
    if (call.path !== `/admin/payments/${paid.id}/refund`) return undefined;
    if ((call.body as { amountMinor?: number }).amountMinor === 5000)
      return json(400, { error: { code: 'INVALID_INPUT', message: 'at most 999 is left to refund', details: { field: 'amountMinor' } } });
    return json(200, { payment: { ...paid, refundedMinor: 250 } });
  };
  show(Payments);
  const open = await screen.findByRole('button', { name: en['staff.refund'] });
  open.focus();
  fireEvent.click(open);
  const dialog = await screen.findByTestId('refund-dialog');
  fireEvent.click(within(dialog).getByLabelText(en['staff.refundPart']));
  fireEvent.input(within(dialog).getByLabelText(en['staff.refundAmount'].replace('{currency}', 'USD')), { target: { value: '50' } });
  fireEvent.input(within(dialog).getByLabelText(en['staff.reason']), { target: { value: 'charged twice' } });
  fireEvent.click(within(dialog).getByRole('button', { name: en['staff.refund'] }));
  expect((await within(dialog).findByRole('alert')).textContent).toBe(
    `${en['staff.refundTooMuch'].replace('{amount}', money(999, 'USD'))} (INVALID_INPUT)`,
  );
  fireEvent.input(within(dialog).getByLabelText(en['staff.refundAmount'].replace('{currency}', 'USD')), { target: { value: '2.50' } });
  fireEvent.click(within(dialog).getByRole('button', { name: en['staff.refund'] }));
  await waitFor(() => expect(screen.queryByTestId('refund-dialog')).toBeNull());
  expect(calls.filter((call) => call.method === 'POST').map((call) => call.body)).toEqual([
    { reason: 'charged twice', amountMinor: 5000 },
    { reason: 'charged twice', amountMinor: 250 },
  ]);
  expect(screen.getByTestId('staff-payment-refunded').textContent).toBe(en['staff.refunded'].replace('{amount}', money(250, 'USD')));
  await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('button', { name: en['staff.refund'] })));
});

test('staff payments: the filters become the query; the filter on a row shows only that person’s payments until cleared', async () => {
  answer = () => json(200, { items: [payment(1)], before: null });
  show(Payments);
  fireEvent.change(await screen.findByLabelText(en['staff.status']), { target: { value: 'completed' } });
  await waitFor(() => expect(calls.at(-1)?.path).toBe('/admin/payments?status=completed'));
  fireEvent.change(screen.getByLabelText(en['staff.method']), { target: { value: 'paypal' } });
  await waitFor(() => expect(calls.at(-1)?.path).toBe('/admin/payments?status=completed&method=paypal'));
  await screen.findByTestId(`staff-payment-${payment(1).id}`);
  fireEvent.click(screen.getByRole('button', { name: en['staff.onlyPerson'].replace('{name}', '\u2068buyer1\u2069') }));
  await waitFor(() => expect(calls.at(-1)?.path).toBe(`/admin/payments?status=completed&method=paypal&userId=${payment(1).userId}`));
  expect(screen.getByTestId('staff-person-filter').textContent).toContain(en['staff.personFilter'].replace('{name}', '\u2068buyer1\u2069'));
  fireEvent.click(screen.getByRole('button', { name: en['staff.clearPerson'] }));
  await waitFor(() => expect(calls.at(-1)?.path).toBe('/admin/payments?status=completed&method=paypal'));
  expect(screen.queryByTestId('staff-person-filter')).toBeNull();
});

test('staff payments: a 403 from the server (the role was taken away) shows the refusal, not the list', async () => {
  answer = () => json(403, { error: { code: 'FORBIDDEN', message: 'admins only' } });
  show(Payments);
  expect((await screen.findByTestId('staff-refused')).textContent).toContain(en['staff.refused']);
  expect(screen.queryByTestId('staff-payments')).toBeNull();
});

test('staff payments: the settings lead an admin to the staff area', () => {
  show(SettingsNav);
  expect(screen.getByRole('link', { name: en['nav.staff'] }).getAttribute('href')).toBe('/staff');
});
