// A message of a conversation for the client's tests: the protocol's example, renumbered, without
// reactions; each test overrides what it is about.
import { exampleMessage } from '../../../protocol/calls/chats.ts';
import type { ChatMessage } from './messageLog.ts';

export const chatMessage = (seq: number, overrides: Partial<ChatMessage> = {}): ChatMessage => ({
  ...(exampleMessage as ChatMessage),
  seq,
  id: `id-${seq}`,
  clientId: `0192a1b2-c3d4-7e5f-8a9b-${String(seq).padStart(12, '0')}`,
  text: `message ${seq}`,
  reactions: [],
  ...overrides,
});
