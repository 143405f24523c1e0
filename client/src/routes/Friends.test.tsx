// The suggestions' reasons: mutual friends, shared species, and nearness as the band the server
// sends ("Within 5 km"), never a distance.
import { MemoryRouter, Route } from '@solidjs/router';
import { cleanup, render, screen } from '@solidjs/testing-library';
import { afterEach, expect, test, vi } from 'vitest';
import { actions } from '../state/store.ts';
import Friends from './Friends.tsx';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

const person = (id: string, username: string) => ({
  id,
  username,
  displayName: '',
  avatarMediaId: null,
  verified: false,
  accountType: 'personal' as const,
  badges: [],
});

test('friends: a suggestion nearby says which distance band it is in ("Within 5 km"), and one without a band says nothing of distance', async () => {
  const items = [
    {
      person: person('0192a1b2-c3d4-7e5f-8a9b-00000000b000', 'bruno'),
      mutualFriends: 0,
      sharedSpecies: [],
      distanceBand: '1-5km',
      score: 1.6,
    },
    { person: person('0192a1b2-c3d4-7e5f-8a9b-00000000c000', 'carla'), mutualFriends: 2, sharedSpecies: [], distanceBand: null, score: 6 },
  ];
  vi.spyOn(actions, 'call').mockImplementation((async (op: string) => {
    if (op === 'friends.suggestions') return { items };
    if (op === 'friends.requests' || op === 'friends.list') return { items: [], nextCursor: null };
    throw new Error(`unexpected ${op}`);
  }) as typeof actions.call);
  vi.spyOn(actions, 'onUserEvent').mockReturnValue(() => undefined);
  render(() => (
    <MemoryRouter>
      <Route path="/" component={Friends} />
    </MemoryRouter>
  ));
  const bruno = (await screen.findByText('bruno')).closest('li');
  expect(bruno?.textContent).toContain('Within 5 km');
  const carla = screen.getByText('carla').closest('li');
  expect(carla?.textContent).not.toMatch(/km/);
});
