// Each notification type reads as a sentence naming who, and links where it makes sense; an
// unknown type still reads; without PushManager the settings say push is not supported here.
import { MemoryRouter, Route } from '@solidjs/router';
import { render, screen } from '@solidjs/testing-library';
import { expect, test } from 'vitest';
import { describe } from './Notifications.tsx';
import NotificationSettings from './settings/NotificationSettings.tsx';

const bruno = {
  id: '0192a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a77',
  username: 'bruno_y_max',
  displayName: 'Bruno',
  avatarMediaId: null,
  verified: false,
  accountType: 'personal' as const,
  badges: [],
};
const notification = (type: string, data: Record<string, string> = {}) => ({
  id: '0192a1b2-2222-7000-8000-000000000001',
  type,
  actor: bruno,
  data,
  createdAt: '2026-11-24T09:00:00.000Z',
  read: false,
});

test('notifications: every type has its sentence and link', () => {
  expect(describe(notification('friend.request'))).toEqual({ text: '\u2068Bruno\u2069 sent you a friend request', href: '/friends' });
  expect(describe(notification('friend.accepted'))).toEqual({
    text: '\u2068Bruno\u2069 accepted your friend request',
    href: '/u/bruno_y_max',
  });
  expect(describe(notification('follow.new'))).toEqual({ text: '\u2068Bruno\u2069 started following you', href: '/u/bruno_y_max' });
  expect(describe(notification('pet.lost', { petId: 'p-1', pet: 'Luna', note: 'Parque México' }))).toEqual({
    text: "\u2068Bruno\u2069's pet \u2068Luna\u2069 is lost. Keep an eye out!",
    href: '/pets/p-1',
  });
  const post = { postId: '0192a1b2-4444-7000-8000-000000000001' };
  const comment = { ...post, commentId: '0192a1b2-5555-7000-8000-000000000001' };
  expect(describe(notification('post.mention', post))).toEqual({
    text: '\u2068Bruno\u2069 mentioned you in a post',
    href: `/posts/${post.postId}`,
  });
  expect(describe(notification('post.comment', comment))).toEqual({
    text: '\u2068Bruno\u2069 commented on your post',
    href: `/posts/${post.postId}`,
  });
  expect(describe(notification('comment.reply', comment))).toEqual({
    text: '\u2068Bruno\u2069 answered your comment',
    href: `/posts/${post.postId}`,
  });
  expect(describe(notification('post.reaction', { ...post, kind: 'love' }))).toEqual({
    text: '\u2068Bruno\u2069 reacted to your post',
    href: `/posts/${post.postId}`,
  });
  expect(describe(notification('comment.reaction', { ...comment, kind: 'haha' }))).toEqual({
    text: '\u2068Bruno\u2069 reacted to your comment',
    href: `/posts/${post.postId}`,
  });
  expect(describe(notification('post.share', post))).toEqual({ text: '\u2068Bruno\u2069 shared your post', href: `/posts/${post.postId}` });
  expect(describe(notification('post.share')).href).toBe('/u/bruno_y_max');
  expect(describe(notification('story.mention', { storyId: '0192a1b2-6666-7000-8000-000000000001' }))).toEqual({
    text: '\u2068Bruno\u2069 mentioned you in their story',
    href: '/u/bruno_y_max',
  });
  expect(describe({ ...notification('verification.approved', { requestId: post.postId }), actor: null })).toEqual({
    text: 'Your verification request was approved',
    href: '/settings/profile',
  });
  expect(describe({ ...notification('verification.rejected', { requestId: post.postId, reason: 'الرابط لا يعمل' }), actor: null })).toEqual(
    {
      text: 'Your verification request was not approved: \u2068الرابط لا يعمل\u2069',
      href: '/settings/profile',
    },
  );
  expect(describe(notification('party.invite'))).toEqual({ text: 'New activity from \u2068Bruno\u2069', href: '/u/bruno_y_max' });
  expect(describe({ ...notification('follow.new'), actor: null }).text).toBe('\u2068Someone\u2069 started following you');
});

test('notification settings: a browser without PushManager is told push is not supported here', async () => {
  expect('PushManager' in window).toBe(false);
  render(() => (
    <MemoryRouter>
      <Route path="/" component={NotificationSettings} />
    </MemoryRouter>
  ));
  expect((await screen.findByTestId('push-unsupported')).textContent).toBe('Push notifications are not supported here.');
  expect(screen.queryByRole('button', { name: 'Turn on push notifications' })).toBeNull();
});
