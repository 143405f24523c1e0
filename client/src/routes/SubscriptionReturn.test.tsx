// The page the providers send the buyer back to: it syncs the subscription, says it waits for the
// first payment while pending and turns into the welcome when `subscriptions.changed` reports it
// paid; a subscription that never started says nothing was charged.
import { MemoryRouter, Route } from '@solidjs/router';
import { cleanup, render, screen, waitFor } from '@solidjs/testing-library';
import { afterEach, expect, test, vi } from 'vitest';
import type { EventFrame } from '../../../protocol/client.ts';
import { en } from '../i18n/messages/en.ts';
import { actions } from '../state/store.ts';
import SubscriptionReturn from './SubscriptionReturn.tsx';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

const ID = '0192a1b2-c3d4-7e5f-8a9b-00000000cafe';
const subscription = (fields: Record<string, unknown> = {}) => ({
  id: ID,
  plan: 'premium',
  method: 'mercadopago',
  currency: 'MXN',
  amountMinor: 19900,
  status: 'pending',
  currentPeriodStart: null,
  currentPeriodEnd: null,
  cancelAtPeriodEnd: false,
  holdsUntil: null,
  approveUrl: null,
  createdAt: '2026-12-07T09:58:00.000Z',
  updatedAt: '2026-12-07T10:00:00.000Z',
  ...fields,
});

function serve(synced: ReturnType<typeof subscription>) {
  const listeners = new Set<(event: EventFrame) => void>();
  vi.spyOn(actions, 'onUserEvent').mockImplementation((listener) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  });
  const call = vi.spyOn(actions, 'call').mockImplementation((async (op: string) => {
    if (op === 'subscriptions.sync') return synced;
    throw new Error(`unexpected ${op}`);
  }) as typeof actions.call);
  render(() => (
    <MemoryRouter>
      <Route path="/subscriptions/:id/return" component={SubscriptionReturn} />
      {/* The memory router starts at /: a link there leads to the return page. */}
      <Route path="*" component={() => <a href={`/subscriptions/${ID}/return`}>go</a>} />
    </MemoryRouter>
  ));
  return {
    call,
    emit: (name: string, body: unknown) => {
      for (const listener of listeners) listener({ type: 'event', topic: 'user:me', seq: 1, name, body } as EventFrame);
    },
  };
}

test('subscription return: pending while the first month is charged, then the welcome with what the plan unlocks, live', async () => {
  const { call, emit } = serve(subscription());
  (await screen.findByText('go')).click();
  await waitFor(() => expect(screen.getByTestId('subscription-pending').textContent).toContain('Mercado Pago'));
  expect(call).toHaveBeenCalledWith('subscriptions.sync', { subscriptionId: ID });
  emit('subscriptions.changed', {
    plan: 'premium',
    entitlements: [],
    monthlyTreats: 100,
    subscription: subscription({ status: 'active', currentPeriodStart: '2026-12-07T10:00:00.000Z' }),
  });
  await waitFor(() =>
    expect(screen.getByTestId('subscription-active').textContent).toContain(en['subscription.welcome'].replace('{plan}', 'Premium')),
  );
  expect(screen.getByTestId('subscription-active').textContent).toContain(en['plans.entitlement.verification']);
});

test('subscription return: one that never started says nothing was charged and leads to the plans', async () => {
  serve(subscription({ status: 'expired' }));
  (await screen.findByText('go')).click();
  await waitFor(() => expect(screen.getByTestId('subscription-failed').textContent).toContain(en['subscription.failed']));
  expect(screen.getByRole('link', { name: en['apiTokens.seePlans'] }).getAttribute('href')).toBe('/pricing');
});
