// A post or reel shared in a message: opened with posts.get under the reader's own access, shown
// as its author and a line of its text linking to it (a reel to its player); "This post is
// unavailable" when posts.get refuses; and the share dialog's "In a chat" tab sending it to the
// friends chosen, each once.
import { cleanup, fireEvent, screen, waitFor, within } from '@solidjs/testing-library';
import { afterEach, expect, test, vi } from 'vitest';
import { exampleMedia } from '../../../../protocol/calls/media.ts';
import { examplePost } from '../../../../protocol/calls/posts.ts';
import { ProtocolError } from '../../../../protocol/client.ts';
import { examplePerson } from '../../../../protocol/spec.ts';
import type { ChatMessage } from '../../state/messageLog.ts';
import { actions } from '../../state/store.ts';
import { chatMessage } from '../../state/testing.ts';
import { renderScreen } from '../testing.tsx';
import { MessageItem } from './MessageItem.tsx';
import { SendInChat } from './SendInChat.tsx';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

const POST = '0192a1b2-4444-7000-8000-00000000c001';
const REEL_MEDIA = '0192a1b2-6666-7000-8000-00000000c002';

function show(message: ChatMessage, posts: Record<string, unknown>) {
  const calls: string[] = [];
  vi.spyOn(actions, 'call').mockImplementation((async (op: string, body: { ids?: string[]; postId?: string }) => {
    calls.push(op);
    if (op === 'media.get')
      return {
        items: (body.ids ?? []).map((id) => ({ ...exampleMedia, id, kind: 'reel', urls: { 'thumb.jpg': `/media/${id}/thumb.jpg` } })),
      };
    if (op === 'posts.get') {
      const post = posts[body.postId ?? ''];
      if (post === undefined) throw new ProtocolError('NOT_FOUND', 'no such post');
      return post;
    }
    throw new Error(`unexpected ${op}`);
  }) as typeof actions.call);
  renderScreen(() => (
    <ul>
      <MessageItem
        message={message}
        mine={false}
        senderName={undefined}
        nameOf={() => 'Ana'}
        plain={undefined}
        systemText=""
        receipt={undefined}
        actions={{}}
        time="18:00"
      />
    </ul>
  ));
  return calls;
}

test('shared post: a reel the reader may see shows its author and caption and links to its player', async () => {
  const calls = show(chatMessage(3, { text: 'mira', postId: POST }), {
    [POST]: { ...examplePost, id: POST, text: 'Luna surfs', mediaIds: [REEL_MEDIA], author: { ...examplePerson, displayName: 'Carla' } },
  });
  const card = await screen.findByRole('link', { name: /Luna surfs/ });
  expect(card.getAttribute('href')).toBe(`/reels/${POST}`);
  expect(within(card).getByText('Carla')).toBeTruthy();
  await waitFor(() => expect(card.querySelector('img')?.getAttribute('src')).toBe(`/media/${REEL_MEDIA}/thumb.jpg`));
  expect(calls.filter((op) => op === 'posts.get')).toHaveLength(1);
  expect(screen.getByTestId('message-text').textContent).toBe('mira');
});

test('shared post: one the reader may not see is "This post is unavailable", with no link', async () => {
  show(chatMessage(4, { text: '', postId: '0192a1b2-4444-7000-8000-00000000c0ff' }), {});
  await waitFor(() => expect(screen.getByTestId('shared-post').textContent).toBe('This post is unavailable.'));
  expect(screen.queryByRole('link')).toBeNull();
});

test('send in chat: the chosen friends each get one message with the post (and the line typed); sending again after a failure reuses their keys', async () => {
  const sent: { to: string; clientId: string; post: string; text?: string }[] = [];
  let failOnce = true;
  vi.spyOn(actions, 'call').mockImplementation((async (op: string, body: never) => {
    if (op === 'friends.list')
      return {
        items: [
          { ...examplePerson, id: 'f1', displayName: 'Bruno' },
          { ...examplePerson, id: 'f2', displayName: 'Dana' },
        ],
        nextCursor: null,
      };
    if (op === 'chats.send') {
      const message = body as { to: string; clientId: string; post: string; text?: string };
      sent.push(message);
      if (message.to === 'f2' && failOnce) {
        failOnce = false;
        throw new ProtocolError('UNAVAILABLE', 'try again');
      }
      return {};
    }
    throw new Error(`unexpected ${op}`);
  }) as typeof actions.call);
  const onSent = vi.fn();
  renderScreen(() => <SendInChat postId={POST} onSent={onSent} />);
  const submit = (name: string) => fireEvent.submit(screen.getByRole('button', { name }).closest('form') as HTMLFormElement);
  submit('Send');
  expect(await screen.findByText('Choose at least one friend.')).toBeTruthy();
  fireEvent.click(await screen.findByRole('checkbox', { name: 'Bruno' }));
  fireEvent.click(screen.getByRole('checkbox', { name: 'Dana' }));
  fireEvent.input(screen.getByLabelText('Add a message (optional)'), { target: { value: ' look ' } });
  submit('Send to 2 friends');
  await waitFor(() => expect(sent).toHaveLength(2));
  expect(onSent).not.toHaveBeenCalled();
  await screen.findByRole('alert');
  submit('Send to 2 friends');
  await waitFor(() => expect(onSent).toHaveBeenCalledWith(2));
  expect(sent.map((message) => [message.to, message.post, message.text])).toEqual([
    ['f1', POST, 'look'],
    ['f2', POST, 'look'],
    ['f1', POST, 'look'],
    ['f2', POST, 'look'],
  ]);
  // The same key for the same friend each time: the server answers the message already sent.
  expect(sent[2]?.clientId).toBe(sent[0]?.clientId);
  expect(sent[3]?.clientId).toBe(sent[1]?.clientId);
});
