// The navigation as people use it: the phone's tab bar and top bar and the desktop rail come
// from one table; each link is named (with its unread count when there is one, "99+" past 99),
// the current page is marked, and the user's own presence shows on the profile tab.
import { MemoryRouter, Route } from '@solidjs/router';
import { cleanup, render, screen, within } from '@solidjs/testing-library';
import type { JSX } from 'solid-js';
import { afterEach, expect, test, vi } from 'vitest';
import { en } from '../../i18n/messages/en.ts';
import { actions, state } from '../../state/store.ts';
import { NAV_ITEMS } from './items.ts';
import { NavBottom, NavSide, NavTop } from './Nav.tsx';

vi.hoisted(() => {
  const me = { id: '0192a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b', username: 'ana_luna', displayName: 'Ana' };
  localStorage.setItem('petamigos.session', JSON.stringify({ sessionId: 's', user: me }));
});
// (Test files share a worker's storage: the signed-in user may be another file's.)

afterEach(() => {
  cleanup();
  actions.setUnread(0);
});

/** Renders `view` inside a router at / (the memory router's start). */
const atHome = (view: () => JSX.Element) =>
  render(() => (
    <MemoryRouter root={() => view()}>
      <Route path="*" component={() => null} />
    </MemoryRouter>
  ));

test('nav: the phone tab bar has home, explore, create, reels and profile, each with an icon and a label, home marked current', () => {
  atHome(() => <NavBottom />);
  const bar = screen.getByRole('navigation', { name: en['nav.main'] });
  const links = within(bar).getAllByRole('link');
  expect(links.map((link) => link.querySelector('.visually-hidden')?.textContent)).toEqual([
    en['nav.home'],
    en['nav.explore'],
    en['nav.create'],
    en['reels.title'],
    en['nav.profile'],
  ]);
  for (const link of links) expect(link.querySelector('svg')).not.toBeNull();
  expect(links[0]?.getAttribute('aria-current')).toBe('page');
  expect(links[4]?.getAttribute('href')).toBe(`/u/${encodeURIComponent(state.user?.username ?? '')}`);
  expect(state.user?.username).toBeTruthy();
  expect(within(bar).getByTestId('presence-self').getAttribute('data-status')).toMatch(/^(offline|online|away)$/);
});

test('nav: the top bar (chats first) and the side rail hold the rest; the rail has every destination once', () => {
  atHome(() => (
    <>
      <NavTop />
      <NavSide />
    </>
  ));
  const [top, side] = screen.getAllByRole('navigation');
  expect(
    within(top as HTMLElement)
      .getAllByRole('link')
      .map((link) => link.getAttribute('href')),
  ).toEqual(['/chats', '/friends', '/notifications', '/saved', '/wallet', '/settings/profile']);
  // Every destination this account may see (the staff area is for admins only).
  expect(within(side as HTMLElement).getAllByRole('link')).toHaveLength(NAV_ITEMS.filter((item) => item.shown?.() ?? true).length);
  expect(within(side as HTMLElement).queryByRole('link', { name: en['nav.staff'] })).toBeNull();
});

test('nav: an unread count names the link ("Notifications, 3 unread") and shows 99+ past 99', () => {
  atHome(() => <NavTop />);
  actions.setUnread(3);
  const bell = screen.getByTestId('nav-notifications');
  expect(screen.getByRole('link', { name: en['nav.notificationsUnread'].replace('{count}', '3') })).toBe(bell);
  expect(screen.getByTestId('nav-notifications-count').textContent).toBe('3');
  actions.setUnread(120);
  expect(screen.getByTestId('nav-notifications-count').textContent).toBe('99+');
  actions.setUnread(0);
  expect(screen.queryByTestId('nav-notifications-count')).toBeNull();
  expect(screen.getByRole('link', { name: en['nav.notifications'] })).toBe(bell);
});
