// The calls of personal API tokens (protocol/calls/tokens.ts). The gateway has refused them to a
// socket opened with a personal token (protocol/scopes.ts: tokens.* need a signed-in session).
import type { HandlerMap } from '../gateway/handlers.ts';
import type { PersonalTokens } from './personal-tokens.ts';

export function tokenHandlers(tokens: PersonalTokens): HandlerMap<'tokens.create' | 'tokens.list' | 'tokens.revoke'> {
  return {
    'tokens.create': async (context, body) => tokens.create(context.principal.userId, body),
    'tokens.list': async (context) => tokens.list(context.principal.userId),
    'tokens.revoke': async (context, body) => {
      await tokens.revoke(context.principal.userId, body.tokenId);
      return {};
    },
  };
}
