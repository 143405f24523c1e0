// The composer sends what was filled in (a poll only when asked for) and shows a refusal on the
// field it names; one naming no field shows under the form.
import { cleanup, fireEvent, render, screen, waitFor } from '@solidjs/testing-library';
import { afterEach, expect, test, vi } from 'vitest';
import { ProtocolError } from '../../../protocol/client.ts';
import { actions } from '../state/store.ts';
import { areaOf, Composer } from './Composer.tsx';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

test('composer: a refusal is placed by the field it names', () => {
  expect(areaOf('text')).toBe('text');
  expect(areaOf('poll.closesAt')).toBe('poll');
  expect(areaOf('poll/options/1')).toBe('poll');
  expect(areaOf('place.latitude')).toBe('place');
  expect(areaOf('sharedPostId')).toBeUndefined();
  expect(areaOf(undefined)).toBeUndefined();
});

test('composer: the poll is sent with its options, and a refused closing time is shown in the poll', async () => {
  const call = vi
    .spyOn(actions, 'call')
    .mockRejectedValue(
      new ProtocolError('INVALID_INPUT', 'a poll closes between 5 minutes and 30 days from now', { field: 'poll.closesAt' }),
    );
  render(() => <Composer onPosted={() => undefined} />);
  fireEvent.input(screen.getByLabelText('What is new with you and your pets?'), { target: { value: 'Park or beach?' } });
  expect(screen.getByText('14 of 5000 characters')).toBeTruthy();
  fireEvent.click(screen.getByLabelText('Add a poll'));
  fireEvent.input(screen.getByLabelText('Option 1'), { target: { value: 'Park' } });
  fireEvent.input(screen.getByLabelText('Option 2'), { target: { value: 'Beach' } });
  fireEvent.click(screen.getByLabelText('Allow several choices'));
  fireEvent.submit(screen.getByRole('button', { name: 'Post' }).closest('form') as HTMLFormElement);
  await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('Please check the poll.closesAt field.'));
  expect(call).toHaveBeenCalledWith('posts.create', {
    visibility: 'friends',
    text: 'Park or beach?',
    poll: { options: ['Park', 'Beach'], multiple: true },
  });
  expect(screen.getByRole('group', { name: 'Poll' }).classList.contains('invalid')).toBe(true);
  expect(screen.getByRole('group', { name: 'Poll' }).contains(screen.getByRole('alert'))).toBe(true);
  expect(screen.getByLabelText('What is new with you and your pets?').getAttribute('aria-invalid')).not.toBe('true');
});
