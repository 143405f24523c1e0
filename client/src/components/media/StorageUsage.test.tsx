// The storage in the settings: a bar and the bytes in the user's language, reloaded when one of
// the user's media becomes ready or fails; the user's media listed with a delete button each.
import { cleanup, fireEvent, render, screen, waitFor } from '@solidjs/testing-library';
import { afterEach, expect, test, vi } from 'vitest';
import { type EventFrame, ProtocolError } from '../../../../protocol/client.ts';
import type { MediaItem } from '../../state/media.ts';
import { actions } from '../../state/store.ts';
import { StorageUsage } from './StorageUsage.tsx';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

const GB5 = 5 * 1024 ** 3;
const item = (n: number, patch: Partial<MediaItem> = {}): MediaItem => ({
  id: `0192a1b2-c3d4-7e5f-8a9b-${String(n).padStart(12, '0')}`,
  kind: 'image',
  status: 'ready',
  progress: 100,
  failure: null,
  failureCode: null,
  failureDetails: null,
  size: 1000,
  received: 1000,
  width: 10,
  height: 10,
  durationMs: null,
  preview: null,
  waveform: null,
  urls: { 'small.webp': '/media/files/x/small.webp', 'small.jpg': '/media/files/x/small.jpg' },
  createdAt: new Date().toISOString(),
  ...patch,
});

test('storage: the bar and "700 MB used of 5 GB" from media.quota; a media ready reloads it, progress does not', async () => {
  const quotas = [
    { usedBytes: 734_003_200, quotaBytes: GB5 },
    { usedBytes: GB5, quotaBytes: GB5 },
  ];
  const call = vi.spyOn(actions, 'call').mockImplementation(async (op) => {
    if (op === 'media.list') return { items: [], nextCursor: null } as never;
    expect(op).toBe('media.quota');
    return quotas.shift() as never;
  });
  let listener: ((event: EventFrame) => void) | undefined;
  vi.spyOn(actions, 'onUserEvent').mockImplementation((each) => {
    listener = each;
    return () => undefined;
  });
  render(() => <StorageUsage />);
  await waitFor(() => expect(screen.getByTestId('storage-used').textContent).toBe('700 MB used of 5 GB'));
  const meter = screen.getByTestId('storage').querySelector('meter') as HTMLMeterElement;
  expect([meter.getAttribute('value'), meter.getAttribute('max')]).toEqual([String(734_003_200), String(GB5)]);
  expect(screen.getByText('You have not uploaded anything yet.')).toBeTruthy();

  const quotaCalls = () => call.mock.calls.filter(([op]) => op === 'media.quota').length;
  listener?.({ type: 'event', topic: 'user:me', name: 'media.changed', body: { media: { status: 'processing' } } } as EventFrame);
  expect(quotaCalls()).toBe(1);
  listener?.({ type: 'event', topic: 'user:me', name: 'media.changed', body: { media: { status: 'ready' } } } as EventFrame);
  await waitFor(() => expect(screen.getByTestId('storage-used').textContent).toBe('5 GB used of 5 GB'));
  expect(quotaCalls()).toBe(2);
});

test('storage: deleting a media calls media.delete, drops it from the list and shows the quota it answers; one still shown stays, with the reason', async () => {
  const [kept, gone] = [
    item(1),
    item(2, { status: 'failed', urls: null, failureCode: 'TOO_LONG', failureDetails: { maxDurationMs: 600_000 } }),
  ];
  const deletes: string[] = [];
  vi.spyOn(actions, 'onUserEvent').mockReturnValue(() => undefined);
  vi.spyOn(actions, 'call').mockImplementation(async (op, body) => {
    if (op === 'media.list') return { items: [kept, gone], nextCursor: null } as never;
    if (op === 'media.quota') return { usedBytes: GB5, quotaBytes: GB5 } as never;
    if (op === 'media.get') return { items: [] } as never;
    expect(op).toBe('media.delete');
    const { mediaId } = body as { mediaId: string };
    deletes.push(mediaId);
    if (mediaId === kept.id) throw new ProtocolError('MEDIA_IN_USE', 'in use', { usedBy: ['post', 'profile', 'message'] });
    return { usedBytes: 3 * 1024 ** 3, quotaBytes: GB5 } as never;
  });
  const toast = vi.spyOn(actions, 'toast').mockImplementation(() => undefined);
  render(() => <StorageUsage />);
  await waitFor(() => expect(screen.getAllByTestId('my-media-item')).toHaveLength(2));
  // A failed one says why, in words.
  expect(screen.getByText('This is too long: at most 10 min.')).toBeTruthy();

  const buttons = screen.getAllByRole('button', { name: /^Delete: / });
  fireEvent.click(buttons[1] as HTMLElement);
  await waitFor(() => expect(screen.getAllByTestId('my-media-item')).toHaveLength(1));
  expect(screen.getByTestId('storage-used').textContent).toBe('3 GB used of 5 GB');
  expect(toast).toHaveBeenLastCalledWith('Deleted.');

  fireEvent.click(screen.getAllByRole('button', { name: /^Delete: / })[0] as HTMLElement);
  await waitFor(() =>
    expect(toast).toHaveBeenLastCalledWith(
      'This is still shown in: a post, your profile picture, and a chat message. Remove it from there first.',
      'error',
    ),
  );
  expect(deletes).toEqual([gone.id, kept.id]);
  expect(screen.getAllByTestId('my-media-item')).toHaveLength(1);
  expect(screen.getByTestId('storage-used').textContent).toBe('3 GB used of 5 GB');
});
