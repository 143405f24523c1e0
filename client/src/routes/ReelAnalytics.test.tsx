// The reel analytics pages: the creator's figures since posting, the days as a chart (its code
// loaded on demand) and as a table, sources and audience as proportional rows with names in the
// reader's language, the top reels leading to their own page; the period picker asks again with its
// days, and the page asks again every minute; one reel's page shows "not available" for NOT_FOUND.
// Without a plan that has creatorAnalytics (PLAN_REQUIRED) the totals show, and the way to the plans
// in place of the rest.
import { createMemoryHistory, MemoryRouter, Route } from '@solidjs/router';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@solidjs/testing-library';
import { afterEach, expect, test, vi } from 'vitest';
import type { CallResponse } from '../../../protocol/catalogue.ts';
import { ProtocolError } from '../../../protocol/client.ts';
import { renderScreen } from '../components/testing.tsx';
import { en } from '../i18n/messages/en.ts';
import { actions } from '../state/store.ts';
import CreatorAnalytics, { ReelAnalytics } from './ReelAnalytics.tsx';

// uPlot draws on a canvas the test DOM does not have: a stand-in records what it was given.
const drawn = vi.hoisted(() => [] as { series: { label?: string }[]; data: number[][] }[]);
vi.mock('uplot', () => ({
  default: class {
    static tzDate = (date: Date) => date;
    constructor(options: { series: { label?: string }[] }, data: number[][]) {
      drawn.push({ series: options.series, data });
    }
    setSize() {}
    destroy() {}
  },
}));

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
  vi.useRealTimers();
  drawn.length = 0;
});

const reelId = '0192a1b2-4444-7000-8000-0000000000e1';
const day = (date: string, views: number, watchMs: number) => ({
  day: date,
  views,
  watchMs,
  reactions: 1,
  comments: 0,
  shares: 0,
  saves: 0,
  followersGained: 0,
  followers: 2,
});
const creator: CallResponse<'reels.creatorAnalytics'> = {
  days: 28,
  from: '2026-10-28',
  to: '2026-11-24',
  asOf: '2026-11-24T18:00:00.000Z',
  reels: 2,
  totals: {
    views: 1234,
    uniqueViewers: 1500,
    watchMs: 9_000_000,
    averageWatchMs: 6000,
    completionRate: 0.25,
    reactions: 40,
    comments: 12,
    shares: 3,
    saves: 7,
    followersGained: 5,
  },
  series: [day('2026-11-23', 30, 120_000), day('2026-11-24', 50, 180_000)],
  sources: { for_you: 60, following: 20, profile: 0, hashtag: 0, sound: 0, link: 0 },
  audience: {
    languages: [
      { key: 'es', viewers: 3 },
      { key: 'other', viewers: 1 },
    ],
    countries: [
      { key: 'MX', viewers: 2 },
      { key: 'unknown', viewers: 2 },
    ],
  },
  topReels: [{ reelId, caption: 'Luna surfs', mediaId: reelId, postedAt: '2026-11-20T09:00:00.000Z', views: 70, totalViews: 900 }],
};

function serve(answer: (op: string, body: Record<string, unknown>) => unknown) {
  return vi.spyOn(actions, 'call').mockImplementation((async (op: string, body: Record<string, unknown>) => {
    const found = answer(op, body);
    if (found instanceof Error) throw found;
    return found;
  }) as typeof actions.call);
}

test('creator analytics: totals, the chart and its table, sources, audience by language and country, the top reels', async () => {
  const call = serve((op) => (op === 'reels.creatorAnalytics' ? creator : new Error(`unexpected ${op}`)));
  renderScreen(CreatorAnalytics);
  const totals = await screen.findByTestId('analytics-totals');
  expect(call).toHaveBeenCalledWith('reels.creatorAnalytics', { days: 28 });
  expect(within(totals).getByText(en['reelAnalytics.views']).nextElementSibling?.textContent).toBe('1,234');
  expect(within(totals).getByText(en['reelAnalytics.completionRate']).nextElementSibling?.textContent).toBe('25%');
  expect(within(totals).getByText(en['reelAnalytics.watchTime']).nextElementSibling?.textContent).toBe('2.5 hr');

  // The chart's code came on demand; its figure is labelled and its numbers are in the table too.
  await waitFor(() => expect(drawn).toHaveLength(1));
  expect(drawn[0]?.series.slice(1).map((series) => series.label)).toEqual([en['reelAnalytics.views'], en['reelAnalytics.watchMinutes']]);
  expect(drawn[0]?.data.slice(1)).toEqual([
    [30, 50],
    [2, 3],
  ]);
  expect(screen.getByTestId('series-chart').getAttribute('role')).toBe('img');
  expect(screen.getByTestId('series-chart').getAttribute('aria-label')).toContain('80 views');
  const rows = within(screen.getByTestId('analytics-days')).getAllByRole('row');
  expect(rows).toHaveLength(3);
  expect((rows[2] as HTMLElement).textContent).toContain('Nov 24, 2026');
  expect(within(screen.getByTestId('analytics-days')).getByText(en['reelAnalytics.followers'])).toBeTruthy();

  const sources = within(screen.getByTestId('analytics-sources'));
  expect(sources.getByText(en['reelAnalytics.source.for_you']).closest('li')?.textContent).toContain('60 (75%)');
  expect(screen.getByTestId('analytics-languages').textContent).toContain('Spanish');
  expect(screen.getByTestId('analytics-languages').textContent).toContain(en['reelAnalytics.other']);
  expect(screen.getByTestId('analytics-countries').textContent).toContain('Mexico');
  expect(screen.getByTestId('analytics-countries').textContent).toContain(en['reelAnalytics.unknown']);

  const top = within(screen.getByTestId('analytics-top'));
  expect(top.getByRole('link', { name: 'Luna surfs' }).getAttribute('href')).toBe(`/reels/${reelId}/analytics`);
  expect(screen.getByTestId('analytics-top').textContent).toContain('Views: 70 in this period, 900 in all');
});

test('creator analytics: the period picker asks for its days; the page asks again every minute; no reels shows the empty state', async () => {
  vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
  const call = serve((_op, body) => ({ ...creator, reels: body.days === 90 ? 0 : 2, days: body.days }));
  renderScreen(CreatorAnalytics);
  await screen.findByTestId('analytics-totals');
  const week = screen.getByRole('button', { name: '7 days' });
  expect(screen.getByRole('button', { name: '28 days' }).getAttribute('aria-pressed')).toBe('true');
  fireEvent.click(week);
  await waitFor(() => expect(call).toHaveBeenLastCalledWith('reels.creatorAnalytics', { days: 7 }));
  expect(week.getAttribute('aria-pressed')).toBe('true');
  const asked = call.mock.calls.length;
  vi.advanceTimersByTime(60_000);
  await waitFor(() => expect(call.mock.calls.length).toBe(asked + 1));
  expect(call).toHaveBeenLastCalledWith('reels.creatorAnalytics', { days: 7 });
  fireEvent.click(screen.getByRole('button', { name: '90 days' }));
  expect(await screen.findByText(en['reelAnalytics.noReels'])).toBeTruthy();
});

test('reel analytics: one reel’s page asks for that reel and shows its figures; NOT_FOUND says it is not available', async () => {
  const other = '0192a1b2-4444-7000-8000-0000000000e2';
  const { topReels: _top, reels: _reels, ...figures } = creator;
  const call = serve((op, body) =>
    op === 'reels.analytics' && body.reelId === reelId
      ? {
          ...figures,
          reelId,
          postedAt: '2026-11-20T09:00:00.000Z',
          series: (figures.series ?? []).map(({ followers: _f, ...rest }) => rest),
        }
      : new ProtocolError('NOT_FOUND', 'no such reel'),
  );
  const history = createMemoryHistory();
  history.set({ value: `/reels/${reelId}/analytics` });
  render(() => (
    <MemoryRouter history={history}>
      <Route path="/reels/:id/analytics" component={ReelAnalytics} />
    </MemoryRouter>
  ));
  await screen.findByTestId('analytics-totals');
  expect(call).toHaveBeenCalledWith('reels.analytics', { reelId, days: 28 });
  expect(screen.getByRole('link', { name: en['reelAnalytics.back'] }).getAttribute('href')).toBe('/reels/analytics');
  // The table has no column of all new followers on one reel's page.
  expect(within(screen.getByTestId('analytics-days')).queryByText(en['reelAnalytics.followers'])).toBeNull();

  history.set({ value: `/reels/${other}/analytics` });
  expect(await screen.findByTestId('analytics-missing')).toBeTruthy();
  expect(screen.queryByTestId('analytics-totals')).toBeNull();
  expect(call).toHaveBeenLastCalledWith('reels.analytics', { reelId: other, days: 28 });
});

test('creator analytics: without the plan (PLAN_REQUIRED) the totals show and an upgrade hint leads to /pricing; later reads ask for totals only', async () => {
  vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
  const { series: _s, sources: _so, audience: _a, topReels: _t, ...totalsOnly } = creator;
  const call = serve((op, body) =>
    op !== 'reels.creatorAnalytics'
      ? new Error(`unexpected ${op}`)
      : body.totalsOnly === true
        ? totalsOnly
        : new ProtocolError('PLAN_REQUIRED', 'creatorAnalytics needs the premium plan', {
            entitlement: 'creatorAnalytics',
            plan: 'premium',
          }),
  );
  renderScreen(CreatorAnalytics);
  const totals = await screen.findByTestId('analytics-totals');
  expect(within(totals).getByText(en['reelAnalytics.views']).nextElementSibling?.textContent).toBe('1,234');
  expect(call.mock.calls.map(([, body]) => body)).toEqual([{ days: 28 }, { days: 28, totalsOnly: true }]);
  const hint = screen.getByTestId('analytics-locked');
  expect(hint.textContent).toContain(en['reelAnalytics.locked']);
  expect(within(hint).getByRole('link', { name: en['plans.see'] }).getAttribute('href')).toBe('/pricing');
  for (const part of ['analytics-days', 'analytics-sources', 'analytics-languages', 'analytics-top'])
    expect(screen.queryByTestId(part)).toBeNull();
  // No period to pick without the series.
  expect(screen.queryByRole('button', { name: '7 days' })).toBeNull();
  expect(screen.queryByRole('alert')).toBeNull();
  vi.advanceTimersByTime(60_000);
  await waitFor(() => expect(call).toHaveBeenCalledTimes(3));
  expect(call).toHaveBeenLastCalledWith('reels.creatorAnalytics', { days: 28, totalsOnly: true });
});
