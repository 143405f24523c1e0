// The protocol calls of the social core: posts, polls, reactions, comments, the feed and its
// controls, saved posts, hashtags and reports. Each hands the work to its module.
import { eq } from 'drizzle-orm';
import { users } from '../accounts/schema.ts';
import { InvalidInputError } from '../errors.ts';
import type { HandlerMap } from '../gateway/handlers.ts';
import { profiles } from '../people/schema.ts';
import type { Social } from '../people/social.ts';
import { EVERYWHERE, regionsOf } from './hashtags.ts';
import { createReport } from './reports.ts';
import { normalizeTag } from './text.ts';

type PostCall =
  | `posts.${'create' | 'edit' | 'delete' | 'get' | 'history' | 'byAuthor' | 'vote' | 'react' | 'reactions' | 'save' | 'saved'}`
  | `comments.${'add' | 'get' | 'edit' | 'delete' | 'list' | 'react'}`
  | `feed.${'home' | 'mute' | 'hide' | 'lessOf' | 'controls'}`
  | `hashtags.${'page' | 'trending'}`
  | 'reports.create';

const REGION = /^[a-z]{2}(-[A-Z]{2})?$/;

export function postHandlers(social: Social): HandlerMap<PostCall> {
  const { deps, posts, comments, reactions, feed, saved, trends } = social;
  const me = (context: { principal: { userId: string } }) => context.principal.userId;
  const tagOf = (input: string) => {
    const tag = normalizeTag(input);
    if (tag === undefined) throw new InvalidInputError('not a hashtag', { field: 'tag' });
    return tag;
  };
  return {
    'posts.create': (context, body) => posts.create(me(context), body),
    'posts.edit': (context, body) => posts.edit(me(context), body),
    'posts.delete': (context, body) => posts.remove(me(context), body.postId),
    'posts.get': (context, body) => posts.get(me(context), body.postId),
    'posts.history': (context, body) => posts.history(me(context), body.postId),
    'posts.byAuthor': (context, body) => posts.byAuthor(me(context), body),
    'posts.vote': (context, body) => posts.vote(me(context), body),
    'posts.react': (context, body) => reactions.react(me(context), { kind: 'post', id: body.postId }, body.kind),
    'posts.reactions': (context, body) => reactions.list(me(context), body),
    'posts.save': (context, body) => saved.save(me(context), body.postId, body.saved),
    'posts.saved': (context, body) => saved.list(me(context), body.cursor),
    'comments.add': (context, body) => comments.add(me(context), body),
    'comments.get': (context, body) => comments.get(me(context), body.commentId),
    'comments.edit': (context, body) => comments.edit(me(context), body),
    'comments.delete': (context, body) => comments.remove(me(context), body.commentId),
    'comments.list': (context, body) => comments.list(me(context), body),
    'comments.react': (context, body) => reactions.react(me(context), { kind: 'comment', id: body.commentId }, body.kind),
    'feed.home': (context, body) => feed.home(me(context), body.mode, body.cursor),
    'feed.mute': (context, body) => feed.mute(me(context), body.userId, body.muted),
    'feed.hide': (context, body) => feed.hide(me(context), body.postId, body.hidden),
    'feed.lessOf': (context, body) => feed.lessOf(me(context), body.tag, body.less),
    'feed.controls': (context) => feed.controls(me(context)),
    'hashtags.page': (context, body) => posts.byHashtag(me(context), tagOf(body.tag), body.cursor),
    'hashtags.trending': async (context, body) => {
      let region = body.region;
      if (region !== undefined) {
        if (region !== EVERYWHERE && !REGION.test(region))
          throw new InvalidInputError('region is a language (es), a locale (es-MX) or all', { field: 'region' });
        return { region, items: await trends.top(region, body.limit ?? 10) };
      }
      const [row] = await deps.db
        .select({ locale: profiles.locale, language: users.language })
        .from(users)
        .leftJoin(profiles, eq(profiles.userId, users.id))
        .where(eq(users.id, me(context)));
      region = row?.locale ?? row?.language ?? 'en';
      if (!REGION.test(region)) region = 'en';
      // The caller's own region, else its language, else the whole world: never an empty list
      // while tagged public posts trend somewhere.
      for (const candidate of regionsOf(region)) {
        const items = await trends.top(candidate, body.limit ?? 10);
        if (items.length > 0 || candidate === EVERYWHERE) return { region: candidate, items };
      }
      return { region: EVERYWHERE, items: [] };
    },
    'reports.create': (context, body) => createReport(deps, { posts, comments }, me(context), body),
  };
}
