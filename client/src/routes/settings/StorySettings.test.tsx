// Story settings: the archive switch is saved at once and goes back when the server refuses; the
// hidden and muted people are listed with their counts, and "Show" / "Unmute" send the exact call
// and take the row out; "Add people" hides the friends picked, then the list is read again; a
// refusal (TOO_MANY_HIDDEN) shows in the dialog; with no friends, the picker says so.
import { cleanup, fireEvent, screen, waitFor, within } from '@solidjs/testing-library';
import { afterEach, expect, test, vi } from 'vitest';
import { ProtocolError } from '../../../../protocol/client.ts';
import { renderScreen } from '../../components/testing.tsx';
import { en } from '../../i18n/messages/en.ts';
import { actions, state } from '../../state/store.ts';
import StorySettings from './StorySettings.tsx';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

const person = (username: string, n: number) => ({
  id: `0192a1b2-7777-7000-8000-00000000000${n}`,
  username,
  displayName: username.toUpperCase(),
  avatarMediaId: null,
  verified: false,
  accountType: 'personal' as const,
  badges: [],
});
const bruno = person('bruno', 1);
const carla = person('carla', 2);
const dario = person('dario', 3);
const elena = person('elena', 4);

type Refuse = (op: string, body: Record<string, unknown>) => string | undefined;

/** The server: the settings (hidden Bruno of 101, muted Carla), friends Bruno, Dario and Elena; `refuse` names the calls that fail, with their code. */
function serve(refuse: Refuse = () => undefined, friends = [bruno, dario, elena]) {
  let hidden = [bruno];
  const call = vi.spyOn(actions, 'call').mockImplementation((async (op: string, body: Record<string, unknown>) => {
    const code = refuse(op, body);
    if (code !== undefined) throw new ProtocolError(code, 'refused');
    if (op === 'stories.settings')
      return { archive: body.archive ?? true, hidden, hiddenCount: hidden.length + 100, muted: [carla], mutedCount: 1 };
    if (op === 'stories.hide') {
      if (body.hidden) hidden = [...[dario, elena].filter((each) => (body.userIds as string[]).includes(each.id)), ...hidden];
      return {};
    }
    if (op === 'stories.mute') return { muted: body.muted };
    if (op === 'friends.list') return { items: friends, nextCursor: null };
    throw new Error(`unexpected ${op}`);
  }) as typeof actions.call);
  renderScreen(StorySettings);
  return call;
}

const rows = (testId: string) =>
  Array.from(screen.getByTestId(testId).querySelectorAll('li.person')).map((row) => row.getAttribute('data-testid'));

test('story settings: the hidden and muted people with their counts; Show and Unmute send their call and take the row out', async () => {
  const call = serve();
  await waitFor(() => expect(rows('story-hidden')).toEqual(['person-bruno']));
  expect(screen.getByTestId('story-hidden-count').textContent).toBe('101 people');
  expect(rows('story-muted')).toEqual(['person-carla']);
  expect(screen.getByTestId('story-muted-count').textContent).toBe('1 person');
  expect(screen.getByRole('link', { name: en['storyArchive.title'] }).getAttribute('href')).toBe('/stories/archive');

  fireEvent.click(within(screen.getByTestId('person-bruno')).getByRole('button', { name: en['storySettings.show'] }));
  expect(rows('story-hidden')).toEqual([]);
  expect(screen.getByTestId('story-hidden-count').textContent).toBe('100 people');
  expect(call).toHaveBeenCalledWith('stories.hide', { userIds: [bruno.id], hidden: false });
  // The name is isolated for bidi (U+2068 … U+2069).
  await waitFor(() => expect(state.toasts.map((toast) => toast.text)).toContain('\u2068BRUNO\u2069 can see your stories again.'));

  fireEvent.click(within(screen.getByTestId('person-carla')).getByRole('button', { name: en['storySettings.unmute'] }));
  expect(rows('story-muted')).toEqual([]);
  expect(screen.getByText(en['storySettings.noMuted'])).toBeTruthy();
  expect(call).toHaveBeenCalledWith('stories.mute', { userId: carla.id, muted: false });
});

test('story settings: the archive switch is saved at once, and goes back with an error when the server refuses', async () => {
  const call = serve();
  const toggle = await screen.findByRole('switch', { name: en['storySettings.archive'] });
  expect((toggle as HTMLInputElement).checked).toBe(true);
  fireEvent.click(toggle);
  await waitFor(() => expect(call).toHaveBeenCalledWith('stories.settings', { archive: false }));
  await waitFor(() => expect((toggle as HTMLInputElement).checked).toBe(false));
  cleanup();
  vi.restoreAllMocks();

  const failing = serve((op, body) => (op === 'stories.settings' && body.archive !== undefined ? 'ACTOR_UNAVAILABLE' : undefined));
  const again = await screen.findByRole('switch', { name: en['storySettings.archive'] });
  fireEvent.click(again);
  expect((again as HTMLInputElement).checked).toBe(false);
  expect(failing).toHaveBeenCalledWith('stories.settings', { archive: false });
  await waitFor(() => expect((again as HTMLInputElement).checked).toBe(true));
  expect(state.toasts.some((toast) => toast.kind === 'error' && toast.text === en['error.ACTOR_UNAVAILABLE'])).toBe(true);
});

test('story settings: "Add people" hides the friends picked (not those already hidden) and lists them; TOO_MANY_HIDDEN shows in the dialog', async () => {
  const call = serve();
  fireEvent.click(await screen.findByRole('button', { name: en['storySettings.add'] }));
  const dialog = await screen.findByTestId('story-hide');
  await waitFor(() => expect(within(dialog).getAllByRole('checkbox')).toHaveLength(2));
  expect(within(dialog).queryByText('BRUNO')).toBeNull();
  fireEvent.click(within(dialog).getByRole('checkbox', { name: /DARIO/ }));
  fireEvent.click(within(dialog).getByRole('checkbox', { name: /ELENA/ }));
  fireEvent.click(within(dialog).getByRole('button', { name: 'Hide from 2 people' }));
  await waitFor(() => expect(screen.queryByTestId('story-hide')).toBeNull());
  expect(call).toHaveBeenCalledWith('stories.hide', { userIds: [dario.id, elena.id], hidden: true });
  await waitFor(() => expect(rows('story-hidden')).toEqual(['person-dario', 'person-elena', 'person-bruno']));
  cleanup();
  vi.restoreAllMocks();

  serve((op) => (op === 'stories.hide' ? 'TOO_MANY_HIDDEN' : undefined));
  fireEvent.click(await screen.findByRole('button', { name: en['storySettings.add'] }));
  const refused = await screen.findByTestId('story-hide');
  fireEvent.click(await within(refused).findByRole('checkbox', { name: /DARIO/ }));
  fireEvent.click(within(refused).getByRole('button', { name: 'Hide from 1 person' }));
  expect((await within(refused).findByRole('alert')).textContent).toBe(en['error.TOO_MANY_HIDDEN']);
  expect(screen.getByTestId('story-hide')).toBeTruthy();
});

test('story settings: with no friends, the picker says so, not how to start a group', async () => {
  serve(undefined, []);
  fireEvent.click(await screen.findByRole('button', { name: en['storySettings.add'] }));
  const dialog = await screen.findByTestId('story-hide');
  expect(await within(dialog).findByText(en['friends.none'])).toBeTruthy();
  expect(within(dialog).queryByText(en['chats.noFriends'])).toBeNull();
});
