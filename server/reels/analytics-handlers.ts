// The protocol calls of a creator's reel analytics. Each hands the work to analytics.ts.
import type { HandlerMap } from '../gateway/handlers.ts';
import type { Social } from '../people/social.ts';
import { creatorAnalytics, reelAnalytics } from './analytics.ts';

export function reelAnalyticsHandlers(social: Social): HandlerMap<'reels.analytics' | 'reels.creatorAnalytics'> {
  return {
    'reels.analytics': (context, body) => reelAnalytics(social.deps, context.principal.userId, body),
    'reels.creatorAnalytics': (context, body) => creatorAnalytics(social.deps, context.principal.userId, body),
  };
}
