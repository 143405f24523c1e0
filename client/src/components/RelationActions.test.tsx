// The actions offered for someone follow how the user stands with them; a change shows at once
// and rolls back with a toast when the server cannot be asked (no socket here); Report opens the
// report form.
import { cleanup, fireEvent, render, screen, waitFor } from '@solidjs/testing-library';
import { createSignal } from 'solid-js';
import { afterEach, expect, test } from 'vitest';
import { expected, type Relation } from '../state/relations.ts';
import { state } from '../state/store.ts';
import { RelationActions } from './RelationActions.tsx';

afterEach(cleanup);

const none: Relation = { state: 'none', closeFriend: false, following: false, followedBy: false, blocked: false };

function renderWith(initial: Relation, options: { canSendRequest?: boolean; canFollow?: boolean } = {}) {
  const [relation, setRelation] = createSignal(initial);
  const seen: Relation[] = [];
  render(() => (
    <RelationActions
      userId="0192a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a77"
      name="Bruno"
      relation={relation()}
      canSendRequest={options.canSendRequest ?? true}
      canFollow={options.canFollow ?? false}
      onChange={(next) => {
        seen.push(next);
        setRelation(next);
      }}
    />
  ));
  return { relation, seen };
}

const names = () => screen.queryAllByRole('button').map((button) => button.textContent?.trim() || button.getAttribute('aria-label'));
const MORE = 'More actions for \u2068Bruno\u2069';
/** Opens the overflow menu and returns its items' names. */
async function menu(): Promise<(string | undefined)[]> {
  const trigger = screen.getByRole('button', { name: MORE });
  fireEvent.pointerDown(trigger, { button: 0, pointerType: 'mouse' });
  fireEvent.pointerUp(trigger, { button: 0, pointerType: 'mouse' });
  fireEvent.click(trigger);
  const items = await screen.findAllByRole('menuitem');
  return items.map((item) => item.textContent?.trim());
}

test('relation actions: each state offers its own buttons, in a group named for the person; block is in the overflow menu', async () => {
  renderWith({ ...none, state: 'request_received' }, { canFollow: true });
  expect(screen.getByRole('group', { name: 'Actions for \u2068Bruno\u2069' })).toBeTruthy();
  expect(names()).toEqual(['Accept', 'Decline', 'Follow', MORE]);
  expect(await menu()).toEqual(['Report', 'Block']);
});

test('relation actions: friends can be marked close (a pressed toggle); unfriend and unfollow are in the overflow menu', async () => {
  renderWith({ ...none, state: 'friends', closeFriend: true, following: true });
  expect(screen.getByRole('button', { name: 'Close friend' }).getAttribute('aria-pressed')).toBe('true');
  expect(names()).toEqual(['Close friend', MORE]);
  expect(await menu()).toEqual(['Unfriend', 'Unfollow', 'Report', 'Block']);
});

test('relation actions: blocked shows only Unblock; no request button when their settings refuse it', () => {
  renderWith({ ...none, blocked: true });
  expect(names()).toEqual(['Unblock']);
  cleanup();
  renderWith(none, { canSendRequest: false });
  expect(names()).toEqual([MORE]);
});

test('relation actions: blocking asks first; a refused change shows at once, then rolls back with a toast', async () => {
  const { relation, seen } = renderWith(none);
  await menu();
  const block = screen.getByRole('menuitem', { name: 'Block' });
  fireEvent.pointerDown(block, { button: 0, pointerType: 'mouse' });
  fireEvent.pointerUp(block, { button: 0, pointerType: 'mouse' });
  fireEvent.click(block);
  expect(screen.getByRole('alert').textContent).toBe('Block \u2068Bruno\u2069? You will no longer see each other.');
  fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
  expect(screen.queryByRole('alert')).toBeNull();

  fireEvent.click(screen.getByRole('button', { name: 'Add friend' }));
  await waitFor(() => expect(seen.length).toBe(2));
  expect(seen[0]?.state).toBe('request_sent');
  expect(relation()).toEqual(none);
  expect(state.toasts.at(-1)).toMatchObject({ kind: 'error', text: 'The server cannot be reached. Check your connection.' });
});

test('relation actions: Report in the overflow menu opens the report form for this person', async () => {
  renderWith(none);
  await menu();
  const report = screen.getByRole('menuitem', { name: 'Report' });
  fireEvent.pointerDown(report, { button: 0, pointerType: 'mouse' });
  fireEvent.pointerUp(report, { button: 0, pointerType: 'mouse' });
  fireEvent.click(report);
  // The report form is loaded when first opened: under load that may take more than a second.
  const dialog = await screen.findByRole('dialog', {}, { timeout: 10_000 });
  expect(dialog.textContent).toContain('Report \u2068Bruno\u2069');
  expect(screen.getByLabelText('Reason')).toBeTruthy();
});

test('relations: the optimistic guess of each change', () => {
  expect(expected('friends.request', { ...none, state: 'request_received' }).state).toBe('friends');
  expect(expected('friends.request', none).state).toBe('request_sent');
  expect(expected('friends.remove', { ...none, state: 'friends', closeFriend: true })).toMatchObject({ state: 'none', closeFriend: false });
  expect(expected('blocks.block', { state: 'friends', closeFriend: true, following: true, followedBy: true, blocked: false })).toEqual({
    ...none,
    blocked: true,
  });
  expect(expected('friends.close', { ...none, state: 'friends' }).closeFriend).toBe(true);
});
