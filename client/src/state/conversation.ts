// One open conversation on this device: its members and their pointers, its messages by seq (the
// newest page first, older pages on demand), the own messages still on their way, and who is
// typing. It follows `room:<id>` while open: a live message that skips seqs, a `reset`, or a
// rejoin after a reconnect fetch what was missed with `chats.history { after }`, one fetch at a
// time. Sends are idempotent by clientId, so a failure is retried with the same one. Once the
// conversation is end-to-end encrypted, nothing unencrypted leaves this device.
import { batch, createSignal } from 'solid-js';
import { createStore } from 'solid-js/store';
import type { EventFrame, SignalFrame, TopicHandle } from '../../../protocol/client.ts';
import { ProtocolError } from '../../../protocol/client.ts';
import { CHAT_LIMITS } from '../../../protocol/lists.ts';
import { ApiError } from '../api/http.ts';
import { listChanged } from './listMemory.ts';
import {
  type Chat,
  type ChatMember,
  type ChatMessage,
  contiguousEnd,
  gaps,
  type MessagesBySeq,
  mergeMessages,
  opensGap,
  seqsOf,
} from './messageLog.ts';
import { actions, state as app, errorText } from './store.ts';

type Encrypted = NonNullable<ChatMessage['encrypted']>;

interface Outgoing {
  clientId: string;
  text: string;
  replyTo: number | undefined;
  encrypted: Encrypted | undefined;
  /** Ready media of the sender's (photos, videos, a voice note). */
  attachments: string[];
  state: 'sending' | 'failed';
  error: string | undefined;
}

interface Conversation {
  chat: Chat | undefined;
  members: ChatMember[];
  /** False when the other person of a one-to-one does not take messages from the user now. */
  canSend: boolean;
  messages: MessagesBySeq;
  pending: Outgoing[];
  olderMore: boolean;
  loadingOlder: boolean;
  loaded: boolean;
  error: string | undefined;
  /** Removed from the group, or the conversation is gone. */
  gone: boolean;
}

/** Failures after which the same send may still succeed. */
const RETRYABLE = new Set(['DISCONNECTED', 'TIMEOUT', 'NETWORK', 'CLOSED']);
const TYPING_SHOWN_MS = 5000;
const TYPING_EVERY_MS = 3000;
const DELIVERED_AFTER_MS = 800;

const codeOf = (error: unknown) => (error instanceof ProtocolError || error instanceof ApiError ? error.code : undefined);
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function createConversation(conversationId: string) {
  const [conv, setConv] = createStore<Conversation>({
    chat: undefined,
    members: [],
    canSend: true,
    messages: {},
    pending: [],
    olderMore: false,
    loadingOlder: false,
    loaded: false,
    error: undefined,
    gone: false,
  });
  const [typing, setTyping] = createSignal<string[]>([]);
  const typingTimers = new Map<string, ReturnType<typeof setTimeout>>();
  let handle: TopicHandle | undefined;
  let joinedBefore = false;
  let catchingUp: Promise<void> | undefined;
  let catchUpAgain = false;
  let readSent = 0;
  let deliveredSent = 0;
  let deliveredTimer: ReturnType<typeof setTimeout> | undefined;
  let lastTyping = 0;
  let closed = false;
  const me = () => app.user?.id ?? '';

  /** Messages from the server (a reply, a page, a live event) join the log; own pending copies leave. */
  function absorb(messages: readonly ChatMessage[]) {
    if (messages.length === 0) return;
    const clientIds = new Set(messages.filter((message) => message.senderId === me()).map((message) => message.clientId));
    batch(() => {
      setConv('messages', (current) => mergeMessages(current, messages));
      if (clientIds.size > 0) setConv('pending', (pending) => pending.filter((item) => !clientIds.has(item.clientId)));
      // Sending reads the conversation (the room moves the sender's pointers to their message
      // without a receipt signal), so a message tells how far its sender has read.
      for (const message of messages) {
        const index = conv.members.findIndex((member) => member.person.id === message.senderId);
        if (index >= 0 && conv.members[index]?.readSeq !== undefined && (conv.members[index]?.readSeq ?? 0) < message.seq)
          setConv('members', index, (member) => ({ readSeq: message.seq, deliveredSeq: Math.max(member.deliveredSeq, message.seq) }));
      }
      const newest = messages[messages.length - 1] as ChatMessage;
      if (conv.chat !== undefined && newest.seq > conv.chat.lastSeq) setConv('chat', { lastSeq: newest.seq, lastMessage: newest });
    });
    const senders = new Set(messages.map((message) => message.senderId).filter((id) => id !== null && id !== me()));
    if (senders.size === 0) return;
    scheduleDelivered();
    // Someone whose message arrived has stopped typing it.
    for (const sender of senders) stopTyping(sender as string);
  }

  function stopTyping(userId: string) {
    clearTimeout(typingTimers.get(userId));
    typingTimers.delete(userId);
    setTyping((ids) => (ids.includes(userId) ? ids.filter((id) => id !== userId) : ids));
  }

  /** Reads what came after the last seq held without a hole, page after page; one run at a time. */
  function catchUp(): Promise<void> {
    if (catchingUp !== undefined) {
      catchUpAgain = true;
      return catchingUp;
    }
    catchingUp = (async () => {
      try {
        do {
          catchUpAgain = false;
          let more = true;
          while (more && !closed) {
            const after = contiguousEnd(conv.messages);
            const page = await actions.call('chats.history', { conversationId, after });
            absorb(page.items);
            more = page.more && page.items.length > 0;
          }
        } while (catchUpAgain && !closed);
        setConv('error', undefined);
      } catch (error) {
        setConv('error', errorText(error));
      } finally {
        catchingUp = undefined;
      }
    })();
    return catchingUp;
  }

  async function loadDetail() {
    const detail = await actions.call('chats.get', { conversationId });
    setConv({ chat: detail.chat, members: detail.members, canSend: detail.canSend });
  }

  function onEvent(event: EventFrame) {
    switch (event.name) {
      case 'message.new': {
        const { message } = event.body as { message: ChatMessage };
        const gap = conv.loaded && opensGap(conv.messages, message.seq);
        absorb([message]);
        if (gap) void catchUp();
        return;
      }
      case 'message.changed': {
        const { message } = event.body as { message: ChatMessage };
        // Only a message already held changes; one not loaded yet arrives as it is now later.
        if (conv.messages[message.seq] === undefined) return;
        const mine = conv.messages[message.seq]?.myReaction;
        setConv('messages', message.seq, { ...message, myReaction: message.myReaction ?? mine ?? null });
        return;
      }
      case 'message.reacted': {
        const body = event.body as { seq: number; userId: string; emoji: string | null; reactions: ChatMessage['reactions'] };
        if (conv.messages[body.seq] === undefined) return;
        setConv('messages', body.seq, 'reactions', body.reactions);
        if (body.userId === me()) setConv('messages', body.seq, 'myReaction', body.emoji);
        return;
      }
      case 'member.changed': {
        const body = event.body as { userId: string; member: ChatMember | null; memberCount: number };
        batch(() => {
          setConv('members', (members) => {
            const others = members.filter((member) => member.person.id !== body.userId);
            return body.member === null ? others : [...others, body.member];
          });
          if (conv.chat !== undefined) setConv('chat', 'memberCount', body.memberCount);
          if (body.userId === me() && body.member !== null) setConv('chat', 'me', 'role', body.member.role);
          if (body.userId === me() && body.member === null) setConv('gone', true);
        });
        return;
      }
      case 'chat.changed': {
        const body = event.body as { name: string | null; pictureMediaId: string | null; encrypted: boolean };
        if (conv.chat !== undefined) setConv('chat', { name: body.name, pictureMediaId: body.pictureMediaId, encrypted: body.encrypted });
        return;
      }
      default:
        return;
    }
  }

  function onSignal(signal: SignalFrame) {
    if (signal.name === 'typing') {
      const { userId } = signal.body as { userId: string };
      if (userId === me()) return;
      clearTimeout(typingTimers.get(userId));
      typingTimers.set(
        userId,
        setTimeout(() => stopTyping(userId), TYPING_SHOWN_MS),
      );
      setTyping((ids) => (ids.includes(userId) ? ids : [...ids, userId]));
      return;
    }
    if (signal.name === 'receipt') {
      const body = signal.body as { userId: string; deliveredSeq: number; readSeq: number };
      const index = conv.members.findIndex((member) => member.person.id === body.userId);
      if (index < 0) return;
      setConv('members', index, (member) => ({
        readSeq: Math.max(member.readSeq, body.readSeq),
        deliveredSeq: Math.max(member.deliveredSeq, body.deliveredSeq),
      }));
    }
  }

  function scheduleDelivered() {
    clearTimeout(deliveredTimer);
    deliveredTimer = setTimeout(() => {
      const seq = contiguousEnd(conv.messages);
      if (closed || seq <= Math.max(deliveredSent, readSent)) return;
      deliveredSent = seq;
      actions.call('chats.delivered', { conversationId, seq }).catch((error: unknown) => {
        deliveredSent = 0;
        setConv('error', errorText(error));
      });
    }, DELIVERED_AFTER_MS);
  }

  async function deliver(clientId: string) {
    const index = () => conv.pending.findIndex((item) => item.clientId === clientId);
    for (let attempt = 0; ; attempt++) {
      const item = conv.pending[index()];
      if (item === undefined) return;
      setConv('pending', index(), { state: 'sending', error: undefined });
      try {
        const body = item.encrypted !== undefined ? { encrypted: item.encrypted } : item.text === '' ? {} : { text: item.text };
        const message = await actions.call('chats.send', {
          conversationId,
          clientId,
          ...body,
          ...(item.replyTo === undefined ? {} : { replyTo: item.replyTo }),
          ...(item.attachments.length === 0 ? {} : { attachments: [...item.attachments] }),
        });
        absorb([message]);
        // The chat list, if kept for Back, now has this conversation out of date and out of place.
        listChanged('chats:');
        return;
      } catch (error) {
        if (index() < 0) return;
        if (RETRYABLE.has(codeOf(error) ?? '') && attempt < 2 && !closed) {
          await wait(1000 * 2 ** attempt);
          continue;
        }
        setConv('pending', index(), { state: 'failed', error: errorText(error) });
        // Their settings changed since the conversation was opened: the composer gives way to why.
        if (codeOf(error) === 'MESSAGE_NOT_ALLOWED') setConv('canSend', false);
        return;
      }
    }
  }

  return {
    conv,
    typing,
    conversationId,

    /** Follows the room and loads the conversation; returns the function that stops it. */
    start(): () => void {
      const socket = actions.socket();
      if (socket !== undefined) {
        handle = socket.subscribe(`room:${conversationId}`, onEvent, {
          onSignal,
          onReset: () => {
            void loadDetail().catch((failure: unknown) => setConv('error', errorText(failure)));
            void catchUp();
          },
          onState: (topicState, error) => {
            if (topicState === 'joined') {
              // A rejoin after a reconnect: the resume replays what the topic kept; reading the
              // history after the last seq held covers the rest.
              // Receipts are signals, not replayed: the members' pointers are read again too.
              if (joinedBefore && conv.loaded) {
                void catchUp();
                void loadDetail().catch((failure: unknown) => setConv('error', errorText(failure)));
              }
              joinedBefore = true;
            }
            if (topicState === 'errored' && error !== undefined && error.code !== 'DISCONNECTED') setConv('gone', true);
          },
        });
      }
      void (async () => {
        try {
          const [, page] = await Promise.all([loadDetail(), actions.call('chats.history', { conversationId })]);
          absorb(page.items);
          setConv({ olderMore: page.more, loaded: true });
          // Live messages that arrived while the page was on its way may have left a hole.
          if (gaps(conv.messages).length > 0) await catchUp();
        } catch (error) {
          if (codeOf(error) === 'NOT_FOUND' || codeOf(error) === 'FORBIDDEN') setConv('gone', true);
          setConv({ error: errorText(error), loaded: true });
        }
      })();
      return () => {
        closed = true;
        clearTimeout(deliveredTimer);
        for (const timer of typingTimers.values()) clearTimeout(timer);
        void handle?.unsubscribe();
      };
    },

    async loadOlder(): Promise<void> {
      const oldest = seqsOf(conv.messages)[0];
      if (oldest === undefined || !conv.olderMore || conv.loadingOlder) return;
      setConv('loadingOlder', true);
      try {
        const page = await actions.call('chats.history', { conversationId, before: oldest });
        absorb(page.items);
        setConv('olderMore', page.more);
      } catch (error) {
        setConv('error', errorText(error));
      } finally {
        setConv('loadingOlder', false);
      }
    },

    /** Loads older pages until `seq` is held (a search result); false when it cannot be reached. */
    async reach(seq: number): Promise<boolean> {
      for (let page = 0; page < 40 && conv.messages[seq] === undefined && conv.olderMore; page++) await this.loadOlder();
      return conv.messages[seq] !== undefined;
    },

    /**
     * A message of text, attachments (ready media ids) or both; false, sending nothing, for a
     * message not encrypted in a conversation whose encryption is on.
     */
    send(text: string, replyTo?: number, encrypted?: Encrypted, attachments: string[] = []): boolean {
      if (conv.chat?.encrypted === true && encrypted === undefined) return false;
      const clientId = crypto.randomUUID();
      setConv('pending', (pending) => [
        ...pending,
        { clientId, text, replyTo, encrypted, attachments, state: 'sending', error: undefined },
      ]);
      void deliver(clientId);
      return true;
    },

    /** Turns end-to-end encryption of this one-to-one on or off; both people see it as a message. */
    async setEncryption(encrypted: boolean): Promise<void> {
      const chat = await this.run(() => actions.call('chats.encryption', { conversationId, encrypted }));
      if (chat !== undefined) setConv('chat', { encrypted: chat.encrypted });
    },

    /** Sends a failed message again, with the same clientId: the server stores it once. */
    retry(clientId: string): void {
      void deliver(clientId);
    },

    discard(clientId: string): void {
      setConv('pending', (pending) => pending.filter((item) => item.clientId !== clientId));
    },

    /** Says the user is typing, at most every 3 s. */
    typed(): void {
      const now = Date.now();
      if (now - lastTyping < TYPING_EVERY_MS || conv.gone) return;
      lastTyping = now;
      actions.call('chats.typing', { conversationId }).catch((error: unknown) => setConv('error', errorText(error)));
    },

    /** The newest messages are on screen: move the read pointer there. */
    markRead(): void {
      const seq = contiguousEnd(conv.messages);
      if (seq <= readSent || conv.gone || conv.chat === undefined) return;
      readSent = seq;
      actions.call('chats.read', { conversationId, seq }).then(
        (result) => {
          if (conv.chat !== undefined) setConv('chat', { unread: result.unread, me: { ...conv.chat.me, readSeq: result.readSeq } });
        },
        (error: unknown) => {
          readSent = 0;
          setConv('error', errorText(error));
        },
      );
    },

    async run<T>(work: () => Promise<T>): Promise<T | undefined> {
      try {
        return await work();
      } catch (error) {
        actions.toast(errorText(error), 'error');
        return undefined;
      }
    },

    async edit(seq: number, text: string): Promise<boolean> {
      const message = await this.run(() => actions.call('chats.edit', { conversationId, seq, text }));
      if (message !== undefined) setConv('messages', seq, message);
      return message !== undefined;
    },

    async remove(seq: number): Promise<void> {
      const message = await this.run(() => actions.call('chats.delete', { conversationId, seq }));
      if (message !== undefined) setConv('messages', seq, message);
    },

    /** Optimistic: the reaction shows at once and goes back if refused. */
    async react(seq: number, emoji: string | null): Promise<void> {
      const before = conv.messages[seq];
      if (before === undefined) return;
      setConv('messages', seq, 'myReaction', emoji);
      const result = await this.run(() => actions.call('chats.react', { conversationId, seq, emoji }));
      if (result === undefined) setConv('messages', seq, { reactions: before.reactions, myReaction: before.myReaction ?? null });
      else setConv('messages', seq, result);
    },

    async pin(seq: number, pinned: boolean): Promise<void> {
      const message = await this.run(() => actions.call('chats.pin', { conversationId, seq, pinned }));
      if (message !== undefined) setConv('messages', seq, message);
    },

    setChat(chat: Partial<Chat>): void {
      if (conv.chat !== undefined) setConv('chat', chat);
    },

    setMembers(update: (members: ChatMember[]) => ChatMember[]): void {
      setConv('members', update);
    },

    reloadDetail: () => loadDetail().catch((error: unknown) => actions.toast(errorText(error), 'error')),
  };
}

export type ConversationState = ReturnType<typeof createConversation>;

export const EDIT_WINDOW_MS = CHAT_LIMITS.editWindowMs;
