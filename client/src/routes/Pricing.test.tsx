// The pricing screen: the four plans priced in the chosen currency (minor units through
// Intl.NumberFormat), the person's plan marked and the plans below it not for sale, the mark moved
// live by `subscriptions.changed`; the checkout sheet offers SPEI in pesos only, shows the first
// transfer's instructions and says when the plan started; a refusal is said in the sheet.
import { MemoryRouter, Route } from '@solidjs/router';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@solidjs/testing-library';
import { afterEach, expect, test, vi } from 'vitest';
import { type EventFrame, ProtocolError } from '../../../protocol/client.ts';
import { PLANS } from '../../../protocol/lists.ts';
import { en } from '../i18n/messages/en.ts';
import { actions } from '../state/store.ts';
import Pricing from './Pricing.tsx';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

const subscription = (fields: Record<string, unknown> = {}) => ({
  id: '0192a1b2-c3d4-7e5f-8a9b-00000000cafe',
  plan: 'premium',
  method: 'paypal',
  currency: 'USD',
  amountMinor: 999,
  status: 'active',
  currentPeriodStart: '2026-12-07T10:00:00.000Z',
  currentPeriodEnd: '2027-01-07T10:00:00.000Z',
  cancelAtPeriodEnd: false,
  holdsUntil: '2027-01-10T10:00:00.000Z',
  approveUrl: null,
  createdAt: '2026-12-07T09:58:00.000Z',
  updatedAt: '2026-12-07T10:00:00.000Z',
  ...fields,
});
const standing = (plan: 'free' | 'premium' | 'pro') => ({
  plan,
  entitlements: [...PLANS[plan].entitlements],
  monthlyTreats: PLANS[plan].monthlyTreats,
});

function serve(checkout: () => Promise<unknown>) {
  const listeners = new Set<(event: EventFrame) => void>();
  vi.spyOn(actions, 'onUserEvent').mockImplementation((listener) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  });
  const call = vi.spyOn(actions, 'call').mockImplementation((async (op: string) => {
    if (op === 'subscriptions.plans')
      return {
        plans: (['free', 'basic', 'premium', 'pro'] as const).map((id) => ({
          id,
          ...PLANS[id],
          entitlements: [...PLANS[id].entitlements],
        })),
        methods: ['paypal', 'mercadopago', 'spei'],
        mine: { ...standing('premium'), subscription: subscription() },
      };
    if (op === 'subscriptions.checkout') return checkout();
    throw new Error(`unexpected ${op}`);
  }) as typeof actions.call);
  render(() => (
    <MemoryRouter>
      <Route path="/" component={Pricing} />
    </MemoryRouter>
  ));
  return {
    call,
    emit: (name: string, body: unknown) => {
      for (const listener of listeners) listener({ type: 'event', topic: 'user:me', seq: 1, name, body } as EventFrame);
    },
  };
}

const card = (plan: string) => screen.getByTestId(`plan-${plan}`);

test('pricing: the four plans in the chosen currency, what each gives, the current plan marked and the lower ones not for sale', async () => {
  serve(async () => undefined);
  await waitFor(() => expect(screen.getAllByRole('listitem', { name: /./ }).length).toBeGreaterThanOrEqual(4));
  expect(within(card('premium')).getByTestId('plan-price').textContent).toBe('$9.99');
  expect(within(card('pro')).getByTestId('plan-price').textContent).toBe('$19.99');
  expect(card('basic').textContent).toContain(en['plans.entitlement.adFree']);
  expect(card('pro').textContent).toContain(en['plans.entitlement.apiTokens']);
  expect(card('free').textContent).toContain(en['plans.monthlyTreats'].replace('{treats}', '50 treats'));
  // Premium is theirs: marked, and neither it nor the plans below can be bought.
  expect(within(card('premium')).getByTestId('plan-current').textContent).toBe(en['plans.current']);
  expect(within(card('basic')).queryByTestId('plan-current')).toBeNull();
  expect((within(card('premium')).getByRole('button', { name: en['plans.currentButton'] }) as HTMLButtonElement).disabled).toBe(true);
  expect((within(card('basic')).getByRole('button', { name: en['plans.included'] }) as HTMLButtonElement).disabled).toBe(true);
  expect((within(card('free')).getByRole('button', { name: en['plans.included'] }) as HTMLButtonElement).disabled).toBe(true);
  within(card('pro')).getByRole('button', { name: en['plans.upgrade'].replace('{plan}', 'Pro') });
  // Pesos: the same choice as the treats screen.
  fireEvent.click(screen.getByRole('button', { name: 'MXN' }));
  expect(within(card('premium')).getByTestId('plan-price').textContent).toBe('MX$199.00');
});

test('pricing: subscriptions.changed moves the mark live', async () => {
  const { emit } = serve(async () => undefined);
  await waitFor(() => within(card('premium')).getByTestId('plan-current'));
  emit('subscriptions.changed', { ...standing('pro'), subscription: subscription({ plan: 'pro' }) });
  await waitFor(() => within(card('pro')).getByTestId('plan-current'));
  expect(within(card('premium')).queryByTestId('plan-current')).toBeNull();
  within(card('premium')).getByRole('button', { name: en['plans.included'] });
});

test('pricing: the checkout sheet offers SPEI in pesos only, shows the first transfer and says when the plan started', async () => {
  const spei = {
    id: '0192a1b2-c3d4-7e5f-8a9b-00000000fa11',
    method: 'spei',
    status: 'created',
    amountMinor: 39900,
    currency: 'MXN',
    packId: null,
    treats: 0,
    plan: 'pro',
    subscriptionId: '0192a1b2-c3d4-7e5f-8a9b-00000000b0b0',
    refundedMinor: 0,
    proration: null,
    spei: {
      clabe: '646180157000000004',
      reference: '0000000',
      beneficiary: 'PetAmigos',
      bank: 'STP',
      expiresAt: '2026-12-10T10:00:00.000Z',
    },
    approveUrl: null,
    createdAt: '2026-12-07T10:00:00.000Z',
    updatedAt: '2026-12-07T10:00:00.000Z',
  };
  const { call, emit } = serve(async () => ({
    subscription: subscription({ id: spei.subscriptionId, plan: 'pro', method: 'spei', currency: 'MXN', status: 'pending' }),
    payment: spei,
  }));
  fireEvent.click(await screen.findByTestId('choose-pro'));
  const sheet = await screen.findByTestId('plan-checkout');
  expect(within(sheet).getByTestId('checkout-price').textContent).toBe('$19.99');
  const speiButton = within(sheet).getByTestId('method-spei').querySelector('button') as HTMLButtonElement;
  expect(speiButton.disabled).toBe(true);
  expect(within(sheet).getByTestId('method-spei').textContent).toContain(en['spei.mxnOnly']);
  fireEvent.click(within(sheet).getByRole('button', { name: 'MXN' }));
  expect(within(sheet).getByTestId('checkout-price').textContent).toBe('MX$399.00');
  expect(speiButton.disabled).toBe(false);
  fireEvent.click(speiButton);
  await waitFor(() => within(sheet).getByTestId('spei-instructions'));
  expect(call).toHaveBeenCalledWith('subscriptions.checkout', { plan: 'pro', method: 'spei', currency: 'MXN' });
  expect(within(sheet).getByTestId('spei-clabe').textContent?.replace(/\s/g, '')).toBe(spei.spei.clabe);
  // The transfer is received: the sheet says so, and the card is marked.
  emit('subscriptions.changed', {
    ...standing('pro'),
    subscription: subscription({ id: spei.subscriptionId, plan: 'pro', method: 'spei' }),
  });
  await waitFor(() => within(sheet).getByTestId('plan-started'));
  expect(within(card('pro')).getByTestId('plan-current')).toBeTruthy();
});

test('pricing: a refused checkout is said in the sheet and the methods come back', async () => {
  serve(async () => {
    throw new ProtocolError('ALREADY_SUBSCRIBED', 'already', { plan: 'pro' });
  });
  fireEvent.click(await screen.findByTestId('choose-pro'));
  const sheet = await screen.findByTestId('plan-checkout');
  const paypal = within(sheet).getByTestId('method-paypal').querySelector('button') as HTMLButtonElement;
  fireEvent.click(paypal);
  await waitFor(() => expect(within(sheet).getByRole('alert').textContent).toBe(en['error.ALREADY_SUBSCRIBED']));
  expect(paypal.disabled).toBe(false);
});
