// Fixtures for the client's tests. A message of a conversation: the protocol's example, renumbered,
// without reactions; each test overrides what it is about.
import { exampleMessage } from '../../../protocol/calls/chats.ts';
import type { ChatMessage } from './messageLog.ts';
import type { Story } from './stories.ts';

export const chatMessage = (seq: number, overrides: Partial<ChatMessage> = {}): ChatMessage => ({
  ...(exampleMessage as ChatMessage),
  seq,
  id: `id-${seq}`,
  clientId: `0192a1b2-c3d4-7e5f-8a9b-${String(seq).padStart(12, '0')}`,
  text: `message ${seq}`,
  reactions: [],
  ...overrides,
});

/** A story for the client's tests: a friend's photo for friends, unseen, nothing on it; each test overrides what it is about. */
export const baseStory: Story = {
  id: '0192a1b2-c3d4-7e5f-8a9b-00000000a701',
  author: {
    id: '0192a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a77',
    username: 'bruno',
    displayName: 'Bruno',
    avatarMediaId: null,
    verified: false,
    accountType: 'personal',
    badges: [],
  },
  pet: null,
  mediaId: '0192a1b2-c3d4-7e5f-8a9b-0000000d1a00',
  kind: 'image',
  clip: null,
  audience: 'friends',
  overlays: [],
  mentions: [],
  hashtag: null,
  linkPostId: null,
  sticker: null,
  createdAt: '2026-11-24T18:00:00.000Z',
  expiresAt: '2026-11-25T18:00:00.000Z',
  expired: false,
  seen: false,
  views: null,
};
