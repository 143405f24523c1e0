// Sending treats from a post: the action is not on one's own post; the dialog shows the wallet live,
// checks the amount before sending, says by how much a wallet falls short (before sending and when
// the server says so) with the way to buy more, sends one clientId for every retry of one tip,
// says when to try again after too many tips and that a gone post got nothing, and confirms a tip
// with the wallet after it.
import { MemoryRouter, Route } from '@solidjs/router';
import { cleanup, fireEvent, render, screen, waitFor } from '@solidjs/testing-library';
import { afterEach, expect, test, vi } from 'vitest';
import { type EventFrame, ProtocolError } from '../../../../protocol/client.ts';
import { en } from '../../i18n/messages/en.ts';
import type { Post } from '../../state/posts.ts';
import { actions, state } from '../../state/store.ts';
import { PostCard } from '../PostCard.tsx';
import { TipDialog } from './TipDialog.tsx';

const ME = vi.hoisted(() => {
  const me = { id: '0192a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b', username: 'ana_luna', displayName: 'Ana' };
  localStorage.setItem('petamigos.session', JSON.stringify({ sessionId: 's', user: me }));
  return me;
});

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
  badges: [],
  accountType: 'personal' as const,
};
const post = (author = bruno): Post => ({
  id: '0192a1b2-4444-7000-8000-000000000001',
  author,
  pet: null,
  text: 'Sunny day',
  entities: [],
  visibility: 'public',
  mediaIds: [],
  place: null,
  poll: null,
  reactions: { like: 0, love: 0, haha: 0, wow: 0, sad: 0, angry: 0 },
  comments: 0,
  shares: 0,
  myReaction: null,
  saved: false,
  createdAt: '2026-11-24T09:00:00.000Z',
  editedAt: null,
  shared: null,
});

type Tip = { postId: string; treats: number; note?: string; clientId: string };

/** The dialog over a post of Bruno's, with a wallet of `wallet` and `tip` answering the sends. */
function open(wallet: number, tip: (body: Tip) => Promise<unknown>) {
  const listeners = new Set<(event: EventFrame) => void>();
  vi.spyOn(actions, 'onUserEvent').mockImplementation((listener) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  });
  const call = vi.spyOn(actions, 'call').mockImplementation((async (op: string, body: unknown) => {
    if (op === 'treats.balance') return { wallet, earned: 0 };
    if (op === 'treats.tip') return tip(body as Tip);
    throw new Error(`unexpected ${op}`);
  }) as typeof actions.call);
  const onClose = vi.fn();
  render(() => (
    <MemoryRouter>
      <Route path="/" component={() => <TipDialog post={post()} onClose={onClose} />} />
    </MemoryRouter>
  ));
  const tips = () => call.mock.calls.filter(([op]) => op === 'treats.tip').map(([, body]) => body as Tip);
  return {
    tips,
    onClose,
    emit: (event: EventFrame) => {
      for (const listener of listeners) listener(event);
    },
  };
}

const dialog = () => screen.getByTestId('tip-dialog');
const balance = () => screen.getByTestId('tip-balance').textContent;
const amount = () => screen.getByLabelText(en['tip.custom']) as HTMLInputElement;
const sendButton = () => screen.getByTestId('tip-send') as HTMLButtonElement;
const clean = (text: string | null | undefined) => (text ?? '').replace(/[\u2068\u2069]/g, '');

test('tip: the action is on other people’s posts only, and opens the dialog titled with the author', async () => {
  vi.spyOn(actions, 'call').mockResolvedValue({ wallet: 0, earned: 0 });
  render(() => (
    <MemoryRouter>
      <Route path="/" component={() => <PostCard post={post({ ...bruno, id: ME.id, username: ME.username, displayName: 'Ana' })} />} />
    </MemoryRouter>
  ));
  expect(state.user?.id).toBe(ME.id);
  expect(screen.queryByTestId('tip')).toBeNull();
  cleanup();
  render(() => (
    <MemoryRouter>
      <Route path="/" component={() => <PostCard post={post()} />} />
    </MemoryRouter>
  ));
  const action = screen.getByRole('button', { name: (name) => clean(name) === 'Send treats to Bruno' });
  fireEvent.click(action);
  expect(clean(dialog().querySelector('h2')?.textContent)).toBe('Send treats to Bruno');
});

test('tip: the wallet shows and follows treats.changed; an amount out of range is refused before anything is sent', async () => {
  const { tips, emit } = open(40, async () => ({ transferId: 'x', balances: { wallet: 0, earned: 0 } }));
  await waitFor(() => expect(clean(balance())).toBe('In your wallet: 40 treats'));
  emit({
    type: 'event',
    topic: 'user:me',
    seq: 3,
    name: 'treats.changed',
    body: { wallet: 1040, earned: 0, transferId: 't', kind: 'purchase' },
  } as EventFrame);
  await waitFor(() => expect(clean(balance())).toBe('In your wallet: 1,040 treats'));

  // A preset is pressed when it is the amount; ten is where the dialog starts.
  expect(screen.getByRole('button', { name: '10 treats' }).getAttribute('aria-pressed')).toBe('true');
  fireEvent.click(screen.getByRole('button', { name: '25 treats' }));
  expect(amount().value).toBe('25');
  expect(sendButton().textContent).toBe('Send 25 treats');

  for (const wrong of ['0', '2.5', '10001', '-3']) {
    fireEvent.input(amount(), { target: { value: wrong } });
    expect(screen.getByText('Choose a whole number from 1 to 10,000.')).toBeTruthy();
    expect(amount().getAttribute('aria-invalid')).toBe('true');
    fireEvent.click(sendButton());
  }
  fireEvent.input(amount(), { target: { value: '' } });
  fireEvent.click(sendButton());
  expect(screen.getByText('Choose a whole number from 1 to 10,000.')).toBeTruthy();
  expect(tips()).toEqual([]);
});

test('tip: a wallet short of the amount says by how much and links to buying treats; the server’s NOT_ENOUGH_TREATS says the same', async () => {
  const { tips } = open(30, async (body) => {
    // Spent elsewhere meanwhile: the server counts 20.
    throw new ProtocolError('NOT_ENOUGH_TREATS', 'short', { balance: 20, needed: body.treats });
  });
  await waitFor(() => expect(clean(balance())).toBe('In your wallet: 30 treats'));
  fireEvent.click(screen.getByRole('button', { name: '50 treats' }));
  const short = screen.getByTestId('tip-short');
  expect(short.textContent).toContain('You need 20 more treats for this tip.');
  expect(short.querySelector('a')?.getAttribute('href')).toBe('/wallet');
  expect(short.querySelector('a')?.textContent).toBe(en['wallet.buy']);
  expect(sendButton().disabled).toBe(true);
  expect(tips()).toEqual([]);

  fireEvent.click(screen.getByRole('button', { name: '25 treats' }));
  expect(screen.queryByTestId('tip-short')).toBeNull();
  fireEvent.click(sendButton());
  await waitFor(() => expect(screen.getByTestId('tip-short').textContent).toContain('You need 5 more treats for this tip.'));
  expect(clean(balance())).toBe('In your wallet: 20 treats');
  expect(tips()).toHaveLength(1);
});

test('tip: a send retried after a failure carries the same clientId; too many tips say when to try again; a sent tip is confirmed with the wallet after it', async () => {
  let attempt = 0;
  const { tips, onClose } = open(100, async () => {
    attempt += 1;
    if (attempt === 1) throw new ProtocolError('RATE_LIMITED', 'too many tips', { retryAfterSeconds: 42, retryAfterMs: 42_000 });
    if (attempt === 2) throw new Error('connection lost');
    return { transferId: '0192a1b2-c3d4-7e5f-8a9b-00000000a1a1', balances: { wallet: 75, earned: 0 } };
  });
  await waitFor(() => expect(clean(balance())).toBe('In your wallet: 100 treats'));
  fireEvent.click(screen.getByRole('button', { name: '25 treats' }));
  fireEvent.input(screen.getByLabelText(en['tip.note']), { target: { value: '  ¡Qué ola!  ' } });
  expect(screen.getByText('13 of 140 characters')).toBeTruthy();

  fireEvent.click(sendButton());
  await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('You sent many tips in a short time. Try again in 42 seconds.'));
  expect(sendButton().disabled).toBe(false);
  fireEvent.click(sendButton());
  await waitFor(() => expect(screen.getByRole('alert').textContent).toBe(en['error.UNKNOWN']));
  fireEvent.click(sendButton());
  expect(sendButton().disabled).toBe(true);
  expect(sendButton().textContent).toBe(en['form.working']);

  const sent = await screen.findByTestId('tip-sent');
  expect(clean(sent.textContent)).toContain('Your tip of 25 treats was sent to Bruno.');
  expect(clean(sent.textContent)).toContain('In your wallet: 75 treats');
  const bodies = tips();
  expect(bodies).toHaveLength(3);
  expect(new Set(bodies.map((body) => body.clientId)).size).toBe(1);
  expect(bodies[0]).toEqual({ postId: post().id, treats: 25, note: '¡Qué ola!', clientId: bodies[0]?.clientId });
  // The dialog's own close button (the cross) is first; the one under the confirmation last.
  fireEvent.click(screen.getAllByRole('button', { name: en['dialog.close'] }).at(-1) as HTMLElement);
  expect(onClose).toHaveBeenCalled();
});

test('tip: a post gone (deleted, or no longer visible) says so and nothing was sent', async () => {
  open(100, async () => {
    throw new ProtocolError('NOT_FOUND', 'no such post');
  });
  await waitFor(() => expect(clean(balance())).toBe('In your wallet: 100 treats'));
  fireEvent.click(sendButton());
  expect((await screen.findByTestId('tip-gone')).textContent).toBe(en['tip.gone']);
  expect(screen.queryByTestId('tip-send')).toBeNull();
});
