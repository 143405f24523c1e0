// The end of a provider sign-in: the one-time code is exchanged at once, and an account with
// two-step verification on gets the code step first. The HTTP API is a fake fetch in the
// server's shapes (oauth.test.ts runs the real flow).
import { createMemoryHistory, MemoryRouter, Route } from '@solidjs/router';
import { fireEvent, render, screen, waitFor } from '@solidjs/testing-library';
import { afterEach, expect, test, vi } from 'vitest';
import OAuthComplete from './OAuthComplete.tsx';

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

afterEach(() => {
  vi.unstubAllGlobals();
});

test('oauth complete: TOTP_REQUIRED asks for the code and sends it with the same one-time code', async () => {
  const bodies: unknown[] = [];
  vi.stubGlobal('fetch', async (path: string, init?: RequestInit) => {
    if (path !== '/auth/oauth/exchange') return json(404, { error: { code: 'NOT_FOUND', message: 'no' } });
    const body = JSON.parse(String(init?.body)) as { totp?: string };
    bodies.push(body);
    return body.totp === undefined
      ? json(401, { error: { code: 'TOTP_REQUIRED', message: 'code' } })
      : json(401, { error: { code: 'TOTP_INVALID', message: 'wrong' } });
  });
  const history = createMemoryHistory();
  history.set({ value: '/oauth/complete?code=one-time' });
  render(() => (
    <MemoryRouter history={history}>
      <Route path="/oauth/complete" component={OAuthComplete} />
      <Route path="/login" component={() => <p>login page</p>} />
    </MemoryRouter>
  ));
  const field = (await screen.findByLabelText('Code')) as HTMLInputElement;
  fireEvent.input(field, { target: { value: '123456' } });
  fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
  expect((await screen.findByRole('alert')).textContent).toBe('That code is not valid.');
  await waitFor(() => expect(bodies).toEqual([{ code: 'one-time' }, { code: 'one-time', totp: '123456' }]));
});
