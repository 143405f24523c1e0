// What each call of the catalogue does. The gateway has already authenticated the socket,
// checked the role, validated the body and started the timeout; a handler does the work and
// returns the reply body, or throws a ServerError whose code the client receives.

import type { ActorSystem } from '../../actors/system.ts';
import type { SocketState, UserMessage } from '../../actors/user.ts';
import type { CallName, CallRequest, CallResponse } from '../../protocol/catalogue.ts';
import type { Principal } from '../accounts/guard.ts';
import type { PersonalTokens } from '../accounts/personal-tokens.ts';
import { tokenHandlers } from '../accounts/token-handlers.ts';
import { callHandlers } from '../calls/handlers.ts';
import { chatHandlers } from '../chats/handlers.ts';
import { ForbiddenError } from '../errors.ts';
import { paymentHandlers, subscriptionHandlers } from '../payments/handlers.ts';
import { mayView } from '../people/access.ts';
import { socialHandlers } from '../people/handlers.ts';
import type { Social } from '../people/social.ts';
import type { TopicLog } from '../platform/topics/index.ts';
import { postHandlers } from '../posts/handlers.ts';
import { reelAnalyticsHandlers } from '../reels/analytics-handlers.ts';
import { reelHandlers } from '../reels/handlers.ts';
import { storyHandlers } from '../stories/handlers.ts';
import { supportHandlers } from '../support/handlers.ts';
import { treatHandlers } from '../treats/handlers.ts';
import { verificationHandlers } from '../verification/handlers.ts';

interface CallContext {
  principal: Principal;
  socketId: string;
  node: string;
  topics: readonly string[];
}

export interface HandlerDeps {
  topics: TopicLog;
  actors: ActorSystem;
  social: Social;
  tokens: PersonalTokens;
  /** Records this socket's own activity state (the gateway reports it to gatherers). */
  setSocketState(socketId: string, state: SocketState): void;
}

type Handler<N extends CallName> = (context: CallContext, body: CallRequest<N>) => Promise<CallResponse<N>>;
export type HandlerMap<K extends CallName> = { [N in K]: Handler<N> };
export type Handlers = HandlerMap<CallName>;

export function createHandlers(deps: HandlerDeps): Handlers {
  return {
    'session.get': async (context) => ({
      userId: context.principal.userId,
      role: context.principal.role,
      sessionId: context.principal.sessionId,
      socketId: context.socketId,
      node: context.node,
      topics: [...context.topics].sort(),
    }),
    'system.announce': async (_context, body) => ({
      seq: await deps.topics.publish('system', 'announcement', { text: body.text, level: body.level, at: Date.now() }),
    }),
    'presence.set': async (context, body) => {
      deps.setSocketState(context.socketId, body.state);
      await deps.actors.ask('user', context.principal.userId, {
        op: 'activity',
        socketId: context.socketId,
        state: body.state,
      } satisfies UserMessage);
      return {};
    },
    'presence.setStatus': async (context, body) =>
      (await deps.actors.ask('user', context.principal.userId, {
        op: 'setStatus',
        text: body.text,
      } satisfies UserMessage)) as CallResponse<'presence.setStatus'>,
    'presence.get': async (context, body) => {
      if (!(await mayView(deps.social.deps.db, context.principal.userId, 'presence', body.userId)))
        throw new ForbiddenError('their presence is not shared with you');
      return (await deps.actors.ask('user', body.userId, { op: 'get' } satisfies UserMessage)) as CallResponse<'presence.get'>;
    },
    ...socialHandlers(deps.social),
    ...postHandlers(deps.social),
    ...storyHandlers(deps.social),
    ...reelHandlers(deps.social),
    ...reelAnalyticsHandlers(deps.social),
    ...treatHandlers(deps.social),
    ...paymentHandlers(deps.social.payments),
    ...subscriptionHandlers(deps.social.subscriptions),
    ...verificationHandlers(deps.social),
    ...supportHandlers(deps.social.support),
    ...chatHandlers(deps.social),
    ...callHandlers(deps.social.calls),
    ...tokenHandlers(deps.tokens),
    'media.get': async (context, body) => ({ items: await deps.social.media.get(context.principal.userId, body.ids) }),
    'media.quota': async (context) => deps.social.media.quota(context.principal.userId),
    'media.list': async (context, body) => deps.social.media.list(context.principal.userId, body.cursor),
    'media.delete': async (context, body) => {
      await deps.social.media.delete(context.principal.userId, body.mediaId);
      return deps.social.media.quota(context.principal.userId);
    },
  };
}
