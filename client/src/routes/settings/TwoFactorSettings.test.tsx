// Two-step verification in the settings: set-up shows the QR code and key; turning it on sends the
// first code with the current password (re-authentication) and shows the recovery codes once;
// turning it off sends the password and a code. The HTTP API is a fake fetch in the server's shapes.
import { cleanup, fireEvent, render, screen, waitFor } from '@solidjs/testing-library';
import { afterEach, expect, test, vi } from 'vitest';
import { TwoFactorSettings } from './TwoFactorSettings.tsx';

const USER = vi.hoisted(() => {
  const user = {
    id: 'u1',
    email: 'ana@example.com',
    username: 'ana',
    emailVerified: true,
    twoFactorEnabled: false,
    hasPassword: true,
    language: 'en',
    role: 'user',
  };
  localStorage.setItem('petamigos.session', JSON.stringify({ sessionId: 's1', user }));
  return user;
});

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

test('two-step settings: set up, turn on with the code and the current password, see the recovery codes, turn off with password and code', async () => {
  let enabled = false;
  const calls: { path: string; body: unknown }[] = [];
  vi.stubGlobal('fetch', async (path: string, init: RequestInit = {}) => {
    const body = init.body === undefined ? undefined : JSON.parse(String(init.body));
    calls.push({ path, body });
    if (path === '/auth/refresh')
      return json(200, {
        accessToken: 'access',
        accessTokenExpiresAt: new Date(Date.now() + 900_000).toISOString(),
        sessionId: 's1',
        user: USER,
      });
    if (path === '/auth/2fa/setup')
      return json(200, { secret: 'JBSWY3DPEHPK3PXP', otpauthUrl: 'otpauth://totp/x', qrCode: 'data:image/png;base64,AAAA' });
    if (path === '/auth/2fa/enable') {
      enabled = true;
      return json(200, { recoveryCodes: ['aaaa-bbbb', 'cccc-dddd'] });
    }
    if (path === '/auth/2fa/disable') {
      enabled = false;
      return new Response(null, { status: 204 });
    }
    if (path === '/auth/me') return json(200, { user: { ...USER, twoFactorEnabled: enabled } });
    return json(404, { error: { code: 'NOT_FOUND', message: path } });
  });
  render(() => <TwoFactorSettings />);

  fireEvent.click(screen.getByRole('button', { name: 'Set up' }));
  expect((await screen.findByRole('img')).getAttribute('alt')).toBe('QR code for your authenticator app');
  expect(screen.getByText(/JBSWY3DPEHPK3PXP/)).toBeTruthy();
  fireEvent.input(screen.getByLabelText('Code'), { target: { value: '123456' } });
  fireEvent.input(screen.getByLabelText('Current password'), { target: { value: 'my current password' } });
  fireEvent.click(screen.getByRole('button', { name: 'Turn on' }));
  expect((await screen.findByTestId('recovery-codes')).textContent).toBe('aaaa-bbbbcccc-dddd');
  expect(calls.find((call) => call.path === '/auth/2fa/enable')?.body).toEqual({ code: '123456', password: 'my current password' });

  const turnOff = await screen.findByRole('button', { name: 'Turn off' });
  fireEvent.input(screen.getByLabelText('Current password'), { target: { value: 'my current password' } });
  fireEvent.input(screen.getByLabelText('Code'), { target: { value: '654321' } });
  fireEvent.click(turnOff);
  await waitFor(() => expect(calls.some((call) => call.path === '/auth/2fa/disable')).toBe(true));
  expect(calls.find((call) => call.path === '/auth/2fa/disable')?.body).toEqual({ password: 'my current password', code: '654321' });
  expect(await screen.findByRole('button', { name: 'Set up' })).toBeTruthy();
});
