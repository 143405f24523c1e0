// The sign-in screen: labelled fields, the two-step flow when two-factor is on, and errors in the
// user's language. The HTTP API is replaced by a fake fetch answering in the server's shapes
// (the end-to-end tests use the real server).
import { createMemoryHistory, MemoryRouter, Route } from '@solidjs/router';
import { fireEvent, render, screen, waitFor } from '@solidjs/testing-library';
import { afterEach, expect, test, vi } from 'vitest';
import SignIn from './SignIn.tsx';

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

afterEach(() => {
  vi.unstubAllGlobals();
});

function renderSignIn() {
  return render(() => (
    <MemoryRouter>
      <Route path="/" component={SignIn} />
    </MemoryRouter>
  ));
}

test('sign-in: fields have labels; wrong credentials show the message; TOTP_REQUIRED asks for the code', async () => {
  const calls: { path: string; body: unknown }[] = [];
  let attempt = 0;
  vi.stubGlobal('fetch', async (path: string, init?: RequestInit) => {
    calls.push({ path, body: init?.body === undefined ? undefined : JSON.parse(String(init.body)) });
    if (path === '/auth/oauth/providers') return json(200, { providers: ['google'] });
    attempt++;
    if (attempt === 1) return json(401, { error: { code: 'INVALID_CREDENTIALS', message: 'wrong' } });
    return json(401, { error: { code: 'TOTP_REQUIRED', message: 'code' } });
  });
  renderSignIn();
  const login = screen.getByLabelText('Email or username') as HTMLInputElement;
  const password = screen.getByLabelText('Password') as HTMLInputElement;
  fireEvent.input(login, { target: { value: 'luna' } });
  fireEvent.input(password, { target: { value: 'not the right one' } });
  fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
  expect(await screen.findByRole('alert')).toHaveProperty('textContent', 'The email/username or password is wrong.');
  fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
  expect(await screen.findByLabelText('Code')).toBeTruthy();
  expect(screen.getByRole('heading').textContent).toBe('Two-step verification');
  await waitFor(() => expect(screen.getByText('Continue with Google')).toBeTruthy());
  expect(calls.filter((call) => call.path === '/auth/login').map((call) => call.body)).toEqual([
    { login: 'luna', password: 'not the right one' },
    { login: 'luna', password: 'not the right one' },
  ]);
});

test('sign-in: a provider sign-in sent back with OAUTH_LINK_REQUIRED says to sign in with the password and link it in the settings', async () => {
  vi.stubGlobal('fetch', async () => json(200, { providers: ['google'] }));
  const history = createMemoryHistory();
  history.set({ value: '/?oauthError=OAUTH_LINK_REQUIRED&provider=google' });
  render(() => (
    <MemoryRouter history={history}>
      <Route path="/" component={SignIn} />
    </MemoryRouter>
  ));
  expect((await screen.findByRole('alert')).textContent).toContain('Sign in with its password, then link the provider');
});
