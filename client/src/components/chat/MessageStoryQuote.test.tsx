// A message answering a story: a thumbnail of the story and who answered it how while the story
// lasts; "Story no longer available" once it expired (also while the conversation is open) or its
// media is gone.
import { cleanup, render, screen, waitFor, within } from '@solidjs/testing-library';
import { afterEach, expect, test, vi } from 'vitest';
import { exampleMedia } from '../../../../protocol/calls/media.ts';
import { setLocale } from '../../i18n/index.ts';
import type { ChatMessage } from '../../state/messageLog.ts';
import { actions } from '../../state/store.ts';
import { chatMessage } from '../../state/testing.ts';
import { MessageItem } from './MessageItem.tsx';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
  setLocale('en');
});

const MEDIA = '0192a1b2-6666-7000-8000-00000000f001';
const quoting = (story: Partial<NonNullable<ChatMessage['story']>>, text = 'What a beach!'): ChatMessage =>
  chatMessage(7, {
    text,
    story: {
      storyId: '0192a1b2-5555-7000-8000-00000000f001',
      authorId: '0192a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
      kind: 'reply',
      mediaId: MEDIA,
      expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
      ...story,
    },
  });

function show(message: ChatMessage, mine: boolean) {
  vi.spyOn(actions, 'call').mockImplementation((async (op: string, body: { ids: string[] }) => {
    if (op === 'media.get')
      return { items: body.ids.map((id) => ({ ...exampleMedia, id, urls: { 'small.jpg': `/media/${id}/small.jpg` } })) };
    throw new Error(`unexpected ${op}`);
  }) as typeof actions.call);
  render(() => (
    <ul>
      <MessageItem
        message={message}
        mine={mine}
        senderName={undefined}
        nameOf={() => 'Bruno'}
        plain={undefined}
        systemText=""
        receipt={undefined}
        actions={{}}
        time="18:00"
      />
    </ul>
  ));
  return screen.getByTestId('story-quote');
}

test('story quote: while the story lasts, its thumbnail and "Replied to your story" (the author) or "Reacted to their story" (the sender)', async () => {
  const quote = show(quoting({}), false);
  expect(quote.textContent).toBe('Replied to your story');
  const thumb = await within(quote).findByRole('img', { name: 'Story' });
  expect([thumb.dataset.mediaId, thumb.getAttribute('src')]).toEqual([MEDIA, `/media/${MEDIA}/small.jpg`]);
  expect(screen.getByTestId('message-text').textContent).toBe('What a beach!');
  cleanup();
  expect(show(quoting({ kind: 'reaction' }, '🔥'), true).textContent).toBe('Reacted to their story');
});

test('story quote: expired, or without media, "Story no longer available" and no thumbnail; it turns over at expiresAt', async () => {
  const expired = show(quoting({ expiresAt: new Date(Date.now() - 1000).toISOString() }), false);
  expect(expired.textContent).toBe('Story no longer available');
  expect(within(expired).queryByRole('img')).toBeNull();
  cleanup();
  expect(show(quoting({ mediaId: null }), true).textContent).toBe('Story no longer available');
  cleanup();
  show(quoting({ expiresAt: new Date(Date.now() + 300).toISOString() }), false);
  expect(screen.getByTestId('story-quote').textContent).toBe('Replied to your story');
  await waitFor(() => expect(screen.getByTestId('story-quote').textContent).toBe('Story no longer available'), { timeout: 2000 });
  setLocale('ar');
  await waitFor(() => expect(screen.getByTestId('story-quote').textContent).toBe('القصة لم تعد متاحة'));
});
