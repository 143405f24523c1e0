// Pulling down at the top of the page past the threshold refreshes once, with a spinner while it
// runs; a short pull, a pull that starts scrolled down, or a push up does nothing.
import { cleanup, render, screen } from '@solidjs/testing-library';
import { afterEach, expect, test, vi } from 'vitest';
import { PullToRefresh, THRESHOLD_PX } from './PullToRefresh.tsx';

const scrollTo = (y: number) => Object.defineProperty(window, 'scrollY', { value: y, configurable: true });

afterEach(() => {
  cleanup();
  scrollTo(0);
});

function touch(type: 'touchstart' | 'touchmove' | 'touchend', y: number) {
  const event = new Event(type, { bubbles: true }) as TouchEvent;
  Object.defineProperty(event, 'touches', { value: type === 'touchend' ? [] : [{ clientY: y }] });
  window.dispatchEvent(event);
}

/** A drag from y 100 down by `travel` pixels, then let go. */
function drag(travel: number) {
  touch('touchstart', 100);
  for (let y = 100; y <= 100 + travel; y += 20) touch('touchmove', y);
  touch('touchmove', 100 + travel);
  touch('touchend', 100 + travel);
}

test('pull to refresh: past the threshold at the top it refreshes once, with a spinner until done', async () => {
  let finish: () => void = () => undefined;
  const refresh = vi.fn(() => new Promise<void>((resolve) => (finish = resolve)));
  render(() => (
    <PullToRefresh refresh={refresh}>
      <p>list</p>
    </PullToRefresh>
  ));
  const indicator = screen.getByTestId('pull-indicator');
  touch('touchstart', 100);
  touch('touchmove', 100 + THRESHOLD_PX * 2 + 10);
  expect(indicator.hasAttribute('data-ready')).toBe(true);
  expect(screen.getByRole('status', { hidden: true }).textContent).toBe('Release to refresh');
  touch('touchend', 0);
  expect(refresh).toHaveBeenCalledTimes(1);
  expect(screen.getByRole('status', { hidden: true }).textContent).toBe('Refreshing…');
  // A second pull while it runs does nothing.
  drag(400);
  expect(refresh).toHaveBeenCalledTimes(1);
  finish();
  await vi.waitFor(() => expect(indicator.style.height).toBe('0px'));
  drag(400);
  expect(refresh).toHaveBeenCalledTimes(2);
});

test('pull to refresh: a short pull, a push up or a pull that starts below the top does not refresh', () => {
  const refresh = vi.fn(async () => undefined);
  render(() => (
    <PullToRefresh refresh={refresh}>
      <p>list</p>
    </PullToRefresh>
  ));
  drag(THRESHOLD_PX);
  touch('touchstart', 300);
  touch('touchmove', 100);
  touch('touchend', 100);
  scrollTo(200);
  drag(400);
  expect(refresh).not.toHaveBeenCalled();
  expect(screen.getByTestId('pull-indicator').style.height).toBe('0px');
});
