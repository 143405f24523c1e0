// The staff verification queue against a fake HTTP API in the server's shapes: who asked (by
// username), their category, note and links; approving one and rejecting another with a reason
// update their rows in place; a request another admin decided meanwhile shows the typed refusal.
import { MemoryRouter, Route } from '@solidjs/router';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@solidjs/testing-library';
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { en } from '../../i18n/messages/en.ts';
import { actions } from '../../state/store.ts';
import VerificationQueue from './Verification.tsx';

vi.hoisted(() => {
  const user = { id: 'a1', email: 'admin@example.com', username: 'admin', emailVerified: true, twoFactorEnabled: false, hasPassword: true };
  localStorage.setItem('petamigos.session', JSON.stringify({ sessionId: 's1', user: { ...user, language: 'en', role: 'admin' } }));
});

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const request = (n: number, username: string) => ({
  id: `0192a1b2-5555-7000-8000-00000000000${n}`,
  category: 'shelter',
  note: 'Refugio Patitas, Coyoacán',
  links: ['https://patitas.example.org/about'],
  status: 'pending',
  reason: null,
  createdAt: '2026-12-07T10:00:00.000Z',
  decidedAt: null,
  user: { id: `0192a1b2-5555-7000-8000-0000000000b${n}`, username },
});
const decided = (queued: ReturnType<typeof request>, fields: Record<string, unknown>) => {
  const { user: _user, ...view } = queued;
  return { request: { ...view, decidedAt: '2026-12-07T11:00:00.000Z', ...fields } };
};

type Call = { method: string; path: string; body: unknown };
let calls: Call[];

beforeEach(() => {
  calls = [];
  vi.spyOn(actions, 'token').mockResolvedValue('access');
  vi.spyOn(actions, 'toast').mockImplementation(() => undefined);
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

function serve(answer: (call: Call) => Response | undefined) {
  vi.stubGlobal('fetch', async (path: string, init: RequestInit = {}) => {
    const call = { method: init.method ?? 'GET', path, body: init.body === undefined ? undefined : JSON.parse(String(init.body)) };
    calls.push(call);
    return answer(call) ?? json(404, { error: { code: 'NOT_FOUND', message: path } });
  });
}

const show = () =>
  render(() => (
    <MemoryRouter>
      <Route path="/" component={VerificationQueue} />
    </MemoryRouter>
  ));

test('staff verification: approving one request and rejecting another with a reason update their rows in place', async () => {
  const [ana, bruno] = [request(1, 'ana'), request(2, 'bruno')];
  serve((call) => {
    if (call.path === '/admin/verification') return json(200, { items: [ana, bruno], after: null });
    if (call.path === `/admin/verification/${ana.id}/approve`) return json(200, decided(ana, { status: 'approved' }));
    if (call.path === `/admin/verification/${bruno.id}/reject`)
      return json(200, decided(bruno, { status: 'rejected', reason: (call.body as { reason: string }).reason }));
    return undefined;
  });
  show();
  const first = await screen.findByTestId(`staff-request-${ana.id}`);
  expect(first.textContent).toContain('@ana');
  expect(first.textContent).toContain(en['verification.category.shelter']);
  expect(within(first).getByRole('link', { name: 'https://patitas.example.org/about' }).getAttribute('rel')).toContain('noopener');
  fireEvent.click(within(first).getByRole('button', { name: en['staff.approve'] }));
  await waitFor(() => expect(within(first).getByTestId('staff-request-status').textContent).toBe(en['staff.request.approved']));
  expect(within(first).queryByRole('button')).toBeNull();
  expect(document.activeElement).toBe(first);

  const second = screen.getByTestId(`staff-request-${bruno.id}`);
  fireEvent.click(within(second).getByRole('button', { name: en['staff.reject'] }));
  const dialog = await screen.findByTestId('reject-dialog');
  expect(within(dialog).getByRole('heading').textContent).toBe(en['staff.rejectTitle'].replace('{name}', '\u2068bruno\u2069'));
  fireEvent.input(within(dialog).getByLabelText(en['staff.rejectReason']), { target: { value: 'The links do not show the shelter.' } });
  fireEvent.click(within(dialog).getByRole('button', { name: en['staff.reject'] }));
  await waitFor(() => expect(screen.queryByTestId('reject-dialog')).toBeNull());
  expect(within(second).getByTestId('staff-request-status').textContent).toBe(en['staff.request.rejected']);
  expect(within(second).getByTestId('staff-request-reason').textContent).toBe(
    en['staff.rejectedBecause'].replace('{reason}', 'The links do not show the shelter.'),
  );
  await waitFor(() => expect(document.activeElement).toBe(second));
  expect(calls.map((call) => [call.method, call.path, call.body])).toEqual([
    ['GET', '/admin/verification', undefined],
    ['POST', `/admin/verification/${ana.id}/approve`, undefined],
    ['POST', `/admin/verification/${bruno.id}/reject`, { reason: 'The links do not show the shelter.' }],
  ]);
});

test('staff verification: a request another admin decided meanwhile shows the typed refusal on its row', async () => {
  const ana = request(1, 'ana');
  serve((call) => {
    if (call.path === '/admin/verification') return json(200, { items: [ana], after: null });
    if (call.method === 'POST') return json(409, { error: { code: 'VERIFICATION_DECIDED', message: 'already decided' } });
    return undefined;
  });
  show();
  fireEvent.click(await screen.findByRole('button', { name: en['staff.approve'] }));
  expect((await screen.findByRole('alert')).textContent).toBe(`${en['error.VERIFICATION_DECIDED']} (VERIFICATION_DECIDED)`);
  expect(screen.getByTestId('staff-request-status').textContent).toBe(en['staff.request.pending']);
});
