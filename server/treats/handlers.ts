// The protocol calls of treats. Each hands the work to treats.ts.
import type { HandlerMap } from '../gateway/handlers.ts';
import type { Social } from '../people/social.ts';

export function treatHandlers(
  social: Social,
): HandlerMap<'treats.balance' | 'treats.history' | 'treats.tip' | 'treats.allowance' | 'treats.claimAllowance'> {
  return {
    'treats.balance': (context) => social.treats.balance(context.principal.userId),
    'treats.history': (context, body) => social.treats.history(context.principal.userId, body),
    'treats.tip': (context, body) => social.treats.tip(context.principal.userId, body),
    'treats.allowance': (context) => social.treats.allowanceOf(context.principal.userId),
    'treats.claimAllowance': (context) => social.treats.claimAllowance(context.principal.userId),
  };
}
