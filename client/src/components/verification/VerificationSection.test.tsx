// The verification part of the profile settings: without the plan, an upgrade hint to /pricing and
// no form; with it, the form sends what was typed (links one per line) and shows the request
// waiting; a rejection shows the admin's reason isolated for bidi; an approval arriving live
// (`verification.changed`) shows the account verified. Badges next to names have spoken labels.
import { cleanup, fireEvent, render, screen, waitFor, within } from '@solidjs/testing-library';
import { afterEach, expect, test, vi } from 'vitest';
import type { CallResponse } from '../../../../protocol/catalogue.ts';
import type { EventFrame } from '../../../../protocol/client.ts';
import { en } from '../../i18n/messages/en.ts';
import { actions } from '../../state/store.ts';
import { Badges } from '../Person.tsx';
import { renderScreen } from '../testing.tsx';
import { VerificationSection } from './VerificationSection.tsx';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

type Status = CallResponse<'verification.status'>;
const request = (fields: Partial<NonNullable<Status['request']>> = {}): NonNullable<Status['request']> => ({
  id: '0192a1b2-5555-7000-8000-0000000000a1',
  category: 'shelter',
  note: '',
  links: [],
  status: 'pending',
  reason: null,
  createdAt: '2026-11-24T10:00:00.000Z',
  decidedAt: null,
  ...fields,
});

function serve(status: () => Status, made?: (body: unknown) => unknown) {
  const listeners = new Set<(event: EventFrame) => void>();
  vi.spyOn(actions, 'onUserEvent').mockImplementation((listener) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  });
  vi.spyOn(actions, 'toast').mockImplementation(() => undefined);
  const call = vi.spyOn(actions, 'call').mockImplementation((async (op: string, body: unknown) => {
    if (op === 'verification.status') return status();
    if (op === 'verification.request' && made !== undefined) return made(body);
    throw new Error(`unexpected ${op}`);
  }) as typeof actions.call);
  const emit = (event: EventFrame) => {
    for (const listener of listeners) listener(event);
  };
  return { call, emit };
}

test('verification settings: without the plan, an upgrade hint leads to /pricing and there is no form', async () => {
  serve(() => ({ request: null, verified: false, eligible: false }));
  renderScreen(VerificationSection);
  const hint = await screen.findByTestId('verification-locked');
  expect(hint.textContent).toContain(en['verification.locked']);
  expect(within(hint).getByRole('link', { name: en['plans.see'] }).getAttribute('href')).toBe('/pricing');
  expect(screen.queryByRole('button', { name: en['verification.submit'] })).toBeNull();
});

test('verification settings: with the plan the form sends the category, note and links, then shows the request waiting; an approval arriving live shows it verified', async () => {
  let current: Status = { request: null, verified: false, eligible: true };
  const { call, emit } = serve(
    () => current,
    (body) => {
      current = { ...current, request: request({ status: 'pending' }) };
      return { ...request(), ...(body as object) };
    },
  );
  renderScreen(VerificationSection);
  fireEvent.change(await screen.findByLabelText(en['verification.category']), { target: { value: 'vet' } });
  fireEvent.input(screen.getByLabelText(en['verification.note']), { target: { value: 'Clínica Huellitas' } });
  fireEvent.input(screen.getByLabelText(en['verification.links'].replace('{count}', '3')), {
    target: { value: 'https://huellitas.example.mx\n\nhttps://instagram.example/huellitas ' },
  });
  fireEvent.click(screen.getByRole('button', { name: en['verification.submit'] }));
  await waitFor(() =>
    expect(call).toHaveBeenCalledWith('verification.request', {
      category: 'vet',
      note: 'Clínica Huellitas',
      links: ['https://huellitas.example.mx', 'https://instagram.example/huellitas'],
    }),
  );
  expect((await screen.findByTestId('verification-state')).textContent).toBe(en['verification.pending']);
  expect(screen.queryByRole('button', { name: en['verification.submit'] })).toBeNull();

  current = { request: request({ status: 'approved', decidedAt: '2026-11-25T09:00:00.000Z' }), verified: true, eligible: true };
  emit({ type: 'event', topic: 'user:me', seq: 1, name: 'verification.changed', body: { request: current.request } } as EventFrame);
  await waitFor(() => expect(screen.getByTestId('verification-state').textContent).toBe(en['verification.approved']));
});

test('verification settings: a rejection shows the admin’s reason isolated for bidi, and the form to ask again', async () => {
  serve(() => ({ request: request({ status: 'rejected', reason: 'الرابط لا يعمل' }), verified: false, eligible: true }));
  renderScreen(VerificationSection);
  const state = await screen.findByTestId('verification-state');
  expect(state.textContent).toContain(en['verification.rejected']);
  expect(state.querySelector('bdi[dir="auto"]')?.textContent).toBe('الرابط لا يعمل');
  expect(screen.getByRole('button', { name: en['verification.submit'] })).toBeTruthy();
});

test('verification settings: an approval kept while the plan is gone says the mark shows with Premium or Pro again', async () => {
  serve(() => ({ request: request({ status: 'approved' }), verified: false, eligible: false }));
  renderScreen(VerificationSection);
  expect((await screen.findByTestId('verification-state')).textContent).toBe(en['verification.hidden']);
  expect(screen.getByTestId('verification-locked')).toBeTruthy();
});

test('badges: each badge next to a name is an icon with a spoken label; none renders nothing', () => {
  render(() => <Badges badges={['verified', 'pro']} />);
  expect(screen.getAllByRole('img').map((badge) => badge.getAttribute('aria-label'))).toEqual([en['profile.verified'], en['badge.pro']]);
  cleanup();
  render(() => <Badges badges={[]} />);
  expect(screen.queryByTestId('badges')).toBeNull();
});
