// The protocol calls of the messenger. Reads and creation go to the Chats module; every change of
// a conversation goes to its room actor, and the badge numbers come from the caller's user actor.
import type { UserMessage } from '../../actors/user.ts';
import type { CallResponse } from '../../protocol/catalogue.ts';
import type { HandlerMap } from '../gateway/handlers.ts';
import type { Social } from '../people/social.ts';
import { cleanName } from '../platform/input.ts';

type ChatCall =
  | `chats.${
      | 'list'
      | 'get'
      | 'direct'
      | 'createGroup'
      | 'send'
      | 'history'
      | 'edit'
      | 'delete'
      | 'react'
      | 'pin'
      | 'pins'
      | 'search'
      | 'typing'
      | 'read'
      | 'delivered'
      | 'unread'
      | 'accept'
      | 'decline'
      | 'mute'
      | 'leave'
      | 'addMembers'
      | 'removeMember'
      | 'setAdmin'
      | 'update'
      | 'encryption'}`
  | `keys.${'publish' | 'get'}`;

export function chatHandlers(social: Social): HandlerMap<ChatCall> {
  const { chats, deps } = social;
  const me = (context: { principal: { userId: string } }) => context.principal.userId;
  return {
    'chats.list': (context, body) => chats.list(me(context), body),
    'chats.get': (context, body) => chats.get(me(context), body.conversationId),
    'chats.direct': (context, body) => chats.direct(me(context), body.userId),
    'chats.createGroup': (context, body) => chats.createGroup(me(context), body),
    'chats.send': (context, body) => chats.send(me(context), body),
    'chats.history': (context, body) => chats.history(me(context), body),
    'chats.edit': (context, body) =>
      chats.room(body.conversationId, { op: 'edit', userId: me(context), seq: body.seq, text: body.text.trim() }),
    'chats.delete': (context, body) => chats.room(body.conversationId, { op: 'delete', userId: me(context), seq: body.seq }),
    'chats.react': (context, body) =>
      chats.room(body.conversationId, { op: 'react', userId: me(context), seq: body.seq, emoji: body.emoji }),
    'chats.pin': (context, body) => chats.room(body.conversationId, { op: 'pin', userId: me(context), seq: body.seq, pinned: body.pinned }),
    'chats.pins': (context, body) => chats.pins(me(context), body.conversationId),
    'chats.search': (context, body) => chats.search(me(context), body),
    'chats.typing': (context, body) => chats.room(body.conversationId, { op: 'typing', userId: me(context) }),
    'chats.read': (context, body) => chats.room(body.conversationId, { op: 'read', userId: me(context), seq: body.seq }),
    'chats.delivered': (context, body) => chats.room(body.conversationId, { op: 'delivered', userId: me(context), seq: body.seq }),
    'chats.unread': async (context) =>
      (await deps.actors.ask('user', me(context), { op: 'chatCounts' } satisfies UserMessage)) as CallResponse<'chats.unread'>,
    'chats.accept': async (context, body) => {
      await chats.room(body.conversationId, { op: 'accept', userId: me(context) });
      return chats.summary(me(context), body.conversationId);
    },
    'chats.decline': (context, body) => chats.room(body.conversationId, { op: 'decline', userId: me(context) }),
    'chats.mute': (context, body) =>
      chats.room(body.conversationId, {
        op: 'mute',
        userId: me(context),
        // "For good" is a date far enough away to never come.
        until: body.muted ? new Date(Date.now() + (body.minutes ?? 100 * 525_600) * 60_000).toISOString() : null,
      }),
    'chats.leave': (context, body) => chats.room(body.conversationId, { op: 'leave', userId: me(context) }),
    'chats.addMembers': (context, body) => chats.room(body.conversationId, { op: 'add', userId: me(context), userIds: body.userIds }),
    'chats.removeMember': (context, body) => chats.room(body.conversationId, { op: 'remove', userId: me(context), target: body.userId }),
    'chats.setAdmin': (context, body) =>
      chats.room(body.conversationId, { op: 'setAdmin', userId: me(context), target: body.userId, admin: body.admin }),
    'chats.update': async (context, body) => {
      const name = body.name === undefined ? undefined : cleanName(body.name, 'name', { required: true });
      if (typeof body.pictureMediaId === 'string') await deps.media.attachable(me(context), [body.pictureMediaId], ['image']);
      await chats.room(body.conversationId, {
        op: 'update',
        userId: me(context),
        ...(name === undefined ? {} : { name }),
        ...(body.pictureMediaId === undefined ? {} : { pictureMediaId: body.pictureMediaId }),
      });
      return chats.summary(me(context), body.conversationId);
    },
    'chats.encryption': async (context, body) => {
      await chats.room(body.conversationId, { op: 'encryption', userId: me(context), encrypted: body.encrypted });
      return chats.summary(me(context), body.conversationId);
    },
    'keys.publish': (context, body) => chats.publishKey(me(context), body.publicKey),
    'keys.get': (context, body) => chats.keys(me(context), body.userId),
  };
}
