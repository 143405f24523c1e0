// An account without the role opening the staff area: each screen says it is not allowed, shows
// no list, and asks the server nothing; the navigation and the settings do not lead there.
import { MemoryRouter, Route } from '@solidjs/router';
import { cleanup, render, screen } from '@solidjs/testing-library';
import type { Component } from 'solid-js';
import { afterEach, expect, test, vi } from 'vitest';
import { NavSide } from '../../components/nav/Nav.tsx';
import { SettingsNav } from '../../components/SettingsNav.tsx';
import { en } from '../../i18n/messages/en.ts';
import Payments, { FraudQueue, SpeiQueue } from './Payments.tsx';
import Subscribers from './Subscribers.tsx';
import VerificationQueue from './Verification.tsx';

vi.hoisted(() => {
  const user = { id: 'u1', email: 'ana@example.com', username: 'ana', emailVerified: true, twoFactorEnabled: false, hasPassword: true };
  localStorage.setItem('petamigos.session', JSON.stringify({ sessionId: 's1', user: { ...user, language: 'en', role: 'moderator' } }));
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const show = (view: Component) =>
  render(() => (
    <MemoryRouter>
      <Route path="/" component={view} />
    </MemoryRouter>
  ));

test.each([
  ['payments', Payments],
  ['fraud queue', FraudQueue],
  ['SPEI queue', SpeiQueue],
  ['subscribers', Subscribers],
  ['verification', VerificationQueue],
] as const)('staff area: a moderator opening the %s screen sees the refusal and nothing is asked of the server', async (_name, view) => {
  const fetch = vi.fn(async () => new Response('{}'));
  vi.stubGlobal('fetch', fetch);
  show(view);
  expect(screen.getByRole('heading', { level: 1 }).textContent).toContain(en['staff.refusedTitle']);
  expect(screen.getByTestId('staff-refused').textContent).toContain(en['staff.refused']);
  expect(screen.queryByRole('list')).toBeNull();
  await new Promise((resolve) => setTimeout(resolve, 50));
  expect(fetch).not.toHaveBeenCalled();
});

test('staff area: neither the side rail nor the settings lead a non-admin there', () => {
  render(() => (
    <MemoryRouter
      root={() => (
        <>
          <NavSide />
          <SettingsNav />
        </>
      )}
    >
      <Route path="*" component={() => null} />
    </MemoryRouter>
  ));
  expect(screen.queryByRole('link', { name: en['nav.staff'] })).toBeNull();
  expect(screen.getAllByRole('link').some((link) => link.getAttribute('href')?.startsWith('/staff'))).toBe(false);
});
