// The protocol calls of reels and their sounds. Each hands the work to the reels module.
import type { HandlerMap } from '../gateway/handlers.ts';
import type { Social } from '../people/social.ts';
import { recordWatch } from './watch.ts';

type ReelCall =
  | `reels.${'create' | 'compose' | 'get' | 'edit' | 'byAuthor' | 'forYou' | 'following' | 'watch' | 'notInterested'}`
  | `sounds.${'get' | 'reels' | 'trending'}`;

export function reelHandlers(social: Social): HandlerMap<ReelCall> {
  const { reels, sounds } = social;
  const me = (context: { principal: { userId: string } }) => context.principal.userId;
  return {
    'reels.create': (context, body) => reels.create(me(context), body),
    'reels.get': (context, body) => reels.get(me(context), body.reelId),
    'reels.edit': (context, body) => reels.edit(me(context), body),
    'reels.byAuthor': (context, body) => reels.byAuthor(me(context), body),
    'reels.forYou': (context, body) => social.forYou.page(me(context), body.cursor),
    'reels.following': (context, body) => reels.following(me(context), body.cursor),
    'reels.watch': (context, body) => recordWatch(social.deps, me(context), body.items),
    'reels.notInterested': (context, body) => reels.notInterested(me(context), body),
    'reels.compose': (context, body) => social.composer.compose(me(context), body),
    'sounds.get': (context, body) => sounds.get(me(context), body.soundId),
    'sounds.reels': (context, body) => sounds.reels(me(context), body),
    'sounds.trending': (context, body) => sounds.trending(me(context), body.language),
  };
}
