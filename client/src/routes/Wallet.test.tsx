// The treats screen: balances, packs priced in the chosen currency, the history worded by kind
// (a tip names the other person; someone hidden by a block is not named), live balances from
// `treats.changed`, and a refused checkout shown where the buttons are, nothing left pending.
import { MemoryRouter, Route } from '@solidjs/router';
import { cleanup, fireEvent, render, screen, waitFor } from '@solidjs/testing-library';
import { afterEach, expect, test, vi } from 'vitest';
import { type EventFrame, ProtocolError } from '../../../protocol/client.ts';
import { currencyOf, formatPrice } from '../components/payments/price.ts';
import { downloadReceipt } from '../components/payments/ReceiptButton.tsx';
import { en } from '../i18n/messages/en.ts';
import { actions } from '../state/store.ts';
import Wallet from './Wallet.tsx';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

const bruno = {
  id: '0192a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a77',
  username: 'bruno',
  displayName: 'Bruno',
  avatarMediaId: null,
  verified: false,
  accountType: 'personal' as const,
  badges: [],
};
const movement = (n: number, fields: Record<string, unknown>) => ({
  id: String(n),
  transferId: `0192a1b2-c3d4-7e5f-8a9b-00000000a1a${n}`,
  account: 'wallet',
  kind: 'purchase',
  amount: 550,
  balanceAfter: 550,
  at: '2026-12-07T10:00:00.000Z',
  counterpart: null,
  postId: null,
  note: null,
  ...fields,
});

function serve(checkout: () => Promise<unknown>, payments: unknown[] = []) {
  const listeners = new Set<(event: EventFrame) => void>();
  vi.spyOn(actions, 'onUserEvent').mockImplementation((listener) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  });
  const call = vi.spyOn(actions, 'call').mockImplementation((async (op: string) => {
    if (op === 'treats.balance') return { wallet: 525, earned: 18 };
    if (op === 'payments.options')
      return {
        packs: [
          { id: 'treats_100', treats: 100, prices: { USD: 99, MXN: 1900 } },
          { id: 'treats_550', treats: 550, prices: { USD: 499, MXN: 9900 } },
        ],
        methods: ['paypal'],
      };
    if (op === 'treats.history')
      return {
        items: [
          movement(3, { kind: 'tip', amount: -25, balanceAfter: 525, counterpart: bruno, note: '¡Qué ola!' }),
          movement(2, { kind: 'tip', account: 'earned', amount: 18, balanceAfter: 18, counterpart: null }),
          movement(1, {}),
        ],
        nextCursor: null,
      };
    if (op === 'payments.checkout') return checkout();
    if (op === 'payments.list') return { items: payments, nextCursor: null };
    throw new Error(`unexpected ${op}`);
  }) as typeof actions.call);
  render(() => (
    <MemoryRouter>
      <Route path="/" component={Wallet} />
    </MemoryRouter>
  ));
  return {
    call,
    emit: (event: EventFrame) => {
      for (const listener of listeners) listener(event);
    },
  };
}

test('wallet: the currency a locale pays in, and prices in minor units formatted for the language', () => {
  expect(currencyOf('es-MX')).toBe('MXN');
  expect(currencyOf('en-MX')).toBe('MXN');
  expect(currencyOf('es-AR')).toBe('USD');
  expect(currencyOf('en')).toBe('USD');
  expect(formatPrice(499, 'USD', 'en-US')).toBe('$4.99');
  expect(formatPrice(9900, 'MXN', 'es-MX')).toBe('$99.00');
  expect(formatPrice(9900, 'MXN', 'en-US')).toBe('MX$99.00');
});

test('wallet: balances, packs in the chosen currency, and the history worded by kind; a tip from someone hidden is not named', async () => {
  serve(async () => undefined);
  await waitFor(() => expect(screen.getByTestId('wallet-balance').textContent).toBe('525'));
  expect(screen.getByTestId('earned-balance').textContent).toBe('18');
  const pack = () => screen.getByTestId('pack-treats_550').textContent ?? '';
  await waitFor(() => expect(pack()).toContain('550 treats'));
  const usdButton = screen.getByRole('button', { name: 'USD' });
  fireEvent.click(usdButton);
  expect(pack()).toContain('$4.99');
  fireEvent.click(screen.getByRole('button', { name: 'MXN' }));
  expect(pack()).toContain('MX$99.00');
  const history = screen.getByTestId('wallet-history');
  await waitFor(() => expect(history.querySelectorAll('li')).toHaveLength(3));
  const rows = [...history.querySelectorAll('li')].map((row) => row.textContent?.replace(/[\u2068\u2069]/g, ''));
  expect(rows[0]).toContain(en['wallet.kind.tipSent'].replace('{name}', 'Bruno'));
  expect(rows[0]).toContain('¡Qué ola!');
  expect(rows[0]).toContain('−25');
  expect(rows[1]).toContain(en['wallet.kind.tipReceivedAnyone']);
  expect(rows[1]).toContain('+18');
  expect(rows[2]).toContain(en['wallet.kind.purchase']);
});

test('wallet: treats.changed moves the balances live; a refused checkout is said and the buttons come back', async () => {
  const { emit } = serve(async () => {
    throw new ProtocolError('TOO_MANY_PENDING', 'at most 5', { limit: 5 });
  });
  await waitFor(() => expect(screen.getByTestId('wallet-balance').textContent).toBe('525'));
  emit({
    type: 'event',
    topic: 'user:me',
    seq: 9,
    name: 'treats.changed',
    body: { wallet: 1075, earned: 18, transferId: 'x', kind: 'purchase' },
  } as EventFrame);
  await waitFor(() => expect(screen.getByTestId('wallet-balance').textContent).toBe('1,075'));
  const buy = screen.getByTestId('pack-treats_100').querySelector('button') as HTMLButtonElement;
  fireEvent.click(buy);
  await waitFor(() => expect(screen.getByRole('alert').textContent).not.toBe(''));
  expect(buy.disabled).toBe(false);
});

const payment = (n: number, fields: Record<string, unknown>) => ({
  id: `0192a1b2-c3d4-7e5f-8a9b-00000000b0b${n}`,
  method: 'paypal',
  status: 'completed',
  amountMinor: 499,
  currency: 'USD',
  packId: 'treats_550',
  treats: 550,
  plan: null,
  subscriptionId: null,
  refundedMinor: 0,
  proration: null,
  spei: null,
  approveUrl: null,
  createdAt: '2026-12-07T10:00:00.000Z',
  updatedAt: '2026-12-07T10:00:00.000Z',
  ...fields,
});

test('wallet: completed payments (a pack, a month of a plan, a refunded one) offer their receipt; one waiting or failed does not; the PDF is fetched with the access token and saved', async () => {
  const items = [
    payment(1, {}),
    payment(2, {
      packId: null,
      treats: 0,
      plan: 'premium',
      subscriptionId: '0192a1b2-c3d4-7e5f-8a9b-00000000c0c1',
      amountMinor: 19900,
      currency: 'MXN',
    }),
    payment(3, { status: 'refunded', refundedMinor: 499 }),
    payment(4, { status: 'created', approveUrl: 'https://paypal.example/approve' }),
    payment(5, { status: 'failed' }),
  ];
  serve(async () => undefined, items);
  await waitFor(() => expect(screen.getByTestId('receipts').querySelectorAll('li')).toHaveLength(3));
  const rows = [...screen.getByTestId('receipts').querySelectorAll('li')].map((row) => row.textContent ?? '');
  expect(rows[0]).toContain('550 treats');
  expect(rows[0]).toContain('$4.99');
  expect(rows[1]).toContain(en['receipts.planMonth'].replace('{plan}', en['receipts.plan.premium']));
  expect(rows[1]).toContain('MX$199.00');
  expect(screen.queryByTestId(`receipt-${items[3]?.id}`)).toBeNull();

  vi.spyOn(actions, 'token').mockResolvedValue('access-token');
  const fetched = vi.spyOn(globalThis, 'fetch').mockResolvedValue(
    new Response(new Blob(['%PDF-1.7'], { type: 'application/pdf' }), {
      headers: { 'content-type': 'application/pdf', 'content-disposition': 'attachment; filename="petamigos-receipt-PA-1.pdf"' },
    }),
  );
  const clicked = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
  fireEvent.click(screen.getAllByRole('button', { name: 'Download the receipt for 550 treats ($4.99)' })[0] as HTMLButtonElement);
  await waitFor(() => expect(clicked).toHaveBeenCalled());
  expect(fetched).toHaveBeenCalledWith(`/payments/${items[0]?.id}/receipt.pdf`, {
    headers: { accept: 'application/pdf', authorization: 'Bearer access-token' },
  });
  expect((clicked.mock.contexts[0] as HTMLAnchorElement).download).toBe('petamigos-receipt-PA-1.pdf');
});

test('wallet: a receipt refused by the server is an error with its code (NO_RECEIPT), nothing saved', async () => {
  const save = vi.fn();
  const refused = downloadReceipt('0192a1b2-c3d4-7e5f-8a9b-00000000b0b1', {
    token: async () => 'access-token',
    fetch: async () => Response.json({ error: { code: 'NO_RECEIPT', message: 'not completed' } }, { status: 409 }),
    save,
  });
  await expect(refused).rejects.toMatchObject({ code: 'NO_RECEIPT', status: 409 });
  expect(save).not.toHaveBeenCalled();
});
