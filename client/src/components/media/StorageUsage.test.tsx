// The storage quota in the settings: a bar and the bytes in the user's language, reloaded when
// one of the user's media becomes ready or fails.
import { cleanup, render, screen, waitFor } from '@solidjs/testing-library';
import { afterEach, expect, test, vi } from 'vitest';
import type { EventFrame } from '../../../../protocol/client.ts';
import { actions } from '../../state/store.ts';
import { StorageUsage } from './StorageUsage.tsx';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

test('storage: the bar and "700 MB used of 5 GB" from media.quota; a media ready reloads it', async () => {
  const quotas = [
    { usedBytes: 734_003_200, quotaBytes: 5 * 1024 ** 3 },
    { usedBytes: 5 * 1024 ** 3, quotaBytes: 5 * 1024 ** 3 },
  ];
  const call = vi.spyOn(actions, 'call').mockImplementation(async (op) => {
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
  expect([meter.getAttribute('value'), meter.getAttribute('max')]).toEqual([String(734_003_200), String(5 * 1024 ** 3)]);

  // Progress does not move the number; a media ready does.
  listener?.({ type: 'event', topic: 'user:me', name: 'media.changed', body: { media: { status: 'processing' } } } as EventFrame);
  expect(call).toHaveBeenCalledTimes(1);
  listener?.({ type: 'event', topic: 'user:me', name: 'media.changed', body: { media: { status: 'ready' } } } as EventFrame);
  await waitFor(() => expect(screen.getByTestId('storage-used').textContent).toBe('5 GB used of 5 GB'));
  expect(call).toHaveBeenCalledTimes(2);
});
