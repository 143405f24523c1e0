// A plan's subscribers against a fake HTTP API in the server's shapes: each by username with the
// plan, where it stands, the monthly price in its currency and until when it is paid; the plan and
// status filters become the query (and the address).
import { MemoryRouter, Route } from '@solidjs/router';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@solidjs/testing-library';
import { afterEach, expect, test, vi } from 'vitest';
import { en } from '../../i18n/messages/en.ts';
import { actions } from '../../state/store.ts';
import Subscribers from './Subscribers.tsx';

vi.hoisted(() => {
  const user = { id: 'a1', email: 'admin@example.com', username: 'admin', emailVerified: true, twoFactorEnabled: false, hasPassword: true };
  localStorage.setItem('petamigos.session', JSON.stringify({ sessionId: 's1', user: { ...user, language: 'en', role: 'admin' } }));
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

const subscription = {
  id: '0192a1b2-c3d4-7e5f-8a9b-00000000cafe',
  plan: 'pro',
  method: 'spei',
  currency: 'MXN',
  amountMinor: 39900,
  status: 'past_due',
  currentPeriodStart: '2026-11-07T10:00:00.000Z',
  currentPeriodEnd: '2026-12-07T10:00:00.000Z',
  cancelAtPeriodEnd: false,
  holdsUntil: '2026-12-10T10:00:00.000Z',
  approveUrl: null,
  createdAt: '2026-11-07T09:58:00.000Z',
  updatedAt: '2026-12-07T10:00:00.000Z',
  userId: '0192a1b2-c3d4-7e5f-8a9b-0000000000b1',
  username: 'carla',
};

test('staff subscribers: each by username with plan, status, monthly price and paid-until; the filters become the query', async () => {
  vi.spyOn(actions, 'token').mockResolvedValue('access');
  const paths: string[] = [];
  vi.stubGlobal('fetch', async (path: string) => {
    paths.push(path);
    return new Response(JSON.stringify({ items: [subscription], before: null }), { status: 200 });
  });
  render(() => (
    <MemoryRouter>
      <Route path="/" component={Subscribers} />
    </MemoryRouter>
  ));
  const row = await screen.findByTestId(`staff-subscription-${subscription.id}`);
  expect(within(row).getByRole('link', { name: '@carla' }).getAttribute('href')).toBe('/u/carla');
  expect(row.textContent).toContain(en['receipts.plan.pro']);
  expect(row.textContent).toContain(en['staff.subscription.past_due']);
  expect(row.textContent).toContain(
    en['staff.perMonth'].replace('{amount}', new Intl.NumberFormat('en', { style: 'currency', currency: 'MXN' }).format(399)),
  );
  fireEvent.change(screen.getByLabelText(en['staff.plan']), { target: { value: 'pro' } });
  await waitFor(() => expect(paths.at(-1)).toBe('/admin/subscriptions?plan=pro'));
  fireEvent.change(screen.getByLabelText(en['staff.status']), { target: { value: 'active' } });
  await waitFor(() => expect(paths.at(-1)).toBe('/admin/subscriptions?plan=pro&status=active'));
  expect(paths[0]).toBe('/admin/subscriptions');
});
