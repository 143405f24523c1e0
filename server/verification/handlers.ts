// The protocol calls of verification. Each hands the work to verification.ts.
import type { HandlerMap } from '../gateway/handlers.ts';
import type { Social } from '../people/social.ts';

export function verificationHandlers(social: Social): HandlerMap<'verification.request' | 'verification.status'> {
  return {
    'verification.request': (context, body) => social.verification.request(context.principal.userId, body),
    'verification.status': (context) => social.verification.status(context.principal.userId),
  };
}
